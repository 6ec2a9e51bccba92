"""`make bench`: each figure next to a baseline measured in the same run.

Run: ``python -m bench [--only NAME] [--duration SECONDS]``. PostgreSQL must be reachable; the
bench uses its own database ``mentoring_bench``, or the one ``DATABASE_URL`` names (created,
migrated and filled here).

Adding an entry: write ``def entry_something(ctx) -> list[Row]`` below and list it in
ENTRIES. ``ctx.base`` is the running server's URL, ``ctx.seconds`` the load duration,
``ctx.baseline`` the bare-Django figure the ratios refer to.
"""

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass

import psycopg

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


@dataclass
class Row:
    name: str
    requests_per_second: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    queries: int | None = None
    ratio: float | None = None
    note: str = ""
    goal: str = ""  # the target of issue 17 in words, e.g. "≥ 0.5 × bare"
    met: bool | None = None  # whether this run reached it; None where no goal applies


@dataclass
class Context:
    base: str
    seconds: int
    baseline: object = None


def prepare_database():
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=5
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def queries_for(path, user=None):
    """The number of SQL queries one request to ``path`` makes (in this process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = logged_in(user) if user is not None else Client()
    client.get(path)  # warm caches the same way a running worker has them
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def logged_in(user):
    """A client logged in as ``user``; an officer's session has passed the second factor.

    As in production (``MENTORING_REQUIRE_OTP``): every request of hers loads the device.
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.is_staff:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def session_cookie(user):
    from django.conf import settings

    client = logged_in(user)
    name = settings.SESSION_COOKIE_NAME
    return f"Cookie: {name}={client.cookies[name].value}"


def measured(ctx, name, path, *, user=None, note=""):
    """Load on ``path`` (as ``user``, logged in, if given), and the queries of one request."""
    from bench.http import wrk

    queries = queries_for(path, user)
    headers = [session_cookie(user)] if user is not None else ()
    load = wrk(ctx.base + path, seconds=ctx.seconds, headers=headers)
    return Row(
        name=name,
        requests_per_second=load.requests_per_second,
        p50_ms=load.p50_ms,
        p99_ms=load.p99_ms,
        queries=queries,
        ratio=load.requests_per_second / ctx.baseline.requests_per_second,
        note=note,
    )


def _at_least(row, requests_per_second):
    """``row`` with the goal of issue 17 for an officer's page: so many requests a second."""
    row.goal = f"≥ {requests_per_second} req/s"
    row.met = row.requests_per_second >= requests_per_second
    return row


def entry_call_page(ctx):
    """The public home page as anonymous visitors get it (mentoring.public_pages)."""
    row = measured(ctx, "public call page /", "/")
    row.goal, row.met = "≥ 0.5 × bare", row.ratio >= 0.5
    return [row]


def entry_admin_application_list(ctx, count=10_000):
    from bench.data import seed_applications
    from mentoring.models import User

    started = time.monotonic()
    seed_applications(count)
    seeded = time.monotonic() - started
    office = User.objects.get(email="programmbuero@studieninstitut.example.org")
    officer = User.objects.get(email="gleichstellung@bottrop.example.org")
    path = "/verwaltung/applications/application/"
    rows = [
        measured(
            ctx,
            f"admin applications, {count} rows, programme office",
            path,
            user=office,
            note=f"seeded in {seeded:.1f} s",
        ),
        measured(
            ctx,
            "admin applications, officer of Bottrop (scoped)",
            path,
            user=officer,
        ),
    ]
    return [_at_least(row, 100) for row in rows]


