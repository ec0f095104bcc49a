"""Documents an authority attaches to a referral: court order, care plan, risk assessment,
chronology.

The file itself is in the ``documents`` storage (``settings.STORAGES``), outside
the web root, under a random name; this row holds what the service needs to
serve it safely: the detected type, a cleaned name, its size and checksum.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from swc.organisations.models import Organisation
from swc.referrals.models import Referral

from .filetypes import FILE_TYPES


class DocumentKind(models.TextChoices):
    COURT_ORDER = "court_order", "Court order"
    CARE_PLAN = "care_plan", "Care plan"
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
    CHRONOLOGY = "chronology", "Chronology"


class Document(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    # Cleaned by filetypes.document_name_clean; ends in the detected type's extension.
    name = models.CharField(max_length=120)
    file_type = models.CharField(
        max_length=8, choices=[(code, t.label) for code, t in FILE_TYPES.items()]
    )
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Where the bytes are in the documents storage: random, never derived from the upload.
    storage_name = models.CharField(max_length=200, unique=True)
    uploaded_at = models.DateTimeField()
    # Set once the bytes are safely in storage. The row is written (and committed) first,
    # so that a worker killed mid-upload leaves a row the sweep can find, never an
    # orphan file that nothing points to; rows without it are never listed or served.
    stored_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["referral", "uploaded_at"]),
            models.Index(fields=["stored_at", "uploaded_at"], name="document_unfinished"),
        ]

    def __str__(self) -> str:
        # Never the file's name: it may name the child.
        return f"Document {self.pk} ({self.kind}) on {self.referral}"

    @property
    def content_type(self) -> str:
        return FILE_TYPES[self.file_type].content_type

    @property
    def file_type_label(self) -> str:
        return FILE_TYPES[self.file_type].label
