"""Who is calling the API: an organisation's key, or a person signed in with two factors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from swc.organisations.mfa import user_is_verified
from swc.organisations.models import ApiKey
from swc.organisations.policy import Principal

from .services import api_key_authenticate

BEARER = "bearer"


def principal_of_key(api_key: ApiKey) -> Principal:
    """The key acts for its organisation in its one role, whatever its account holds."""
    return Principal(
        user_id=api_key.user_id,
        organisation_id=api_key.organisation_id,
        organisation_kind=api_key.organisation.kind,
        roles=frozenset({api_key.role}),
    )


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer swc_xxxxxxxx.<secret>``.

    The request's user is the key's own account, carrying the key's principal,
    so ``swc.organisations.policy`` decides exactly as it does for people.
    """

    # A key is the API's own credential: the session, verified or not, plays no part
    # (swc.organisations.middleware lets such endpoints answer 401 for themselves).
    swc_requires_second_factor = True

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != BEARER:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <key>'."
            )
        api_key = api_key_authenticate(header[1])
        if api_key is None:
            raise exceptions.AuthenticationFailed("The API key is not valid or has been revoked.")
        user = api_key.user
        user._swc_principal = principal_of_key(api_key)  # type: ignore[attr-defined]
        return user, api_key

    def authenticate_header(self, request: Request) -> str:
        # A 401 tells the caller how to authenticate (RFC 9110 WWW-Authenticate).
        return 'Bearer realm="api"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The web pages' own calls: a session counts only once two-factor is verified.

    A password-only session is treated as no session at all: the call gets 401.
    """

    swc_requires_second_factor = True

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        django_request: HttpRequest = request._request
        user = getattr(django_request, "user", None)
        if user is None or not user_is_verified(user):
            return None
        self.enforce_csrf(request)
        return user, None


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation's API key: Authorization: Bearer swc_xxxxxxxx.<secret>",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = VerifiedSessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The service's own pages, signed in with two factors",
        }
