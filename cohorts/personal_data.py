"""Her seats on a Mentoringbeirat, for her data export (Art. 15 GDPR); one query.

What she wrote as a member about other people (reviews, notes) is theirs, not in here.
"""

from django.utils.translation import gettext as _

from mentoring.export import Section, Table

from .models import BeiratMembership


def personal_data(*, user):
    memberships = list(
        BeiratMembership.objects.filter(user=user)
        .select_related("organisation", "programme", "cohort__programme")
        .order_by("pk")
    )

    def scope(membership):
        if membership.cohort_id:
            cohort = membership.cohort
            return f"{cohort.programme.name}, {cohort.display_title}"
        return membership.programme.name

    data = [
        {
            "organisation": membership.organisation.name,
            "programme": (
                membership.cohort.programme if membership.cohort_id else membership.programme
            ).name,
            "cohort": membership.cohort.number if membership.cohort_id else None,
            "role": membership.role,
            "function_title": membership.function_title,
            "is_contact": membership.is_contact,
        }
        for membership in memberships
    ]
    table = Table(
        _("Ihre Sitze im Mentoringbeirat"),
        (_("Programm / Jahrgang"), _("Organisation"), _("Funktion"), _("Amtsbezeichnung")),
        tuple(
            (
                scope(membership),
                membership.organisation.name,
                membership.get_role_display(),
                membership.function_title,
            )
            for membership in memberships
        ),
        empty=_("Sie gehören keinem Mentoringbeirat an."),
    )
    return [
        Section(
            key="advisory_board",
            title=_("Mentoringbeirat"),
            data=data,
            parts=(table,),
            note=_(
                "Was Sie als Mitglied über Bewerbungen anderer geschrieben haben, betrifft "
                "diese Personen und ist hier nicht enthalten."
            ),
            order=80,
        )
    ]
