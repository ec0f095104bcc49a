"""Synthetic documents for `make run`: a court order and a care plan, as small PDFs that say
they are synthetic, on open demo referrals that have been sent to homes. Skipped when loaded."""

from __future__ import annotations

import hashlib
import uuid
from typing import TextIO

from django.core.files.base import ContentFile
from django.db import transaction

from swc.core import clock
from swc.referrals.models import Referral
from swc.referrals.workflow import OPEN

from .models import Document, DocumentKind
from .services import documents_storage

DEMO_REFERRALS = 12


def demo_pdf(title: str, reference: str) -> bytes:
    """A one-page PDF (PDF 1.4, Helvetica) with a title and a line saying it is synthetic."""
    lines = [(title, 20, 760), (f"Referral {reference}", 12, 730)]
    lines.append(("Synthetic demonstration document: no real person is described.", 12, 710))
    text = "".join(
        f"BT /F1 {size} Tf 72 {y} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET\n"
        for line, size, y in lines
    ).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def demo_documents_load(out: TextIO) -> None:
    demo = Referral.objects.filter(la_child_identifier__startswith="DEMO-")
    if Document.objects.filter(referral__in=demo).exists():
        out.write("Documents: demo documents already loaded\n")
        return
    referrals = list(
        demo.filter(status__in=OPEN, shares__isnull=False)
        .distinct()
        .order_by("pk")[:DEMO_REFERRALS]
    )
    storage = documents_storage()
    now = clock.now()
    made = 0
    with transaction.atomic():
        for referral in referrals:
            for kind, title in (
                (DocumentKind.COURT_ORDER, "Interim secure accommodation order"),
                (DocumentKind.CARE_PLAN, "Care plan"),
            ):
                content = demo_pdf(title, referral.reference)
                name = storage.save(
                    f"referrals/{referral.pk}/{uuid.uuid4().hex}", ContentFile(content)
                )
                Document.objects.create(
                    referral=referral,
                    kind=kind,
                    name=f"{title}.pdf",
                    file_type="pdf",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    storage_name=name,
                    uploaded_at=now,
                    stored_at=now,
                    uploaded_by_organisation_id=referral.local_authority.organisation_id,
                )
                made += 1
    out.write(f"Documents: {made} synthetic documents on {len(referrals)} referrals\n")