def entry_matching(ctx, sizes=(30, 300, 1000), runs=5):
    """Solver time for n mentees and n mentors next to bare linear_sum_assignment (n×n).

    Each the best of ``runs``, taking turns, so that a neighbour's burst of load on this
    shared machine does not land on one side only.
    """
    import random

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from tandems.matching import ACROSS, Mentee, Mentor, solve

    rows = []
    for n in sizes:
        rng = random.Random(n)

        def place(rng=rng):
            return 51.4 + rng.random() * 0.4, 6.9 + rng.random() * 0.5

        mentees = [
            Mentee(
                id=i,
                organisation_id=rng.randint(1, 13),
                topics=frozenset(rng.sample(range(20), 4)),
                level=rng.randint(0, 2),
                latitude=(coords := place())[0],
                longitude=coords[1],
            )
            for i in range(n)
        ]
        mentors = [
            Mentor(
                id=10_000 + j,
                organisation_id=rng.randint(1, 13),
                topics=frozenset(rng.sample(range(20), 5)),
                level=rng.randint(1, 4),
                latitude=(coords := place())[0],
                longitude=coords[1],
            )
            for j in range(n)
        ]
        matrix = np.random.default_rng(n).random((n, n))
        ours = floor = float("inf")
        for _run in range(runs):
            started = time.perf_counter()
            proposal = solve(mentees, mentors, policy=ACROSS)
            ours = min(ours, time.perf_counter() - started)
            started = time.perf_counter()
            linear_sum_assignment(matrix)
            floor = min(floor, time.perf_counter() - started)
        goal = n == max(sizes)  # issue 17: the largest, end to end, within 2 × bare
        rows.append(
            Row(
                name=f"matching {n} mentees × {n} mentors",
                ratio=ours / floor,
                note=(
                    f"solve {ours * 1000:.1f} ms, bare n×n assignment {floor * 1000:.2f} ms; "
                    f"{len(proposal.pairs)} pairs (ratio = time, ours / bare; best of {runs})"
                ),
                goal="≤ 2 × bare" if goal else "",
                met=ours / floor <= 2 if goal else None,
            )
        )
    return rows


def entry_proposal_page(ctx, count=300):
    """The Beirat's matching page showing a proposal of ``count`` pairs."""
    from bench.data import seed_matching_cohort
    from mentoring.models import User
    from tandems.models import MatchingRun
    from tandems.services import matching_run

    office = User.objects.get(email="programmbuero@studieninstitut.example.org")
    cohort = seed_matching_cohort(count)
    started = time.perf_counter()
    run = MatchingRun.objects.filter(cohort=cohort, compared=True).first() or matching_run(
        cohort=cohort, actor=office
    )
    solved = time.perf_counter() - started
    path = f"/beirat/jahrgang/{cohort.pk}/tandembildung/?lauf={run.pk}"
    row = measured(
        ctx,
        f"matching page, proposal of {run.pairs.count()} pairs",
        path,
        user=office,
        note=f"proposal (first run) {solved * 1000:.0f} ms; its first page of pairs",
    )
    return [_at_least(row, 100)]


