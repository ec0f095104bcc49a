"""A text field takes only a JSON string: a number, true or false, a list or an object is
a 400 naming the field, never stored as its text.

DRF's CharField turns a number into its string, so ``{"first_name": 1e999}`` created a
referral for a child called "inf". The fields are found from the contract, not listed
by hand: every property the OpenAPI schema types ``string`` in the body of every
operation that writes, and the serializer the operation's view validates it with.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import force_instance

from swc.api.problems import _flatten
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral

from .factories import api_client, key_for

URL = "/api/v1/referrals/"
WRITES = ("post", "put", "patch")
# Each kind of JSON value that is not a string, and how the message names it.
NOT_TEXT = {
    "number": (7, "a number"),
    "decimal": (2.5, "a number"),
    "boolean": (True, "true or false"),
    "list": (["Ada"], "a list"),
    "object": ({"name": "Ada"}, "an object"),
}

Path = tuple[str | int, ...]


def _resolve(node: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[1]]
    return node


def _is_text(node: dict[str, Any], components: dict[str, Any]) -> bool:
    """Is every value the schema allows here a string (or null)?"""
    node = _resolve(node, components)
    alternatives = node.get("oneOf") or node.get("anyOf") or node.get("allOf")
    if alternatives:
        kinds = [_resolve(each, components) for each in alternatives]
        kinds = [each for each in kinds if each.get("enum") != [None]]
        return bool(kinds) and all(_is_text(each, components) for each in kinds)
    if "enum" in node:
        return all(isinstance(value, str) for value in node["enum"] if value is not None)
    return node.get("type") == "string" and node.get("format") != "binary"


def _text_paths(node: dict[str, Any], components: dict[str, Any], at: Path = ()) -> Iterator[Path]:
    """Every place in a request body where the schema wants text."""
    node = _resolve(node, components)
    if _is_text(node, components):
        yield at
    elif node.get("type") == "array":
        yield from _text_paths(node["items"], components, (*at, 0))
    for name, child in node.get("properties", {}).items():
        if not child.get("readOnly"):
            yield from _text_paths(child, components, (*at, name))


def _body(path: Path, value: Any) -> Any:
    """The smallest body with ``value`` at ``path`` (0 is the first item of a list)."""
    if not path:
        return value
    inner = _body(path[1:], value)
    return [inner] if path[0] == 0 else {path[0]: inner}


def _operations() -> Iterator[tuple[str, Any, Path]]:
    """(operation, serializer validating its body, path) for every text field written."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    generator._initialise_endpoints()
    views = {
        (path, method.lower()): view
        for path, _, method, view in generator._get_paths_and_endpoints()
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method not in WRITES or "application/json" not in content:
                continue
            serializer = views[path, method].schema.get_request_serializer()
            if isinstance(serializer, dict):
                serializer = serializer["application/json"]
            for field in _text_paths(content["application/json"]["schema"], components):
                yield f"{method.upper()} {path}", force_instance(serializer), field


CASES = list(_operations())


def _name(path: Path) -> str:
    return ".".join(str(part) for part in path)


def test_the_fields_are_found_in_every_kind_of_place() -> None:
    found = {(operation, _name(path)) for operation, _, path in CASES}
    # Plain text, a nested object's text, a list of codes, a code, a date, a time, an email,
    # a pattern, in bodies of several endpoints.
    assert {
        ("POST /api/v1/referrals/", "first_name"),
        ("POST /api/v1/referrals/", "need_descriptions.self_harm"),
        ("POST /api/v1/referrals/", "needs.0"),
        ("POST /api/v1/referrals/", "sex"),
        ("PATCH /api/v1/referrals/{id}/", "date_of_birth"),
        ("POST /api/v1/offers/{id}/admit/", "admitted_at"),
        ("POST /api/v1/referrals/{id}/hand-over/", "to"),
        ("POST /api/v1/homes/{id}/vacancies/", "restriction_sex"),
        ("POST /api/v1/placements/{id}/discharge/", "discharge_reason"),
        ("POST /api/v1/questions/{id}/answer/", "text"),
    } <= found
    # Never a number, a boolean or a list of them.
    assert ("POST /api/v1/referrals/", "max_distance_miles") not in found
    assert ("POST /api/v1/referrals/", "unaccompanied_asylum_seeking") not in found


@pytest.mark.parametrize("kind", NOT_TEXT)
@pytest.mark.parametrize(
    ("operation", "serializer", "path"),
    CASES,
    ids=[f"{operation} {_name(path)}" for operation, _, path in CASES],
)
def test_every_text_field_of_every_write_refuses_what_is_not_a_string(
    operation, serializer, path, kind
) -> None:
    value, words = NOT_TEXT[kind]
    checked = type(serializer)(data=_body(path, value))
    assert not checked.is_valid()
    errors = [e for e in _flatten(checked.errors) if e["field"] == _name(path)]
    assert errors == [
        {
            "field": _name(path),
            "message": f"Expected a string but got {words}.",
            "code": "not_a_string",
        }
    ]


@pytest.fixture
def client(db):
    la = LocalAuthorityFactory()
    return api_client(key_for(Role.REFERRER, la.organisation).secret)


CREATE = [path for operation, _, path in CASES if operation == "POST /api/v1/referrals/"]
UPDATE = [path for operation, _, path in CASES if operation == "PATCH /api/v1/referrals/{id}/"]


def _problem_fields(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    return [(e["field"], e["code"]) for e in body["errors"]]


@pytest.mark.parametrize("kind", NOT_TEXT)
@pytest.mark.parametrize("path", CREATE, ids=[_name(path) for path in CREATE])
def test_a_referral_is_not_created_with_a_text_field_that_is_not_text(client, path, kind) -> None:
    response = client.post(URL, _body(path, NOT_TEXT[kind][0]), "application/json")
    assert _problem_fields(response) == [(_name(path), "not_a_string")]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("path", UPDATE, ids=[_name(path) for path in UPDATE])
def test_a_referral_is_not_changed_with_a_text_field_that_is_not_text(client, path) -> None:
    created = client.post(URL, {"first_name": "Ada"}, "application/json").json()
    for value, _ in NOT_TEXT.values():
        body = {"version": created["version"], **_body(path, value)}
        response = client.patch(f"{URL}{created['id']}/", body, "application/json")
        assert _problem_fields(response) == [(_name(path), "not_a_string")]
    referral = Referral.objects.get()
    assert referral.version == created["version"]
    assert referral.first_name == "Ada"


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("first_name", "not_a_string"),
        ("date_of_birth", "not_a_string"),
        ("bed_needed_at", "not_a_string"),
        ("max_distance_miles", "invalid"),
    ],
)
def test_a_number_too_large_for_a_float_is_refused_not_stored_as_inf(client, field, code) -> None:
    # Python's JSON parser reads 1e999 as infinity; its text is "inf".
    response = client.post(URL, f'{{"{field}": 1e999}}', "application/json")
    assert _problem_fields(response) == [(field, code)]
    assert not Referral.objects.exists()


def test_a_string_is_still_text(client) -> None:
    # The same fields given strings as the schema says: accepted as sent.
    response = client.post(
        URL,
        {"first_name": "7", "last_name": "True", "needs": ["self_harm"], "sex": "female"},
        "application/json",
    )
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert (referral.first_name, referral.last_name, referral.sex) == ("7", "True", "female")
