"""Bodies the API cannot read, JSON it cannot parse safely, and addresses that lead nowhere.

Regression tests for an independent probe (issue 14, items 2 to 5): a chunked
body made an empty draft, deep nesting crashed the parser, a POST without its
trailing slash was a 500 under DEBUG, and unknown addresses answered HTML.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral

from ..parsers import MAX_NESTING_DEPTH, json_nests_deeper_than
from .factories import api_client, key_for
from .test_problems import problem_of

URL = "/api/v1/referrals/"


@pytest.fixture
def client(db) -> Client:
    la = LocalAuthorityFactory()
    return api_client(key_for(Role.REFERRER, la.organisation).secret)


def chunked_post(client: Client, path: str, body: bytes) -> Any:
    """As a WSGI server passes a chunked request: the header, and no Content-Length."""
    return client.generic(
        "POST",
        path,
        body,
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )


# --- 2. chunked and empty bodies -------------------------------------------------------


@pytest.mark.django_db
def test_a_chunked_body_is_refused_not_taken_as_empty(client) -> None:
    body = json.dumps({"first_name": "Chunky", "last_name": "Body"}).encode()
    problem = problem_of(chunked_post(client, URL, body), 411)
    assert "Content-Length" in problem["detail"]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_a_large_chunked_body_is_refused_too(client) -> None:
    body = json.dumps({"first_name": "x" * 2_600_000}).encode()
    response = chunked_post(client, URL, body)
    assert response.status_code in (411, 413)
    assert response["Content-Type"] == "application/problem+json"
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"", b"  \n"])
def test_an_empty_body_on_a_create_is_400_not_an_empty_draft(client, body) -> None:
    problem = problem_of(client.generic("POST", URL, body, content_type="application/json"), 400)
    assert problem["errors"][0]["message"] == "The request has no body: send a JSON object."
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_an_empty_body_on_an_update_is_400_and_changes_nothing(client) -> None:
    created = client.post(URL, {"first_name": "Ada"}, "application/json").json()
    response = client.generic("PATCH", f"{URL}{created['id']}/", b"", "application/json")
    problem_of(response, 400)
    assert Referral.objects.get().version == created["version"]


# --- 3. nesting depth ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 3000 + b"1" + b"}" * 3000,
        b'{"first_name": ' + b"[" * 33 + b"]" * 33 + b"}",
        # Left open: the parser recursed into each before finding no end (a 500 too).
        b"[" * 5000,
        b'{"a":' * 3000,
        b'{"first_name": ' + b"[" * 5000 + b"}",
    ],
    ids=[
        "arrays-5000",
        "objects-3000",
        "arrays-33",
        "open-5000",
        "open-objects-3000",
        "open-in-a-field",
    ],
)
def test_deep_nesting_is_a_400_problem_not_a_crash(client, body) -> None:
    problem = problem_of(client.post(URL, body, "application/json"), 400)
    assert problem["detail"] == "The JSON body nests deeper than 32 levels."
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_nesting_within_the_limit_reaches_the_fields_checks(client) -> None:
    body = b'{"first_name": ' + b"[" * 31 + b"]" * 31 + b"}"
    problem = problem_of(client.post(URL, body, "application/json"), 400)
    assert problem["errors"][0]["field"] == "first_name"


@pytest.mark.parametrize(
    ("text", "limit", "deeper"),
    [
        (b"1", 0, False),
        (b"[]", 0, True),
        (b"[]", 1, False),
        (b"[[],[[]]]", 2, True),
        (b"[[],[[]]]", 3, False),
        (b"{[]}", 1, True),  # an object around an array: two levels, not one
        (b'{"a": "[[[[["}', 1, False),  # brackets inside a string nest nothing
        (b'["\\"[["]', 1, False),  # nor after an escaped quote
        (b'["\\\\", ["]"]]', 1, True),  # an escaped backslash ends before the quote
        (b"[[[", 1, True),  # left open, still three levels: the parser goes down each
        (b"[[[", 3, False),
        (b"[]]]][[", 1, False),  # a stray closing bracket ends the parse, never nests
        (b'["[[[[', 1, False),  # a string left open: its brackets nest nothing
    ],
)
def test_nesting_depth_table(text: bytes, limit: int, deeper: bool) -> None:
    assert json_nests_deeper_than(text, limit) is deeper


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=30,
)


@given(value=JSON, limit=st.integers(min_value=0, max_value=8))
def test_the_depth_on_the_text_is_the_depth_of_the_value(value: Any, limit: int) -> None:
    text = json.dumps(value).encode()
    assert json_nests_deeper_than(text, limit) is (_depth(value) > limit)


def test_the_limit_is_ample_for_the_api() -> None:
    # The deepest body the API takes is an object of lists: three levels.
    assert MAX_NESTING_DEPTH == 32


# --- 4. a missing trailing slash -------------------------------------------------------


@pytest.mark.django_db
@override_settings(DEBUG=True)
@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_a_write_without_the_trailing_slash_is_a_404_naming_the_address(client, method) -> None:
    path = URL.rstrip("/")
    response = client.generic(method, path, b'{"first_name": "Ada"}', "application/json")
    problem = problem_of(response, 404)
    assert problem["detail"] == (
        "Addresses in the API end with a slash: send this to /api/v1/referrals/"
    )
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_a_read_without_the_trailing_slash_is_redirected(client, debug) -> None:
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/referrals?status=draft")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/referrals/?status=draft"


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_a_page_posted_without_its_trailing_slash_is_not_a_500(client_for) -> None:
    referrer = client_for(user_with_role(Role.REFERRER))
    response = referrer.post("/referrals/new", {})
    assert response.status_code == 404
    assert not Referral.objects.exists()
    # Reads are still sent to the address with the slash.
    assert referrer.get("/referrals").status_code == 301


# --- 5. unknown addresses --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-endpoint/",
        "/api/v1/referrals/1/no-such-action/",
        "/api/v9/referrals/",
        "/api/",
        "/api/v1/no-such-endpoint",
    ],
)
@pytest.mark.parametrize("who", ["key", "anonymous"])
def test_every_unknown_address_under_api_is_a_problem_not_a_page(client, path, who) -> None:
    caller = client if who == "key" else Client()
    for method in ("get", "post", "delete"):
        body = problem_of(getattr(caller, method)(path), 404)
        assert body["detail"] == "There is nothing at this address."
        assert body["instance"] == path
