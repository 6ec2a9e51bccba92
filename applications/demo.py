"""Demo applications: topic catalogues, policies, and people in every state of the process.

Each cohort of the cohorts demo gets its applicants once (a cohort that has applications
is left alone, so loading twice changes nothing). CVs and letters are small PDFs written
on the spot. Every name is invented; every address ends in ``example.org``.
"""

import datetime as dt
from decimal import Decimal
from itertools import cycle

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cohorts import demo as cohorts_demo
from cohorts.enums import BeiratRole
from cohorts.models import BeiratMembership, Cohort, Organisation, Programme
from mentoring.consents import consent_give
from mentoring.demo import Login, berlin, person, slug, text_pdf
from mentoring.enums import ConsentKind

from .enums import (
    ApplicationLogAction,
    ApplicationRole,
    ApplicationState,
    CareerStepKind,
    CareerStepSource,
    Decision,
    EmploymentStatus,
    LeadershipLevel,
    PayScale,
    Qualification,
    WorkingHours,
)
from .models import (
    Application,
    ApplicationLog,
    CareerStep,
    EligibilityPolicy,
    Review,
    ReviewCriterion,
    Topic,
)
from .services import application_check_eligibility, policy_for, pure_policy

# The programme's topic fields (programme description, seed 001) ...
PROGRAMME_TOPICS = [
    "Karriereplanung",
    "Strategieentwicklung",
    "Führungsverhalten und Selbstmarketing",
    "Konfliktbewältigung",
    "Arbeitszeitmanagement, Vereinbarkeit von Familie und Beruf",
    "Networking",
]
# ... and further options in the spirit of the Kerpen guide, for Emscher-Lippe.
FURTHER_TOPICS = [
    "Vorbereitung auf den nächsten Karriereschritt",
    "Übernahme erster Führungsverantwortung",
    "Weitere Führungsverantwortung auf dem Weg zur Abteilungs- oder Behördenleitung",
    "Als „neue“ Führungskraft gegenüber bisherigen Kolleg:innen",
    "Führungsverhalten und Durchsetzungsfähigkeit",
    "Feedback zur eigenen Person und zum Führungsstil",
    "Konflikte mit Vorgesetzten oder im Team",
    "Arbeitsorganisation und Zeitmanagement",
    "Führen in Teilzeit",
    "Rückkehr aus der Elternzeit",
    "Reduzierung der Arbeitszeit",
    "Netzwerk in der eigenen Verwaltung",
    "Sichtbarkeit und Selbstmarketing",
    "Auftreten in Besprechungen und Präsentationen",
    "Wissenstransfer",
]
# The Kerpen guide's catalogue of 17 topics (seed 002), as printed there.
KERPEN_TOPICS = [
    "Vorbereitung auf den nächsten Karriereschritt und Hilfe bei der strategischen Karriereplanung",
    "Übernahme von erster Führungsverantwortung im Rahmen einer neuen oder höheren Position",
    "Übernahme weiterer Führungsverantwortung auf dem Weg zur Abteilungs- oder Behördenleitung",
    "Verhalten als „neue“ Führungskraft gegenüber bisherigen Kolleg:innen",
    "Führungsverhalten und Durchsetzungsfähigkeit",
    "Feedback zur eigenen Person und zum persönlichen Führungsstil",
    "Konflikte mit Vorgesetzten oder im Team",
    "Arbeitsorganisation und Zeitmanagement",
    "Vereinbarkeit von Familie und Beruf",
    "Führen in Teilzeit",
    "Rückkehr aus der Elternzeit",
    "Reduzierung der Arbeitszeit",
    "Auf- und Ausbau des eigenen Netzwerks innerhalb der Behörde",
    "Verbesserung der eigenen Sichtbarkeit und des Selbstmarketings innerhalb der Behörde",
    "Verbesserung des persönlichen Auftretens in Besprechungen und bei Präsentationen",
    "Wissenstransfer innerhalb der Behörde",
    "Sonstige Themen",
]
CATALOGUES = {
    cohorts_demo.EMSCHER_LIPPE: PROGRAMME_TOPICS + FURTHER_TOPICS,
    cohorts_demo.INTERCOMMUNAL: PROGRAMME_TOPICS,
    cohorts_demo.CROSS_SECTOR: PROGRAMME_TOPICS,
    cohorts_demo.INTERNAL: KERPEN_TOPICS,
}
REVIEW_CRITERIA = ["Motivation", "Entwicklungspotenzial", "Passung zum Programm"]

