"""Reading PDFs in tests (poppler-utils) and proving that nothing connects (a listener)."""

import re
import socket
import subprocess
import threading
from pathlib import Path

from django.conf import settings

STATIC = settings.BASE_DIR / "static"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSerif.ttf")
ALLOWED_URLS = {
    (STATIC / "css" / "print.css").as_uri(),
    *((STATIC / "fonts" / name).as_uri() for name in FONT_FILES),
}


def poppler(tool: str, *options: str, pdf: bytes, tmp_path: Path) -> str:
    """The output of a poppler-utils tool (pdftotext, pdfinfo, pdffonts) for ``pdf``."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    to_stdout = ["-"] if tool == "pdftotext" else []
    command = [tool, *options, str(path), *to_stdout]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def page_texts(pdf: bytes, tmp_path: Path, *options: str) -> list[str]:
    """The text layer of each page; pdftotext ends every page with a form feed."""
    text = poppler("pdftotext", *options, "-enc", "UTF-8", pdf=pdf, tmp_path=tmp_path)
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    """Line breaks and runs of spaces as single spaces: the text as a reader would quote it."""
    return " ".join(text.split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def page_count(pdf: bytes, tmp_path: Path) -> int:
    info = poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path)
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)[1])


class Listener:
    """A TCP server on a free local port that records every connection it accepts."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port = self._server.getsockname()[1]
        self._accepted = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, peer = self._server.accept()
            except TimeoutError:
                continue
            self._accepted.append(peer)
            connection.close()

    def accepted(self) -> list:
        """Stops serving and also takes what still waits in the backlog."""
        if self._stop.is_set():
            return self._accepted
        self._stop.set()
        self._thread.join()
        self._server.setblocking(False)
        while True:
            try:
                connection, peer = self._server.accept()
            except BlockingIOError:
                break
            self._accepted.append(peer)
            connection.close()
        self._server.close()
        return self._accepted
