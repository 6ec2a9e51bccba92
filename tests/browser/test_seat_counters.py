"""In a real browser: the Beirat sees the seats per administration, and an acceptance
beyond them is refused with the reason on the page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.enums import ApplicationState, Decision
from cohorts.enums import BeiratRole
from tests.browser.conftest import assert_accessible
from tests.browser.test_matching_journey import log_in
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    ProgrammeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_sees_the_seats_and_the_refusal_of_a_sixth_acceptance(page):
    programme = ProgrammeFactory(name="Interkommunales Cross-Mentoring", seats_binding=True)
    cohort = CohortFactory(programme=programme, title="Köln–Düsseldorf 2026")
    koeln, duesseldorf = (
        CohortOrganisationFactory(
            cohort=cohort, organisation__name=name, mentee_seats=5, mentor_seats=5
        ).organisation
        for name in ("Stadt Köln", "Landeshauptstadt Düsseldorf")
    )
    chair = BeiratMembershipFactory(
        programme=programme, organisation=koeln, role=BeiratRole.CHAIR
    ).user
    common = {"cohort": cohort, "submitted_at": timezone.now(), "cv": "", "letter": ""}
    for _ in range(5):
        services.application_record_decision(
            application=ApplicationFactory(
                organisation=koeln, state=ApplicationState.IN_REVIEW, **common
            ),
            actor=chair,
            decision=Decision.ACCEPTED,
        )
    for _ in range(4):
        ApplicationFactory(organisation=duesseldorf, state=ApplicationState.ACCEPTED, **common)
    ApplicationFactory(
        organisation=koeln,
        state=ApplicationState.IN_REVIEW,
        applicant__first_name="Sofia",
        applicant__last_name="Sechs",
        **common,
    )

    log_in(page, chair.email)
    page.goto(f"/verwaltung/applications/application/?cohort__id__exact={cohort.pk}")
    seats = page.locator("#seat-usage")
    assert seats.get_by_role("row", name="Stadt Köln").inner_text().split("\t") == [
        "Stadt Köln",
        "5/5 (0 angenommen, 5 vorgemerkt) – alle vergeben",
        "0/5 (0 angenommen, 0 vorgemerkt)",
    ]
    assert seats.get_by_role("row", name="Landeshauptstadt Düsseldorf").inner_text().split(
        "\t"
    ) == [
        "Landeshauptstadt Düsseldorf",
        "4/5 (4 angenommen, 0 vorgemerkt)",
        "0/5 (0 angenommen, 0 vorgemerkt)",
    ]
    assert_accessible(page)

    page.get_by_role("row", name="Sofia Sechs").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Aktion").select_option("decide_accepted")
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator(".messagelist")).to_have_text(
        "Sofia Sechs: Für Stadt Köln sind alle 5 Mentee-Plätze vergeben (5/5). Setzen Sie die "
        "Bewerbung auf die Warteliste oder nehmen Sie eine andere Zusage zurück."
    )
    assert_accessible(page)

    page.goto(f"/verwaltung/applications/application/freigabe/{cohort.pk}/")
    assert page.locator("#seat-usage").get_by_role("row", name="Stadt Köln").count() == 1
    assert_accessible(page)
