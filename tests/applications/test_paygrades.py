"""Pay grades: their order within each scale, and German errors for grades that do not exist."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications import paygrades


@pytest.mark.parametrize(
    ("scale", "typed", "canonical"),
    [
        ("EG", " 9C ", "9c"),
        ("EG", "2ü", "2Ü"),
        ("EG", "15u", "15Ü"),
        ("S", "8 A", "8a"),
        ("A", "11", "11"),
        ("B", "3", "3"),
    ],
)
def test_normalise_accepts_what_people_type(scale, typed, canonical):
    assert paygrades.normalise_grade(scale, typed) == canonical


@pytest.mark.parametrize(
    ("scale", "grade", "message"),
    [
        ("EG", "9d", "Die Entgeltgruppe „EG 9d“ gibt es nicht. Gültig sind: EG 1, EG 2, EG 2Ü,"),
        ("A", "17", "Die Besoldungsgruppe „A 17“ gibt es nicht."),
        ("A", "1", "Die Besoldungsgruppe „A 1“ gibt es nicht."),
        ("B", "12", "Die Besoldungsgruppe „B 12“ gibt es nicht."),
        ("S", "10", "Die Entgeltgruppe „S 10“ gibt es nicht."),
        ("S", "5", "Die Entgeltgruppe „S 5“ gibt es nicht."),
        ("X", "1", "Die Besoldungs- bzw. Entgeltordnung „X“ gibt es nicht."),
    ],
)
def test_unknown_grade_raises_a_german_error(scale, grade, message):
    with pytest.raises(paygrades.UnknownGrade) as error:
        paygrades.normalise_grade(scale, grade)
    assert str(error.value).startswith(message)


def test_an_unknown_grade_keeps_its_message_and_values_apart_for_translation():
    with pytest.raises(paygrades.UnknownGrade) as error:
        paygrades.normalise_grade("A", " 17 ")
    assert (error.value.message, error.value.params) == (
        "Die Besoldungsgruppe „%(grade)s“ gibt es nicht. Gültig sind: %(valid)s.",
        {"grade": "A 17", "valid": ", ".join(f"A {n}" for n in range(2, 17))},
    )


def test_eg_ladder_is_in_the_tvoed_order():
    ranks = [paygrades.rank("EG", grade) for grade in paygrades.SCALES["EG"]]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)
    assert paygrades.SCALES["EG"][9:13] == ("9a", "9b", "9c", "10")


@pytest.mark.parametrize(
    ("grade", "minimum", "expected"),
    [
        (("A", "10"), ("A", "11"), False),
        (("A", "11"), ("A", "11"), True),
        (("A", "16"), ("A", "11"), True),
        (("B", "1"), ("A", "11"), True),
        (("B", "1"), ("A", "16"), True),
        (("A", "16"), ("B", "1"), False),
        (("EG", "9c"), ("EG", "10"), False),
        (("EG", "10"), ("EG", "10"), True),
        (("EG", "15Ü"), ("EG", "10"), True),
        (("S", "14"), ("S", "15"), False),
        (("S", "15"), ("S", "15"), True),
        (("EG", "12"), ("A", "11"), None),
        (("S", "18"), ("EG", "10"), None),
    ],
)
def test_at_least(grade, minimum, expected):
    assert paygrades.at_least(*grade, *minimum) is expected


def test_grade_choices_for_forms():
    assert paygrades.grade_choices("S")[:3] == [("2", "S 2"), ("3", "S 3"), ("4", "S 4")]


LADDER = [("A", grade) for grade in paygrades.SCALES["A"]] + [
    ("B", grade) for grade in paygrades.SCALES["B"]
]


@given(st.sampled_from(LADDER), st.sampled_from(LADDER))
def test_civil_service_ladder_agrees_with_the_listed_order(first, second):
    assert paygrades.at_least(*first, *second) == (LADDER.index(first) >= LADDER.index(second))
