"""How a match run keeps its result, and how pages and the API read it back.

A run keeps ranks, points and the codes and facts behind each reason, not
the sentences: at 3,000 homes the sentences made the stored run 1.3 MB and
writing them was a third of the click. The words are written when a page or
the API shows a home, by the same functions in ``scoring`` that word a fresh
result, so the list shown again is the list given.

A run keeps its rows column by column (``compact``): one list per attribute,
dates as days from the first, lists of codes as bit masks, a reason as the
number of its code and its facts' values; names are kept, so the list
shows again as it stood whatever is renamed. At 3,000 homes that is 214 KB
where one dict a home made 694 KB (PostgreSQL keeps it as ``json`` text, see
``models.RunRowsField``). ``expand`` gives back the very same dicts, so
everything below reads rows, whichever shape a run was stored in.

Runs stored before are lists of those dicts and ``expand`` returns them as
they are: runs kept with sentences (each part's label and reason as text,
``"parts"``, and each exclusion's sentences, ``"reasons"``) and runs kept
with codes one dict a home. Every shape is understood here, and only here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, groupby
from operator import attrgetter, itemgetter
from typing import Any

from . import scoring


@dataclass(frozen=True)
class ShownPart:
    name: str
    label: str
    points: float
    out_of: float
    reason: str


@dataclass(frozen=True)
class RankedHome:
    """A home that could take the child, as a page or the API shows it."""

    rank: int
    home_id: int
    name: str
    score: float | None
    distance_miles: float | None
    bed_id: int | None
    bed_available_from: str | None
    parts: tuple[ShownPart, ...]


@dataclass(frozen=True)
class ExcludedHome:
    home_id: int | None
    name: str
    why: tuple[tuple[str, Mapping[str, Any]], ...]  # empty for a run kept before codes were
    kept_reasons: tuple[str, ...] = ()  # the sentences such a run kept

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.why)

    @property
    def reasons(self) -> tuple[str, ...]:
        """The sentences, written when asked for: a page words only the homes it shows."""
        if not self.why:
            return self.kept_reasons
        return tuple(scoring.exclusion_words(code, facts) for code, facts in self.why)


@dataclass(frozen=True)
class ExclusionGroup:
    """The homes left out for one reason (a home with two reasons is in both groups)."""

    code: str
    title: str
    homes: tuple[ExcludedHome, ...]


# --- writing ---------------------------------------------------------------------------


# A ranked home's row, before the facts behind its reasons: each key and how it is read.
_CANDIDATE_FIELDS: tuple[tuple[str, Callable[[scoring.Candidate], Any]], ...] = (
    ("home_id", attrgetter("home_id")),
    ("name", attrgetter("name")),
    ("score", attrgetter("score")),
    ("distance_miles", attrgetter("distance_miles")),
    ("bed_id", attrgetter("bed.bed_id")),
    ("bed_available_from", lambda c: c.bed.available_from.isoformat()),
    ("points", lambda c: [part.points for part in c.parts]),
)


def _fact_parts(c: scoring.Candidate) -> dict[str, int]:
    """Each fact a candidate's row keeps, and the part it is read from (the last that has it)."""
    held = {key: i for i, part in enumerate(c.parts) for key in part.facts}
    held.pop("miles", None)  # the distance is kept once, as shown
    return held


def candidate_json(c: scoring.Candidate) -> dict[str, Any]:
    """A ranked home as a match run keeps it: points and the facts behind each reason."""
    row = {key: read(c) for key, read in _CANDIDATE_FIELDS}
    row.update((key, c.parts[i].facts[key]) for key, i in _fact_parts(c).items())
    return row


def candidates_compact(candidates: Sequence[scoring.Candidate]) -> dict[str, Any]:
    """``compact`` of the candidates' rows (``candidate_json``), built a column at a time.

    The same stored run without a dict a home first: at 3,000 homes half the
    time. Every candidate's parts carry the same facts (``scoring.score_parts``
    makes them), so the first candidate says the keys and where each fact is.
    """
    if not candidates:
        return compact([])
    keys = list(candidate_json(candidates[0]))
    facts = _fact_parts(candidates[0])
    fields = dict(_CANDIDATE_FIELDS)
    columns = [
        [c.parts[facts[key]].facts[key] for c in candidates]
        if key in facts
        else list(map(fields[key], candidates))
        for key in keys
    ]
    return {"v": COMPACT, "segments": [[len(candidates), keys, list(map(_column, columns))]]}


def exclusion_json(e: scoring.Exclusion) -> dict[str, Any]:
    """An excluded home as a match run keeps it: its name and the code of every reason."""
    return {
        "home_id": e.home_id,
        "name": e.name,
        "why": [[r.code, r.facts] if r.facts else [r.code] for r in e.why],
    }