FIRST_NAMES = [
    "Anna", "Katharina", "Miriam", "Julia", "Sarah", "Laura", "Lisa", "Carolin", "Johanna",
    "Franziska", "Nina", "Kristina", "Melanie", "Daniela", "Sonja", "Tanja", "Vanessa",
    "Jessica", "Christina", "Eva", "Kerstin", "Simone", "Bettina", "Yasemin", "Aylin",
    "Olga", "Agnieszka", "Maren", "Friederike", "Rebecca", "Svenja", "Theresa", "Lea",
    "Hannah", "Marie", "Charlotte", "Sophie", "Jana", "Isabel", "Ronja",
]  # fmt: skip
MENTOR_FIRST_NAMES = [
    "Ulrike", "Thomas", "Gabriele", "Michael", "Beate", "Andreas", "Cornelia", "Frank",
    "Dagmar", "Stefan", "Brigitte", "Markus", "Angelika", "Ralf", "Elisabeth", "Jürgen",
]  # fmt: skip
LAST_NAMES = [
    "Albers", "Baumann", "Conrad", "Dreyer", "Ebert", "Fuchs", "Geiger", "Heinrich",
    "Jansen", "Kaiser", "Lindner", "Maurer", "Nowak", "Otto", "Pietsch", "Quast", "Reuter",
    "Seifert", "Thiel", "Ulrich", "Vogt", "Weiß", "Yilmaz", "Ziegler", "Arnold", "Berger",
    "Claßen", "Dietrich", "Engels", "Fischer", "Gerlach", "Hahn", "Iseler", "Jung", "Kuhn",
    "Lehmann", "Möller", "Nolte", "Ostrowski", "Peters", "Ritter", "Sauer", "Timm",
    "Unger", "Vollmer", "Wolff", "Zander", "Brenner",
]  # fmt: skip
DEPARTMENTS = [
    "Fachbereich Finanzen", "Amt für Jugend und Familie", "Bürgerdienste",
    "Personal und Organisation", "Stadtplanung", "Ordnungsamt", "Sozialamt", "Kämmerei",
    "Schule und Sport", "Umwelt und Grünflächen",
]  # fmt: skip
MENTEE_POSITIONS = [
    "Sachgebietsleitung Bürgerdienste", "Referentin der Bürgermeisterin",
    "Teamleitung Elterngeld", "Projektleitung Digitalisierung", "Sachbearbeiterin Haushalt",
    "Stellvertretende Amtsleitung", "Sachbearbeiterin Bauordnung", "Controllerin",
]  # fmt: skip
COMPANY_POSITIONS = [
    "Teamleiterin Schadenregulierung", "Projektmanagerin", "Referentin Unternehmensstrategie",
    "Gruppenleiterin Vertrieb", "Senior Consultant",
]  # fmt: skip
MOTIVATIONS = [
    "Ich leite seit zwei Jahren ein kleines Team und möchte meine Rolle als Führungskraft "
    "bewusster gestalten.",
    "Ich möchte mich auf eine Amtsleitung vorbereiten und suche den Blick von außen.",
    "Nach der Elternzeit möchte ich klären, wie Führung in Teilzeit bei uns gelingen kann.",
    "Ich will mein Netzwerk über die eigene Verwaltung hinaus erweitern.",
    "Ich möchte lernen, in schwierigen Gesprächen souverän aufzutreten.",
]
MENTEE_GRADES = [
    (EmploymentStatus.CIVIL_SERVANT, PayScale.A, "11", Qualification.CAREER_GROUP_2),
    (EmploymentStatus.EMPLOYEE, PayScale.EG, "10", Qualification.EMPLOYEE_COURSE_2),
    (EmploymentStatus.CIVIL_SERVANT, PayScale.A, "12", Qualification.CAREER_GROUP_2),
    (EmploymentStatus.EMPLOYEE, PayScale.EG, "11", Qualification.EMPLOYEE_COURSE_2),
    (EmploymentStatus.EMPLOYEE, PayScale.S, "15", Qualification.DEGREE),
]
MENTOR_LEVELS = [
    (LeadershipLevel.HEAD_OF_OFFICE, "Amtsleitung"),
    (LeadershipLevel.HEAD_OF_DEPARTMENT, "Fachbereichsleitung"),
    (LeadershipLevel.EXECUTIVE, "Beigeordnete"),
    (LeadershipLevel.HEAD_OF_DIVISION, "Abteilungsleitung"),
]