def _find_due_figures(day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.reminders import find_due

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        due = find_due(day)
        elapsed = time.perf_counter() - started
    return elapsed, len(captured), len(due)


def entry_reminder_sweep(ctx, small=1_000, large=10_000, runs=5):
    """The daily sweep over running tandems with a year of contacts each.

    Finding what is due must ask the database the same number of times for 1 000 and for
    10 000 tandems; its time is put next to the database alone finding the silent tandems.
    Sending runs in a transaction that is rolled back, so every run starts alike.
    """
    import datetime as dt

    from django.db import transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from bench.data import seed_tandem_cohort
    from cohorts.models import Cohort
    from mentoring.reminders import sweep
    from tandems.models import Contact, Tandem
    from workshops.models import Workshop

    started = time.monotonic()
    small_cohort = seed_tandem_cohort(91, small)
    seed_tandem_cohort(92, large)
    seeded = time.monotonic() - started
    today = timezone.localdate()
    day = today.replace(day=20)
    rows = []
    for cohort_number, count in ((91, small), (92, large)):
        with transaction.atomic():
            # Only this cohort is running: the other is moved into the past for the moment.
            Cohort.objects.filter(number__in={91, 92} - {cohort_number}).update(
                start_date=dt.date(2000, 1, 1), end_date=dt.date(2000, 12, 31)
            )
            # A later `load_demo` gives every cohort of the programme, these too, its three
            # workshops; the final one would add an invitation per person to the figures.
            Workshop.objects.filter(cohort__number__in={91, 92}).update(date=dt.date(2000, 1, 1))
            cohort = Cohort.objects.get(number=cohort_number)
            # The floor: the database alone answering "which tandems lack a contact this
            # month" (one anti-join, no rows to Python). Each the best of ``runs``, taking
            # turns, so that neither side alone gets the cold cache or a neighbour's burst.
            silent = Tandem.objects.filter(cohort=cohort).exclude(
                Exists(
                    Contact.objects.filter(
                        tandem=OuterRef("pk"), date__gte=day.replace(day=1), date__lte=day
                    )
                )
            )
            floor = elapsed = float("inf")
            for _run in range(runs):
                started = time.perf_counter()
                silent.count()
                floor = min(floor, time.perf_counter() - started)
                found, queries, due = _find_due_figures(day)
                elapsed = min(elapsed, found)
            started = time.perf_counter()
            report = sweep(now=timezone.make_aware(dt.datetime.combine(day, dt.time(7))))
            sending = time.perf_counter() - started
            transaction.set_rollback(True)
        goal = count == large  # issue 17: find ≤ 10 × the anti-join, the whole sweep < 5 s
        rows.append(
            Row(
                name=f"reminder sweep, {count} tandems × 12 months",
                queries=queries,
                ratio=elapsed / floor,
                goal="find ≤ 10 ×, sweep < 5 s" if goal else "",
                met=(elapsed / floor <= 10 and sending < 5) if goal else None,
                note=(
                    f"find {elapsed * 1000:.0f} ms ({due} due), the bare anti-join "
                    f"{floor * 1000:.0f} ms; whole sweep with {report.outcome['sent']} "
                    f"e-mails {sending:.1f} s (ratio = time, find / anti-join)"
                ),
            )
        )
    rows[0].note += f"; seeded in {seeded:.0f} s"
    assert small_cohort.tandems.count() == small
    return rows


def entry_contact_overview(ctx, count=300):
    """The Beirat's monthly-contact grid of a cohort with ``count`` tandems."""
    from bench.data import seed_tandem_cohort
    from mentoring.models import User

    office = User.objects.get(email="programmbuero@studieninstitut.example.org")
    cohort = seed_tandem_cohort(93, count)
    path = f"/beirat/jahrgang/{cohort.pk}/kontakte/"
    rows = [
        measured(
            ctx,
            f"contact grid, {count} tandems × 12 months",
            path,
            user=office,
            note="its first page of 50 tandems",
        ),
        measured(
            ctx,
            f"contact grid CSV, {count} tandems",
            path.replace("kontakte/", "kontakte.csv"),
            user=office,
        ),
    ]
    return [_at_least(row, 100) for row in rows]


def entry_certificates(ctx, count=300, small=30):
    """Certificates, one warm and a batch of ``count``, next to WeasyPrint's minimal page.

    The floor is a one-line HTML page through the same offline, PDF/UA-1 ``render_pdf``;
    ratios are time over the floor, per certificate for the batches. Each batch runs in a
    fresh, warmed-up process, so that ``ru_maxrss`` is its own, and is put next to the floor
    measured in that process just before it. A batch of ``small`` shows whether peak memory
    follows the cohort's size. tracemalloc is left out: it would slow the run it measures
    and cannot see Pango's and HarfBuzz's memory.
    """
    from django.conf import settings

    from bench.certificates import (
        cohort_certificates,
        in_fresh_process,
        medians,
        minimal_page,
        reset,
    )
    from bench.data import seed_certificate_cohort
    from workshops.issuing import contents
    from workshops.rendering import render_certificates

    started = time.monotonic()
    cohort = seed_certificate_cohort(94, count)
    small_cohort = seed_certificate_cohort(95, small)
    seeded = time.monotonic() - started
    reset(cohort)
    reset(small_cohort)
    batch = in_fresh_process("batch", cohort.pk)
    assert batch["certificates"] == count, batch
    # Peak memory must not follow the cohort's size: the same batch for a tenth of it.
    small_batch = in_fresh_process("batch", small_cohort.pk)
    assert small_batch["certificates"] == small, small_batch
    memory_growth = batch["peak_mb"] - small_batch["peak_mb"]
    first = contents(cohort, cohort_certificates(cohort)[:1])
    floor, single = medians(minimal_page, lambda: render_certificates(first), runs=10)
    plain = in_fresh_process("one_layout", cohort.pk)
    batch_each, plain_each = batch["seconds"] / count, plain["seconds"] / count
    return [
        Row(
            name="PDF floor: minimal one-page HTML, warm",
            p50_ms=floor * 1000,
            ratio=1.0,
            note="median of 10 render_pdf, taking turns with the next row",
        ),
        Row(
            name="certificate, one PDF, warm",
            p50_ms=single * 1000,
            ratio=single / floor,
            note="median of 10 render_certificates([one]) (ratio = time, ours / floor)",
            goal="≤ 3 × floor",
            met=single / floor <= 3,
        ),
        Row(
            name=f"certificates, {count} as one layout and PDF",
            ratio=plain_each / plain["floor"],
            note=(
                f"render_certificates: {plain['seconds']:.1f} s "
                f"(CPU {plain['cpu_seconds']:.1f} s), {plain_each * 1000:.0f} ms each, "
                f"{plain['document_mb']:.1f} MB; floor in its process "
                f"{plain['floor'] * 1000:.1f} ms (ratio = time per certificate / floor)"
            ),
        ),
        Row(
            name=f"certificate batch, {count} (run_batch)",
            queries=batch["queries"],
            ratio=batch_each / batch["floor"],
            note=(
                f"{batch['seconds']:.1f} s (CPU {batch['cpu_seconds']:.1f} s), "
                f"{batch_each * 1000:.0f} ms each, "
                f"{batch['seconds'] / plain['seconds']:.2f}× the one layout's time; chunks of "
                f"{settings.CERTIFICATE_BATCH_CHUNK}, {count} own PDFs "
                f"{batch['files_mb']:.1f} MB + the document {batch['document_mb']:.1f} MB; "
                f"floor in its process {batch['floor'] * 1000:.1f} ms "
                f"(ratio = time per certificate / floor); seeded in {seeded:.1f} s"
            ),
            goal="≤ 12 s",
            met=batch["seconds"] <= 12,
        ),
        Row(
            name=f"certificate batch, {count}: peak memory",
            note=(
                f"peak RSS {batch['peak_mb']:.0f} MB, +{batch['peak_mb'] - batch['warm_mb']:.0f}"
                f" MB over the warm worker; batch of {small}: {small_batch['peak_mb']:.0f} MB "
                f"({small_batch['seconds']:.1f} s), {memory_growth:+.0f} MB from {small} to "
                f"{count}; one layout of {count}: {plain['peak_mb']:.0f} MB, "
                f"+{plain['peak_mb'] - plain['warm_mb']:.0f} MB (ru_maxrss, fresh process each)"
            ),
            goal=f"{small} → {count}: ± 50 MB",
            met=abs(memory_growth) <= 50,
        ),
    ]


def entry_reports(ctx, cohorts=10, tandems=30):
    """The cohort report and the programme view of ``cohorts`` finished cohorts with
    ``tandems`` tandems each, a year of contacts and four answered surveys. Their queries
    are put next to those of the demo's finished cohort (6 tandems) and its programme (3
    cohorts): the same number, whatever the size."""
    from bench.data import seed_report_programme
    from cohorts.demo import EMSCHER_LIPPE
    from cohorts.models import Cohort
    from mentoring.models import User

    started = time.monotonic()
    programme, cohorts_made = seed_report_programme(cohorts, tandems)
    seeded = time.monotonic() - started
    office = User.objects.get(email="programmbuero@studieninstitut.example.org")
    demo = Cohort.objects.get(programme__slug=EMSCHER_LIPPE, number=8)
    small_report = queries_for(f"/beirat/jahrgang/{demo.pk}/bericht/", office)
    small_programme = queries_for(f"/beirat/programm/{demo.programme_id}/bericht/", office)
    return [
        measured(
            ctx,
            f"cohort report, {tandems} tandems × 12 months, surveys",
            f"/beirat/jahrgang/{cohorts_made[-1].pk}/bericht/",
            user=office,
            note=f"demo cohort of 6 tandems: {small_report} queries; seeded in {seeded:.0f} s",
        ),
        measured(
            ctx,
            f"programme view, {cohorts} cohorts × {tandems} tandems",
            f"/beirat/programm/{programme.pk}/bericht/",
            user=office,
            note=f"demo programme of 3 cohorts: {small_programme} queries",
        ),
    ]


def entry_demo(ctx):
    """`load_demo` on a fresh SQLite database, as `make run` does it on a new clone."""
    import re
    import subprocess
    import tempfile

    from django.conf import settings

    with tempfile.TemporaryDirectory() as directory:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mentoring.settings",
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{directory}/demo.sqlite3",
            "MEDIA_ROOT": f"{directory}/media",
            "REDIS_URL": "",
        }

        def manage(*args):
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            return time.monotonic() - started, result.stdout

        migrate, _out = manage("migrate", "--no-input", "-v0")
        whole, output = manage("load_demo")
        loaded = float(re.search(r"loaded in ([\d.]+) s", output).group(1))
        again, _out = manage("load_demo")
    return [
        Row(name="load_demo, fresh SQLite (4 programmes)", p50_ms=loaded * 1000,
            note=f"process {whole:.1f} s; migrate {migrate:.1f} s; goal < 60 s"),
        Row(name="load_demo again (changes nothing)", p50_ms=again * 1000, note="whole process"),
    ]  # fmt: skip


