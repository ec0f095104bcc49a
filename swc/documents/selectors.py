"""Reading documents: only on a referral the person may see documents of (a home only once
the referral has been sent to it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from swc.core.errors import NotPermitted
from swc.organisations.policy import require
from swc.referrals.models import Referral
from swc.referrals.selectors import referral_get_for

from .models import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def document_max_bytes() -> int:
    """The largest file accepted (``SWC_DOCUMENT_MAX_BYTES``, 20 MB by default)."""
    return int(getattr(settings, "SWC_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def documents_for(user: Any, referral: Referral) -> QuerySet[Document]:
    """The referral's documents, oldest first, if ``user`` may see them."""
    require(user, "document.view", referral)
    return Document.objects.filter(referral=referral, stored_at__isnull=False).order_by(
        "uploaded_at", "id"
    )


def document_get_for(user: Any, pk: int) -> Document:
    """One document ``user`` may fetch; NotPermitted (a 404) for any other, or none."""
    document = Document.objects.filter(pk=pk, stored_at__isnull=False).first()
    if document is None:
        raise NotPermitted()
    document.referral = referral_get_for(user, document.referral_id, "document.view")
    return document
