"""Certificates are personal data: erasing a participant erases her PDFs, after commit."""

import pytest

from workshops import issuing
from workshops.models import Certificate, CertificateBatch

pytestmark = pytest.mark.django_db


def test_deleting_an_application_deletes_its_certificate_files_and_uploads(
    ceremony, django_capture_on_commit_callbacks
):
    batch = CertificateBatch.objects.create(cohort=ceremony["cohort"])
    issuing.run_batch(batch.pk)
    mentee = ceremony["mentee"]
    certificate = Certificate.objects.get(application=mentee)
    storage = certificate.file.storage
    kept = Certificate.objects.exclude(application=mentee).get().file.name
    mentee.cv.save("lebenslauf.pdf", certificate.file.open("rb"), save=True)
    paths = [certificate.file.name, mentee.cv.name]
    assert all(storage.exists(path) for path in paths)

    with django_capture_on_commit_callbacks(execute=True):
        mentee.delete()

    assert not any(storage.exists(path) for path in paths)
    assert storage.exists(kept)


def test_a_rolled_back_delete_keeps_the_files(ceremony, django_capture_on_commit_callbacks):
    batch = CertificateBatch.objects.create(cohort=ceremony["cohort"])
    issuing.run_batch(batch.pk)
    batch.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch.delete()

    assert len(callbacks) == 1  # the deletion waits for a commit that never comes
    assert batch.file.storage.exists(batch.file.name)
