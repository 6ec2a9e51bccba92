"""Every figure of the cohort report and of the programme view, against numbers worked out
by hand from ``report_world`` (its docstring tells the story)."""

import datetime as dt

import pytest
from django.utils import translation

from applications.enums import ApplicationRole, ApplicationState
from cohorts.enums import CohortState
from evaluation.enums import SurveyKind
from evaluation.report import (
    APPLICATION_STEPS,
    SUPPRESSED,
    Figure,
    cohort_report,
    figure,
    programme_report,
    share,
)
from tandems.enums import EndCategory, TandemStatus
from tandems.models import Tandem
from tests.factories import CohortFactory, ProgrammeFactory

from .report_world import TODAY, aware, cohort, mentee, world

pytestmark = pytest.mark.django_db

D = dt.date
S = SUPPRESSED


def texts(figures):
    return [str(value) for value in figures]


@pytest.fixture
def report():
    return cohort_report(cohort=world()["cohort"], today=TODAY)


def test_a_figure_of_a_group_under_five_is_suppressed_an_empty_group_is_not():
    assert str(figure(4, group=4)) == S
    assert str(figure(1, group=4)) == S
    assert str(figure(1, group=5)) == "1"
    assert str(figure(0, group=0)) == "0"
    assert str(share(None, 0)) == "–"
    assert str(share(8, 15)) == "53 %"
    assert str(share(1, 8)) == "13 %"  # 12.5 rounds half up
    assert str(Figure(4.25, "mean")) == "4,3"
    assert figure(3, group=3).cell() == S
    assert (share(8, 15).cell(), Figure(4.25, "mean").cell(), figure(7, group=9).cell()) == (
        0.53,
        4.3,
        7,
    )
    with translation.override("en"):
        assert (str(Figure(4.25, "mean")), str(share(8, 15))) == ("4.3", "53 %")


def test_the_steps_of_an_application_read_alike_in_english():
    with translation.override("en"):
        assert [str(label) for _name, label in APPLICATION_STEPS] == [
            "submitted",
            "eligible",
            "selected",
            "completed",
        ]


def test_applications_by_role(report):
    rows = report.applications.rows
    assert [(row.role, *texts([row.submitted, row.eligible, row.selected, row.completed]))
            for row in rows] == [
        ("mentee", "13", "11", "6", "5"),
        ("mentor", "8", "7", "7", "5"),
    ]  # fmt: skip
    assert report.applications.finished is True


def test_completed_is_unknown_while_the_cohort_runs():
    running = world()["cohort"]
    report = cohort_report(cohort=running, today=D(2026, 1, 31))
    assert [str(row.completed) for row in report.applications.rows] == ["–", "–"]


def test_selected_is_unknown_until_the_decisions_are_released():
    running = world(cohort(selection_date=D(2024, 12, 1)))["cohort"]
    running.applications.filter(state=ApplicationState.ACCEPTED).update(
        state=ApplicationState.SUBMITTED, decision_released_at=None
    )
    before = cohort_report(cohort=running, today=D(2024, 11, 30))
    assert [str(row.selected) for row in before.applications.rows] == ["–", "–"]
    # The meeting was held, the decisions are not out yet.
    on_the_day = cohort_report(cohort=running, today=D(2024, 12, 1))
    assert [str(row.selected) for row in on_the_day.applications.rows] == ["–", "–"]
    # Out for the mentors, and none was accepted: 0 for them; the mentees still wait.
    running.applications.filter(role=ApplicationRole.MENTOR).exclude(
        state=ApplicationState.DRAFT
    ).update(state=ApplicationState.REJECTED, decision_released_at=aware(2024, 12, 2))
    after = cohort_report(cohort=running, today=D(2024, 12, 2))
    assert [(row.role, str(row.selected)) for row in after.applications.rows] == [
        ("mentee", "–"),
        ("mentor", "0"),
    ]


def test_early_endings_by_category_only_from_five_endings(report):
    """Two of seven tandems ended: officers know which, so their reasons stay hidden."""
    endings = report.early_endings
    assert (str(endings.tandems), str(endings.ended)) == ("7", "2")
    assert [str(ending.count) for ending in endings.by_category] == [S] * 7