# What each state went through, as the log shows it.
PATHS = {
    ApplicationState.DRAFT: [],
    ApplicationState.SUBMITTED: [ApplicationState.SUBMITTED],
    ApplicationState.IN_REVIEW: [ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW],
    ApplicationState.INTERVIEW: [
        ApplicationState.SUBMITTED,
        ApplicationState.IN_REVIEW,
        ApplicationState.INTERVIEW,
    ],
    ApplicationState.CHANGES_REQUESTED: [
        ApplicationState.SUBMITTED,
        ApplicationState.IN_REVIEW,
        ApplicationState.CHANGES_REQUESTED,
    ],
    ApplicationState.WITHDRAWN: [ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN],
}
for _decided in ApplicationState.decided():
    PATHS[_decided] = [ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW, _decided]

# Fixed people whose logins the demo prints.
DRAFT_APPLICANT = ("lea.sommer@gladbeck.example.org", "Lea", "Sommer", "Stadt Gladbeck")
CERTIFIED_MENTEE = ("katharina.albers@marl.example.org", "Katharina", "Albers", "Stadt Marl")
INTERVIEW_APPLICANT = ("aylin.kaya@koeln.example.org", "Aylin", "Kaya", "Stadt Köln")
NO_CONSENT_MENTEE = (
    "nina.pohl@muster-medien-gmbh.example.org", "Nina", "Pohl", "Muster Medien GmbH",
)  # fmt: skip
KERPEN_SUPERVISOR = ("karin.roth@kerpen.example.org", "Dr. Karin", "Roth", "Stadt Kerpen")
KERPEN_STAFF = ("julia.peters@kerpen.example.org", "Julia", "Peters", "Stadt Kerpen")


