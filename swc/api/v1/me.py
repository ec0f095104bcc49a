"""``/api/v1/me/``: who the API thinks you are (check a key before anything else)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from swc.organisations.models import ApiKey, Organisation
from swc.organisations.policy import principal_for

from ..base import ApiView


class MeSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField(allow_null=True)
    organisation_name = serializers.CharField(allow_null=True)
    organisation_kind = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    api_key_prefix = serializers.CharField(allow_null=True)


class MeView(ApiView):
    policy_action = "start.view"

    @extend_schema(responses=MeSerializer, tags=["me"], operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        principal = principal_for(request.user)
        organisation = (
            Organisation.objects.filter(pk=principal.organisation_id).first()
            if principal.organisation_id
            else None
        )
        return Response(
            MeSerializer(
                {
                    "organisation_id": principal.organisation_id,
                    "organisation_name": organisation.name if organisation else None,
                    "organisation_kind": principal.organisation_kind,
                    "roles": sorted(principal.roles),
                    "api_key_prefix": request.auth.prefix
                    if isinstance(request.auth, ApiKey)
                    else None,
                }
            ).data
        )
