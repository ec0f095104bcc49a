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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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


# Facts are plain JSON values (numbers, strings, ISO dates, lists of codes), so a
# match run keeps the codes and facts, not sentences, and the words below are
# written only for what a page shows (``part_words``, ``exclusion_words``).
Facts = Mapping[str, Any]

PART_NAMES = ("distance", "specialist_support", "group_fit", "earlier_placement", "bed_soon")
PART_LABELS = {
    "distance": "Distance from home area",
    "specialist_support": "Specialist support",
    "group_fit": "Fit with current group",
    "earlier_placement": "Earlier placement",
    "bed_soon": "Bed free soon",
}


@dataclass(frozen=True)
class ScorePart:
    name: str  # a key of Weights and of PART_LABELS
    points: float
    out_of: float
    facts: Facts = field(default_factory=dict)

    @property
    def label(self) -> str:
        return PART_LABELS[self.name]

    @property
    def reason(self) -> str:
        return part_words(self.name, self.facts)


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
class Reason:
    """One hard constraint a home fails: a code of ``EXCLUSION_CODES`` and the facts its words need."""

    code: str
    facts: Facts = field(default_factory=dict)

    @property
    def words(self) -> str:
        return exclusion_words(self.code, self.facts)


@dataclass(frozen=True)
class Exclusion:
    home_id: int
    name: str
    why: tuple[Reason, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(reason.words for reason in self.why)


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
    # One plain pass: this runs for every home on every match (3,000 homes, 12,000 beds).
    best: Bed | None = None
    sex, needed = child.sex, child.date_needed
    for b in home.beds:
        if b.available_from > needed or (b.restriction_sex and b.restriction_sex != sex):
            continue
        if best is None or (b.available_from, b.bed_id) < (best.available_from, best.bed_id):
            best = b
    return best


# What each hard constraint is called when homes are grouped by why they are left out.
EXCLUSION_CODES = {
    "no_bed": "No free welfare bed on the register",
    "beds_other_sex": "Free beds only for children of the other sex",
    "no_bed_by": "No free welfare bed by the date needed",
    "age": "Cannot take a child of this age",
    "registration": "Not registered for a child of this sex",
    "cannot_manage": "Cannot manage one of the child's risks",
    "suspended": "Admissions suspended",
    "authority_excluded": "Excluded by the child's local authority",
}


def exclusion_reasons(child: ChildProfile, home: HomeProfile) -> tuple[list[Reason], Bed | None]:
    """Every hard constraint the home fails for this child (empty: it can be considered)."""
    reasons: list[Reason] = []
    bed = best_bed(child, home)
    if bed is None:
        if not home.beds:
            reasons.append(Reason("no_bed"))
        elif not any(b.suits(child.sex) for b in home.beds):
            reasons.append(Reason("beds_other_sex"))
        else:
            first = min(b.available_from for b in home.beds if b.suits(child.sex))
            reasons.append(
                Reason(
                    "no_bed_by",
                    {"needed": child.date_needed.isoformat(), "first": first.isoformat()},
                )
            )
    if not home.age_min <= child.age <= home.age_max:
        reasons.append(Reason("age", {"min": home.age_min, "max": home.age_max, "age": child.age}))
    if not HomeAccepts.allows(home.accepts, child.sex):
        reasons.append(Reason("registration", {"accepts": home.accepts}))
    cannot = child.needs & home.risks_not_managed
    if cannot:
        reasons.append(Reason("cannot_manage", {"codes": sorted(cannot)}))
    if suspended_on(home, child.date_needed):
        until = home.admissions_suspended_until
        reasons.append(Reason("suspended", {"until": until.isoformat() if until else None}))
    if home.home_id in child.excluded_home_ids:
        reasons.append(Reason("authority_excluded"))
    return reasons, bed


def _day(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso):%-d %B %Y}"


def exclusion_words(code: str, facts: Facts) -> str:
    """The sentence a page shows for one reason a home is left out."""
    if code == "no_bed_by":
        return f"No free welfare bed by {_day(facts['needed'])} (first free {_day(facts['first'])})"
    if code == "age":
        return (
            f"Takes children aged {facts['min']} to {facts['max']}; "
            f"the child will be {facts['age']}"
        )
    if code == "registration":
        label = dict(HomeAccepts.choices).get(facts["accepts"], facts["accepts"])
        return f"Registered for {str(label).lower()}"
    if code == "cannot_manage":
        return f"Has said it cannot manage {_labels(facts['codes'])}"
    if code == "suspended":
        until = facts.get("until")
        return "Admissions suspended" + (f" until {_day(until)}" if until else " (no end date)")
    if code == "beds_other_sex":
        return "Its free beds are restricted to children of the other sex"
    return EXCLUSION_CODES.get(code, "Left out for another reason")