def test_early_endings_by_category():
    data = world()
    cohort = data["cohort"]
    # Three more of the seven tandems end (m1, m2, m3): five endings in all.
    for tandem, category in zip(
        Tandem.objects.filter(cohort=cohort).exclude(status=TandemStatus.ENDED).order_by("pk")[:3],
        (EndCategory.WORKLOAD, EndCategory.JOB_CHANGE, EndCategory.WORKLOAD),
        strict=True,
    ):
        Tandem.objects.filter(pk=tandem.pk).update(
            status=TandemStatus.ENDED, end_category=category, ended_at=D(2025, 9, 1)
        )
    endings = cohort_report(cohort=cohort, today=TODAY).early_endings
    assert (str(endings.tandems), str(endings.ended)) == ("7", "5")
    assert [(ending.label, str(ending.count)) for ending in endings.by_category] == [
        ("berufliche Veränderung", "1"),
        ("Arbeitsbelastung / fehlende Zeit", "3"),
        ("Krankheit, Elternzeit oder Beurlaubung", "0"),
        ("Zusammenarbeit im Tandem", "0"),
        ("Ausscheiden aus der Organisation", "0"),
        ("sonstiger Grund", "0"),
        ("ohne Zuordnung", "1"),
    ]


def test_regularity_of_monthly_contact(report):
    contacts = report.contacts
    assert texts([contacts.tandems, contacts.tandem_months, contacts.with_contact]) == [
        "7",
        "65",
        "56",
    ]
    assert str(contacts.share) == "86 %"
    assert [
        (month.month, str(month.tandems), str(month.with_contact), str(month.share))
        for month in contacts.months
    ] == [
        (D(2025, 2, 1), "6", "6", "100 %"),
        (D(2025, 3, 1), "6", "5", "83 %"),
        (D(2025, 4, 1), "6", "5", "83 %"),
        (D(2025, 5, 1), "6", "5", "83 %"),
        (D(2025, 6, 1), "6", "5", "83 %"),
        (D(2025, 7, 1), "5", "4", "80 %"),
        (D(2025, 8, 1), "5", "4", "80 %"),
        (D(2025, 9, 1), "5", "5", "100 %"),
        (D(2025, 10, 1), "5", "4", "80 %"),
        (D(2025, 11, 1), "5", "4", "80 %"),
        (D(2025, 12, 1), "5", "4", "80 %"),
        (D(2026, 1, 1), "5", "5", "100 %"),
    ]


def test_regularity_counts_the_current_month_only_once_it_had_its_contact():
    """On 15 May 2025 the months up to April are over; May counts for those who met."""
    report = cohort_report(cohort=world()["cohort"], today=D(2025, 5, 15))
    contacts = report.contacts
    # Feb–Apr: 6 + 6 + 6 months, 6 + 5 + 5 with contact; May: t1–t4 and t7 met on the
    # 10th, t6 did not and May is not over.
    assert texts([contacts.tandem_months, contacts.with_contact, contacts.share]) == [
        "23",
        "21",
        "91 %",
    ]


def test_workshop_attendance(report):
    assert [
        (w.title, w.date, *texts([w.recorded, w.present, w.excused, w.absent]))
        for w in report.workshops
    ] == [
        ("Auftaktworkshop und Tandembildung", D(2025, 2, 5), "7", "6", "1", "0"),
        ("Zwischenworkshop", D(2025, 7, 10), "6", "4", "1", "1"),
        ("Abschlussworkshop und Präsentation der Mentee-Teams", D(2026, 1, 20), S, S, S, S),
        ("Netzwerktreffen", D(2026, 4, 1), "0", "0", "0", "0"),
    ]


def lines(group):
    return [(line.label, str(line.value), str(line.n)) for line in group.lines]


