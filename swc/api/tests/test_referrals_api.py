"""Referrals through the API: the same rules as the pages, for every role."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from swc.audit.models import AuditAction, AuditEvent
from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral, ReferralShare
from swc.referrals.tests.factories import ReferralFactory, complete_referral, complete_values
from swc.referrals.workflow import Status

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"


def as_json(values: dict[str, Any]) -> str:
    return json.dumps(values, cls=DjangoJSONEncoder)


def post(client, url: str, body: Any, **headers: str):
    return client.post(
        url, body if isinstance(body, str | bytes) else as_json(body), "application/json", **headers
    )


def referrer(la=None):
    la = la or LocalAuthorityFactory()
    return la, api_client(key_for(Role.REFERRER, la.organisation).secret)


def test_a_case_management_system_drafts_completes_and_submits_a_referral() -> None:
    la, client = referrer()
    response = post(client, URL, {"first_name": "Testchild", "la_child_identifier": "SYN-9"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["local_authority_code"] == la.dfe_la_code
    assert response["Location"] == f"{URL}{body['id']}/"
    values = complete_values()
    response = client.patch(
        f"{URL}{body['id']}/", as_json({"version": body["version"], **values}), "application/json"
    )
    assert response.status_code == 200, response.json()
    version = response.json()["version"]
    response = post(client, f"{URL}{body['id']}/submit/", {"version": version})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "complete"
    assert response.json()["completed_at"]
    timeline = client.get(f"{URL}{body['id']}/timeline/").json()
    assert [e["to_status"] for e in timeline if e["kind"] == "status"] == ["submitted", "complete"]
    assert timeline[0]["actor_label"].startswith("API key")


def test_an_incomplete_referral_is_not_submitted_and_says_what_is_missing() -> None:
    _, client = referrer()
    draft = post(client, URL, {}).json()
    response = post(client, f"{URL}{draft['id']}/submit/", {"version": draft["version"]})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "not complete" in response.json()["detail"]
    assert Referral.objects.get(pk=draft["id"]).status == Status.DRAFT


def test_a_stale_version_is_a_409_and_changes_nothing() -> None:
    _, client = referrer()
    draft = post(client, URL, {"first_name": "A"}).json()
    read = draft["version"]
    saved = client.patch(
        f"{URL}{draft['id']}/", as_json({"version": read, "first_name": "B"}), "application/json"
    )
    assert saved.status_code == 200
    response = client.patch(
        f"{URL}{draft['id']}/", as_json({"version": read, "first_name": "C"}), "application/json"
    )
    assert response.status_code == 409
    assert response.json()["status"] == 409
    assert Referral.objects.get(pk=draft["id"]).first_name == "B"


def test_a_referral_is_withdrawn_with_a_reason() -> None:
    la, client = referrer()
    referral = complete_referral(local_authority=la)
    response = post(client, f"{URL}{referral.pk}/withdraw/", {"reason": "nonsense"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    response = post(client, f"{URL}{referral.pk}/withdraw/", {"reason": "alternative_found"})
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_another_authoritys_referral_is_404_for_every_operation() -> None:
    _, client = referrer()
    theirs = complete_referral()
    for response in (
        client.get(f"{URL}{theirs.pk}/"),
        client.get(f"{URL}{theirs.pk}/timeline/"),
        client.patch(f"{URL}{theirs.pk}/", as_json({"version": 1}), "application/json"),
        post(client, f"{URL}{theirs.pk}/submit/", {"version": 1}),
        post(client, f"{URL}{theirs.pk}/withdraw/", {"reason": "alternative_found"}),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert client.get(URL).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.status == Status.COMPLETE


def test_a_home_sees_only_referrals_sent_to_it_and_only_what_it_needs() -> None:
    home = SecureHomeFactory()
    client = api_client(key_for(Role.HOME_MANAGER, home.organisation).secret)
    sent, not_sent = complete_referral(), complete_referral()
    ReferralShare.objects.create(
        referral=sent, home_organisation=home.organisation, shared_at=sent.created_at
    )
    listed = client.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [sent.pk]
    assert "last_name" not in listed["results"][0]
    # The child's identity is not for homes at all: the role is refused (403).
    assert client.get(f"{URL}{sent.pk}/").status_code == 403
    view = client.get(f"{URL}{sent.pk}/home-view/")
    assert view.status_code == 200
    assert view.json()["initials"] == "T.S."
    assert "Synthetic" not in view.content.decode()
    assert client.get(f"{URL}{not_sent.pk}/home-view/").status_code == 404
    assert post(client, URL, {}).status_code == 403


@pytest.mark.parametrize("role", [Role.ANALYST, Role.HOME_MANAGER, Role.COORDINATOR])
def test_only_an_authority_starts_a_referral(role: str) -> None:
    client = api_client(key_for(role).secret)
    response = post(client, URL, {})
    assert response.status_code == 403
    assert response.json()["title"] == "You may not do this"
    assert not Referral.objects.exists()


def test_an_analyst_never_reads_a_childs_record() -> None:
    referral = complete_referral()
    client = api_client(key_for(Role.ANALYST).secret)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{referral.pk}/").status_code == 403


def test_the_unit_sees_every_referral_and_each_read_is_audited() -> None:
    referral = complete_referral()
    client = api_client(key_for(Role.COORDINATOR).secret)
    assert client.get(URL).json()["count"] == 1
    assert client.get(f"{URL}{referral.pk}/").json()["last_name"] == "Synthetic"
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(referral.pk)).get()
    assert event.detail == {"page": "api:detail"}


def test_lists_filter_by_status_and_date_and_page(django_assert_max_num_queries) -> None:
    la, client = referrer()
    for _ in range(3):
        ReferralFactory(local_authority=la)
    complete_referral(local_authority=la)
    assert client.get(URL, {"status": "draft"}).json()["count"] == 3
    assert client.get(URL, {"status": "complete"}).json()["count"] == 1
    assert client.get(URL, {"created_from": "2999-01-01"}).json()["count"] == 0
    with django_assert_max_num_queries(8):
        page = client.get(URL, {"page_size": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    assert client.get(URL, {"updated_since": "2000-01-01T00:00:00Z"}).json()["count"] == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"created_from": "31/12/2025"}, "created_from"),
        ({"created_from": "2025-02-30"}, "created_from"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_filters_are_problem_details_naming_the_parameter(params: dict, field: str) -> None:
    _, client = referrer()
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_an_unchanged_referral_answers_304_to_its_etag() -> None:
    la, client = referrer()
    referral = complete_referral(local_authority=la)
    first = client.get(f"{URL}{referral.pk}/")
    assert first["ETag"]
    again = client.get(f"{URL}{referral.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    post(client, f"{URL}{referral.pk}/withdraw/", {"reason": "alternative_found"})
    assert client.get(f"{URL}{referral.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_times_in_responses_are_utc_even_for_a_far_off_year() -> None:
    # London's local time before 1847 has an offset with seconds, which is not RFC 3339.
    _, client = referrer()
    response = post(client, URL, {"regulation_10_started_at": "0401-08-08T05:24:19.7Z"})
    assert response.status_code == 201
    assert response.json()["regulation_10_started_at"] == "0401-08-08T05:24:19.700000Z"


def test_a_phone_number_is_checked_and_stored_as_the_pages_do() -> None:
    _, client = referrer()
    draft = post(client, URL, {"first_name": "A"}).json()
    url = f"{URL}{draft['id']}/"
    response = client.patch(
        url, as_json({"version": draft["version"], "guardian_phone": "12345"}), "application/json"
    )
    # Well-formed text the service's rule refuses: 422, as the contract says.
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors[0]["field"] == "guardian_phone"
    assert "Enter a UK phone number, like 01632 960 001 or 07700 900 982" in str(errors)
    assert Referral.objects.get(pk=draft["id"]).guardian_phone == ""
    response = client.patch(
        url,
        as_json({"version": draft["version"], "guardian_phone": "07700 900 982"}),
        "application/json",
    )
    assert response.status_code == 200, response.json()
    assert Referral.objects.get(pk=draft["id"]).guardian_phone == "+447700900982"
