"""The type of a file is judged by its bytes; its name is cleaned. Expected answers typed by hand."""

from __future__ import annotations

import io

import pytest

from swc.documents.filetypes import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    document_name_clean,
    file_type_detect,
    is_program,
)

from . import samples


@pytest.mark.parametrize(
    "content, expected",
    [
        (samples.PDF, PDF),
        (samples.PNG, PNG),
        (samples.JPEG, JPEG),
        (samples.DOCX, DOCX),
        (samples.ZIP, None),
        (samples.XLSX, None),
        (samples.ELF, None),
        (samples.MZ, None),
        (samples.TEXT, None),
        (samples.HTML, None),
        (b"", None),
        (b"PK\x03\x04 truncated archive", None),
        # A PDF signature anywhere but the start does not count.
        (b" %PDF-1.4", None),
    ],
)
def test_type_from_content(content, expected):
    stream = io.BytesIO(content)
    assert file_type_detect(stream) is expected
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "content, program",
    [(samples.ELF, True), (samples.MZ, True), (b"#!/bin/sh\n", True), (samples.PDF, False)],
)
def test_programs_are_recognised_to_say_why_they_are_refused(content, program):
    assert is_program(io.BytesIO(content)) is program


@pytest.mark.parametrize(
    "name, file_type, expected",
    [
        ("Court order.pdf", PDF, "Court order.pdf"),
        ("care-plan_v2.DOCX", DOCX, "care-plan_v2.docx"),
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ("C:\\Users\\sw\\Risk assessment.pdf", PDF, "Risk assessment.pdf"),
        ("photo.png", JPEG, "photo.jpg"),
        (".hidden.pdf", PDF, "hidden.pdf"),
        # "/" separates folders, so only what follows the last one is kept.
        ('<script>alert("x")</script>.pdf', PDF, "script.pdf"),
        ('<b onclick="x">.pdf', PDF, "b onclick_x.pdf"),
        ("order\x00.exe.pdf", PDF, "order_exe.pdf"),
        ("", PDF, "document.pdf"),
        ("...", PNG, "document.png"),
        ("Chronology – Ｆｕｌｌ.pdf", PDF, "Chronology _ Full.pdf"),
        ("a" * 150 + ".pdf", PDF, "a" * 100 + ".pdf"),
    ],
)
def test_names_are_cleaned(name, file_type, expected):
    assert document_name_clean(name, file_type) == expected


def test_the_demo_pdf_is_a_pdf_by_its_content():
    from swc.documents.demo import demo_pdf

    content = demo_pdf("Care plan (draft)", "R000042")
    assert file_type_detect(io.BytesIO(content)) is PDF
    assert content.endswith(b"%%EOF\n")
    # The cross-reference table's first entry points at object 1, as a reader expects.
    xref_at = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    first = int(content[xref_at:].split(b"\n")[3][:10])
    assert content[first:].startswith(b"1 0 obj")
