"""A signed-in crawl of the service as one person: every page and download they can reach.

Used by the confidentiality tests to look for data a role must never see.
It follows same-site links (GET only) from the start page, reads HTML, CSV,
JSON and XLSX (every XML part inside the workbook).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from html import unescape

from django.test import Client

LINK = re.compile(r'href="(/[^"#]*)"')
NEVER_FOLLOW = ("/sign-out", "/static/", "/api/docs", "/api/schema", "/signed-out")


@dataclass
class CrawlResult:
    pages: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    # Each page's content type and body as served, for checks that read the file itself.
    bodies: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def containing(self, needle: str) -> list[str]:
        return [url for url, text in self.pages.items() if needle in text]


def response_body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def response_text(response, body: bytes | None = None) -> str:  # type: ignore[no-untyped-def]
    content_type = response.get("Content-Type", "")
    body = response_body(response) if body is None else body
    if "spreadsheetml" in content_type or body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return "\n".join(
                workbook.read(name).decode("utf-8", "replace")
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    return unescape(body.decode("utf-8", "replace"))


def crawl(client: Client, *, start: str = "/", limit: int = 250) -> CrawlResult:
    result = CrawlResult()
    queue: deque[str] = deque([start])
    seen = {start}
    while queue and len(result.pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        result.statuses[url] = response.status_code
        if response.status_code != 200:
            continue
        body = response_body(response)
        result.bodies[url] = (response.get("Content-Type", ""), body)
        text = response_text(response, body)
        result.pages[url] = text
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(text):
            link = unescape(link)
            if link.startswith(NEVER_FOLLOW) or link in seen:
                continue
            # Pagination, sorting and filters multiply pages without new content:
            # one link of each query shape; every record's own page is visited.
            if "?" in link:
                shape = re.sub(r"=[^&]*", "=", link)
                if shape in seen:
                    continue
                seen.add(shape)
            seen.add(link)
            queue.append(link)
    return result
