"""German public pay scales and the order of their grades. Pure: no Django, no database.

- ``A`` and ``B``: civil servants' pay (Besoldung); B ranks above A, so both form one ladder.
- ``EG``: TVöD pay groups (Entgeltgruppen) with their intermediate "Ü" groups.
- ``S``: TVöD social and education service (Sozial- und Erziehungsdienst).

An unknown grade raises ``UnknownGrade`` with a German msgid and its parameters; the form
shows it in the reader's language (``eligibility_display.grade_error``).
"""

SCALES = {
    "A": tuple(str(n) for n in range(2, 17)),
    "B": tuple(str(n) for n in range(1, 12)),
    "EG": (
        "1", "2", "2Ü", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c",
        "10", "11", "12", "13", "14", "15", "15Ü",
    ),
    "S": (
        "2", "3", "4", "7", "8a", "8b", "9", "11a", "11b",
        "12", "13", "14", "15", "16", "17", "18",
    ),
}  # fmt: skip

# A and B share the civil servants' ladder; B 1 follows A 16.
_LADDERS = {"A": ("civil", 0), "B": ("civil", len(SCALES["A"])), "EG": ("eg", 0), "S": ("s", 0)}


def gettext_noop(message):
    """Marks ``message`` for the catalogue without translating it (no Django in here).

    ``makemessages`` extracts calls of this name; the text is translated where it is shown.
    """
    return message


UNKNOWN_SCALE = gettext_noop("Die Besoldungs- bzw. Entgeltordnung „%(scale)s“ gibt es nicht.")
NO_SCALE = gettext_noop(
    "„%(grade)s“ ist keine Besoldungs- oder Entgeltgruppe. Bitte geben Sie die Gruppe mit "
    "ihrer Ordnung an, z. B. A 11, EG 9c oder S 12."
)
# Civil servants' pay has Besoldungsgruppen, the TVöD scales have Entgeltgruppen.
UNKNOWN_GRADE = {
    "A": gettext_noop("Die Besoldungsgruppe „%(grade)s“ gibt es nicht. Gültig sind: %(valid)s."),
    "B": gettext_noop("Die Besoldungsgruppe „%(grade)s“ gibt es nicht. Gültig sind: %(valid)s."),
    "EG": gettext_noop("Die Entgeltgruppe „%(grade)s“ gibt es nicht. Gültig sind: %(valid)s."),
    "S": gettext_noop("Die Entgeltgruppe „%(grade)s“ gibt es nicht. Gültig sind: %(valid)s."),
}


class UnknownGrade(ValueError):
    """A grade that does not exist in its scale.

    ``message`` is a German msgid with placeholders for ``params``; ``str()`` gives the
    German text, the form translates it (``eligibility_display.grade_error``).
    """

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(message % params)


def display(scale, grade):
    return f"{scale} {grade}"


def normalise_grade(scale, grade):
    """The canonical spelling of ``grade`` in ``scale`` ("9C" → "9c", "2u" → "2Ü")."""
    if scale not in SCALES:
        raise UnknownGrade(UNKNOWN_SCALE, scale=str(scale))
    compact = "".join(str(grade).split()).lower().replace("ü", "u")
    for known in SCALES[scale]:
        if known.lower().replace("ü", "u") == compact:
            return known
    valid = ", ".join(display(scale, known) for known in SCALES[scale])
    raise UnknownGrade(UNKNOWN_GRADE[scale], grade=display(scale, str(grade).strip()), valid=valid)


def parse(text):
    """``(scale, grade)`` of a grade written with its scale, as people type it ("A 11",
    "eg9C", "S 11b"), in canonical spelling; ``UnknownGrade`` if no scale or grade fits."""
    compact = "".join(str(text).split())
    # The longest name first, so that "EG 9" is not read as a scale "E".
    for scale in sorted(SCALES, key=len, reverse=True):
        if compact.upper().startswith(scale) and compact[len(scale) :]:
            return scale, normalise_grade(scale, compact[len(scale) :])
    raise UnknownGrade(NO_SCALE, grade=str(text).strip())


def higher(scale, grade, other_scale, other_grade):
    """Whether ``other`` ranks above ``grade``; None if the two are on different ladders."""
    result = at_least(scale, grade, other_scale, other_grade)
    return None if result is None else not result


def grade_choices(scale):
    return [(grade, display(scale, grade)) for grade in SCALES[scale]]


def rank(scale, grade):
    """A sortable key (ladder, position); comparable only within one ladder."""
    grade = normalise_grade(scale, grade)
    ladder, offset = _LADDERS[scale]
    return ladder, offset + SCALES[scale].index(grade)


def at_least(scale, grade, minimum_scale, minimum_grade):
    """Whether ``grade`` is at or above the minimum; None if the ladders differ."""
    ladder, position = rank(scale, grade)
    minimum_ladder, minimum_position = rank(minimum_scale, minimum_grade)
    if ladder != minimum_ladder:
        return None
    return position >= minimum_position
