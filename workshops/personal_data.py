"""Her workshop answers and attendance, project team, certificates and calendar
subscription, for her data export (Art. 15 GDPR).

See ``mentoring.export``. Five queries, however much she has. The project team appears
by its title and presentation; its other members are not named. The PDFs of her valid
certificates are included; a revoked one is listed with its reason, without its file.
The calendar address is a secret and is not written down; only that it exists.
"""

from django.utils.translation import gettext as _

from mentoring.export import Attachment, Facts, Section, Table, file_path

from .models import Attendance, CalendarFeed, Certificate, Rsvp, TeamMembership


def _workshop(workshop):
    return {
        "programme": workshop.cohort.programme.name,
        "cohort": workshop.cohort.number,
        "title": workshop.title,
        "kind": workshop.kind,
        "date": workshop.date,
        "start_time": workshop.start_time,
        "end_time": workshop.end_time,
        "venue": workshop.venue_name,
    }


def _workshops(user):
    rsvps = list(
        Rsvp.objects.filter(application__applicant=user)
        .select_related("workshop__cohort__programme")
        .order_by("workshop__date", "workshop__start_time", "pk")
    )
    attendances = list(
        Attendance.objects.filter(application__applicant=user)
        .select_related("workshop__cohort__programme")
        .order_by("workshop__date", "workshop__start_time", "pk")
    )
    teams = list(
        TeamMembership.objects.filter(application__applicant=user)
        .select_related("team__cohort__programme")
        .order_by("team__cohort__start_date", "pk")
    )
    feed = CalendarFeed.objects.filter(user=user).only("created_at").first()
    data = {
        "responses": [
            {
                "workshop": _workshop(rsvp.workshop),
                "answer": rsvp.answer,
                "reason": rsvp.reason,
                "answered_at": rsvp.answered_at,
            }
            for rsvp in rsvps
        ],
        "attendance": [
            {
                "workshop": _workshop(attendance.workshop),
                "status": attendance.status,
                "note": attendance.note,
                "recorded_at": attendance.recorded_at,
            }
            for attendance in attendances
        ],
        "project_teams": [
            {
                "programme": membership.team.cohort.programme.name,
                "cohort": membership.team.cohort.number,
                "title": membership.team.title,
                "description": membership.team.description,
                "presented_on": membership.team.presented_on,
            }
            for membership in teams
        ],
        "calendar_subscription": {"created_at": feed.created_at} if feed else None,
    }
    parts = (
        Table(
            _("Ihre Rückmeldungen zu Workshops"),
            (_("Workshop"), _("Datum"), _("Rückmeldung"), _("Grund der Absage"), _("am")),
            tuple(
                (
                    rsvp.workshop.title,
                    rsvp.workshop.date,
                    rsvp.get_answer_display(),
                    rsvp.reason,
                    rsvp.answered_at,
                )
                for rsvp in rsvps
            ),
        ),
        Table(
            _("Ihre Anwesenheit"),
            (_("Workshop"), _("Datum"), _("Anwesenheit"), _("Vermerk")),
            tuple(
                (
                    attendance.workshop.title,
                    attendance.workshop.date,
                    attendance.get_status_display(),
                    attendance.note,
                )
                for attendance in attendances
            ),
        ),
        Table(
            _("Ihr Projektteam"),
            (_("Projekttitel"), _("Beschreibung"), _("präsentiert am")),
            tuple(
                (membership.team.title, membership.team.description, membership.team.presented_on)
                for membership in teams
            ),
        ),
        Facts(
            _("Kalenderabonnement"),
            ((_("eingerichtet am"), feed.created_at if feed else None),),
        ),
    )
    return Section(
        key="workshops",
        title=_("Workshops"),
        data=data,
        parts=parts,
        note=_("Die Mitglieder Ihres Projektteams sind hier nicht aufgeführt."),
        order=50,
    )


def _certificates(user):
    certificates = list(
        Certificate.objects.filter(application__applicant=user)
        .select_related("cohort__programme")
        .order_by("issued_on", "pk")
    )
    data, files = [], []
    for certificate in certificates:
        path = None
        if certificate.file and certificate.is_valid:
            path = file_path(f"zertifikat-{certificate.display_code}.pdf")
            files.append(Attachment(path, certificate.file))
        data.append(
            {
                "programme": certificate.cohort.programme.name,
                "cohort": certificate.cohort.number,
                "kind": certificate.kind,
                "code": certificate.display_code,
                "participant_name": certificate.participant_name,
                "organisation_name": certificate.organisation_name,
                "issued_on": certificate.issued_on,
                "revoked_at": certificate.revoked_at,
                "revocation_reason": certificate.revocation_reason,
                "file": path,
            }
        )
    table = Table(
        _("Ihre Zertifikate"),
        (
            _("Art"),
            _("Jahrgang"),
            _("Prüfcode"),
            _("ausgestellt am"),
            _("widerrufen am"),
            _("Grund des Widerrufs"),
            _("Datei"),
        ),
        tuple(
            (
                certificate.get_kind_display(),
                f"{certificate.cohort.programme.name}, {certificate.cohort.display_title}",
                entry["code"],
                certificate.issued_on,
                certificate.revoked_at,
                certificate.revocation_reason,
                entry["file"],
            )
            for certificate, entry in zip(certificates, data, strict=True)
        ),
    )
    return Section(
        key="certificates",
        title=_("Zertifikate"),
        data=data,
        parts=(table,),
        files=tuple(files),
        order=60,
    )


def personal_data(*, user):
    return [_workshops(user), _certificates(user)]
