"""The Beirat records attendance; the programme office excuses; the signature sheet."""

import subprocess

import pytest
from django.urls import reverse

from tests.factories import AttendanceFactory
from workshops import services
from workshops.enums import AttendanceStatus, Invitees
from workshops.models import Attendance, WorkshopLog
from workshops.selectors import attendance_by_participant

from .conftest import ROLES

pytestmark = pytest.mark.django_db


def attendance_url(world):
    return reverse(
        "workshops:attendance",
        kwargs={"cohort_id": world["cohort"].pk, "pk": world["workshop"].pk},
    )


def record(client, world, application, status, note=""):
    return client.post(
        attendance_url(world),
        {f"status_{application.pk}": status, f"note_{application.pk}": note},
    )


def statuses():
    return sorted(Attendance.objects.values_list("application__role", "status", "note"))


def test_officer_records_her_peoples_attendance(client, world):
    officer = world["people"]["bottrop"]
    client.force_login(officer)

    response = record(client, world, world["mentee"], "present")

    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.application, attendance.status, attendance.recorded_by) == (
        world["mentee"],
        AttendanceStatus.PRESENT,
        officer,
    )
    assert list(WorkshopLog.objects.values_list("action", "from_state", "note")) == [
        ("attendance", "", "present")
    ]


def test_officer_sees_only_her_administrations_people(client, world):
    client.force_login(world["people"]["bottrop"])
    rows = client.get(attendance_url(world)).context["form"].rows
    assert rows == [world["mentee"]]
    client.force_login(world["people"]["marl"])
    assert client.get(attendance_url(world)).context["form"].rows == []
    client.force_login(world["people"]["chair"])
    assert client.get(attendance_url(world)).context["form"].rows == [
        world["mentor"],
        world["mentee"],
    ]


def test_officer_of_another_organisation_cannot_record(client, world):
    client.force_login(world["people"]["marl"])

    response = record(client, world, world["mentee"], "present")

    assert response.status_code == 302
    assert Attendance.objects.exists() is False
    with pytest.raises(services.WorkshopError, match="eigene Verwaltung"):
        services.attendance_record(
            workshop=world["workshop"],
            application=world["mentee"],
            status=AttendanceStatus.PRESENT,
            actor=world["people"]["marl"],
        )


def test_excused_needs_a_note_next_to_the_field(client, world):
    client.force_login(world["people"]["bottrop"])

    response = record(client, world, world["mentee"], "excused", "  ")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        f"note_{world['mentee'].pk}": [
            "Bitte vermerken Sie, weshalb die Abwesenheit entschuldigt ist."
        ]
    }
    page = response.content.decode()
    assert f'id="id_note_{world["mentee"].pk}-error">Bitte vermerken Sie' in page
    assert '<option value="excused" selected>' in page
    assert Attendance.objects.exists() is False
    record(client, world, world["mentee"], "excused", "krank gemeldet")
    assert statuses() == [("mentee", "excused", "krank gemeldet")]


def test_a_recorded_absence_is_excused_only_by_the_programme_office(client, world):
    mentee = world["mentee"]
    client.force_login(world["people"]["bottrop"])
    record(client, world, mentee, "absent")
    assert statuses() == [("mentee", "absent", "")]

    # The officer's page shows the row locked; a forged post changes nothing.
    page = client.get(attendance_url(world))
    assert page.context["form"].rows[0].locked is True
    record(client, world, mentee, "excused", "nachgereichte Krankmeldung")
    assert statuses() == [("mentee", "absent", "")]
    for user in (world["people"]["bottrop"], world["people"]["chair"]):
        with pytest.raises(services.WorkshopError, match="nur das Programmbüro"):
            services.attendance_record(
                workshop=world["workshop"],
                application=mentee,
                status=AttendanceStatus.EXCUSED,
                note="Krankmeldung",
                actor=user,
            )

    client.force_login(world["people"]["office"])
    record(client, world, mentee, "excused", "nachgereichte Krankmeldung")
    assert statuses() == [("mentee", "excused", "nachgereichte Krankmeldung")]
    assert list(WorkshopLog.objects.values_list("action", "from_state")) == [
        ("attendance", ""),
        ("excuse", "absent"),
    ]