class Demo:
    """The context one cohort's applicants are made in: names, dates, its people."""

    def __init__(self, cohort, today, seed):
        self.cohort = cohort
        self.today = today
        self.seed = seed
        self.count = 0
        self.topics = list(Topic.objects.filter(programme=cohort.programme))
        self.criteria = list(cohort.review_criteria.all())
        memberships = BeiratMembership.objects.filter(programme=cohort.programme).select_related(
            "user"
        )
        self.officers = {m.organisation_id: m.user for m in memberships}
        self.chair = next(m.user for m in memberships if m.role == BeiratRole.CHAIR)
        self.deadline = timezone.localtime(cohort.application_deadline).date()
        self.policy = pure_policy(
            policy_for(cohort),
            participating_organisation_ids=cohort.participations.values_list(
                "organisation_id", flat=True
            ),
        )

    def _name(self, role):
        index = self.seed + self.count
        self.count += 1
        firsts = MENTOR_FIRST_NAMES if role == ApplicationRole.MENTOR else FIRST_NAMES
        return firsts[index % len(firsts)], LAST_NAMES[(index * 7 + 3) % len(LAST_NAMES)]

    def _person(self, organisation, role, fixed=None):
        if fixed:
            email, first, last, _org = fixed
            return person(email, first, last)
        first, last = self._name(role)
        domain = f"{slug(organisation.name.removeprefix('Stadt ').removeprefix('Kreis '))}"
        base = f"{slug(first)}.{slug(last)}"
        email, suffix = f"{base}@{domain}.example.org", 2
        User = get_user_model()
        while User.objects.filter(email=email).exists():
            email, suffix = f"{base}{suffix}@{domain}.example.org", suffix + 1
        return person(email, first, last)

    def add(self, organisation, state, *, role=ApplicationRole.MENTEE, fixed=None, **extra):
        """One application in ``state``, complete unless it is a draft, with its log."""
        user = self._person(organisation, role, fixed)
        index = self.count + self.seed
        submitted = (
            timezone.now()
            if self.deadline > self.today
            else berlin(self.deadline - dt.timedelta(days=3 + index % 20), 10 + index % 7)
        )
        facts = {
            "phone": f"0{2000 + index} {100000 + index * 37}",
            "organisation": organisation,
            "department": DEPARTMENTS[index % len(DEPARTMENTS)],
            "motivation": MOTIVATIONS[index % len(MOTIVATIONS)],
            "consent_at": submitted,
        }
        if self.cohort.programme.transfer_consent_required:
            facts["transfer_consent_at"] = submitted
        if role == ApplicationRole.MENTEE:
            status, scale, grade, qualification = MENTEE_GRADES[index % len(MENTEE_GRADES)]
            company = organisation.kind == "company"
            facts.update(
                position_title=(COMPANY_POSITIONS if company else MENTEE_POSITIONS)[
                    index % (5 if company else 8)
                ],
                employment_status=EmploymentStatus.EMPLOYEE if company else status,
                qualification=Qualification.DEGREE if company else qualification,
                pay_scale=PayScale.EG if company else scale,
                pay_grade="12" if company else grade,
                permanent=True,
                service_start=dt.date(2008 + index % 10, 1 + index % 12, 1),
                working_hours=WorkingHours.PART_TIME if index % 4 == 0 else WorkingHours.FULL_TIME,
            )
        else:
            level, title = MENTOR_LEVELS[index % len(MENTOR_LEVELS)]
            facts.update(
                position_title=title,
                leadership_level=level,
                leadership_years=6 + index % 15,
                staff_count=12 + (index * 13) % 140,
            )
        facts.update(extra)
        application = Application(
            cohort=self.cohort,
            applicant=user,
            role=role,
            state=state,
            submitted_at=None if state == ApplicationState.DRAFT else submitted,
            **facts,
        )
        if state == ApplicationState.DRAFT:
            # A draft as people leave them: some facts, no documents, no consent yet.
            application.consent_at = application.transfer_consent_at = None
            application.motivation = ""
        elif role == ApplicationRole.MENTEE:
            name = user.get_full_name()
            application.cv.save(
                "lebenslauf.pdf",
                ContentFile(
                    text_pdf(
                        f"Lebenslauf {name}",
                        [
                            f"{application.position_title}, {organisation.name}",
                            f"seit {application.service_start:%m/%Y} im öffentlichen Dienst",
                            "Demo-Dokument: alle Angaben sind erfunden.",
                        ],
                    )
                ),
                save=False,
            )
            application.letter.save(
                "anschreiben.pdf",
                ContentFile(
                    text_pdf(
                        "Motivationsanschreiben",
                        [f"Von {name}", application.motivation[:90], "Demo-Dokument."],
                    )
                ),
                save=False,
            )
        if state in ApplicationState.decided():
            application.decision_released_at = submitted + dt.timedelta(days=45)
            application.decision_mailed_at = application.decision_released_at
            application.decision_reason = (
                "" if state == ApplicationState.ACCEPTED else "Mehr Bewerbungen als Plätze."
            )
        if state == ApplicationState.CHANGES_REQUESTED:
            application.changes_requested_note = (
                "Bitte laden Sie Ihr Motivationsanschreiben erneut hoch; die Datei ist leer."
            )
        application.save()
        topics = self.topics[index % 3 :: 3][:3] or self.topics[:3]
        application.topics.set(topics)
        self._log(application, user)
        if state != ApplicationState.DRAFT:
            application_check_eligibility(application=application, policy=self.policy)
        # Her consents as a submission records them, under the notice in force.
        if application.consent_at is not None:
            consent_give(user=user, kind=ConsentKind.PROCESSING)
        if application.transfer_consent_at is not None:
            consent_give(user=user, kind=ConsentKind.TRANSFER)
        return application

    def _log(self, application, user):
        previous, rows = "", []
        for step in [ApplicationState.DRAFT, *PATHS[application.state]]:
            actor = (
                user
                if step in (ApplicationState.DRAFT, ApplicationState.SUBMITTED)
                else (self.chair)
            )
            rows.append(
                ApplicationLog(
                    application=application,
                    actor=actor,
                    action=ApplicationLogAction.TRANSITION,
                    from_state=previous,
                    to_state=step,
                )
            )
            previous = step
        ApplicationLog.objects.bulk_create(rows)

    def review(self, application, base):
        """Reviews by the applicant's own officer and by the chair, around ``base``."""
        reviewers = {self.officers.get(application.organisation_id), self.chair} - {None}
        for offset, reviewer in enumerate(sorted(reviewers, key=lambda u: u.pk)):
            scores = {
                str(c.pk): max(1, min(5, base + (offset + i) % 2 - offset))
                for i, c in enumerate(self.criteria)
            }
            mean = Decimal(sum(scores.values())) / len(scores)
            Review.objects.create(
                application=application,
                reviewer=reviewer,
                scores=scores,
                mean_score=mean.quantize(Decimal("0.01")),
                comment="Überzeugende Motivation." if base >= 4 else "Noch wenig Erfahrung.",
            )

    def pend(self, application, decision, reason=""):
        application.pending_decision = decision
        application.decision_reason = reason
        application.save(update_fields=["pending_decision", "decision_reason"])
        ApplicationLog.objects.create(
            application=application,
            actor=self.chair,
            action=ApplicationLogAction.DECISION_RECORDED,
            from_state=application.state,
            to_state=decision,
            note=reason,
        )

    def interview(self, application, day, hour, place):
        application.interview_at = berlin(day, hour)
        application.interview_place = place
        application.save(update_fields=["interview_at", "interview_place"])


