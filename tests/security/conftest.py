"""The security checks run on the demo: every role, every state, every kind of page.

The demo is loaded once for this folder into a database that the tests share; each test
runs in its own transaction, so what one changes the next does not see.
"""

import io

import pytest
from django.core.management import call_command

from mentoring.models import User


@pytest.fixture(scope="package")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_loaded, db):
    """Looks people of the demo up by their address."""
    return lambda email: User.objects.get(email=email)