# --- the stored shape ------------------------------------------------------------------

COMPACT = 2  # the version of the shape ``compact`` writes


class CompactEncoder(json.JSONEncoder):
    """JSON without the space after each comma and colon: an eighth of a compact run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_separator, self.key_separator = ",", ":"


def compact(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Rows of JSON values (a run's candidates or exclusions) as a run stores them.

    Consecutive rows with the same keys, in the same order, make one segment:
    ``[number of rows, keys, one encoded column a key]``. ``expand`` gives the
    rows back, equal value for value and type for type, keys in their order.
    """
    segments: list[list[Any]] = []
    for keys, group in groupby(rows, key=tuple):
        segment = list(group)
        if len(keys) > 1:
            columns = [list(c) for c in zip(*map(itemgetter(*keys), segment), strict=True)]
        else:
            columns = [[row[key] for row in segment] for key in keys]
        segments.append([len(segment), list(keys), [_column(c) for c in columns]])
    return {"v": COMPACT, "segments": segments}


def expand(stored: Any) -> list[dict[str, Any]]:
    """A run's stored candidates or exclusions as rows, one dict a home, whatever the shape.

    The one reader of the stored shape: every page, the API and the services
    read a run's rows through here.
    """
    if isinstance(stored, list):  # stored before ``compact``: already one dict a home
        return stored
    if stored.get("v") != COMPACT:
        raise ValueError(f"A match run stored in an unknown shape: {stored.get('v')!r}")
    rows: list[dict[str, Any]] = []
    for n, keys, columns in stored["segments"]:
        values = [_values(c, n) for c in columns]
        rows.extend(dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True))
        if not keys:
            rows.extend({} for _ in range(n))
    return rows


# A column is kept as a plain list unless one of these says it shorter:
#   {"same": v}                 every value is v (a number, string, true, false or null)
#   {"true": [i, ...]}          true or false: where it is true
#   {"from": day, "days": [..]} ISO dates: days after the first of them
#   {"codes": [..], "masks": [..]}  sorted lists of distinct strings: bits over the codes
#   {"reasons": [..], "rows": [..]} lists of reasons ([code] or [code, facts]): each reason
#                                the number of its code and keys, then the facts' values
#   {"parts": [..]}             lists of one length: one column a position
_SCALARS = (str, int, float, type(None))


def _identical(values: list[Any]) -> bool:
    """Every value the same (the values are all of one type)."""
    if values.count(values[0]) != len(values):
        return False
    # 0.0 and -0.0 are equal, and not the same number to keep.
    return type(values[0]) is not float or len(set(map(repr, values))) == 1


