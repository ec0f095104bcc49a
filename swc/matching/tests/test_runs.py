"""A match run keeps codes and facts; pages and the API word them as before.

Every expected sentence below is typed by hand: the words the match page and
the API showed when runs kept rendered text.
"""

from __future__ import annotations

import datetime as dt
import json

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
