"""Attaching documents to a referral, recording every download, erasing them with the referral.

An upload is checked in full before anything is stored: present, not empty,
within the size limit, one of the accepted types judged by its content, and
(when scanning is on) clean. Only then are the bytes written to the
``documents`` storage under a random name, and the row and its audit event
committed; if that transaction fails, the stored file is removed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.errors import ServiceError
from swc.organisations.policy import principal_for, require
from swc.referrals.models import Referral
from swc.referrals.workflow import OPEN, Status

from .filetypes import (
    ACCEPTED_WORDS,
    FileType,
    document_name_clean,
    file_type_detect,
    is_program,
)
from .models import Document, DocumentKind
from .scanning import ScannerUnavailable, scanner_get
from .selectors import document_max_bytes

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "documents"
# Drafts too (an authority gathers the papers while it writes), and after placement (for
# admission); not once a referral is withdrawn or closed without a placement.
ATTACHABLE = OPEN | {Status.DRAFT, Status.PLACED}


def documents_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def document_upload(
    *, referral: Referral, by: Any, kind: str, upload: UploadedFile | None
) -> Document:
    """Attach one file to ``referral``; ServiceError (field ``file`` or ``kind``) if refused."""
    require(by, "document.upload", referral)
    if referral.status not in ATTACHABLE:
        raise ServiceError(
            "Documents cannot be added to a referral that is withdrawn or closed", field="file"
        )
    if kind not in DocumentKind.values:
        raise ServiceError("Select what the document is", field="kind")
    file_type = document_file_check(upload)
    if upload is None or upload.file is None:  # refused above; this tells the type checker
        raise ServiceError("Select a file", field="file")
    stream = upload.file
    size = upload.size or 0
    _scan(stream, referral=referral, by=by)

    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    stream.seek(0)
    # The row first, committed: if this worker dies after storing the bytes, the sweep
    # (documents_unfinished_remove) finds the row and deletes the file it names.
    with transaction.atomic():
        document = Document.objects.create(
            referral=referral,
            kind=kind,
            name=document_name_clean(upload.name or "", file_type),
            file_type=file_type.code,
            size=size,
            sha256=digest.hexdigest(),
            storage_name=f"referrals/{referral.pk}/{uuid.uuid4().hex}",
            uploaded_at=clock.now(),
            uploaded_by=by,
            uploaded_by_organisation_id=principal_for(by).organisation_id,
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            obj=document,
            detail={
                "referral_id": referral.pk,
                "kind": kind,
                "file_type": file_type.code,
                "size": size,
            },
        )
    storage = documents_storage()
    try:
        stored = storage.save(document.storage_name, File(stream))
        Document.objects.filter(pk=document.pk).update(storage_name=stored, stored_at=clock.now())
    except Exception:
        logger.exception("Document %s could not be stored", document.pk)
        _remove(storage, document)
        raise ServiceError(
            "The selected file could not be saved. Try again in a few minutes",
            field="file",
            code="storage_unavailable",
        ) from None
    document.refresh_from_db()
    return document


def _remove(storage: Storage, document: Document) -> None:
    storage.delete(document.storage_name)
    Document.objects.filter(pk=document.pk).delete()


def document_file_check(upload: UploadedFile | None) -> FileType:
    """The file's type, if it is one the service accepts; ServiceError (field ``file``) if not.

    Present, not empty, within the size limit, and a PDF, DOCX, JPEG or PNG by
    its content. Reads nothing into storage.
    """
    if upload is None or upload.file is None:
        raise ServiceError("Select a file", field="file")
    limit = document_max_bytes()
    if not upload.size:
        raise ServiceError("The selected file is empty", field="file")
    if upload.size > limit:
        raise ServiceError(
            f"The selected file must be smaller than {megabytes(limit)}",
            field="file",
            code="too_large",
        )
    file_type = file_type_detect(upload.file)
    if file_type is None:
        message = f"The selected file must be {ACCEPTED_WORDS}"
        if is_program(upload.file):
            message += ". This file is a program, whatever its name says"
        raise ServiceError(message, field="file", code="wrong_type")
    return file_type


def _scan(stream: Any, *, referral: Referral, by: Any) -> None:
    scanner = scanner_get()
    if scanner is None:
        return
    try:
        verdict = scanner.scan(stream)
    except ScannerUnavailable as error:
        logger.error("Document scanner unavailable: %s", error)
        raise ServiceError(
            "The selected file could not be checked for viruses. Try again in a few minutes",
            field="file",
            code="scan_unavailable",
        ) from None
    if not verdict.clean:
        audit_record(
            actor=by,
            action=AuditAction.ACCESS_REFUSED,
            object_type="documents.document",
            object_id="infected",
            detail={"referral_id": referral.pk, "signature": verdict.signature},
        )
        raise ServiceError("The selected file contains a virus", field="file", code="infected")


def document_download_record(*, document: Document, by: Any, request: HttpRequest | None) -> None:
    """Audit one download (every fetch of a document's bytes calls this first)."""
    require(by, "document.view", document.referral)
    audit_record(
        actor=by,
        action=AuditAction.VIEW,
        obj=document,
        request=request,
        detail={"referral_id": document.referral_id, "download": True},
    )


def document_open(document: Document) -> File | None:
    """The stored bytes, or None if the file is gone from storage."""
    try:
        return documents_storage().open(document.storage_name, "rb")
    except (FileNotFoundError, OSError):
        logger.error("Document %s: stored file missing", document.pk)
        return None


def documents_erase(*, referral_ids: Iterable[int]) -> int:
    """Delete the documents of these referrals: each file, then its row.

    Called by the retention job for every anonymised referral that still has
    documents, so a run interrupted half way is finished by the next one.
    Returns how many documents were deleted.
    """
    storage = documents_storage()
    erased: list[int] = []
    for document in Document.objects.filter(referral_id__in=list(referral_ids)).order_by("pk"):
        _remove(storage, document)
        erased.append(document.pk)
    if erased:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="documents.document",
            object_id="retention",
            detail={"document_ids": erased},
        )
    return len(erased)


# An upload takes seconds; a row still without its file after this long was abandoned.
UNFINISHED_AFTER = dt.timedelta(hours=1)


def documents_unfinished_remove(now: dt.datetime | None = None) -> int:
    """Delete uploads a worker abandoned (killed between writing the row and storing the
    bytes): the file, if any was written, then the row. Run by the retention job."""
    now = now or clock.now()
    storage = documents_storage()
    removed: list[int] = []
    for document in Document.objects.filter(
        stored_at__isnull=True, uploaded_at__lt=now - UNFINISHED_AFTER
    ).order_by("pk"):
        _remove(storage, document)
        removed.append(document.pk)
    if removed:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="documents.document",
            object_id="unfinished",
            detail={"document_ids": removed},
        )
    return len(removed)
