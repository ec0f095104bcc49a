"""Imports point down: pages and the API use the domain, the domain uses organisations and
the audit, everything may use core, and nothing below imports anything above it.

Each module of the service is parsed (``ast``, so imports inside functions count too) and
every ``swc.*`` import is checked against the layer table below, typed by hand from
/work/shared/style.md ("Direction of imports"). Tests and migrations are left out: a test
may build a world from any part of the service.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

SWC = Path(settings.BASE_DIR) / "swc"

# Higher numbers sit above lower ones and may import them, never the other way round.
LAYERS: dict[str, int] = {
    # the scheduler calls each part's scheduled work, the API's housekeeping included
    "scheduling": 4,
    # what people and systems call: pages and the API
    "web": 3,
    "api": 3,
    # the domain
    "referrals": 2,
    "homes": 2,
    "matching": 2,
    "reporting": 2,
    "notifications": 2,
    "privacy": 2,
    "questions": 2,
    "documents": 2,
    # who may do what, and the record of what was done: one layer, since every refusal is
    # audited and the audit asks the policy who may read it
    "organisations": 1,
    "audit": 1,
    # the base model, clock, calendar, errors, events and shared vocabulary
    "core": 0,
}
# In these layers two parts never import each other: each is a separate door in.
NO_IMPORTS_ACROSS = {3}
# In these, two parts may import each other only one way (no cycle).
NO_CYCLES = {2, 3}

# Known and owned: removed by the helper named as they land. An entry that no longer
# happens fails the test, so this list only shrinks.
PENDING: dict[tuple[str, str], str] = {}


def _modules() -> list[Path]:
    return sorted(
        path
        for path in SWC.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def _imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) of every ``swc.*`` import in ``source``, relative ones resolved."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return sorted((line, name) for line, name in found if name.startswith("swc."))


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(SWC.parent).with_suffix("").parts[:-1])


def _app_of(path: Path) -> str:
    return path.relative_to(SWC).parts[0]


def _edges() -> list[tuple[str, str, str, int, str]]:
    """(importing app, imported app, file, line, module) for every import between apps."""
    edges = []
    for path in _modules():
        if path.parent == SWC:
            continue
        app = _app_of(path)
        for line, name in _imports(path.read_text(), _package_of(path)):
            other = name.split(".")[1]
            if other != app:
                edges.append((app, other, str(path.relative_to(SWC.parent)), line, name))
    return edges


EDGES = _edges()


def test_every_part_of_the_service_has_a_layer() -> None:
    apps = {p.name for p in SWC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps - set(LAYERS) == set(), (
        "Give each new part of the service a layer in tests/test_import_direction.py's LAYERS"
    )


def test_imports_inside_functions_and_relative_imports_are_read() -> None:
    source = (
        "import os\n"
        "from swc.core import clock\n"
        "def f():\n"
        "    from swc.web.views import public\n"
        "from ..api import problems\n"
        "from .models import Thing\n"
    )
    assert _imports(source, "swc.reporting.management") == [
        (2, "swc.core"),
        (4, "swc.web.views"),
        (5, "swc.reporting.api"),
        (6, "swc.reporting.management.models"),
    ]


def _offences() -> list[str]:
    offences = []
    for app, other, file, line, name in EDGES:
        if (file, name) in PENDING:
            continue
        mine, theirs = LAYERS.get(app), LAYERS.get(other)
        if mine is None or theirs is None:
            continue
        if theirs > mine:
            offences.append(f"{file}:{line} imports {name}: {app} may not import {other}, above it")
        elif theirs == mine and mine in NO_IMPORTS_ACROSS:
            offences.append(
                f"{file}:{line} imports {name}: {app} and {other} are both entry points; "
                "move what they share down (core, or the domain part it belongs to)"
            )
    return offences


def test_no_part_imports_a_part_above_it() -> None:
    offences = _offences()
    assert not offences, "Imports that point up:\n" + "\n".join(offences)


def test_no_two_parts_of_one_layer_import_each_other() -> None:
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app, other, file, line, name in EDGES:
        if (file, name) not in PENDING:
            by_pair[(app, other)].append(f"{file}:{line} imports {name}")
    cycles = []
    for (app, other), places in sorted(by_pair.items()):
        layer = LAYERS.get(app)
        if layer in NO_CYCLES and LAYERS.get(other) == layer and app < other:
            back = by_pair.get((other, app))
            if back:
                cycles.append(f"{app} <-> {other}: {places[0]}; and {back[0]}")
    assert not cycles, "Parts that import each other:\n" + "\n".join(cycles)


@pytest.mark.parametrize(("file", "module"), sorted(PENDING))
def test_each_pending_exception_still_happens(file: str, module: str) -> None:
    assert any(f == file and name == module for *_, f, _line, name in EDGES), (
        f"{file} no longer imports {module}: remove it from PENDING"
    )
