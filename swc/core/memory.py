"""Python's cycle collector paused while one piece of work builds many short-lived objects.

Reference counting frees an object the moment nothing points at it; the cycle collector
only finds groups of objects that point at each other. It runs after every few hundred
new objects, and every so often walks *everything* the process holds (Django, the URL
map, the templates: some 170,000 objects in a worker). A match at 3,000 homes builds
tens of thousands of plain, acyclic objects (homes, beds, scores, the stored run) and so
set off full collections that took half its time (docs/performance.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cycle collector off for the block, back as it was after (even on an error).

    Only for bounded work whose objects hold no cycles (they are freed as usual, by
    reference counting); anything left in a cycle is collected on a later run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
