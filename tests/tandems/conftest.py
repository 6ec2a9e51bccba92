import pytest

from tests.factories import ProgrammeOfficeFactory


@pytest.fixture
def office():
    return ProgrammeOfficeFactory()
