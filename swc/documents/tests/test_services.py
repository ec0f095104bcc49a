"""Attaching documents: what is refused (and then nothing is stored), downloads audited,
retention erases them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from swc.audit.models import AuditAction, AuditEvent
from swc.core.errors import NotPermitted, ServiceError
from swc.documents.models import Document, DocumentKind
from swc.documents.selectors import document_get_for, documents_for
from swc.documents.services import document_download_record, document_open, document_upload
from swc.privacy.services import referrals_retention_apply
from swc.questions.services import question_ask
from swc.questions.tests.conftest import AT
from swc.referrals.models import Referral
from swc.referrals.workflow import Status

from . import samples
from .conftest import stored_files
from .fake_clamd import EICAR, fake_clamd_tcp

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "file.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    "content, name, kind",
    [
        (samples.PDF, "Court order.pdf", "pdf"),
        (samples.DOCX, "Care plan.docx", "docx"),
        (samples.JPEG, "scan.jpeg", "jpeg"),
        (samples.PNG, "scan.png", "png"),
    ],
)
def test_each_accepted_kind_is_stored_with_its_checksum(world, storage, content, name, kind):
    document = document_upload(
        referral=world["referral"],
        by=world["referrer"],
        kind=DocumentKind.COURT_ORDER,
        upload=upload(content, name, "application/octet-stream"),
    )
    assert document.file_type == kind
    assert document.size == len(content)
    assert stored_files(storage) == [document.storage_name]
    assert storage.open(document.storage_name).read() == content
    # The name in storage is random, never the uploaded one.
    assert name.split(".")[0] not in document.storage_name


# Expected messages typed by hand; each refusal leaves the storage and the table empty.
REFUSALS = [
    (
        samples.ELF,
        "order.pdf",
        "The selected file must be a PDF, Word document (DOCX), JPEG or "
        "PNG. This file is a program, whatever its name says",
    ),
    (
        samples.MZ,
        "care plan.pdf",
        "The selected file must be a PDF, Word document (DOCX), JPEG "
        "or PNG. This file is a program, whatever its name says",
    ),
    (
        samples.HTML,
        "page.pdf",
        "The selected file must be a PDF, Word document (DOCX), JPEG or PNG",
    ),
    (
        samples.XLSX,
        "sheet.docx",
        "The selected file must be a PDF, Word document (DOCX), JPEG or PNG",
    ),
    (b"", "empty.pdf", "The selected file is empty"),
    (samples.PDF + b"x" * 1024 * 1024, "big.pdf", "The selected file must be smaller than 1 MB"),
]


@pytest.mark.parametrize("content, name, message", REFUSALS)
def test_bad_files_are_refused_and_nothing_is_stored(
    world, storage, settings, content, name, message
):
    settings.SWC_DOCUMENT_MAX_BYTES = 1024 * 1024  # 1 MB, so the size refusal needs no big file
    with pytest.raises(ServiceError) as refused:
        document_upload(
            referral=world["referral"],
            by=world["referrer"],
            kind=DocumentKind.CARE_PLAN,
            upload=upload(content, name),
        )
    assert (refused.value.field, refused.value.message) == ("file", message)
    assert stored_files(storage) == []
    assert not Document.objects.exists()


def test_no_file_or_no_kind_is_refused(world, storage):
    with pytest.raises(ServiceError, match="Select a file"):
        document_upload(
            referral=world["referral"], by=world["referrer"], kind="care_plan", upload=None
        )
    with pytest.raises(ServiceError, match="Select what the document is"):
        document_upload(
            referral=world["referral"],
            by=world["referrer"],
            kind="passport",
            upload=upload(samples.PDF),
        )
    assert stored_files(storage) == []


@pytest.mark.parametrize(
    "person",
    ["home_manager", "home_not_sent", "referrer_other_la", "admin_same_la", "analyst"],
)
def test_only_the_authority_and_the_unit_attach_documents(world, storage, person):
    with pytest.raises(NotPermitted):
        document_upload(
            referral=world["referral"],
            by=world[person],
            kind="care_plan",
            upload=upload(samples.PDF),
        )
    assert stored_files(storage) == []


def test_a_failing_transaction_leaves_no_file_behind(world, storage, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("swc.documents.services.audit_record", broken)
    with pytest.raises(RuntimeError):
        document_upload(
            referral=world["referral"],
            by=world["referrer"],
            kind="chronology",
            upload=upload(samples.PDF),
        )
    assert stored_files(storage) == []
    assert not Document.objects.exists()


def test_with_scanning_on_an_infected_file_is_refused_and_a_clean_one_kept(
    world, storage, settings
):
    with fake_clamd_tcp() as clamd:
        settings.SWC_DOCUMENT_SCANNER = "swc.documents.scanning.ClamdScanner"
        settings.SWC_CLAMD_ADDRESS = clamd.address
        with pytest.raises(ServiceError, match="The selected file contains a virus"):
            document_upload(
                referral=world["referral"],
                by=world["referrer"],
                kind="care_plan",
                upload=upload(samples.PDF + EICAR),
            )
        assert stored_files(storage) == []
        refusal = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED, object_id="infected")
        assert refusal.detail["signature"] == "Eicar-Test-Signature"
        document_upload(
            referral=world["referral"],
            by=world["referrer"],
            kind="care_plan",
            upload=upload(samples.PDF),
        )
    assert len(stored_files(storage)) == 1
    assert len(clamd.received) == 2


def test_with_scanning_on_but_no_scanner_nothing_is_stored_unscanned(world, storage, settings):
    with fake_clamd_tcp() as clamd:
        address = clamd.address
    settings.SWC_DOCUMENT_SCANNER = "swc.documents.scanning.ClamdScanner"
    settings.SWC_CLAMD_ADDRESS = address  # the daemon has stopped
    with pytest.raises(ServiceError, match="could not be checked for viruses"):
        document_upload(
            referral=world["referral"],
            by=world["referrer"],
            kind="care_plan",
            upload=upload(samples.PDF),
        )
    assert stored_files(storage) == []


def test_no_documents_on_a_withdrawn_referral(world, storage):
    Referral.objects.filter(pk=world["referral"].pk).update(status=Status.WITHDRAWN)
    world["referral"].refresh_from_db()
    with pytest.raises(ServiceError, match="withdrawn or closed"):
        document_upload(
            referral=world["referral"],
            by=world["referrer"],
            kind="care_plan",
            upload=upload(samples.PDF),
        )
    assert stored_files(storage) == []


def test_a_download_is_audited_and_refused_to_a_home_not_sent_the_referral(world, storage):
    document = document_upload(
        referral=world["referral"],
        by=world["referrer"],
        kind="care_plan",
        upload=upload(samples.PDF),
    )
    document_download_record(document=document, by=world["home_manager"], request=None)
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="documents.document")
    assert (event.actor, event.object_id) == (world["home_manager"], str(document.pk))
    with pytest.raises(NotPermitted):
        document_download_record(document=document, by=world["home_not_sent"], request=None)
    assert document_open(document).read() == samples.PDF


def test_retention_deletes_documents_and_the_words_of_questions_with_the_referral(world, storage):
    referral = world["referral"]
    kept = document_upload(
        referral=referral, by=world["referrer"], kind="care_plan", upload=upload(samples.PDF)
    )
    document_upload(
        referral=referral,
        by=world["referrer"],
        kind="chronology",
        upload=upload(samples.PNG, "c.png"),
    )
    question = question_ask(referral=referral, by=world["coordinator"], text="Her GP?")
    # Another authority's open referral keeps its document.
    from swc.referrals.tests.factories import complete_referral

    other = complete_referral()
    other_document = document_upload(
        referral=other, by=world["coordinator"], kind="care_plan", upload=upload(samples.PDF)
    )
    closed_at = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
    Referral.objects.filter(pk=referral.pk).update(status=Status.WITHDRAWN, closed_at=closed_at)
    assert len(stored_files(storage)) == 3
    with time_machine.travel(closed_at + dt.timedelta(days=365 * 2 + 40), tick=False):
        assert referrals_retention_apply(months=24) == 1
    assert stored_files(storage) == [other_document.storage_name]
    assert list(Document.objects.values_list("pk", flat=True)) == [other_document.pk]
    assert not Document.objects.filter(pk=kept.pk).exists()
    question.refresh_from_db()
    assert question.text == ""
    erased = AuditEvent.objects.get(object_type="documents.document", action=AuditAction.DELETE)
    assert len(erased.detail["document_ids"]) == 2


def test_storage_that_fails_leaves_neither_row_nor_file(world, storage, monkeypatch):
    def broken(name, content, max_length=None):
        raise OSError("disk full")

    monkeypatch.setattr(storage, "save", broken)
    with pytest.raises(ServiceError, match="could not be saved"):
        document_upload(
            referral=world["referral"],
            by=world["referrer"],
            kind="chronology",
            upload=upload(samples.PDF),
        )
    assert not Document.objects.exists()


def test_an_upload_abandoned_by_a_killed_worker_is_swept_after_an_hour(world, storage):
    """A worker killed after storing the bytes but before marking the row leaves both:
    nothing lists or serves the document, and the retention job deletes file and row."""
    from swc.documents.services import documents_unfinished_remove

    document = document_upload(
        referral=world["referral"],
        by=world["referrer"],
        kind="care_plan",
        upload=upload(samples.PDF),
    )
    Document.objects.filter(pk=document.pk).update(stored_at=None)  # the kill, simulated
    assert list(documents_for(world["referrer"], world["referral"])) == []
    with pytest.raises(NotPermitted):
        document_get_for(world["referrer"], document.pk)
    assert documents_unfinished_remove(AT + dt.timedelta(minutes=59)) == 0
    assert stored_files(storage) == [document.storage_name]
    with time_machine.travel(AT + dt.timedelta(hours=2), tick=False):
        referrals_retention_apply()
    assert stored_files(storage) == []
    assert not Document.objects.exists()
