"""JSON bodies, refused above a size limit before they are read into memory,
and above a nesting depth before they are parsed."""

from __future__ import annotations

import io
import re
from itertools import accumulate
from typing import Any

from django.conf import settings
from rest_framework.parsers import JSONParser

from .problems import NestedTooDeep, RequestBodyTooLarge

# A referral is a few kilobytes of text; a megabyte leaves ample room.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# The deepest body the API takes is an object of lists (three levels); Python's
# parser recurses once per level and a few thousand levels end it with a 500.
MAX_NESTING_DEPTH = 32

# A JSON string (escapes included), or one left open at the end: brackets inside
# one nest nothing (an unclosed string is for the parser to refuse as malformed).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# Each bracket's step in the depth: an opening one goes down a level, a closing one up.
_STEP = [1 if b in b"[{" else -1 if b in b"]}" else 0 for b in range(256)]


def max_body_bytes() -> int:
    return int(getattr(settings, "SWC_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def json_nests_deeper_than(body: bytes, limit: int) -> bool:
    """Do arrays and objects in ``body`` nest more than ``limit`` levels deep?

    Decided on the text before parsing: the deepest point the brackets reach
    outside strings. Brackets left open count as much as closed ones (the
    parser recurses into each before it finds whether it is closed: 5,000
    unclosed brackets crashed it as surely as 5,000 closed ones).
    """
    brackets = _STRING.sub(b'""', body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = max_body_bytes()
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestBodyTooLarge()
        if json_nests_deeper_than(body, MAX_NESTING_DEPTH):
            raise NestedTooDeep(f"The JSON body nests deeper than {MAX_NESTING_DEPTH} levels.")
        return super().parse(io.BytesIO(body), media_type, parser_context)