def part_words(name: str, facts: Facts) -> str:
    """The sentence a page shows for one score part, from the facts the run kept."""
    if name == "distance":
        return f"{facts['miles']:.0f} miles from the child's home area"
    if name == "specialist_support":
        needs, met = facts["needs"], facts["met"]
        if not needs:
            return "The referral lists no needs calling for specialist support"
        # In words a person would say: "all of", "the child's need", never "1 of 1 needs".
        if not met:
            return (
                "No specialist support for the child's need"
                if needs == 1
                else f"No specialist support for any of the child's {needs} needs"
            )
        if needs == 1:
            return f"Specialist support for the child's need ({_labels(met)})"
        if len(met) == needs:
            return f"Specialist support for all of the child's needs ({_labels(met)})"
        return f"Specialist support for {len(met)} of the child's {needs} needs ({_labels(met)})"
    if name == "group_fit":
        if not facts["needs"]:
            return "The referral lists no needs to weigh against the group"
        shared = facts["shared"]
        return (
            f"The current group already includes {_labels(shared)}"
            if shared
            else "None of the child's needs is present in the current group"
        )
    if name == "earlier_placement":
        return (
            "The child has been placed here before"
            if facts["earlier"]
            else "No earlier placement here"
        )
    wait = facts["wait"]
    return (
        "A bed is free now"
        if wait == 0
        else f"A bed is free in {wait} day{'s' if wait != 1 else ''}"
    )


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
    """The soft factors, each as points out of its weight with the facts its reason needs.

    The reason's words use the distance as shown (to a tenth of a mile).
    """
    w = weights
    # Distance.
    share = max(0.0, 1.0 - miles / w.distance_zero_miles)
    distance = ScorePart(
        "distance", _round(w.distance * share), w.distance, {"miles": round(miles, 1)}
    )
    # Specialist support.
    needs = child.needs
    met = needs & home.specialist_support
    support_points = w.specialist_support * len(met) / len(needs) if needs else w.specialist_support
    support = ScorePart(
        "specialist_support",
        _round(support_points),
        w.specialist_support,
        {"needs": len(needs), "met": sorted(met)},
    )
    # Group fit: the same needs already in the group can make each child's worse.
    shared = needs & home.current_group_needs
    fit_points = w.group_fit * (1 - len(shared) / len(needs)) if needs else w.group_fit
    fit = ScorePart(
        "group_fit",
        _round(fit_points),
        w.group_fit,
        {"needs": len(needs), "shared": sorted(shared)},
    )
    # Earlier placement.
    earlier = home.home_id in child.earlier_home_ids
    before = ScorePart(
        "earlier_placement",
        w.earlier_placement if earlier else 0.0,
        w.earlier_placement,
        {"earlier": earlier},
    )
    # How soon the bed is free.
    wait = max(0, (bed.available_from - today).days)
    soon_points = w.bed_soon * max(0.0, 1.0 - wait / w.bed_wait_zero_days)
    soon = ScorePart("bed_soon", _round(soon_points), w.bed_soon, {"wait": wait})
    return (distance, support, fit, before, soon)


def candidate_scored(
    child: ChildProfile,
    home: HomeProfile,
    bed: Bed,
    miles: float,
    today: dt.date,
    weights: Weights = WEIGHTS,
) -> Candidate:
    """A home that passed the hard constraints, with its soft factors scored for ``bed``."""
    parts = score_parts(child, home, bed, miles, today, weights)
    return Candidate(
        home_id=home.home_id,
        name=home.name,
        score=_round(sum(p.points for p in parts)),
        parts=parts,
        bed=bed,
        distance_miles=round(miles, 1),
    )


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
        candidates.append(candidate_scored(child, home, bed, distance, today, weights))
    candidates.sort(key=lambda c: (-c.score, c.name, c.home_id))
    return MatchResult(child.referral_id, tuple(candidates), tuple(exclusions), weights)