def _is_day(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _reason_shape(reason: Any) -> tuple[str, ...] | None:
    """``(code,)`` or ``(code, *facts' keys)``; None when it is not a reason."""
    if not isinstance(reason, list) or not reason or type(reason[0]) is not str:
        return None
    if len(reason) == 1:
        return (reason[0],)
    facts = reason[1]
    if len(reason) == 2 and type(facts) is dict and facts:
        return (reason[0], *facts)
    return None


def _column(values: list[Any]) -> Any:
    kinds = set(map(type, values))
    if len(kinds) != 1:
        return values
    kind = kinds.pop()
    if kind is bool:
        return {"true": [i for i, v in enumerate(values) if v]}
    if kind in _SCALARS and _identical(values):
        return {"same": values[0]}
    if kind is str:
        distinct = set(values)
        if all(map(_is_day, distinct)):
            day = {v: dt.date.fromisoformat(v).toordinal() for v in distinct}
            first = min(day.values())
            return {
                "from": dt.date.fromordinal(first).isoformat(),
                "days": [day[v] - first for v in values],
            }
    if kind is list:
        return _list_column(values)
    return values


def _list_column(values: list[list[Any]]) -> Any:
    if set(map(type, chain.from_iterable(values))) <= {str}:
        distinct = set(map(tuple, values))
        if all(list(v) == sorted(set(v)) for v in distinct):  # each sorted, no code twice
            codes = sorted(set(chain.from_iterable(distinct)))
            bit = {c: 1 << i for i, c in enumerate(codes)}
            mask = {v: sum(bit[c] for c in v) for v in distinct}
            return {"codes": codes, "masks": [mask[v] for v in map(tuple, values)]}
    reasons = _reasons_column(values)
    if reasons is not None:
        return reasons
    width = len(values[0])
    if width and all(len(v) == width for v in values):
        return {"parts": [_column(list(p)) for p in zip(*values, strict=True)]}
    return values


def _reasons_column(values: list[list[Any]]) -> dict[str, Any] | None:
    number: dict[tuple[str, ...], int] = {}
    rows: list[list[Any]] = []
    for v in values:
        row: list[Any] = []
        for reason in v:
            shape = _reason_shape(reason)
            if shape is None:
                return None
            i = number.setdefault(shape, len(number))
            row.append(i if len(reason) == 1 else [i, *reason[1].values()])
        rows.append(row)
    return {"reasons": [list(s) for s in number], "rows": rows}


def _values(column: Any, n: int) -> list[Any]:
    if isinstance(column, list):
        return column
    if "same" in column:
        return [column["same"]] * n
    if "true" in column:
        values = [False] * n
        for i in column["true"]:
            values[i] = True
        return values
    if "days" in column:
        first = dt.date.fromisoformat(column["from"]).toordinal()
        day = {d: dt.date.fromordinal(first + d).isoformat() for d in set(column["days"])}
        return [day[d] for d in column["days"]]
    if "masks" in column:
        codes = column["codes"]
        masks = column["masks"]
        lists = {m: [c for i, c in enumerate(codes) if m >> i & 1] for m in set(masks)}
        return [lists[m].copy() for m in masks]
    if "reasons" in column:
        shapes = column["reasons"]
        return [
            [
                [shapes[r][0]]
                if isinstance(r, int)
                else [shapes[r[0]][0], dict(zip(shapes[r[0]][1:], r[1:], strict=True))]
                for r in row
            ]
            for row in column["rows"]
        ]
    parts = [_values(p, n) for p in column["parts"]]
    return [list(v) for v in zip(*parts, strict=True)]


# --- reading ---------------------------------------------------------------------------


def _part_facts(name: str, kept: Mapping[str, Any]) -> dict[str, Any]:
    if name == "distance":
        return {"miles": kept["distance_miles"]}
    if name == "specialist_support":
        return {"needs": kept["needs"], "met": kept["met"]}
    if name == "group_fit":
        return {"needs": kept["needs"], "shared": kept["shared"]}
    if name == "earlier_placement":
        return {"earlier": kept["earlier"]}
    return {"wait": kept["wait"]}


def ranked_home_of(kept: Mapping[str, Any], weights: Mapping[str, Any], rank: int) -> RankedHome:
    """One kept candidate, its reasons in words (either shape)."""
    if "points" in kept:
        parts = tuple(
            ShownPart(
                name,
                scoring.PART_LABELS[name],
                points,
                float(weights.get(name, getattr(scoring.WEIGHTS, name))),
                scoring.part_words(name, _part_facts(name, kept)),
            )
            for name, points in zip(scoring.PART_NAMES, kept["points"], strict=True)
        )
    else:
        parts = tuple(
            ShownPart(p["name"], p["label"], p["points"], p["out_of"], p["reason"])
            for p in kept.get("parts", ())
        )
    return RankedHome(
        rank=rank,
        home_id=kept["home_id"],
        name=kept["name"],
        score=kept.get("score"),
        distance_miles=kept.get("distance_miles"),
        bed_id=kept.get("bed_id"),
        bed_available_from=kept.get("bed_available_from"),
        parts=parts,
    )


def ranked_homes_of(
    kept: list[dict[str, Any]], weights: Mapping[str, Any], start: int = 0, stop: int | None = None
) -> list[RankedHome]:
    """The kept candidates from ``start`` to ``stop`` (ranks count from 1), in words."""
    return [ranked_home_of(c, weights, start + i + 1) for i, c in enumerate(kept[start:stop])]


def excluded_home_of(kept: Mapping[str, Any]) -> ExcludedHome:
    """One kept exclusion, its reasons in words (either shape)."""
    if "why" in kept:
        why = tuple((item[0], item[1] if len(item) > 1 else {}) for item in kept["why"])
        return ExcludedHome(kept["home_id"], kept["name"], why)
    return ExcludedHome(kept.get("home_id"), kept["name"], (), tuple(kept.get("reasons", ())))


def exclusions_grouped(kept: Iterable[Mapping[str, Any]]) -> list[ExclusionGroup]:
    """Excluded homes grouped by reason, in the order of ``scoring.EXCLUSION_CODES``.

    A run kept before codes were has one group of its own, "Other reasons"
    (its code is the empty string).
    """
    by_code: dict[str, list[ExcludedHome]] = {}
    for item in kept:
        home = excluded_home_of(item)
        for code in home.codes or ("",):
            by_code.setdefault(code, []).append(home)
    order = [*scoring.EXCLUSION_CODES, *sorted(set(by_code) - set(scoring.EXCLUSION_CODES))]
    return [
        ExclusionGroup(code, scoring.EXCLUSION_CODES.get(code, "Other reasons"), tuple(homes))
        for code in order
        if (homes := by_code.get(code))
    ]