def _organisations(cohort):
    return list(Organisation.objects.filter(cohort_participations__cohort=cohort).order_by("name"))


def _emscher_lippe_finished(demo):
    orgs = _organisations(demo.cohort)
    by_name = {o.name: o for o in orgs}
    mentees = [demo.add(by_name["Stadt Marl"], ApplicationState.ACCEPTED, fixed=CERTIFIED_MENTEE)]
    mentees += [demo.add(orgs[i], ApplicationState.ACCEPTED) for i in (0, 2, 4, 9, 11)]
    for i in (1, 3, 5, 8, 10, 12):
        demo.add(orgs[i], ApplicationState.ACCEPTED, role=ApplicationRole.MENTOR)
    others = [
        demo.add(orgs[6], ApplicationState.REJECTED),
        demo.add(orgs[8], ApplicationState.WAITLISTED),
        demo.add(orgs[3], ApplicationState.REJECTED),
    ]
    end = demo.cohort.end_date
    steps = [
        (CareerStepKind.PROMOTION, 40, "A 11", "A 12"),
        (CareerStepKind.LEADERSHIP, 75, "", ""),
        (CareerStepKind.PROMOTION, -30, "EG 10", "EG 11"),
        (CareerStepKind.HORIZONTAL, 20, "", ""),
        (CareerStepKind.APPLIED, 10, "", ""),
        (CareerStepKind.NONE, 50, "", ""),
    ]
    rows = [
        CareerStep(
            application=mentee,
            kind=kind,
            date=min(end + dt.timedelta(days=days), demo.today),
            pay_grade_from=before,
            pay_grade_to=after,
            source=CareerStepSource.SELF if i % 2 else CareerStepSource.OFFICER,
            recorded_by=None if i % 2 else demo.officers.get(mentee.organisation_id),
        )
        for i, (mentee, (kind, days, before, after)) in enumerate(zip(mentees, steps, strict=True))
    ]
    rows += [
        CareerStep(application=others[0], kind=CareerStepKind.PROMOTION, date=end,
                   pay_grade_from="A 11", pay_grade_to="A 12"),
        CareerStep(application=others[1], kind=CareerStepKind.NONE, date=end),
        CareerStep(application=others[2], kind=CareerStepKind.NONE, date=end),
    ]  # fmt: skip
    CareerStep.objects.bulk_create(rows)


def _emscher_lippe_running(demo):
    orgs = _organisations(demo.cohort)
    for i in (0, 1, 2, 3, 4, 5, 6, 7):
        demo.add(orgs[i], ApplicationState.ACCEPTED)
    for i in (5, 6, 7, 8, 9, 10, 11, 12):
        demo.add(orgs[i], ApplicationState.ACCEPTED, role=ApplicationRole.MENTOR)
    demo.add(orgs[9], ApplicationState.WAITLISTED)
    demo.add(orgs[10], ApplicationState.REJECTED)


