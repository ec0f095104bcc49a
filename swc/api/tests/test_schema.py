"""The OpenAPI schema says what the server enforces (issue 14, item 10, and item 6).

``PatchedReferralUpdate`` listed no required field, but the server answers 400
"version: This field is required": a PATCH is validated with the serializer as
declared, so a field declared required is required in the schema too.
"""

from __future__ import annotations

import pytest

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory

from .factories import api_client, key_for


@pytest.fixture(scope="module")
def schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_an_update_must_carry_the_version_it_read(schema) -> None:
    component = schema["components"]["schemas"]["PatchedReferralUpdate"]
    assert component["required"] == ["version"]
    operation = schema["paths"]["/api/v1/referrals/{id}/"]["patch"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PatchedReferralUpdate"}


@pytest.mark.django_db
def test_the_server_refuses_an_update_without_its_version() -> None:
    la = LocalAuthorityFactory()
    client = api_client(key_for(Role.REFERRER, la.organisation).secret)
    created = client.post("/api/v1/referrals/", {"first_name": "Ada"}, "application/json").json()
    response = client.patch(
        f"/api/v1/referrals/{created['id']}/", {"first_name": "Bea"}, "application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "version", "message": "This field is required.", "code": "required"}
    ]


def test_a_list_row_may_leave_out_the_authority(schema) -> None:
    # A home's rows do not name the referring authority (tests/security/test_api_audiences.py).
    component = schema["components"]["schemas"]["ReferralSummary"]
    assert "local_authority_code" in component["properties"]
    assert "local_authority_code" not in component["required"]
    assert "reference" in component["required"]


def test_the_placements_list_is_paged(schema) -> None:
    response = schema["paths"]["/api/v1/placements/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedPlacementList"
    }
    names = [
        parameter["name"]
        for parameter in schema["paths"]["/api/v1/placements/"]["get"]["parameters"]
    ]
    assert names == ["page", "page_size"]
