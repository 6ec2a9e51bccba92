"""Private files go with their rows: deleting a row (or its cascade) deletes its files."""

from django.db import transaction
from django.db.models.signals import post_delete


def delete_files_with_rows(model, *field_names):
    """Connects ``model`` so that the files in ``field_names`` are deleted with each row.

    The files go only once the deletion is committed: a rolled-back delete keeps them.
    """

    def delete_files(sender, instance, **kwargs):
        for name in field_names:
            stored = getattr(instance, name)
            if stored:
                storage, path = stored.storage, stored.name
                transaction.on_commit(lambda storage=storage, path=path: storage.delete(path))

    post_delete.connect(
        delete_files, sender=model, weak=False, dispatch_uid=f"delete-files:{model._meta.label}"
    )
