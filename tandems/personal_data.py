"""Her tandems, goal agreements and contacts, for her data export (Art. 15 GDPR).

See ``mentoring.export``. Four queries, however many tandems and contacts she has.
Her partner appears by name and organisation, as on her tandem page. The goal agreement
is the two partners' shared text and is included whole. Contacts she logged come with
everything she wrote; of those her partner logged, only the date and the format are
hers to know here, never the partner's topics, duration or note. The reason an officer
gave for ending a tandem early is the office's working note and stays out.
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from applications.enums import ApplicationRole
from mentoring.export import Facts, Section, Table

from .models import Contact, Tandem

ROLE_MENTEE = ApplicationRole.MENTEE.value
ROLE_MENTOR = ApplicationRole.MENTOR.value


def _tandems(user):
    return list(
        Tandem.objects.filter(Q(mentee__applicant=user) | Q(mentor__applicant=user))
        .select_related(
            "cohort__programme",
            "mentee__applicant",
            "mentee__organisation",
            "mentor__applicant",
            "mentor__organisation",
            "goal_agreement",
        )
        .prefetch_related(
            "goal_agreement__topics",
            Prefetch(
                "contacts",
                queryset=Contact.objects.prefetch_related("topics").order_by("date", "pk"),
            ),
        )
        .order_by("start_date", "pk")
    )


def _goal_agreement(agreement):
    if agreement is None:
        return None
    return {
        "topics": [topic.name for topic in agreement.topics.all()],
        "topics_other": agreement.topics_other,
        "cadence": agreement.cadence,
        "excluded_topics": agreement.excluded_topics,
        "expectations_mentee": agreement.expectations_mentee,
        "expectations_mentor": agreement.expectations_mentor,
        "offer_mentor": agreement.offer_mentor,
        "confidentiality": agreement.confidentiality,
        "mentee_confirmed_at": agreement.mentee_confirmed_at,
        "mentor_confirmed_at": agreement.mentor_confirmed_at,
        "version": agreement.version,
        "updated_at": agreement.updated_at,
    }


def _contact(contact, user):
    if contact.author_id != user.pk:
        return {"date": contact.date, "format": contact.format, "logged_by": "partner"}
    return {
        "date": contact.date,
        "format": contact.format,
        "logged_by": "me",
        "duration_minutes": contact.duration_minutes,
        "topics": [topic.name for topic in contact.topics.all()],
        "topics_other": contact.topics_other,
        "note": contact.note,
        "created_at": contact.created_at,
    }


def _tandem_data(tandem, user):
    mine = ROLE_MENTEE if tandem.mentee.applicant_id == user.pk else ROLE_MENTOR
    partner = tandem.mentor if mine == ROLE_MENTEE else tandem.mentee
    return {
        "id": tandem.pk,
        "programme": tandem.cohort.programme.name,
        "cohort": tandem.cohort.number,
        "cohort_title": str(tandem.cohort.display_title),
        "my_role": mine,
        "partner": {
            "name": partner.applicant.get_full_name(),
            "organisation": partner.organisation.name if partner.organisation else None,
        },
        "start_date": tandem.start_date,
        "status": tandem.status,
        "ended_at": tandem.ended_at,
        "goal_agreement": _goal_agreement(getattr(tandem, "goal_agreement", None)),
        "contacts": [_contact(contact, user) for contact in tandem.contacts.all()],
    }


def _tandem_parts(tandem, data, user):
    title = f"{data['programme']}, {data['cohort_title']}"
    partner_label = _("Ihre Mentor:in") if data["my_role"] == ROLE_MENTEE else _("Ihre Mentee")
    parts = [
        Facts(
            _("Tandem: %(cohort)s") % {"cohort": title},
            (
                (_("Ihre Rolle"), ApplicationRole(data["my_role"]).label),
                (partner_label, data["partner"]["name"]),
                (_("Organisation"), data["partner"]["organisation"]),
                (_("Beginn"), tandem.start_date),
                (_("Status"), tandem.get_status_display()),
                (_("beendet am"), tandem.ended_at),
            ),
        )
    ]
    agreement = getattr(tandem, "goal_agreement", None)
    if agreement is not None:
        field = agreement._meta.get_field
        parts.append(
            Facts(
                _("Zielvereinbarung: %(cohort)s") % {"cohort": title},
                (
                    (_("Themen"), data["goal_agreement"]["topics"]),
                    *(
                        (field(name).verbose_name, getattr(agreement, name))
                        for name in (
                            "topics_other",
                            "cadence",
                            "excluded_topics",
                            "expectations_mentee",
                            "expectations_mentor",
                            "offer_mentor",
                            "confidentiality",
                            "mentee_confirmed_at",
                            "mentor_confirmed_at",
                        )
                    ),
                ),
            )
        )
    parts.append(
        Table(
            _("Kontakte: %(cohort)s") % {"cohort": title},
            (
                _("Datum"),
                _("Form"),
                _("eingetragen von"),
                _("Dauer (Minuten)"),
                _("Themen"),
                _("Notiz"),
            ),
            tuple(_contact_row(contact, user, partner_label) for contact in tandem.contacts.all()),
            empty=_("Noch keine Kontakte eingetragen."),
        )
    )
    return parts


def _contact_row(contact, user, partner_label):
    if contact.author_id != user.pk:
        return (contact.date, contact.get_format_display(), partner_label, "", "", "")
    topics = [topic.name for topic in contact.topics.all()]
    if contact.topics_other:
        topics.append(contact.topics_other)
    return (
        contact.date,
        contact.get_format_display(),
        _("Sie"),
        contact.duration_minutes,
        topics,
        contact.note,
    )


def personal_data(*, user):
    tandems = _tandems(user)
    data, parts = [], []
    for tandem in tandems:
        entry = _tandem_data(tandem, user)
        data.append(entry)
        parts += _tandem_parts(tandem, entry, user)
    return [
        Section(
            key="tandems",
            title=_("Tandems"),
            data=data,
            parts=tuple(parts),
            note=_(
                "Von Kontakten, die Ihre Tandempartnerin oder Ihr Tandempartner eingetragen "
                "hat, stehen hier nur Datum und Form; ihre oder seine Notizen nicht."
            ),
            order=30,
        )
    ]
