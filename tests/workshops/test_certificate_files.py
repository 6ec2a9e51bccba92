"""Certificates are personal data, and proof of origin at the same time.

When a participation is deleted, her uploads and her certificate's PDF go (the PDF
carries her name and administration), after commit; the certificate's verification
record stays, so that the paper she holds can still be checked by its code
(``workshops.retention``). It used to be deleted with the participation; since
certificates keep their own cohort, the record outlives it.
"""

import pytest

from workshops import issuing
from workshops.models import Certificate, CertificateBatch

pytestmark = pytest.mark.django_db


def test_deleting_an_application_deletes_its_files_but_keeps_the_verification_record(
    ceremony, client, django_capture_on_commit_callbacks
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

    assert [storage.exists(path) for path in paths] == [False, False]
    assert storage.exists(kept)
    record = Certificate.objects.get(pk=certificate.pk)
    assert (record.application, record.file.name, record.organisation_name) == (None, "", "")
    assert (record.participant_name, record.cohort, record.is_valid) == (
        "Sabine Kowalski",
        ceremony["cohort"],
        True,
    )
    response = client.get(f"/zertifikat/{record.code}/")
    assert response.status_code == 200
    assert "Sabine Kowalski" in response.content.decode()
    assert "8. Jahrgang (2026)" in response.content.decode()


def test_a_rolled_back_delete_keeps_the_files(ceremony, django_capture_on_commit_callbacks):
    batch = CertificateBatch.objects.create(cohort=ceremony["cohort"])
    issuing.run_batch(batch.pk)
    batch.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch.delete()

    assert len(callbacks) == 1  # the deletion waits for a commit that never comes
    assert batch.file.storage.exists(batch.file.name)
