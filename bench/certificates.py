"""Certificate rendering for the bench: warm medians in the bench, batches in a fresh process.

A batch runs in a process of its own so that its peak memory (``ru_maxrss``) is the batch's
and not the bench's. That process renders a few PDFs before it is measured, as a worker that
has printed before. Run by the bench as ``python -m bench.certificates TASK COHORT_ID``; the
last line it prints is its figures as JSON.
"""

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The floor: the same renderer (offline fetcher, PDF/UA-1) on the least a page can hold.
MINIMAL_HTML = "<html lang=de><body><p>Hallo</p></body></html>"


def medians(*functions, runs, warm=3):
    """The median time of each function over ``runs`` calls, after ``warm`` uncounted ones.

    The functions take turns, so a neighbour's load on the machine weighs on all alike.
    """
    times = [[] for _ in functions]
    for run in range(warm + runs):
        for function, taken in zip(functions, times, strict=True):
            started = time.perf_counter()
            function()
            if run >= warm:
                taken.append(time.perf_counter() - started)
    return [statistics.median(taken) for taken in times]


def minimal_page():
    from workshops.rendering import render_pdf

    return render_pdf(MINIMAL_HTML)


def cohort_certificates(cohort):
    """The cohort's valid certificates in the batch's order."""
    from workshops.models import Certificate

    return list(
        Certificate.objects.filter(application__cohort=cohort, revoked_at__isnull=True)
        .select_related("application")
        .order_by("application__role", "participant_name", "pk")
    )


def reset(cohort):
    """Every run starts alike: nothing issued, nothing printed (files died with their run)."""
    from workshops.models import Certificate, CertificateBatch

    Certificate.objects.filter(application__cohort=cohort).delete()
    CertificateBatch.objects.filter(cohort=cohort).delete()


def in_fresh_process(task, cohort_id, *, timeout=300):
    """The figures of ``task`` run in a new Python process, with a throwaway MEDIA_ROOT."""
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as media_root:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "MEDIA_ROOT": media_root}
        completed = subprocess.run(
            [sys.executable, "-m", "bench.certificates", task, str(cohort_id)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.certificates {task} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.splitlines()[-1])


# In the fresh process ----------------------------------------------------------------------


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts KiB


def _warm_up():
    """Renders as a worker that has printed before; returns the floor measured right after."""
    from workshops.rendering import CertificateContent, render_certificates

    # Made up: the batch's certificates do not exist yet when its worker warms up.
    content = CertificateContent(
        kind="mentee",
        participant_name="Dörte Großmann",
        organisation="Stadt Gelsenkirchen",
        programme_title="MIT FRAUEN an die Spitze",
        cohort_number=1,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        partners=["Stadt Bottrop", "Stadt Gelsenkirchen"],
        place="Gelsenkirchen",
        issued_on=dt.date(2026, 1, 15),
        verification_code="ABCD-EFGH-JKMN",
        verification_url="http://127.0.0.1:8000/zertifikat/ABCD-EFGH-JKMN/",
        chair_label="Vorsitzende des Mentoringbeirats",
        office_label="Programmbüro",
    )
    for _ in range(3):
        minimal_page()
        render_certificates([content])
    # The floor again, in this process and just before its figure: a neighbour's load on
    # the machine changes within seconds.
    return medians(minimal_page, runs=9, warm=0)[0]


def batch(cohort_id):
    """``run_batch`` as the Celery task runs it: issue, lay out in chunks, store every file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workshops import issuing
    from workshops.enums import BatchState
    from workshops.models import CertificateBatch

    batch = CertificateBatch.objects.create(cohort_id=cohort_id, requested_by=None)
    floor = _warm_up()
    warm_mb = _peak_mb()
    with CaptureQueriesContext(connection) as captured:
        started, cpu_started = time.perf_counter(), time.process_time()
        issuing.run_batch(batch.pk)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = _peak_mb()
    batch.refresh_from_db()
    if batch.state != BatchState.DONE:
        raise RuntimeError(f"batch {batch.pk} ended {batch.state}: {batch.error}")
    certificates = cohort_certificates(batch.cohort)
    return {
        "floor": floor,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "queries": len(captured),
        "certificates": len(certificates),
        "files_mb": sum(certificate.file.size for certificate in certificates) / 2**20,
        "document_mb": batch.file.size / 2**20,
        "warm_mb": warm_mb,
        "peak_mb": peak_mb,
    }


def one_layout(cohort_id):
    """The same certificates through ``render_certificates``: one layout, one PDF, no files."""
    from cohorts.models import Cohort
    from workshops.issuing import contents
    from workshops.rendering import render_certificates

    cohort = Cohort.objects.select_related("programme").get(pk=cohort_id)
    printable = contents(cohort, cohort_certificates(cohort))
    floor = _warm_up()
    warm_mb = _peak_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    pdf = render_certificates(printable)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "floor": floor,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "certificates": len(printable),
        "document_mb": len(pdf) / 2**20,
        "warm_mb": warm_mb,
        "peak_mb": _peak_mb(),
    }


TASKS = {"batch": batch, "one_layout": one_layout}

if __name__ == "__main__":
    import django

    django.setup()
    task, cohort_id = sys.argv[1:]
    print(json.dumps(TASKS[task](int(cohort_id))))
