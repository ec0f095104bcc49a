"""A match run keeps codes and facts; pages and the API word them as before.

Every expected sentence below is typed by hand: the words the match page and
the API showed when runs kept rendered text. A run is stored column by column
(``runs.compact``) and read back (``runs.expand``) as the very rows it was
made from; runs stored one dict a home read as they always did.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swc.matching import runs
from swc.matching.scoring import Bed, ChildProfile, HomeProfile, match_referral

TODAY = dt.date(2026, 3, 2)
MANCHESTER = (53.4808, -2.2426)
LEEDS = (53.8008, -1.5491)
WEIGHTS = {
    "distance": 30.0,
    "specialist_support": 25.0,
    "group_fit": 15.0,
    "earlier_placement": 10.0,
    "bed_soon": 20.0,
}

CHILD = ChildProfile(
    referral_id=1,
    age=14,
    sex="female",
    needs=frozenset({"self_harm", "going_missing"}),
    latitude=MANCHESTER[0],
    longitude=MANCHESTER[1],
    date_needed=TODAY + dt.timedelta(days=2),
    excluded_home_ids=frozenset({4}),
    earlier_home_ids=frozenset({2}),
)


def _home(home_id: int, name: str, **fields: object) -> HomeProfile:
    values: dict[str, object] = {
        "latitude": MANCHESTER[0],
        "longitude": MANCHESTER[1],
        "age_min": 10,
        "age_max": 17,
        "accepts": "boys and girls",
        "beds": (Bed(home_id * 10, TODAY),),
        **fields,
    }
    return HomeProfile(home_id=home_id, name=name, **values)  # type: ignore[arg-type]


HOMES = [
    _home(
        1,
        "Leeds House",
        latitude=LEEDS[0],
        longitude=LEEDS[1],
        specialist_support=frozenset({"self_harm"}),
        current_group_needs=frozenset({"going_missing"}),
        beds=(Bed(10, TODAY + dt.timedelta(days=2)),),
    ),
    _home(2, "Near House", specialist_support=frozenset({"self_harm", "going_missing"})),
    _home(
        3,
        "Closed House",
        age_min=15,
        accepts="boys",
        risks_not_managed=frozenset({"self_harm"}),
        admissions_suspended=True,
        admissions_suspended_until=dt.date(2026, 3, 31),
    ),
    _home(4, "Excluded House"),
    _home(5, "Later House", beds=(Bed(50, TODAY + dt.timedelta(days=9)),)),
    _home(6, "Full House", beds=()),
]


def _kept() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    result = match_referral(CHILD, HOMES, TODAY)
    # Through JSON, as the database keeps it.
    candidates = json.loads(json.dumps([runs.candidate_json(c) for c in result.candidates]))
    exclusions = json.loads(json.dumps([runs.exclusion_json(e) for e in result.exclusions]))
    return candidates, exclusions


def test_a_kept_run_shows_the_same_explanations_as_before() -> None:
    candidates, exclusions = _kept()
    ranked = runs.ranked_homes_of(candidates, WEIGHTS)

    assert [(h.rank, h.name, h.score) for h in ranked] == [
        (1, "Near House", 100.0),
        (2, "Leeds House", 62.8),
    ]
    near, leeds = ranked
    assert [(p.label, p.points, p.out_of, p.reason) for p in near.parts] == [
        ("Distance from home area", 30.0, 30.0, "0 miles from the child's home area"),
        (
            "Specialist support",
            25.0,
            25.0,
            "Specialist support for all of the child's needs (going missing and self-harm)",
        ),
        (
            "Fit with current group",
            15.0,
            15.0,
            "None of the child's needs is present in the current group",
        ),
        ("Earlier placement", 10.0, 10.0, "The child has been placed here before"),
        ("Bed free soon", 20.0, 20.0, "A bed is free now"),
    ]
    assert [p.reason for p in leeds.parts] == [
        "36 miles from the child's home area",
        "Specialist support for 1 of the child's 2 needs (self-harm)",
        "The current group already includes going missing",
        "No earlier placement here",
        "A bed is free in 2 days",
    ]
    assert {e.name: e.reasons for e in map(runs.excluded_home_of, exclusions)} == {
        "Closed House": (
            "Takes children aged 15 to 17; the child will be 14",
            "Registered for boys only",
            "Has said it cannot manage self-harm",
            "Admissions suspended until 31 March 2026",
        ),
        "Excluded House": ("Excluded by the child's local authority",),
        "Full House": ("No free welfare bed on the register",),
        "Later House": ("No free welfare bed by 4 March 2026 (first free 11 March 2026)",),
    }


def test_a_kept_run_says_the_same_as_the_fresh_result() -> None:
    result = match_referral(CHILD, HOMES, TODAY)
    candidates, exclusions = _kept()
    assert [h.parts for h in runs.ranked_homes_of(candidates, WEIGHTS)] == [
        tuple(runs.ShownPart(p.name, p.label, p.points, p.out_of, p.reason) for p in c.parts)
        for c in result.candidates
    ]
    assert [runs.excluded_home_of(e).reasons for e in exclusions] == [
        e.reasons for e in result.exclusions
    ]


def test_a_kept_run_holds_no_sentences() -> None:
    candidates, exclusions = _kept()
    text = json.dumps([candidates, exclusions])
    for words in ("miles from", "Specialist support for", "Registered for", "No free welfare"):
        assert words not in text


def test_excluded_homes_are_grouped_by_reason_with_counts() -> None:
    _, exclusions = _kept()
    groups = runs.exclusions_grouped(exclusions)
    assert [(g.title, [h.name for h in g.homes]) for g in groups] == [
        ("No free welfare bed on the register", ["Full House"]),
        ("No free welfare bed by the date needed", ["Later House"]),
        ("Cannot take a child of this age", ["Closed House"]),
        ("Not registered for a child of this sex", ["Closed House"]),
        ("Cannot manage one of the child's risks", ["Closed House"]),
        ("Admissions suspended", ["Closed House"]),
        ("Excluded by the child's local authority", ["Excluded House"]),
    ]


def test_a_run_kept_with_sentences_still_reads() -> None:
    # The shape runs had before they kept codes: each part and reason as text.
    candidate = {
        "home_id": 7,
        "name": "Old House",
        "score": 55.0,
        "distance_miles": 12.0,
        "bed_id": 70,
        "bed_available_from": "2026-03-02",
        "parts": [
            {
                "name": "distance",
                "label": "Distance from home area",
                "points": 28.6,
                "out_of": 30.0,
                "reason": "12 miles from the child's home area",
            }
        ],
    }
    exclusion = {"home_id": 8, "name": "Old Full House", "reasons": ["No free welfare bed"]}
    (home,) = runs.ranked_homes_of([candidate], WEIGHTS)
    assert (home.name, home.score, [p.reason for p in home.parts]) == (
        "Old House",
        55.0,
        ["12 miles from the child's home area"],
    )
    (group,) = runs.exclusions_grouped([exclusion])
    assert (group.title, group.homes[0].reasons) == ("Other reasons", ("No free welfare bed",))


# --- stored column by column ---------------------------------------------------------------


def _stored(rows: Any) -> Any:
    """Compacted, then through JSON as the database keeps it."""
    return json.loads(json.dumps(runs.compact(rows), cls=runs.CompactEncoder))


def test_a_compact_run_reads_back_as_the_rows_and_words_it_was_made_from() -> None:
    candidates, exclusions = _kept()
    ranked = runs.ranked_homes_of(runs.expand(_stored(candidates)), WEIGHTS)
    assert [(h.rank, h.name, h.score, h.bed_available_from) for h in ranked] == [
        (1, "Near House", 100.0, "2026-03-02"),
        (2, "Leeds House", 62.8, "2026-03-04"),
    ]
    assert [p.reason for p in ranked[1].parts] == [
        "36 miles from the child's home area",
        "Specialist support for 1 of the child's 2 needs (self-harm)",
        "The current group already includes going missing",
        "No earlier placement here",
        "A bed is free in 2 days",
    ]
    groups = runs.exclusions_grouped(runs.expand(_stored(exclusions)))
    assert [(g.title, [(h.name, h.reasons) for h in g.homes]) for g in groups][-2:] == [
        ("Admissions suspended", [("Closed House", CLOSED_HOUSE_REASONS)]),
        ("Excluded by the child's local authority", [("Excluded House", EXCLUDED_REASONS)]),
    ]


CLOSED_HOUSE_REASONS = (
    "Takes children aged 15 to 17; the child will be 14",
    "Registered for boys only",
    "Has said it cannot manage self-harm",
    "Admissions suspended until 31 March 2026",
)
EXCLUDED_REASONS = ("Excluded by the child's local authority",)


def test_a_compact_run_keeps_no_home_twice_and_no_key_a_home() -> None:
    candidates, _ = _kept()
    text = json.dumps(runs.compact(candidates), cls=runs.CompactEncoder)
    assert text.count('"Near House"') == 1
    assert text.count('"distance_miles"') == 1  # the key once, not once a home
    assert ", " not in text.replace("Near House", "")


def test_rows_of_every_shape_come_back_in_order_with_their_keys_in_order() -> None:
    # A demo list: homes it was sent to that would not rank today follow the ranked ones.
    rows = [
        {"home_id": 1, "name": "A", "score": 80.0, "met": ["self_harm"]},
        {"home_id": 2, "name": "B", "score": 70.5, "met": []},
        {"home_id": 3, "name": "C", "distance_miles": 12.0, "parts": []},
        {"name": "D", "home_id": 4, "score": 60.0, "met": ["going_missing", "self_harm"]},
        {},
    ]
    back = runs.expand(_stored(rows))
    assert json.dumps(back) == json.dumps(rows)
    assert [list(r) for r in back] == [list(r) for r in rows]


def test_an_empty_run_stays_empty() -> None:
    assert runs.expand(_stored([])) == []


def test_a_run_of_an_unknown_shape_is_refused_not_misread() -> None:
    with pytest.raises(ValueError, match="unknown shape"):
        runs.expand({"v": 99, "segments": []})


# Any JSON a row could hold, with the values the columns are packed from made likely:
# dates, sorted lists of codes, reasons, lists of one length, true and false, repeats.
_CODE = st.sampled_from(["going_missing", "self_harm", "fire_setting", "b", "a"])
_SCALARS = [
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 20.0, 12.5]),
    st.text(max_size=12),
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["2026-02-30", "2026-W01-1", "20260301", "2026-03-01"]),  # nearly dates
]
_SCALAR = st.one_of(_SCALARS)
_FACTS = st.dictionaries(st.sampled_from(["min", "max", "codes", "until"]), _SCALAR, max_size=3)
_REASON = st.one_of(
    st.tuples(_CODE).map(list),
    st.tuples(_CODE, _FACTS).map(list),
    st.tuples(_CODE, st.dictionaries(st.text(max_size=3), _SCALAR, min_size=1)).map(list),
)
_KINDS = [
    *_SCALARS,
    st.lists(_CODE, unique=True).map(sorted),
    st.lists(_CODE),
    st.lists(_REASON, max_size=3),
    st.lists(st.sampled_from([0.0, 10.0, 28.5]), min_size=3, max_size=3),
    st.lists(st.sampled_from([1, 2.0, True]), min_size=2, max_size=2),
    st.recursive(_SCALAR, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)),
]
_KEY = st.sampled_from(["home_id", "name", "score", "met", "why", "points", "x"])


@st.composite
def _rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rows in runs of one key order (as a run has them); a column of one kind, mixed or same."""
    rows: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 4))):
        keys = draw(st.lists(_KEY, unique=True, max_size=5))
        kinds = {}
        for key in keys:
            kind = draw(st.sampled_from(_KINDS))
            kinds[key] = draw(st.sampled_from([kind, st.one_of(_KINDS), st.just(draw(kind))]))
        for _ in range(draw(st.integers(1, 6))):
            rows.append({key: draw(kinds[key]) for key in keys})
    return rows


