from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopKind(models.TextChoices):
    KICK_OFF = "kick_off", _("Auftaktworkshop und Tandembildung")
    INTERIM = "interim", _("Zwischenworkshop")
    FINAL = "final", _("Abschlussworkshop und Präsentation der Mentee-Teams")
    SEMINAR = "seminar", _("Seminar")
    NETWORK = "network", _("Netzwerktreffen")


class Invitees(models.TextChoices):
    """Who is expected at a workshop; most are for both, some only for one side."""

    BOTH = "both", _("Mentees und Mentor:innen")
    MENTEES = "mentees", _("nur Mentees")
    MENTORS = "mentors", _("nur Mentor:innen")


class RsvpAnswer(models.TextChoices):
    YES = "yes", _("Ich nehme teil.")
    NO = "no", _("Ich kann nicht teilnehmen.")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("anwesend")
    EXCUSED = "excused", _("entschuldigt")
    ABSENT = "absent", _("abwesend (unentschuldigt)")


class CertificateKind(models.TextChoices):
    """Mentees earn a certificate; mentors get a confirmation of their participation."""

    MENTEE = "mentee", _("Teilnahmezertifikat")
    MENTOR = "mentor", _("Teilnahmebestätigung")


class BatchState(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class WorkshopLogAction(models.TextChoices):
    ATTENDANCE = "attendance", _("Anwesenheit erfasst")
    EXCUSE = "excuse", _("Abwesenheit nachträglich entschuldigt")
    TEAM_CREATED = "team_created", _("Projektteam angelegt")
    TEAM_CHANGED = "team_changed", _("Projektteam geändert")
    PRESENTED = "presented", _("Präsentation erfasst")
    CERTIFICATE_ISSUED = "certificate_issued", _("Zertifikat ausgestellt")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Zertifikat widerrufen")
