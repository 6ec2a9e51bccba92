"""What each survey asks, in the mentee's and in the mentor's words. Pure: no database.

The relationship items measure the three functions of mentoring that research on mentoring
uses (career support, psychosocial support, role modelling), three items each on a scale
of 1 to 5, in the spirit of the MFQ-9 (Castro, Scandura & Williams 2004). The wording is
the programme's own; no published instrument is copied. Mentors rate the same functions
from their side, so the report can set both views next to each other.

Item keys are stored with the counted answers (``RatingCount.item``): never rename one,
add a new key instead.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationRole

from .enums import Function, Scale, SurveyKind

# Values of the agreement scale, with the words the form shows beside them.
AGREEMENT = (
    (1, _("trifft gar nicht zu")),
    (2, _("trifft eher nicht zu")),
    (3, _("teils, teils")),
    (4, _("trifft eher zu")),
    (5, _("trifft voll zu")),
)
YES, NO = 1, 0
YES_NO = ((YES, _("ja")), (NO, _("nein")))

# In the one-month check-in, a mean of the rated items at or below this is an early
# warning: she is asked whether her equality officer may contact her.
EARLY_WARNING_AT = 2.0


@dataclass(frozen=True)
class Item:
    key: str
    function: Function
    mentee: str  # the statement as the mentee reads it (lazily translated)
    mentor: str  # the same, as the mentor reads it
    scale: Scale = Scale.AGREEMENT

    def text(self, role):
        return self.mentee if role == ApplicationRole.MENTEE else self.mentor

    @property
    def choices(self):
        return YES_NO if self.scale == Scale.YES_NO else AGREEMENT


@dataclass(frozen=True)
class TextItem:
    key: str
    mentee: str
    mentor: str

    def text(self, role):
        return self.mentee if role == ApplicationRole.MENTEE else self.mentor


CAREER = (
    Item(
        "career_goals",
        Function.CAREER,
        _(
            "Meine Mentor:in hilft mir, meine beruflichen Ziele zu "
            "klären und Schritte dahin zu planen."
        ),
        _(
            "Ich helfe meiner Mentee, ihre beruflichen Ziele zu "
            "klären und Schritte dahin zu planen."
        ),
    ),
    Item(
        "career_insight",
        Function.CAREER,
        _(
            "Meine Mentor:in gibt mir Einblick in Wege zu "
            "Führungsaufgaben, den ich allein nicht hätte."
        ),
        _(
            "Ich gebe meiner Mentee Einblick in Wege zu "
            "Führungsaufgaben, den sie allein nicht hätte."
        ),
    ),
    Item(
        "career_visibility",
        Function.CAREER,
        _("Meine Mentor:in ermutigt mich, mich für neue Aufgaben sichtbar zu machen."),
        _("Ich ermutige meine Mentee, sich für neue Aufgaben sichtbar zu machen."),
    ),
)
PSYCHOSOCIAL = (
    Item(
        "psychosocial_openness",
        Function.PSYCHOSOCIAL,
        _("Mit meiner Mentor:in kann ich offen über Zweifel und Schwierigkeiten sprechen."),
        _("Meine Mentee kann mit mir offen über Zweifel und Schwierigkeiten sprechen."),
    ),
    Item(
        "psychosocial_concerns",
        Function.PSYCHOSOCIAL,
        _("Meine Mentor:in nimmt meine Anliegen ernst und hört mir zu."),
        _("Ich nehme mir Zeit für die Anliegen meiner Mentee und höre ihr zu."),
    ),
    Item(
        "psychosocial_confidence",
        Function.PSYCHOSOCIAL,
        _("Unsere Gespräche stärken mein Vertrauen in meine Fähigkeiten."),
        _("Unsere Gespräche stärken das Vertrauen meiner Mentee in ihre Fähigkeiten."),
    ),
)
ROLE_MODEL = (
    Item(
        "role_model_leadership",
        Function.ROLE_MODEL,
        _("Meine Mentor:in zeigt mir, wie man eine Führungsrolle gut ausfüllen kann."),
        _("Ich zeige meiner Mentee, wie man eine Führungsrolle gut ausfüllen kann."),
    ),
    Item(
        "role_model_adopt",
        Function.ROLE_MODEL,
        _("Manches möchte ich so angehen, wie meine Mentor:in es tut."),
        _("Meine Mentee übernimmt Vorgehensweisen, die sie bei mir kennengelernt hat."),
    ),
    Item(
        "role_model_attitude",
        Function.ROLE_MODEL,
        _("Ich schätze die Haltung, mit der meine Mentor:in ihre Arbeit tut."),
        _("Ich lasse meine Mentee an meiner Haltung zur Führungsarbeit teilhaben."),
    ),
)
RELATIONSHIP = CAREER + PSYCHOSOCIAL + ROLE_MODEL

SATISFACTION = (
    Item(
        "satisfaction_matching",
        Function.SATISFACTION,
        _("Die Zusammenstellung unseres Tandems hat gut gepasst."),
        _("Die Zusammenstellung unseres Tandems hat gut gepasst."),
    ),
    Item(
        "satisfaction_workshops",
        Function.SATISFACTION,
        _("Die Workshops haben mich in meiner Entwicklung weitergebracht."),
        _("Die Workshops waren für meine Rolle als Mentor:in hilfreich."),
    ),
    Item(
        "satisfaction_beirat",
        Function.SATISFACTION,
        _("Der Mentoringbeirat und die Gleichstellungsbeauftragten haben mich gut unterstützt."),
        _("Der Mentoringbeirat und die Gleichstellungsbeauftragten haben mich gut unterstützt."),
    ),
)

EXPECTATIONS = (
    Item(
        "expect_career",
        Function.CAREER,
        _("Ich erwarte vom Mentoring vor allem Unterstützung für meinen beruflichen Weg."),
        _("Ich möchte meine Mentee vor allem auf ihrem beruflichen Weg unterstützen."),
    ),
    Item(
        "expect_psychosocial",
        Function.PSYCHOSOCIAL,
        _("Ich erwarte vom Mentoring einen Raum, offen über Fragen und Zweifel zu sprechen."),
        _("Ich möchte meiner Mentee einen Raum geben, offen über Fragen und Zweifel zu sprechen."),
    ),
    Item(
        "expect_role_model",
        Function.ROLE_MODEL,
        _("Ich erwarte vom Mentoring ein Vorbild, an dem ich mich orientieren kann."),
        _("Ich möchte meiner Mentee ein Vorbild sein, an dem sie sich orientieren kann."),
    ),
    Item(
        "aspiration_leadership",
        Function.ASPIRATION,
        _("Ich strebe in den nächsten zwei Jahren eine (größere) Führungsaufgabe an."),
        _("Ich ermutige Frauen in meinem Umfeld, Führungsaufgaben zu übernehmen."),
    ),
)

CHECK_IN = (
    Item(
        "check_in_met",
        Function.CHECK_IN,
        _("Hat Ihr erstes Tandemgespräch schon stattgefunden?"),
        _("Hat Ihr erstes Tandemgespräch schon stattgefunden?"),
        scale=Scale.YES_NO,
    ),
    Item(
        "check_in_going",
        Function.CHECK_IN,
        _("Unser Tandem hat gut begonnen."),
        _("Unser Tandem hat gut begonnen."),
    ),
)

GOALS = TextItem(
    "text_goals",
    _("Was möchten Sie im Mentoring erreichen?"),
    _("Was möchten Sie als Mentor:in weitergeben?"),
)
HELPED = TextItem(
    "text_helped",
    _("Was hat Ihnen bisher besonders geholfen?"),
    _("Was hat aus Ihrer Sicht bisher besonders geholfen?"),
)
IMPROVE = TextItem(
    "text_improve",
    _("Was sollten wir am Programm verbessern?"),
    _("Was sollten wir am Programm verbessern?"),
)
REMARKS = TextItem(
    "text_remarks",
    _("Möchten Sie uns noch etwas mitteilen?"),
    _("Möchten Sie uns noch etwas mitteilen?"),
)
# The programme's own open question (``Survey.extra_question``), counted under this key.
EXTRA = "text_extra"

# What each survey asks: its rated items, then its open questions.
ITEMS = {
    SurveyKind.BASELINE: EXPECTATIONS,
    # Short: whether they met, how it began, and one item of each function.
    SurveyKind.FIRST_MONTH: CHECK_IN + (CAREER[0], PSYCHOSOCIAL[0], ROLE_MODEL[0]),
    SurveyKind.MIDTERM: RELATIONSHIP,
    SurveyKind.FINAL: RELATIONSHIP + SATISFACTION,
}
TEXT_ITEMS = {
    SurveyKind.BASELINE: (GOALS,),
    SurveyKind.FIRST_MONTH: (REMARKS,),
    SurveyKind.MIDTERM: (HELPED, IMPROVE),
    SurveyKind.FINAL: (HELPED, IMPROVE),
}

ALL_ITEMS = {item.key: item for items in ITEMS.values() for item in items}


def warning_score(kind, ratings):
    """The mean of the agreement items of a one-month check-in (``{key: value}``), or
    ``None`` for other surveys and when none was answered."""
    if kind != SurveyKind.FIRST_MONTH:
        return None
    values = [
        value
        for item in ITEMS[kind]
        if item.scale == Scale.AGREEMENT and (value := ratings.get(item.key)) is not None
    ]
    return sum(values) / len(values) if values else None


def is_early_warning(kind, ratings):
    score = warning_score(kind, ratings)
    return score is not None and score <= EARLY_WARNING_AT
