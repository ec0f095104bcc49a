"""What kind of file an upload really is, from its bytes; and a safe name for it.

Pure: no Django, no storage. The name a person's computer gave the file and
the content type their browser claimed are both ignored: a program renamed
``order.pdf`` is still a program. Only four kinds are accepted (PDF, Word
DOCX, JPEG, PNG), each recognised by its signature; a DOCX is a ZIP archive
that must hold the parts of a Word document.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    extension: str
    content_type: str


PDF = FileType("pdf", "PDF", "pdf", "application/pdf")
DOCX = FileType(
    "docx",
    "Word document",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
JPEG = FileType("jpeg", "JPEG image", "jpg", "image/jpeg")
PNG = FileType("png", "PNG image", "png", "image/png")
FILE_TYPES = {t.code: t for t in (PDF, DOCX, JPEG, PNG)}
ACCEPTED_WORDS = "a PDF, Word document (DOCX), JPEG or PNG"

# Signatures of programs, to say plainly why a renamed one is refused.
PROGRAM_SIGNATURES = (
    b"\x7fELF",  # Linux
    b"MZ",  # Windows
    b"\xfe\xed\xfa\xce",  # macOS (Mach-O, 32 and 64 bit, both byte orders)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"#!",  # a script
)
ZIP_SIGNATURE = b"PK\x03\x04"
# A Word document's required parts (ECMA-376 part 2): the content types and the main part.
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
DOCX_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# The content-types part is a few kilobytes; reading more would invite a zip bomb.
CONTENT_TYPES_LIMIT = 256 * 1024


def file_type_detect(stream: IO[bytes]) -> FileType | None:
    """The accepted type ``stream`` holds, judged by its content; None when it is none of them.

    Leaves the stream at its start.
    """
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(ZIP_SIGNATURE) and _is_word_document(stream):
            return DOCX
        return None
    finally:
        stream.seek(0)


def _is_word_document(stream: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if not all(part in names for part in DOCX_PARTS):
                return False
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(CONTENT_TYPES_LIMIT)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False
    return DOCX_MAIN_TYPE in content_types


def is_program(stream: IO[bytes]) -> bool:
    """Does the file start like a program (so that the refusal can say so)?"""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    return head.startswith(PROGRAM_SIGNATURES)


NAME_LIMIT = 100


def document_name_clean(name: str, file_type: FileType) -> str:
    """A name safe to show and to offer as a download: no folders, no control or markup
    characters, at most 100 characters, ending in the extension of the detected type."""
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9 _().-]+", "_", stem)
    stem = re.sub(r"[ ]{2,}", " ", stem)
    stem = re.sub(r"[_.]{2,}", "_", stem)
    stem = stem.strip(" ._-")[:NAME_LIMIT].rstrip(" ._-")
    return f"{stem or 'document'}.{file_type.extension}"
