"""How a match run keeps its result, and how pages and the API read it back.

A run keeps ranks, points and the codes and facts behind each reason, not
the sentences: at 3,000 homes the sentences made the stored run 1.3 MB and
writing them was a third of the click. The words are written when a page or
the API shows a home, by the same functions in ``scoring`` that word a fresh
result, so the list shown again is the list given.

Runs kept before this shape (with each part's label and reason as text,
``"parts"``, and each exclusion's sentences, ``"reasons"``) are read as they
are: both shapes are understood here, and only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


def candidate_json(c: scoring.Candidate) -> dict[str, Any]:
    """A ranked home as a match run keeps it: points and the facts behind each reason."""
    facts: dict[str, Any] = {}
    for part in c.parts:
        facts.update(part.facts)
    facts.pop("miles", None)  # the distance is kept once, as shown
    return {
        "home_id": c.home_id,
        "name": c.name,
        "score": c.score,
        "distance_miles": c.distance_miles,
        "bed_id": c.bed.bed_id,
        "bed_available_from": c.bed.available_from.isoformat(),
        "points": [part.points for part in c.parts],
        **facts,
    }


def exclusion_json(e: scoring.Exclusion) -> dict[str, Any]:
    """An excluded home as a match run keeps it: its name and the code of every reason."""
    return {
        "home_id": e.home_id,
        "name": e.name,
        "why": [[r.code, r.facts] if r.facts else [r.code] for r in e.why],
    }


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