def test_chair_records_everyone(client, world):
    client.force_login(world["people"]["chair"])
    client.post(
        attendance_url(world),
        {
            f"status_{world['mentee'].pk}": "present",
            f"status_{world['mentor'].pk}": "excused",
            f"note_{world['mentor'].pk}": "Urlaub, vorher abgemeldet",
        },
    )
    assert statuses() == [
        ("mentee", "present", ""),
        ("mentor", "excused", "Urlaub, vorher abgemeldet"),
    ]


def test_attendance_by_participant(world):
    other = AttendanceFactory(
        workshop__cohort=world["cohort"], application=world["mentee"], status="absent"
    )
    AttendanceFactory(workshop=world["workshop"], application=world["mentee"])
    AttendanceFactory(
        workshop=world["workshop"], application=world["mentor"], status="excused", note="krank"
    )
    AttendanceFactory()  # another cohort

    assert attendance_by_participant(cohort=world["cohort"]) == {
        world["mentee"].pk: {world["workshop"].pk: "present", other.workshop.pk: "absent"},
        world["mentor"].pk: {world["workshop"].pk: "excused"},
    }


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_attendance_sheet_pdf_lists_the_invited_people(client, world):
    client.force_login(world["people"]["office"])
    url = reverse(
        "workshops:sheet", kwargs={"cohort_id": world["cohort"].pk, "pk": world["workshop"].pk}
    )

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Teilnahmeliste: Zwischenworkshop" in text
    assert "Sabine Kowalski" in text
    assert "Birgit Gladbecker" in text
    assert "Stadt Gladbeck" in text


def test_officers_sheet_has_only_her_people(client, world):
    client.force_login(world["people"]["bottrop"])
    url = reverse(
        "workshops:sheet", kwargs={"cohort_id": world["cohort"].pk, "pk": world["workshop"].pk}
    )
    text = pdf_text(client.get(url).content)
    assert "Sabine Kowalski" in text
    assert "Birgit Gladbecker" not in text


MATRIX = {
    # page:               anonymous, participant, bottrop, marl, chair, office
    "workshops": [302, 403, 200, 200, 200, 200],
    "attendance": [302, 403, 200, 200, 200, 200],
    "sheet": [302, 403, 200, 200, 200, 200],
}


def page_url(world, page):
    cohort, workshop = world["cohort"].pk, world["workshop"].pk
    return {
        "workshops": reverse("workshops:cohort", kwargs={"cohort_id": cohort}),
        "attendance": reverse("workshops:attendance", kwargs={"cohort_id": cohort, "pk": workshop}),
        "sheet": reverse("workshops:sheet", kwargs={"cohort_id": cohort, "pk": workshop}),
    }[page]


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_permission_matrix(client, world, page, index):
    user = world["people"][ROLES[index]]
    if user:
        client.force_login(user)
    response = client.get(page_url(world, page))
    assert response.status_code == MATRIX[page][index]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_a_workshop_of_another_cohort_is_not_found(client, world):
    client.force_login(world["people"]["office"])
    foreign = AttendanceFactory().workshop
    url = reverse(
        "workshops:attendance", kwargs={"cohort_id": world["cohort"].pk, "pk": foreign.pk}
    )
    assert client.get(url).status_code == 404


def test_people_not_invited_are_not_recorded(world):
    world["workshop"].invitees = Invitees.MENTORS
    world["workshop"].save()
    with pytest.raises(services.WorkshopError, match="nicht eingeladen"):
        services.attendance_record(
            workshop=world["workshop"],
            application=world["mentee"],
            status=AttendanceStatus.PRESENT,
            actor=world["people"]["office"],
        )


def test_admin_lists_attendance_of_her_people_only(client, world):
    AttendanceFactory(workshop=world["workshop"], application=world["mentee"])
    AttendanceFactory(workshop=world["workshop"], application=world["mentor"])
    url = reverse("admin:workshops_attendance_changelist")

    client.force_login(world["people"]["bottrop"])
    rows = client.get(url).context["cl"].result_list
    assert [row.application for row in rows] == [world["mentee"]]
    client.force_login(world["people"]["office"])
    assert client.get(url).context["cl"].result_count == 2
