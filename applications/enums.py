from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApplicationRole(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor:in")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    IN_REVIEW = "in_review", _("in Prüfung")
    INTERVIEW = "interview", _("zum Auswahlgespräch eingeladen")
    CHANGES_REQUESTED = "changes_requested", _("Korrektur erbeten")
    ACCEPTED = "accepted", _("angenommen")
    WAITLISTED = "waitlisted", _("Warteliste")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")

    @classmethod
    def editable(cls):
        """The applicant may change her answers only in these states."""
        return {cls.DRAFT, cls.CHANGES_REQUESTED}

    @classmethod
    def decided(cls):
        return {cls.ACCEPTED, cls.WAITLISTED, cls.REJECTED}

    @classmethod
    def under_review(cls):
        """States in which the Beirat may review, interview and record a decision."""
        return {cls.SUBMITTED, cls.IN_REVIEW, cls.INTERVIEW}

    @classmethod
    def sources(cls, target):
        """The states from which an application may move to ``target``."""
        return frozenset(
            state for state, targets in APPLICATION_TRANSITIONS.items() if target in targets
        )


# Every state change of an application: from each state, the states it may move to.
# ``services._transition`` refuses any other. A new application begins as a draft.
APPLICATION_TRANSITIONS = {
    ApplicationState.DRAFT: {ApplicationState.SUBMITTED},
    ApplicationState.SUBMITTED: {
        ApplicationState.IN_REVIEW,
        ApplicationState.CHANGES_REQUESTED,
        ApplicationState.INTERVIEW,
        ApplicationState.ACCEPTED,
        ApplicationState.WAITLISTED,
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
    },
    ApplicationState.IN_REVIEW: {
        ApplicationState.CHANGES_REQUESTED,
        ApplicationState.INTERVIEW,
        ApplicationState.ACCEPTED,
        ApplicationState.WAITLISTED,
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
    },
    ApplicationState.INTERVIEW: {
        ApplicationState.ACCEPTED,
        ApplicationState.WAITLISTED,
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
    },
    # She corrects her answers and submits again.
    ApplicationState.CHANGES_REQUESTED: {ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN},
    # A released decision is final.
    ApplicationState.ACCEPTED: set(),
    ApplicationState.WAITLISTED: set(),
    ApplicationState.REJECTED: set(),
    # She applies again while the application window is open.
    ApplicationState.WITHDRAWN: {ApplicationState.DRAFT},
}


class Decision(models.TextChoices):
    """A decision recorded by the Beirat; it reaches the applicant only when released."""

    ACCEPTED = "accepted", _("annehmen")
    WAITLISTED = "waitlisted", _("Warteliste")
    REJECTED = "rejected", _("ablehnen")


class EmploymentStatus(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Beamtin / Beamter")
    EMPLOYEE = "employee", _("Tarifbeschäftigte:r")


class Qualification(models.TextChoices):
    # Laufbahngruppe 2, first entry office: the qualification for the upper civil service.
    CAREER_GROUP_2 = "lg2", _("Laufbahngruppe 2, 1. Einstiegsamt")
    # Angestelltenlehrgang II: the employees' course equivalent to it.
    EMPLOYEE_COURSE_2 = "al2", _("Angestelltenlehrgang II")
    DEGREE = "degree", _("Hochschulabschluss")
    OTHER = "other", _("sonstige Qualifikation")


class PayScale(models.TextChoices):
    A = "A", _("Besoldungsgruppe A")
    B = "B", _("Besoldungsgruppe B")
    EG = "EG", _("TVöD Entgeltgruppe (EG)")
    S = "S", _("TVöD Sozial- und Erziehungsdienst (S)")

    @classmethod
    def for_status(cls, status):
        if status == EmploymentStatus.CIVIL_SERVANT:
            return {cls.A, cls.B}
        return {cls.EG, cls.S}


class WorkingHours(models.TextChoices):
    FULL_TIME = "full_time", _("Vollzeit")
    PART_TIME = "part_time", _("Teilzeit")


class LeadershipLevel(models.TextChoices):
    EXECUTIVE = "executive", pgettext_lazy("leadership level", "Verwaltungsvorstand / Dezernat")
    HEAD_OF_DEPARTMENT = "department", _("Fachbereichsleitung")
    HEAD_OF_OFFICE = "office", _("Amtsleitung")
    HEAD_OF_DIVISION = "division", _("Abteilungsleitung")
    TEAM_LEAD = "team", _("Sachgebiets- / Teamleitung")
    OTHER = "other", _("sonstige Führungsfunktion")


class EligibilityOutcome(models.TextChoices):
    PASS = "pass", _("erfüllt")
    FAIL = "fail", _("nicht erfüllt")
    MANUAL = "manual", _("manuell prüfen")


class ApplicationLogAction(models.TextChoices):
    TRANSITION = "transition", _("Statuswechsel")
    DECISION_RECORDED = "decision_recorded", _("Entscheidung vorgemerkt")
    DECISION_RELEASED = "decision_released", _("Entscheidung versandt")
    ELIGIBILITY_OVERRIDE = "eligibility_override", _("Zulassung übersteuert")
    ELIGIBILITY_CHECKED = "eligibility_checked", _("Voraussetzungen geprüft")


class CareerStepKind(models.TextChoices):
    PROMOTION = "promotion", _("Beförderung / Höhergruppierung")
    LEADERSHIP = "leadership", _("erste oder größere Führungsaufgabe")
    HORIZONTAL = "horizontal", _("horizontale Veränderung")
    APPLIED = "applied", _("Bewerbung auf eine Führungsposition")
    NONE = "none", _("keine Veränderung")


class FollowUpWave(models.TextChoices):
    """When a follow-up question goes out: at the cohort's end and months after it."""

    END = "end", _("zum Ende des Jahrgangs")
    MONTHS_6 = "6", _("6 Monate danach")
    MONTHS_12 = "12", _("12 Monate danach")
    MONTHS_24 = "24", _("24 Monate danach")

    @property
    def months(self):
        return 0 if self == FollowUpWave.END else int(self.value)


class CareerStepSource(models.TextChoices):
    SELF = "self", _("eigene Angabe")
    OFFICER = "officer", _("Gleichstellungsbeauftragte")
    PERSONNEL = "personnel", _("Personalverwaltung")