def _emscher_lippe_open(demo):
    orgs = _organisations(demo.cohort)
    by_name = {o.name: o for o in orgs}
    demo.add(
        by_name["Stadt Gladbeck"], ApplicationState.DRAFT, fixed=DRAFT_APPLICANT, motivation=""
    )
    demo.add(orgs[1], ApplicationState.DRAFT)
    demo.add(orgs[2], ApplicationState.DRAFT)
    for i in (3, 5, 7):
        demo.add(orgs[i], ApplicationState.SUBMITTED)
    for i, base in ((8, 4), (9, 3), (10, 5)):
        demo.review(demo.add(orgs[i], ApplicationState.IN_REVIEW), base)
    invited = demo.add(orgs[11], ApplicationState.INTERVIEW)
    demo.review(invited, 4)
    demo.interview(
        invited, demo.today + dt.timedelta(days=9), 10, "Kreishaus Recklinghausen, Raum 2.14"
    )
    demo.add(orgs[12], ApplicationState.CHANGES_REQUESTED)
    for i, decision in ((0, Decision.ACCEPTED), (4, Decision.ACCEPTED), (6, Decision.REJECTED)):
        application = demo.add(orgs[i], ApplicationState.IN_REVIEW)
        demo.review(application, 5 if decision == Decision.ACCEPTED else 2)
        demo.pend(application, decision, "" if decision == Decision.ACCEPTED else "Zu früh.")
    demo.add(orgs[2], ApplicationState.WITHDRAWN, role=ApplicationRole.MENTOR)
    for i in (1, 6, 9):
        demo.add(orgs[i], ApplicationState.SUBMITTED, role=ApplicationRole.MENTOR)
    demo.review(demo.add(orgs[12], ApplicationState.IN_REVIEW, role=ApplicationRole.MENTOR), 4)


def _intercommunal_selection(demo):
    koeln, duesseldorf = (
        Organisation.objects.get(name=cohorts_demo.KOELN.name),
        Organisation.objects.get(name=cohorts_demo.DUESSELDORF.name),
    )
    rooms = {
        koeln: "Stadthaus Köln-Deutz, Raum B 3.12",
        duesseldorf: "Rathaus Düsseldorf, Raum 214",
    }
    for organisation, accepted, interview, rejected, in_review in (
        (koeln, 4, 6, 6, 5),
        (duesseldorf, 4, 3, 2, 0),
    ):
        for n in range(accepted):
            application = demo.add(organisation, ApplicationState.ACCEPTED)
            demo.interview(
                application, demo.today - dt.timedelta(days=12 - n), 9 + n, rooms[organisation]
            )
        days = cycle([2, 3, 5, 6, 8, 9])
        for n in range(interview):
            fixed = INTERVIEW_APPLICANT if organisation == koeln and n == 0 else None
            application = demo.add(organisation, ApplicationState.INTERVIEW, fixed=fixed)
            demo.review(application, 4 - n % 2)
            demo.interview(
                application,
                demo.today + dt.timedelta(days=next(days)),
                9 + n % 6,
                rooms[organisation],
            )
        for _n in range(rejected):
            demo.add(organisation, ApplicationState.REJECTED)
        for n in range(in_review):
            demo.review(demo.add(organisation, ApplicationState.IN_REVIEW), 2 + n % 3)
        for n in range(5):
            level = LeadershipLevel.HEAD_OF_OFFICE if n % 2 else LeadershipLevel.EXECUTIVE
            demo.add(
                organisation,
                ApplicationState.ACCEPTED,
                role=ApplicationRole.MENTOR,
                leadership_level=level,
                position_title="Amtsleitung" if n % 2 else "Dezernentin",
            )
    # Köln's fifth seat: interviewed, acceptance recorded, not yet released (5/5).
    pending = demo.add(koeln, ApplicationState.INTERVIEW)
    demo.interview(pending, demo.today - dt.timedelta(days=3), 14, rooms[koeln])
    demo.review(pending, 5)
    demo.pend(pending, Decision.ACCEPTED, "Überzeugendes Auswahlgespräch.")  # fmt: skip


def _cross_sector_running(demo):
    koeln = Organisation.objects.get(name=cohorts_demo.KOELN.name)
    companies = {o.name: o for o in _organisations(demo.cohort) if o.kind == "company"}
    names = list(companies)
    demo.add(koeln, ApplicationState.ACCEPTED)
    demo.add(koeln, ApplicationState.ACCEPTED)
    for name in names[:3]:
        demo.add(companies[name], ApplicationState.ACCEPTED)
    demo.add(
        companies[NO_CONSENT_MENTEE[3]],
        ApplicationState.ACCEPTED,
        fixed=NO_CONSENT_MENTEE,
        transfer_consent_at=None,
    )
    demo.add(koeln, ApplicationState.ACCEPTED, role=ApplicationRole.MENTOR)
    demo.add(koeln, ApplicationState.ACCEPTED, role=ApplicationRole.MENTOR)
    for name in names[6:9]:
        demo.add(companies[name], ApplicationState.ACCEPTED, role=ApplicationRole.MENTOR)


