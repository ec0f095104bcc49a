"""Documents of a referral: list, attach (multipart), fetch the bytes.

Bad files are refused with a 400 problem naming the ``file`` field, and
nothing is stored; the bytes are served only after the policy allows it and
the download is audited, exactly as on the pages.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import FileResponse, Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from swc.core.errors import ServiceError
from swc.documents import selectors, services
from swc.documents.models import Document, DocumentKind
from swc.referrals.selectors import referral_get_for
from swc.referrals.services import referral_view_record

from ..base import ApiView, OutputModelSerializer, StrictSerializer
from .matching import pk_of

# Room for the other parts of a multipart body around the file.
MULTIPART_OVERHEAD = 64 * 1024


class DocumentSerializer(OutputModelSerializer):
    content_type = serializers.CharField()

    class Meta:
        model = Document
        fields = (
            "id",
            "referral",
            "kind",
            "name",
            "file_type",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        )
        read_only_fields = fields


class DocumentUploadSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    # Checked by the service (present, size, type from its content) for the pages' messages.
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)


class DocumentsView(ApiView):
    """``/referrals/{id}/documents/``: the referral's documents; attach one (multipart)."""

    policy_action = "document.view"
    policy_actions = {"get": "document.view", "post": "document.upload"}
    parser_classes = [MultiPartParser]

    def body_limit(self) -> int:
        return selectors.document_max_bytes() + MULTIPART_OVERHEAD

    @extend_schema(responses=DocumentSerializer(many=True), tags=["documents"])
    def get(self, request: Request, pk: str) -> Response:
        referral = referral_get_for(request.user, pk_of(pk), "document.view")
        referral_view_record(
            referral=referral, by=request.user, request=request._request, what="api:documents"
        )
        documents = selectors.documents_for(request.user, referral)
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        tags=["documents"],
    )
    def post(self, request: Request, pk: str) -> Response:
        referral = referral_get_for(request.user, pk_of(pk), "document.upload")
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            document = services.document_upload(
                referral=referral,
                by=request.user,
                kind=data.validated_data["kind"],
                upload=data.validated_data.get("file"),
            )
        except ServiceError as error:
            if error.field in ("file", "kind"):
                # A file that is missing, too large, of the wrong type or infected: fix the request.
                raise serializers.ValidationError(
                    {error.field: [serializers.ErrorDetail(error.message, code=error.code)]}
                ) from None
            raise
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentContentRenderer(BaseRenderer):
    """Lets a caller ask for the document's own type; errors still come as JSON problems."""

    media_type = "*/*"
    format = "bin"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return json.dumps(data).encode() if data is not None else b""


class DocumentContentView(ApiView):
    """``/documents/{id}/content/``: the document's bytes (audited)."""

    policy_action = "document.view"
    renderer_classes = [JSONRenderer, DocumentContentRenderer]

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as a download"
            )
        },
        tags=["documents"],
    )
    def get(self, request: Request, pk: str) -> Any:
        document = selectors.document_get_for(request.user, pk_of(pk))
        services.document_download_record(
            document=document, by=request.user, request=request._request
        )
        handle = services.document_open(document)
        if handle is None:
            raise Http404()
        return FileResponse(
            handle, as_attachment=True, filename=document.name, content_type=document.content_type
        )


urlpatterns = [
    path("referrals/<str:pk>/documents/", DocumentsView.as_view(), name="referral-documents"),
    path("documents/<str:pk>/content/", DocumentContentView.as_view(), name="document-content"),
]
