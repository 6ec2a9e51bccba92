import pytest

from tests.factories import ApplicationFactory, SurveyFactory, TandemFactory


@pytest.fixture
def tandem():
    """A tandem of a running cohort: Mia Mentee and Max Mentor."""
    return TandemFactory(
        mentee__applicant__first_name="Mia",
        mentee__applicant__last_name="Mentee",
        mentor__applicant__first_name="Max",
        mentor__applicant__last_name="Mentor",
    )


@pytest.fixture
def survey(tandem):
    """The tandem's cohort's mid-term survey, open today."""
    return SurveyFactory(cohort=tandem.cohort)


def mentees(cohort, count):
    """``count`` more accepted mentees of ``cohort``: their users."""
    return [ApplicationFactory(cohort=cohort, accepted=True).applicant for _index in range(count)]