def test_surveys_per_role_and_function(report):
    assert [(s.label, s.closed) for s in report.surveys] == [
        ("Eingangsbefragung", True),
        ("Kurzabfrage nach dem ersten Monat", True),
        ("Zwischenbefragung", False),
        ("Abschlussbefragung", True),
    ]
    baseline, first_month, midterm, final = report.surveys
    mentees, mentors = baseline.roles
    assert (str(mentees.responses), mentees.shown) == ("6", True)
    assert lines(mentees) == [
        ("Karriereförderung", "4,3", "6"),
        ("Persönliche Unterstützung", "3,6", "5"),
        ("Vorbild", S, S),
        ("Führungsambition", "4,5", "6"),
    ]
    assert (str(mentors.responses), mentors.shown, mentors.lines, mentors.texts) == (
        S,
        False,
        [],
        [],
    )
    (only,) = first_month.roles
    assert (only.role, str(only.responses)) == ("mentee", "5")
    assert lines(only) == [
        ("Start des Tandems", "3,6", "5"),
        ("Erstes Tandemgespräch hat stattgefunden (Anteil „ja“)", "80 %", "5"),
        ("Karriereförderung", "4,2", "5"),
        ("Persönliche Unterstützung", "4,6", "5"),
        ("Vorbild", "4,0", "5"),
    ]
    # Still open: not even the number of answers shows.
    assert [(str(role.responses), role.shown, role.lines) for role in midterm.roles] == [
        ("–", False, []),
        ("–", False, []),
    ]
    mentees, mentors = final.roles
    assert lines(mentees) == [
        ("Karriereförderung", "4,4", "6"),
        ("Persönliche Unterstützung", "4,2", "6"),
        ("Vorbild", "4,1", "6"),
        ("Zufriedenheit mit der Tandembildung", "4,2", "6"),
        ("Zufriedenheit mit den Workshops", S, S),
        ("Zufriedenheit mit der Unterstützung durch den Beirat", "5,0", "5"),
    ]
    assert lines(mentors) == [
        ("Karriereförderung", "4,0", "5"),
        ("Persönliche Unterstützung", "–", "0"),
        ("Vorbild", "–", "0"),
        ("Zufriedenheit mit der Tandembildung", "–", "0"),
        ("Zufriedenheit mit den Workshops", "–", "0"),
        ("Zufriedenheit mit der Unterstützung durch den Beirat", "–", "0"),
    ]


def test_free_text_only_for_closed_groups_of_five_in_random_order(report):
    baseline, first_month, midterm, final = report.surveys
    mentees, mentors = baseline.roles
    assert [(t.question, sorted(t.answers)) for t in mentees.texts] == [
        ("Was möchten Sie im Mentoring erreichen?", ["=SUMME(A1)", "Netzwerk", "Sichtbarkeit"])
    ]
    assert mentors.texts == []  # four answers: "Geheim" stays in the database
    assert first_month.roles[0].texts == []
    assert midterm.roles[0].texts == []  # open
    assert [(t.question, sorted(t.answers)) for t in final.roles[0].texts] == [
        ("Was hat Ihnen bisher besonders geholfen?", ["Die Hospitation", "Ehrliches Feedback"]),
        ("Was sollten wir am Programm verbessern?", ["Mehr Netzwerktreffen"]),
        ("Was nehmen Sie mit?", ["Mut"]),
    ]


def test_outcomes_of_participants_next_to_the_comparison_group(report):
    outcomes = report.outcomes
    assert outcomes.since == D(2025, 2, 1)
    participants, comparison = outcomes.groups
    assert (str(participants.size), str(participants.known)) == ("6", "5")
    assert [(step.label, str(step.count), str(step.share)) for step in participants.steps] == [
        ("Beförderung / Höhergruppierung", "2", "40 %"),
        ("erste oder größere Führungsaufgabe", "1", "20 %"),
        ("horizontale Veränderung", "1", "20 %"),
        ("Bewerbung auf eine Führungsposition", "1", "20 %"),
        ("keine Veränderung", "1", "20 %"),
    ]
    assert participants.summary == "2 von 5 Mentees befördert (40 %), 1 horizontale Veränderung"
    # r1–r3, w1, w2 (w3 withdrew her consent); known: r1, r2, w1.
    assert (str(comparison.size), str(comparison.known)) == ("5", "3")
    assert [(str(step.count), str(step.share)) for step in comparison.steps] == [(S, S)] * 5
    assert comparison.summary == "Angaben von weniger als 5 Personen: keine Zahlen."


