"""JSON bodies, refused above a size limit before they are read into memory,
and above a nesting depth before they are parsed."""

from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from rest_framework.parsers import JSONParser

from .problems import NestedTooDeep, RequestBodyTooLarge

# A referral is a few kilobytes of text; a megabyte leaves ample room.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# The deepest body the API takes is an object of lists (three levels); Python's
# parser recurses once per level and a few thousand levels end it with a 500.
MAX_NESTING_DEPTH = 32

# A JSON string (escapes included): brackets inside one do not nest anything.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# An array or object with nothing left inside it: one level, removed per pass.
_INNERMOST = re.compile(rb"\[\]|\{\}")


def max_body_bytes() -> int:
    return int(getattr(settings, "SWC_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def json_nests_deeper_than(body: bytes, limit: int) -> bool:
    """Do arrays and objects in ``body`` nest more than ``limit`` levels deep?

    Decided on the text before parsing, in at most ``limit`` passes of C-speed
    regular expressions over the brackets alone. Unbalanced text is left for
    the parser to refuse as malformed.
    """
    brackets = _STRING.sub(b'""', body).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        if not brackets:
            return False
        brackets = _INNERMOST.sub(b"", brackets)
    return _INNERMOST.search(brackets) is not None


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = max_body_bytes()
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestBodyTooLarge()
        if json_nests_deeper_than(body, MAX_NESTING_DEPTH):
            raise NestedTooDeep(f"The JSON body nests deeper than {MAX_NESTING_DEPTH} levels.")
        return super().parse(io.BytesIO(body), media_type, parser_context)
