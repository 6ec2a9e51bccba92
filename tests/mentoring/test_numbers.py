"""Numbers people send are read in 0–9 only."""

import pytest

from mentoring.numbers import ascii_digits, whole_number


@pytest.mark.parametrize(
    ("text", "number"),
    [("42", 42), ("007", 7), ("", None), ("-1", None), (" 1", None), ("²", None), ("١٢", None)],
)
def test_only_the_digits_0_to_9_make_a_number(text, number):
    assert whole_number(text) == number
    assert ascii_digits(text) is (number is not None)