def _internal_running(demo):
    kerpen = Organisation.objects.get(name=cohorts_demo.KERPEN.name)
    departments = kerpen.department_list
    nominated = {"nominated_by": demo.chair}
    supervisor = demo.add(
        kerpen,
        ApplicationState.ACCEPTED,
        role=ApplicationRole.MENTOR,
        fixed=KERPEN_SUPERVISOR,
        department=departments[0],
        position_title="Dezernentin Zentrale Dienste",
        leadership_level=LeadershipLevel.EXECUTIVE,
        **nominated,
    )
    demo.add(
        kerpen,
        ApplicationState.ACCEPTED,
        fixed=KERPEN_STAFF,
        department=departments[1],
        position_title="Sachgebietsleitung Personalentwicklung",
        supervisor_email=supervisor.applicant.email,
    )
    for n, (mentee_department, mentor_department) in enumerate(
        [(departments[2], departments[4]), (departments[3], departments[5]),
         (departments[4], departments[2])]
    ):  # fmt: skip
        demo.add(kerpen, ApplicationState.ACCEPTED, department=mentee_department)
        demo.add(
            kerpen,
            ApplicationState.ACCEPTED,
            role=ApplicationRole.MENTOR,
            department=mentor_department,
            **nominated,
        )
        del n


SCENARIOS = {
    (cohorts_demo.EMSCHER_LIPPE, 8): (_emscher_lippe_finished, 0),
    (cohorts_demo.EMSCHER_LIPPE, 9): (_emscher_lippe_running, 100),
    (cohorts_demo.EMSCHER_LIPPE, 10): (_emscher_lippe_open, 200),
    (cohorts_demo.INTERCOMMUNAL, 2): (_intercommunal_selection, 300),
    (cohorts_demo.CROSS_SECTOR, 9): (_cross_sector_running, 400),
    (cohorts_demo.INTERNAL, 1): (_internal_running, 500),
}
POLICIES = {
    cohorts_demo.INTERCOMMUNAL: {
        "minimum_grade_a": "10",
        "minimum_grade_eg": "9c",
        "mentor_levels": [LeadershipLevel.HEAD_OF_OFFICE, LeadershipLevel.EXECUTIVE],
    },
    cohorts_demo.INTERNAL: {"minimum_service_months": 12},
}


def load(*, today):
    for programme in Programme.objects.filter(slug__in=CATALOGUES):
        for position, name in enumerate(CATALOGUES[programme.slug]):
            Topic.objects.get_or_create(
                programme=programme, name=name, defaults={"position": position}
            )
    cohorts = Cohort.objects.filter(programme__slug__in=CATALOGUES).select_related("programme")
    for cohort in cohorts:
        EligibilityPolicy.objects.get_or_create(
            cohort=cohort, defaults=POLICIES.get(cohort.programme.slug, {})
        )
        for position, name in enumerate(REVIEW_CRITERIA):
            ReviewCriterion.objects.get_or_create(
                cohort=cohort, name=name, defaults={"position": position}
            )
        scenario = SCENARIOS.get((cohort.programme.slug, cohort.number))
        if scenario and not cohort.applications.exists():
            make, seed = scenario
            make(Demo(cohort, today, seed))
    names = dict(Programme.objects.values_list("slug", "name"))
    return [
        Login(names[cohorts_demo.EMSCHER_LIPPE], "Bewerberin mit Entwurf", DRAFT_APPLICANT[0]),
        Login(names[cohorts_demo.EMSCHER_LIPPE], "Mentee mit Zertifikat", CERTIFIED_MENTEE[0]),
        Login(
            names[cohorts_demo.INTERCOMMUNAL],
            "Bewerberin, zum Auswahlgespräch eingeladen",
            INTERVIEW_APPLICANT[0],
        ),
        Login(
            names[cohorts_demo.CROSS_SECTOR],
            "Mentee ohne Einwilligung (nicht zugeordnet)",
            NO_CONSENT_MENTEE[0],
        ),
        Login(
            names[cohorts_demo.INTERNAL],
            "Vorgesetzte von Julia Peters, Mentor:in",
            KERPEN_SUPERVISOR[0],
        ),
    ]
