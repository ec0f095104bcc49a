"""The documents page and downloads for every role, a second authority and a second home;
bad files refused on the form with nothing stored."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from swc.audit.models import AuditAction, AuditEvent
from swc.documents.models import Document
from swc.documents.services import document_upload
from swc.documents.tests import samples
from swc.documents.tests.conftest import storage_fresh, stored_files
from swc.questions.tests.conftest import AT, world_make
from swc.referrals.models import ReferralShare
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with time_machine.travel(AT, tick=False):
        yield world_make()


@pytest.fixture
def storage(settings):
    return storage_fresh(settings)


# Typed by hand: who may open the documents page, and download a document, of a Hampshire
# referral sent to two homes.
SEES = {
    "referrer": 200,
    "referrer_other_la": 404,
    "admin_same_la": 404,
    "home_manager": 200,
    "second_home_manager": 200,
    "home_not_sent": 404,
    "coordinator": 200,
    "unit_manager": 200,
    "analyst": 404,
}
UPLOADS = {"referrer", "coordinator", "unit_manager"}


def pdf(name: str = "Court order.pdf", content: bytes = samples.PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def document(world, storage):
    return document_upload(
        referral=world["referral"], by=world["referrer"], kind="court_order", upload=pdf()
    )


@pytest.mark.parametrize("person, status", sorted(SEES.items()))
def test_who_opens_the_documents_page(client_for, world, document, person, status):
    response = client_for(world[person]).get(f"/documents/referral/{world['referral'].pk}/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Court order.pdf" in page
        assert ("Add the document" in page) is (person in UPLOADS)


@pytest.mark.parametrize("person, status", sorted(SEES.items()))
def test_who_downloads_a_document_and_every_download_is_audited(
    client_for, world, document, person, status
):
    response = client_for(world[person]).get(f"/documents/{document.pk}/download/")
    assert response.status_code == status
    downloads = AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="documents.document", actor=world[person]
    )
    if status == 200:
        assert b"".join(response.streaming_content) == samples.PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Court order.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert downloads.count() == 1
    else:
        assert downloads.count() == 0


def test_a_home_sees_documents_only_once_the_referral_is_sent_to_it(client_for, world, document):
    manager = world["home_not_sent"]
    client = client_for(manager)
    assert client.get(f"/documents/{document.pk}/download/").status_code == 404
    ReferralShare.objects.create(
        referral=world["referral"],
        home_organisation=manager.memberships.get().organisation,
        shared_at=world["referral"].completed_at,
    )
    assert client.get(f"/documents/{document.pk}/download/").status_code == 200


def test_a_document_of_another_authority_is_404(client_for, world, storage):
    leeds_referral = complete_referral(
        local_authority=world["referrer_other_la"].memberships.get().organisation.local_authority
    )
    leeds_document = document_upload(
        referral=leeds_referral, by=world["referrer_other_la"], kind="care_plan", upload=pdf()
    )
    for person in ("referrer", "home_manager", "admin_same_la"):
        response = client_for(world[person]).get(f"/documents/{leeds_document.pk}/download/")
        assert response.status_code == 404
    assert (
        client_for(world["referrer_other_la"])
        .get(f"/documents/{leeds_document.pk}/download/")
        .status_code
        == 200
    )


@pytest.mark.parametrize("person", sorted(set(SEES) - UPLOADS))
def test_who_may_not_attach_cannot_post_a_file(client_for, world, storage, person):
    response = client_for(world[person]).post(
        f"/documents/referral/{world['referral'].pk}/", {"kind": "care_plan", "file": pdf()}
    )
    assert response.status_code == 404
    assert stored_files(storage) == []


def test_the_authority_attaches_a_document(client_for, world, storage):
    response = client_for(world["referrer"]).post(
        f"/documents/referral/{world['referral'].pk}/",
        {"kind": "care_plan", "file": pdf("../Care plan for O.S..pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.name) == ("care_plan", "Care plan for O.S.pdf")
    assert stored_files(storage) == [document.storage_name]


# Expected messages typed by hand.
BAD_FILES = [
    ("order.pdf", samples.ELF, "This file is a program, whatever its name says"),
    ("order.pdf", samples.MZ, "This file is a program, whatever its name says"),
    (
        "notes.pdf",
        samples.TEXT,
        "The selected file must be a PDF, Word document (DOCX), JPEG or PNG",
    ),
    ("big.pdf", samples.PDF + b"0" * 1024 * 1024, "The selected file must be smaller than 1 MB"),
    ("empty.pdf", b"", "The selected file is empty"),
]


@pytest.mark.parametrize("name, content, message", BAD_FILES)
def test_a_bad_file_gets_a_clear_error_on_the_form_and_nothing_is_stored(
    client_for, world, storage, settings, name, content, message
):
    settings.SWC_DOCUMENT_MAX_BYTES = 1024 * 1024
    response = client_for(world["referrer"]).post(
        f"/documents/referral/{world['referral'].pk}/",
        {"kind": "risk_assessment", "file": pdf(name, content)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_file"' in page
    assert message in page
    assert "govuk-file-upload--error" in page
    assert stored_files(storage) == []
    assert not Document.objects.exists()


def test_no_file_and_no_kind_get_their_errors(client_for, world, storage):
    client = client_for(world["referrer"])
    page = client.post(f"/documents/referral/{world['referral'].pk}/", {}).content.decode()
    assert "Select what the document is" in page
    page = client.post(
        f"/documents/referral/{world['referral'].pk}/", {"kind": "chronology"}
    ).content.decode()
    assert "Select a file" in page
    assert stored_files(storage) == []


def test_a_missing_kind_and_a_bad_file_are_both_reported(client_for, world, storage):
    response = client_for(world["referrer"]).post(
        f"/documents/referral/{world['referral'].pk}/", {"file": pdf("x.pdf", samples.ELF)}
    )
    page = response.content.decode()
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert "Select what the document is" in summary
    assert "This file is a program, whatever its name says" in summary
    assert stored_files(storage) == []


def test_the_documents_page_makes_as_many_queries_for_five_documents_as_for_one(
    client_for, world, storage
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def attach() -> None:
        document_upload(
            referral=world["referral"], by=world["referrer"], kind="care_plan", upload=pdf()
        )

    client = client_for(world["home_manager"])
    attach()
    client.get(f"/documents/referral/{world['referral'].pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/documents/referral/{world['referral'].pk}/")
    for _ in range(4):
        attach()
    with CaptureQueriesContext(connection) as five:
        page = client.get(f"/documents/referral/{world['referral'].pk}/").content.decode()
    assert page.count("/download/") == 5
    assert len(five) == len(one)
