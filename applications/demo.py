"""Demo data for applications: the topic catalogue, review criteria, eligibility policies."""

from cohorts.demo import PROGRAMME_SLUG
from cohorts.models import Cohort, Programme

from .models import EligibilityPolicy, ReviewCriterion, Topic

# The programme's topic fields (programme description, seed 001) ...
PROGRAMME_TOPICS = [
    "Karriereplanung",
    "Strategieentwicklung",
    "Führungsverhalten und Selbstmarketing",
    "Konfliktbewältigung",
    "Arbeitszeitmanagement, Vereinbarkeit von Familie und Beruf",
    "Networking",
]
# ... and the Kerpen guide's catalogue (seed 002) as further options.
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
REVIEW_CRITERIA = ["Motivation", "Entwicklungspotenzial", "Passung zum Programm"]


def load(*, today):
    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    for position, name in enumerate(PROGRAMME_TOPICS + FURTHER_TOPICS):
        Topic.objects.get_or_create(programme=programme, name=name, defaults={"position": position})
    for cohort in Cohort.objects.filter(programme__slug=PROGRAMME_SLUG):
        EligibilityPolicy.objects.get_or_create(cohort=cohort)
        for position, name in enumerate(REVIEW_CRITERIA):
            ReviewCriterion.objects.get_or_create(
                cohort=cohort, name=name, defaults={"position": position}
            )
    return []