ENTRIES = {
    "demo": entry_demo,
    "call_page": entry_call_page,
    "admin_applications": entry_admin_application_list,
    "matching": entry_matching,
    "proposal_page": entry_proposal_page,
    "reminder_sweep": entry_reminder_sweep,
    "contact_overview": entry_contact_overview,
    "certificates": entry_certificates,
    "reports": entry_reports,
}


def fmt(value, pattern):
    return "–" if value is None else pattern.format(value)


MET = {True: "met", False: "NOT MET", None: ""}


def print_table(rows):
    header = (
        f"{'what':<52} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'ratio':>7}"
        f"  {'goal':<22} {'':<7}  note"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.name:<52} {fmt(row.requests_per_second, '{:.0f}'):>8} "
            f"{fmt(row.p50_ms, '{:.2f}'):>8} {fmt(row.p99_ms, '{:.2f}'):>8} "
            f"{fmt(row.queries, '{}'):>8} {fmt(row.ratio, '{:.2f}'):>7}"
            f"  {row.goal:<22} {MET[row.met]:<7}  {row.note}"
        )
    missed = [row.name for row in rows if row.met is False]
    print()
    print(f"goals: {sum(row.met is True for row in rows)} met, {len(missed)} not met")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(ENTRIES), action="append")
    parser.add_argument(
        "--duration",
        "--seconds",
        dest="seconds",
        type=int,
        default=10,
        metavar="SECONDS",
        help="seconds of load per measurement (default 10)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench: wrk is missing; install it with: apt-get install wrk", file=sys.stderr)
        return 2

    from bench.http import gunicorn, wrk

    prepare_database()
    rows = []
    with gunicorn() as base:
        ctx = Context(base=base, seconds=args.seconds)
        ctx.baseline = wrk(base + "/bench/baseline/", seconds=args.seconds)
        rows.append(
            Row(
                "baseline: bare Django template, no database",
                ctx.baseline.requests_per_second,
                ctx.baseline.p50_ms,
                ctx.baseline.p99_ms,
                0,
                1.0,
            )
        )
        for name in args.only or ENTRIES:
            rows += ENTRIES[name](ctx)
    print()
    print("gunicorn 2 sync workers, wrk 2 threads / 16 connections, loopback only;")
    print("ratio = requests per second relative to the baseline of this run.")
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
