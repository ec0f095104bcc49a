"""Finds internal names (snake_case words, ``app.model`` labels) in the text a person sees.

A page's visible text is what is left once tags, scripts, styles and comments are
removed: attribute values (names, ids, classes, hrefs) are the browser's, not the
reader's. A CSV is read cell by cell; a workbook through openpyxl, cell values only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from html import unescape

import openpyxl
from django.apps import apps

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
HIDDEN = re.compile(
    r"<(script|style|template|textarea)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
TAG = re.compile(r"<[^>]*>")
# Text that is a person's own words or an address, never a label the service chose:
# an email address (demo accounts like unit.manager@swcu.example) and a web address.
NOT_LABELS = re.compile(r"\S+@\S+|https?://\S+")


def model_labels() -> set[str]:
    """Every ``app_label.modelname`` the project defines, as the admin and audit write them."""
    return {model._meta.label_lower for model in apps.get_models()}


def html_visible_text(html: str) -> str:
    return unescape(TAG.sub(" ", HIDDEN.sub(" ", html)))


def csv_cells(body: str) -> Iterable[str]:
    for row in csv.reader(io.StringIO(body)):
        yield from row


def xlsx_cells(body: bytes) -> Iterable[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    for sheet in workbook.worksheets:
        yield sheet.title
        for row in sheet.iter_rows(values_only=True):
            yield from (str(value) for value in row if isinstance(value, str))


def internal_names(text: str, labels: set[str]) -> set[str]:
    """The snake_case words and model labels in ``text`` (addresses excepted)."""
    text = NOT_LABELS.sub(" ", text)
    found = set(SNAKE_CASE.findall(text))
    lowered = text.lower()
    found |= {label for label in labels if re.search(rf"\b{re.escape(label)}\b", lowered)}
    return found


def visible_internal_names(content_type: str, body: bytes, labels: set[str]) -> set[str]:
    """Internal names a person would see in one response; machine formats (JSON) are not read."""
    if "spreadsheetml" in content_type:
        return internal_names("\n".join(xlsx_cells(body)), labels)
    text = body.decode("utf-8", "replace")
    if "text/csv" in content_type:
        return internal_names("\n".join(csv_cells(text)), labels)
    if "text/html" in content_type:
        return internal_names(html_visible_text(text), labels)
    if "text/plain" in content_type:
        return internal_names(text, labels)
    return set()
