"""Notes on former partners in stored proposals keep the mentors' ids instead of names.

A name written into ``MatchingRun.unmatched`` outlived the mentor's erasure; the ids are
named when the run is shown (``tandems.selectors.with_partner_names``). Each stored name
becomes the id of the early-ended tandem's mentor it names; a note whose mentor cannot be
found any more is left out.
"""

from django.db import migrations

# As ``tandems.selectors.FORMER_PARTNERS`` at the time of writing.
FORMER_PARTNERS = (
    "Ihre frühere Mentor:in %(names)s (Tandem vorzeitig beendet) wird nicht neu "
    "vorgeschlagen; wählen Sie sie bei Bedarf bewusst von Hand."
)


def _is_note(message):
    return (
        isinstance(message, list)
        and len(message) == 2
        and message[0] == FORMER_PARTNERS
        and isinstance(message[1], dict)
        and "names" in message[1]
    )


def _mentor_ids(Tandem, run, mentee_id, names):
    ended = (
        Tandem.objects.filter(cohort_id=run.cohort_id, mentee_id=mentee_id, status="ended")
        .select_related("mentor__applicant")
        .order_by("mentor_id")
    )
    named = {name.strip() for name in names.split(", ")}
    ids = []
    for tandem in ended:
        applicant = tandem.mentor.applicant
        full_name = f"{applicant.first_name} {applicant.last_name}".strip()
        if (full_name in named or applicant.email in named) and tandem.mentor_id not in ids:
            ids.append(tandem.mentor_id)
    return ids


def names_to_ids(apps, schema_editor):
    MatchingRun = apps.get_model("tandems", "MatchingRun")
    Tandem = apps.get_model("tandems", "Tandem")
    for run in MatchingRun.objects.all().iterator():
        changed = False
        entries = []
        for entry in run.unmatched:
            reason = entry.get("reason")
            if isinstance(reason, list) and any(_is_note(message) for message in reason):
                messages = []
                for message in reason:
                    if not _is_note(message):
                        messages.append(message)
                        continue
                    ids = _mentor_ids(Tandem, run, entry.get("mentee"), message[1]["names"])
                    if ids:
                        messages.append([FORMER_PARTNERS, {"mentors": ids}])
                entry = {**entry, "reason": messages}
                changed = True
            entries.append(entry)
        if changed:
            run.unmatched = entries
            run.save(update_fields=["unmatched"])


class Migration(migrations.Migration):
    dependencies = [
        ("tandems", "0008_runner_up"),
        ("mentoring", "0009_reminder_log_and_kinds"),
    ]

    operations = [migrations.RunPython(names_to_ids, migrations.RunPython.noop)]
