"""Documents of a referral: the list, attaching one, and downloading one.

A download is served only here, after the policy allows it and the download
is audited; the files are never under the web root.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from swc.core.errors import NotPermitted, ServiceError
from swc.documents import selectors, services
from swc.documents.filetypes import ACCEPTED_WORDS
from swc.organisations.access import requires
from swc.organisations.policy import user_can
from swc.referrals.selectors import referral_get_for
from swc.referrals.services import referral_view_record

from .forms import UploadForm


@requires("document.view")
def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get_for(request.user, pk, "document.view")
    may_upload = (
        user_can(request.user, "document.upload", referral)
        and referral.status in services.ATTACHABLE
    )
    form = UploadForm()
    if request.method == "POST" and not may_upload:
        raise NotPermitted()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_upload(
                    referral=referral,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except ServiceError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"{document.get_kind_display()} added: {document.name}")
                return redirect("documents:list", pk=referral.pk)
        else:
            # Every problem at once (GOV.UK error summary): the file too, not only the kind.
            try:
                services.document_file_check(form.cleaned_data.get("file"))
            except ServiceError as error:
                form.add_error("file", error.message)
    referral_view_record(referral=referral, by=request.user, request=request, what="documents")
    return render(
        request,
        "documents/list.html",
        {
            "referral": referral,
            "documents": selectors.documents_for(request.user, referral),
            "form": form if may_upload else None,
            "accepted": ACCEPTED_WORDS,
            "limit": services.megabytes(selectors.document_max_bytes()),
        },
    )


@requires("document.view")
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for(request.user, pk)
    services.document_download_record(document=document, by=request.user, request=request)
    handle = services.document_open(document)
    if handle is None:
        raise Http404()
    response = FileResponse(
        handle, as_attachment=True, filename=document.name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a FileResponse streams, as it should