def test_the_comparison_group_with_five_known(report):
    """Two more rejected applicants with consent and a step: now the figures show."""
    from applications.models import CareerStep
    from mentoring.consents import consent_give
    from mentoring.enums import ConsentKind

    cohort = report.cohort
    for kind in ("promotion", "horizontal"):
        person = mentee(cohort, ApplicationState.REJECTED)
        consent_give(user=person.applicant, kind=ConsentKind.FOLLOW_UP)
        CareerStep.objects.create(application=person, kind=kind, date=D(2025, 9, 1))
    comparison = cohort_report(cohort=cohort, today=TODAY).outcomes.groups[1]
    assert (str(comparison.size), str(comparison.known)) == ("7", "5")
    assert comparison.summary == (
        "2 von 5 aus der Vergleichsgruppe befördert (40 %), 2 horizontale Veränderungen"
    )


def test_the_report_reads_the_database_ten_times_whatever_its_size(
    django_assert_num_queries,
):
    small = CohortFactory()
    with django_assert_num_queries(10):
        cohort_report(cohort=small, today=TODAY)
    big = world()["cohort"]
    with django_assert_num_queries(10):
        cohort_report(cohort=big, today=TODAY)


def test_programme_view_one_row_per_cohort(django_assert_num_queries):
    programme = ProgrammeFactory(name="Mit Frauen an die Spitze")
    finished = world(
        CohortFactory(
            programme=programme,
            number=8,
            year=2025,
            start_date=D(2025, 2, 1),
            end_date=D(2026, 1, 31),
            state=CohortState.FINISHED,
            application_opens_at=aware(2024, 9, 1),
            application_deadline=aware(2024, 11, 1),
        )
    )["cohort"]
    planned = CohortFactory(
        programme=programme,
        number=9,
        year=2026,
        start_date=D(2026, 5, 1),
        end_date=D(2027, 4, 30),
        state=CohortState.OPEN,
    )
    for _ in range(3):
        mentee(planned, ApplicationState.SUBMITTED)
    with django_assert_num_queries(10):
        report = programme_report(programme=programme, today=TODAY)
    assert report.functions == ["Karriereförderung", "Persönliche Unterstützung", "Vorbild"]
    assert [
        (
            row.cohort,
            *texts(
                [
                    row.applications,
                    row.selected,
                    row.completed,
                    row.contact_share,
                    row.promoted_participants,
                    row.promoted_comparison,
                    *row.means,
                ]
            ),
        )
        for row in report.rows
    ] == [
        (finished, "13", "6", "5", "86 %", "40 %", S, "4,4", "4,2", "4,1"),
        (planned, S, S, "–", "–", "–", "–", "–", "–", "–"),
    ]


def test_programme_view_query_count_does_not_grow_with_cohorts(django_assert_num_queries):
    programme = ProgrammeFactory()
    for number in range(1, 4):
        world(
            CohortFactory(
                programme=programme,
                number=number,
                start_date=D(2025, 2, 1),
                end_date=D(2026, 1, 31),
                application_opens_at=aware(2024, 9, 1),
                application_deadline=aware(2024, 11, 1),
            )
        )
    with django_assert_num_queries(10):
        report = programme_report(programme=programme, today=TODAY)
    assert [str(row.contact_share) for row in report.rows] == ["86 %"] * 3


def test_a_final_survey_with_too_few_answers_shows_suppressed_means():
    cohort = world()["cohort"]
    from evaluation.models import SurveyGroup

    SurveyGroup.objects.filter(survey__kind=SurveyKind.FINAL, role="mentee").update(responses=4)
    report = programme_report(programme=cohort.programme, today=TODAY)
    assert texts(report.rows[0].means) == [S, S, S]
