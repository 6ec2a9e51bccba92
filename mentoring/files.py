"""Private files: streamed only by views that checked permission, deleted with their rows."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def private_pdf_response(stored, name):
    """Streams a stored PDF as a download named ``name``; 404 if the storage lost it.

    Callers check permission first. Nothing is cached on the way: these are CVs, letters
    and certificates.
    """
    filename = "-".join(name.split()) + ".pdf"
    try:
        opened = stored.open("rb")
    except OSError:
        logger.warning("private file %s is missing", stored.name)
        raise Http404 from None
    response = FileResponse(
        opened, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
