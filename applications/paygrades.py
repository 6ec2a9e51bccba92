"""German public pay scales and the order of their grades. Pure: no Django, no database.

- ``A`` and ``B``: civil servants' pay (Besoldung); B ranks above A, so both form one ladder.
- ``EG``: TVöD pay groups (Entgeltgruppen) with their intermediate "Ü" groups.
- ``S``: TVöD social and education service (Sozial- und Erziehungsdienst).
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

SCALE_LABELS = {
    "A": "Besoldungsgruppe A",
    "B": "Besoldungsgruppe B",
    "EG": "TVöD Entgeltgruppe (EG)",
    "S": "TVöD Sozial- und Erziehungsdienst (S)",
}

# A and B share the civil servants' ladder; B 1 follows A 16.
_LADDERS = {"A": ("civil", 0), "B": ("civil", len(SCALES["A"])), "EG": ("eg", 0), "S": ("s", 0)}
_GROUP_NOUN = {
    "A": "Besoldungsgruppe",
    "B": "Besoldungsgruppe",
    "EG": "Entgeltgruppe",
    "S": "Entgeltgruppe",
}


class UnknownGrade(ValueError):
    """A grade that does not exist in its scale; the message is German, for the form."""


def display(scale, grade):
    return f"{scale} {grade}"


def normalise_grade(scale, grade):
    """The canonical spelling of ``grade`` in ``scale`` ("9C" → "9c", "2u" → "2Ü")."""
    if scale not in SCALES:
        raise UnknownGrade(f"Die Besoldungs- bzw. Entgeltordnung „{scale}“ gibt es nicht.")
    compact = "".join(str(grade).split()).lower().replace("ü", "u")
    for known in SCALES[scale]:
        if known.lower().replace("ü", "u") == compact:
            return known
    valid = ", ".join(display(scale, known) for known in SCALES[scale])
    raise UnknownGrade(
        f"Die {_GROUP_NOUN[scale]} „{display(scale, str(grade).strip())}“ gibt es nicht. "
        f"Gültig sind: {valid}."
    )


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