@settings(max_examples=300, deadline=None)
@given(rows=_rows())
def test_any_rows_read_back_exactly_as_they_were(rows: list[dict[str, Any]]) -> None:
    back = runs.expand(_stored(rows))
    # As JSON text: 1, 1.0 and true differ, -0.0 and 0.0 differ, and keys keep their order.
    assert json.dumps(back) == json.dumps(rows)


_NEEDS = ["self_harm", "going_missing", "mental_health", "fire_setting"]


@st.composite
def _matches(draw: st.DrawFn) -> tuple[ChildProfile, list[HomeProfile], dt.date]:
    """A child and homes failing every hard constraint, alone and together, or none."""
    codes = st.lists(st.sampled_from(_NEEDS), unique=True).map(frozenset)
    days = st.integers(-3, 20).map(lambda d: TODAY + dt.timedelta(days=d))
    often = st.integers(0, 3).map(bool)  # three times in four
    homes = []
    for home_id in range(1, draw(st.integers(0, 12)) + 1):
        suspended = not draw(often)
        homes.append(
            HomeProfile(
                home_id=home_id,
                name=draw(st.sampled_from(["Alder House", "Birch Lodge", "Cedar", "Ash"])),
                latitude=draw(st.floats(50, 55)),
                longitude=draw(st.floats(-4, 1)),
                age_min=draw(st.integers(10, 15)) if not draw(often) else 10,
                age_max=draw(st.integers(14, 17)) if not draw(often) else 17,
                accepts="boys and girls"
                if draw(often)
                else draw(st.sampled_from(["boys", "girls"])),
                specialist_support=draw(codes),
                risks_not_managed=draw(st.sets(st.sampled_from(_NEEDS), max_size=1))
                if not draw(often)
                else frozenset(),
                admissions_suspended=suspended,
                admissions_suspended_until=draw(st.none() | days) if suspended else None,
                current_group_needs=draw(codes),
                beds=tuple(
                    Bed(home_id * 10 + j, draw(days), draw(st.sampled_from(["", "", "male"])))
                    for j in range(draw(st.integers(0, 3)))
                ),
            )
        )
    ids = [h.home_id for h in homes]
    child = ChildProfile(
        referral_id=1,
        age=draw(st.integers(11, 17)),
        sex=draw(st.sampled_from(["male", "female"])),
        needs=draw(codes),
        latitude=draw(st.floats(50, 55)),
        longitude=draw(st.floats(-4, 1)),
        date_needed=draw(st.integers(0, 20).map(lambda d: TODAY + dt.timedelta(days=d))),
        excluded_home_ids=frozenset(
            draw(st.lists(st.sampled_from(ids), max_size=2)) if ids else ()
        ),
        earlier_home_ids=frozenset(draw(st.lists(st.sampled_from(ids))) if ids else ()),
    )
    return child, homes, TODAY


