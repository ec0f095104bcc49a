"""Questions and documents through the API: the same scopes as the pages, bad files a 400
problem with nothing stored, another authority's document a 404."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from swc.audit.models import AuditAction, AuditEvent
from swc.documents.models import Document
from swc.documents.services import document_upload
from swc.documents.tests import samples
from swc.documents.tests.conftest import storage_fresh, stored_files
from swc.organisations.models import Role
from swc.questions.models import Question, QuestionStatus
from swc.questions.services import question_answer, question_ask, question_routing_set
from swc.questions.tests.conftest import AT, world_make
from swc.referrals.tests.factories import complete_referral

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with time_machine.travel(AT, tick=False):
        yield world_make()


@pytest.fixture
def storage(settings):
    return storage_fresh(settings)


ROLE_OF = {
    "referrer": Role.REFERRER,
    "referrer_other_la": Role.REFERRER,
    "home_manager": Role.HOME_MANAGER,
    "second_home_manager": Role.HOME_MANAGER,
    "home_not_sent": Role.HOME_MANAGER,
    "coordinator": Role.COORDINATOR,
    "unit_manager": Role.UNIT_MANAGER,
    "analyst": Role.ANALYST,
}


@pytest.fixture
def client(world):
    def make(person: str):
        organisation = world[person].memberships.get().organisation
        return api_client(key_for(ROLE_OF[person], organisation).secret)

    return make


# Typed by hand: the status of GET /referrals/{id}/questions/ and /documents/ for each caller.
READS = {
    "referrer": 200,
    "referrer_other_la": 404,
    "home_manager": 200,
    "second_home_manager": 200,
    "home_not_sent": 404,
    "coordinator": 200,
    "unit_manager": 200,
    "analyst": 403,
}


@pytest.mark.parametrize("person, status", sorted(READS.items()))
def test_who_reads_questions_and_documents(client, world, storage, person, status):
    question_ask(referral=world["referral"], by=world["home_manager"], text="Swanwick's")
    api = client(person)
    for what in ("questions", "documents"):
        response = api.get(f"/api/v1/referrals/{world['referral'].pk}/{what}/")
        assert response.status_code == status, what
        if status != 200:
            assert response["Content-Type"] == "application/problem+json"


def test_each_reads_only_the_questions_between_their_organisation_and_another(client, world):
    question_ask(referral=world["referral"], by=world["home_manager"], text="Swanwick's")
    question_ask(referral=world["referral"], by=world["second_home_manager"], text="Aldine's")
    question_ask(referral=world["referral"], by=world["coordinator"], text="The unit's")
    expected = {
        "home_manager": ["Swanwick's"],
        "second_home_manager": ["Aldine's"],
        # Homes' questions are still with the unit.
        "referrer": ["The unit's"],
        "coordinator": ["Swanwick's", "Aldine's", "The unit's"],
    }
    for person, texts in expected.items():
        body = client(person).get(f"/api/v1/referrals/{world['referral'].pk}/questions/").json()
        assert [q["text"] for q in body] == texts, person


def test_ask_pass_on_and_answer(client, world):
    referral_id = world["referral"].pk
    asked = client("home_manager").post(
        f"/api/v1/referrals/{referral_id}/questions/",
        json.dumps({"text": "Vegetarian?"}),
        "application/json",
    )
    assert asked.status_code == 201, asked.content
    pk = asked.json()["id"]
    assert (
        client("referrer")
        .post(f"/api/v1/questions/{pk}/answer/", json.dumps({"text": "Yes"}), "application/json")
        .status_code
        == 404
    )  # not yet passed on: not the authority's to see
    assert client("coordinator").post(f"/api/v1/questions/{pk}/pass-on/").status_code == 200
    answered = client("referrer").post(
        f"/api/v1/questions/{pk}/answer/", json.dumps({"text": "Yes"}), "application/json"
    )
    assert answered.status_code == 200
    assert (answered.json()["status"], answered.json()["answer"]) == ("answered", "Yes")
    again = client("coordinator").post(
        f"/api/v1/questions/{pk}/answer/", json.dumps({"text": "No"}), "application/json"
    )
    assert again.status_code == 409
    assert Question.objects.get().answer == "Yes"


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 2001}, {"text": "a", "b": 1}])
def test_a_bad_question_is_a_400_problem(client, world, body):
    response = client("home_manager").post(
        f"/api/v1/referrals/{world['referral'].pk}/questions/", json.dumps(body), "application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not Question.objects.exists()


@pytest.mark.parametrize("person", ["referrer", "home_not_sent", "referrer_other_la", "analyst"])
def test_who_may_not_ask(client, world, person):
    response = client(person).post(
        f"/api/v1/referrals/{world['referral'].pk}/questions/",
        json.dumps({"text": "Hello?"}),
        "application/json",
    )
    assert response.status_code in (403, 404)
    assert not Question.objects.exists()


def upload(client, referral_id: int, name: str, content: bytes, kind: str = "care_plan"):
    return client.post(
        f"/api/v1/referrals/{referral_id}/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_the_authority_attaches_and_a_home_sent_the_referral_fetches_audited(
    client, world, storage
):
    response = upload(client("referrer"), world["referral"].pk, "Order.pdf", samples.PDF)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["file_type"], body["size"]) == ("Order.pdf", "pdf", len(samples.PDF))
    fetched = client("home_manager").get(f"/api/v1/documents/{body['id']}/content/")
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content) == samples.PDF
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_type="documents.document", object_id=str(body["id"])
        ).count()
        == 1
    )
    for person in ("home_not_sent", "referrer_other_la"):
        assert client(person).get(f"/api/v1/documents/{body['id']}/content/").status_code == 404


def test_a_document_of_another_authority_is_404(client, world, storage):
    leeds = world["referrer_other_la"]
    referral = complete_referral(
        local_authority=leeds.memberships.get().organisation.local_authority
    )
    document = document_upload(
        referral=referral,
        by=leeds,
        kind="care_plan",
        upload=SimpleUploadedFile("x.pdf", samples.PDF),
    )
    response = client("referrer").get(f"/api/v1/documents/{document.pk}/content/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


BAD_FILES = [
    ("order.pdf", samples.ELF, "This file is a program, whatever its name says"),
    ("order.pdf", samples.MZ, "This file is a program, whatever its name says"),
    ("notes.pdf", samples.HTML, "must be a PDF, Word document (DOCX), JPEG or PNG"),
    ("big.pdf", samples.PDF + b"0" * 1024 * 1024, "must be smaller than 1 MB"),
    ("empty.pdf", b"", "The selected file is empty"),
]


@pytest.mark.parametrize("name, content, message", BAD_FILES)
def test_a_bad_file_is_a_400_problem_and_nothing_is_stored(
    client, world, storage, settings, name, content, message
):
    settings.SWC_DOCUMENT_MAX_BYTES = 1024 * 1024
    response = upload(client("referrer"), world["referral"].pk, name, content)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "file" and message in error["message"]
    assert stored_files(storage) == []
    assert not Document.objects.exists()


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(client, world, storage, settings):
    settings.SWC_DOCUMENT_MAX_BYTES = 1024
    response = upload(client("referrer"), world["referral"].pk, "huge.pdf", samples.PDF * 2000)
    assert response.status_code == 413
    assert stored_files(storage) == []


def test_a_missing_file_or_unknown_kind_is_a_400(client, world, storage):
    api = client("referrer")
    url = f"/api/v1/referrals/{world['referral'].pk}/documents/"
    assert api.post(url, {"kind": "care_plan"}).json()["errors"][0]["field"] == "file"
    response = upload(api, world["referral"].pk, "a.pdf", samples.PDF, kind="passport")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "kind"
    assert stored_files(storage) == []


def test_a_home_cannot_attach(client, world, storage):
    response = upload(client("home_manager"), world["referral"].pk, "a.pdf", samples.PDF)
    assert response.status_code == 403
    assert stored_files(storage) == []


def test_questions_keep_their_status_words_as_codes(client, world):
    question_ask(referral=world["referral"], by=world["coordinator"], text="When?")
    [body] = client("referrer").get(f"/api/v1/referrals/{world['referral'].pk}/questions/").json()
    assert body["status"] == QuestionStatus.WITH_AUTHORITY


def test_a_home_is_told_the_authority_answered_not_which_authority(client, world):
    question = question_ask(referral=world["referral"], by=world["home_manager"], text="Diet?")
    question_answer(question=question, by=world["coordinator"], text="Vegetarian")
    url = f"/api/v1/referrals/{world['referral'].pk}/questions/"
    [seen] = client("home_manager").get(url).json()
    assert seen["answered_by_organisation"] == "Coordination unit"
    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    second = question_ask(referral=world["referral"], by=world["home_manager"], text="Bedtime?")
    question_answer(question=second, by=world["referrer"], text="21:00")
    answers = [q["answered_by_organisation"] for q in client("home_manager").get(url).json()]
    assert answers == ["Coordination unit", "The referring authority"]
    answers = [q["answered_by_organisation"] for q in client("referrer").get(url).json()]
    assert answers == ["Coordination unit", "Hampshire"]


def test_a_broken_multipart_body_is_a_400_that_says_so(client, world, storage):
    response = client("referrer").post(
        f"/api/v1/referrals/{world['referral'].pk}/documents/",
        data=b"--nope\r\nnot really multipart",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid multipart/form-data."
    assert stored_files(storage) == []
