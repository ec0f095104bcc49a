"""Matching one child against every secure home: pure, deterministic, explained.

No ORM here. ``match_referral`` takes plain frozen dataclasses (a
``ChildProfile`` and ``HomeProfile`` rows built by the selectors) and returns a
``MatchResult``: the homes that can take the child ranked by score, every
score broken into its parts with a reason in words, and every home that
cannot take the child with *all* its reasons. The weights live in one place,
``WEIGHTS``. docs/matching.md explains the same rules for coordinators.

Cost: one pass over the homes and their free beds, O(homes + beds) with a
small constant, plus a sort of the candidates, O(h log h). The distance of
every home is computed in one vectorised numpy call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from swc.core.geography import distances_miles
from swc.core.vocabulary import HomeAccepts, NeedOrRisk


@dataclass(frozen=True)
class Weights:
    """Every number matching uses, in one place. Points are out of ``total`` (100)."""

    # Distance: full points at the child's home area, none at ``distance_zero_miles`` or beyond.
    distance: float = 30.0
    distance_zero_miles: float = 250.0
    # Specialist support: full points when the home supports every one of the child's needs.
    specialist_support: float = 25.0
    # Group fit: full points when none of the child's needs is already in the current group.
    group_fit: float = 15.0
    # Earlier placement of this child at the home: all or nothing.
    earlier_placement: float = 10.0
    # Bed free soon: full points for a bed free today, none for one free in ``bed_wait_zero_days``.
    bed_soon: float = 20.0
    bed_wait_zero_days: float = 14.0
    # Allocation across waiting children: a child's fit counts this many times over when
    # the deadline is within so many hours (the first tier that applies), else once.
    urgency_tiers: tuple[tuple[float, float], ...] = ((24.0, 2.0), (72.0, 1.5))

    @property
    def total(self) -> float:
        return (
            self.distance
            + self.specialist_support
            + self.group_fit
            + self.earlier_placement
            + self.bed_soon
        )


WEIGHTS = Weights()


# --- inputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bed:
    """One free welfare bed: from when, and for which sex only (blank: either)."""

    bed_id: int
    available_from: dt.date
    restriction_sex: str = ""
    restriction: str = ""

    def suits(self, sex: str) -> bool:
        return not self.restriction_sex or self.restriction_sex == sex


@dataclass(frozen=True)
class ChildProfile:
    """What matching needs to know about the child (no name, no identifier)."""

    referral_id: int
    age: int  # on the date needed
    sex: str
    needs: frozenset[str]
    latitude: float
    longitude: float
    date_needed: dt.date
    excluded_home_ids: frozenset[int] = frozenset()  # the authority's own exclusions
    earlier_home_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class HomeProfile:
    """What matching needs to know about one home, as its managers describe it."""

    home_id: int
    name: str
    latitude: float
    longitude: float
    age_min: int
    age_max: int
    accepts: str
    specialist_support: frozenset[str] = frozenset()
    risks_not_managed: frozenset[str] = frozenset()
    admissions_suspended: bool = False
    admissions_suspended_until: dt.date | None = None
    current_group_needs: frozenset[str] = frozenset()
    beds: tuple[Bed, ...] = ()


# --- outputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePart:
    name: str  # a key of Weights
    label: str
    points: float
    out_of: float
    reason: str


@dataclass(frozen=True)
class Candidate:
    home_id: int
    name: str
    score: float
    parts: tuple[ScorePart, ...]
    bed: Bed
    distance_miles: float

    @property
    def reasons(self) -> list[str]:
        return [part.reason for part in self.parts]


@dataclass(frozen=True)
class Exclusion:
    home_id: int
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    referral_id: int
    candidates: tuple[Candidate, ...]
    exclusions: tuple[Exclusion, ...]
    weights: Weights = field(default=WEIGHTS)


# --- the rules -----------------------------------------------------------------------


def need_label(code: str) -> str:
    try:
        return str(NeedOrRisk(code).label).lower()
    except ValueError:
        return code.replace("_", " ")


def _labels(codes: Iterable[str]) -> str:
    names = [need_label(c) for c in sorted(codes)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def suspended_on(home: HomeProfile, day: dt.date) -> bool:
    """Suspended on ``day``: a suspension with no end, or one ending on or after ``day``."""
    if not home.admissions_suspended:
        return False
    until = home.admissions_suspended_until
    return until is None or until >= day


def best_bed(child: ChildProfile, home: HomeProfile) -> Bed | None:
    """The earliest free bed that suits the child and is free by the date needed."""
    usable = [b for b in home.beds if b.suits(child.sex) and b.available_from <= child.date_needed]
    if not usable:
        return None
    return min(usable, key=lambda b: (b.available_from, b.bed_id))


def exclusion_reasons(child: ChildProfile, home: HomeProfile) -> tuple[list[str], Bed | None]:
    """Every hard constraint the home fails for this child (empty: it can be considered)."""
    reasons: list[str] = []
    bed = best_bed(child, home)
    if bed is None:
        if not home.beds:
            reasons.append("No free welfare bed on the register")
        elif not any(b.suits(child.sex) for b in home.beds):
            reasons.append("Its free beds are restricted to children of the other sex")
        else:
            first = min(b.available_from for b in home.beds if b.suits(child.sex))
            reasons.append(
                f"No free welfare bed by {child.date_needed:%-d %B %Y} "
                f"(first free {first:%-d %B %Y})"
            )
    if not home.age_min <= child.age <= home.age_max:
        reasons.append(
            f"Takes children aged {home.age_min} to {home.age_max}; the child will be {child.age}"
        )
    if not HomeAccepts.allows(home.accepts, child.sex):
        label = dict(HomeAccepts.choices).get(home.accepts, home.accepts)
        reasons.append(f"Registered for {str(label).lower()}")
    cannot = child.needs & home.risks_not_managed
    if cannot:
        reasons.append(f"Has said it cannot manage {_labels(cannot)}")
    if suspended_on(home, child.date_needed):
        until = home.admissions_suspended_until
        reasons.append(
            "Admissions suspended" + (f" until {until:%-d %B %Y}" if until else " (no end date)")
        )
    if home.home_id in child.excluded_home_ids:
        reasons.append("Excluded by the child's local authority")
    return reasons, bed


def _round(points: float) -> float:
    return round(points, 1)


def score_parts(
    child: ChildProfile,
    home: HomeProfile,
    bed: Bed,
    miles: float,
    today: dt.date,
    weights: Weights = WEIGHTS,
) -> tuple[ScorePart, ...]:
    """The soft factors, each as points out of its weight with a reason in words."""
    w = weights
    # Distance.
    share = max(0.0, 1.0 - miles / w.distance_zero_miles)
    distance = ScorePart(
        "distance",
        "Distance from home area",
        _round(w.distance * share),
        w.distance,
        f"{miles:.0f} miles from the child's home area",
    )
    # Specialist support.
    needs = child.needs
    if needs:
        met = needs & home.specialist_support
        support_points = w.specialist_support * len(met) / len(needs)
        reason = f"Specialist support for {len(met)} of the child's {len(needs)} needs" + (
            f" ({_labels(met)})" if met else ""
        )
    else:
        support_points = w.specialist_support
        reason = "The referral lists no needs calling for specialist support"
    support = ScorePart(
        "specialist_support",
        "Specialist support",
        _round(support_points),
        w.specialist_support,
        reason,
    )
    # Group fit: the same needs already in the group can make each child's worse.
    if needs:
        shared = needs & home.current_group_needs
        fit_points = w.group_fit * (1 - len(shared) / len(needs))
        fit_reason = (
            f"The current group already includes {_labels(shared)}"
            if shared
            else "None of the child's needs is present in the current group"
        )
    else:
        fit_points, fit_reason = (
            w.group_fit,
            "The referral lists no needs to weigh against the group",
        )
    fit = ScorePart(
        "group_fit", "Fit with current group", _round(fit_points), w.group_fit, fit_reason
    )
    # Earlier placement.
    earlier = home.home_id in child.earlier_home_ids
    before = ScorePart(
        "earlier_placement",
        "Earlier placement",
        w.earlier_placement if earlier else 0.0,
        w.earlier_placement,
        "The child has been placed here before" if earlier else "No earlier placement here",
    )
    # How soon the bed is free.
    wait = max(0, (bed.available_from - today).days)
    soon_points = w.bed_soon * max(0.0, 1.0 - wait / w.bed_wait_zero_days)
    soon = ScorePart(
        "bed_soon",
        "Bed free soon",
        _round(soon_points),
        w.bed_soon,
        "A bed is free now"
        if wait == 0
        else f"A bed is free in {wait} day{'s' if wait != 1 else ''}",
    )
    return (distance, support, fit, before, soon)


def match_referral(
    child: ChildProfile,
    homes: Iterable[HomeProfile],
    today: dt.date,
    weights: Weights = WEIGHTS,
) -> MatchResult:
    """Rank every home for this child. Same input in any order: same result.

    Candidates: highest score first, ties broken by home name then id.
    Exclusions: by home name then id, each with every reason that applies.
    """
    home_list = sorted(homes, key=lambda h: (h.name, h.home_id))
    miles = distances_miles(
        child.latitude,
        child.longitude,
        [h.latitude for h in home_list],
        [h.longitude for h in home_list],
    )
    candidates: list[Candidate] = []
    exclusions: list[Exclusion] = []
    for home, distance in zip(home_list, miles.tolist(), strict=True):
        reasons, bed = exclusion_reasons(child, home)
        if reasons or bed is None:
            exclusions.append(Exclusion(home.home_id, home.name, tuple(reasons)))
            continue
        parts = score_parts(child, home, bed, distance, today, weights)
        candidates.append(
            Candidate(
                home_id=home.home_id,
                name=home.name,
                score=_round(sum(p.points for p in parts)),
                parts=parts,
                bed=bed,
                distance_miles=round(distance, 1),
            )
        )
    candidates.sort(key=lambda c: (-c.score, c.name, c.home_id))
    return MatchResult(child.referral_id, tuple(candidates), tuple(exclusions), weights)