@settings(max_examples=150, deadline=None)
@given(match=_matches())
def test_a_compact_run_shows_the_same_homes_and_reasons_as_the_full_rows(
    match: tuple[ChildProfile, list[HomeProfile], dt.date],
) -> None:
    result = match_referral(*match)
    full_candidates = json.loads(json.dumps([runs.candidate_json(c) for c in result.candidates]))
    full_exclusions = json.loads(json.dumps([runs.exclusion_json(e) for e in result.exclusions]))
    candidates = runs.expand(_stored(runs.candidate_json(c) for c in result.candidates))
    # What a match stores, built a column at a time, is the compact of the same rows.
    direct = runs.candidates_compact(result.candidates)
    assert json.dumps(direct) == json.dumps(runs.compact(full_candidates))
    exclusions = runs.expand(_stored(runs.exclusion_json(e) for e in result.exclusions))

    assert runs.ranked_homes_of(candidates, WEIGHTS) == runs.ranked_homes_of(
        full_candidates, WEIGHTS
    )
    assert list(map(runs.excluded_home_of, exclusions)) == list(
        map(runs.excluded_home_of, full_exclusions)
    )
    assert [(e.name, e.reasons) for e in map(runs.excluded_home_of, exclusions)] == [
        (e.name, e.reasons) for e in result.exclusions
    ]
    assert runs.exclusions_grouped(exclusions) == runs.exclusions_grouped(full_exclusions)
