"""Small synthetic files of each kind, made in the test (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
MZ = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56
TEXT = b"Just some words in a text file.\n"
HTML = b"<html><script>alert(1)</script></html>"
WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_of(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
        b'ContentType="' + WORD_MAIN + b'"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
)
# A ZIP that is not a Word document, and a spreadsheet (a ZIP of other parts).
ZIP = zip_of({"notes.txt": b"hello"})
XLSX = zip_of(
    {
        "[Content_Types].xml": b"<Types>application/vnd.openxmlformats-officedocument."
        b"spreadsheetml.sheet.main+xml</Types>",
        "xl/workbook.xml": b"<workbook/>",
    }
)
