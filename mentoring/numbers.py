"""Numbers people send: ids in a query string or a form, codes they type."""


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is written in 0–9 only: ``str.isdigit()`` also takes "²" or "١",
    which ``int()`` or the database refuse."""
    return text.isascii() and text.isdigit()


def whole_number(text: str) -> int | None:
    """``text`` as a number if it is written in 0–9 only, else None."""
    return int(text) if ascii_digits(text) else None
