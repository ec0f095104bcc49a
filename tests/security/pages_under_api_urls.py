"""The service's addresses plus three that only tests mount: pages and endpoints under /api/.

Used by tests/security/test_two_factor_walk.py to show that two-factor is decided
by the view, never by where the address lives.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as service_urlpatterns


def page_under_api(request: HttpRequest) -> HttpResponse:
    """An ordinary page, as the API key pages were when they lived at /api/keys/."""
    return HttpResponse("A page under /api/")


class PasswordSessionEndpoint(APIView):
    """An endpoint that takes Django REST framework's own session, two-factor or not."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"reached": True})


class OwnEndpoint(APIView):
    """An endpoint with the service's own authentication (settings.REST_FRAMEWORK)."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"reached": True})


urlpatterns = [
    path("api/keys/", page_under_api, name="test-page-under-api"),
    path("api/v1/test-password-session/", PasswordSessionEndpoint.as_view(), name="test-drf"),
    path("api/v1/test-own-authentication/", OwnEndpoint.as_view(), name="test-own"),
    *service_urlpatterns,
]
