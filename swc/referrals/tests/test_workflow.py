"""The transition table: every pair of statuses, for each actor, allowed or forbidden."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swc.referrals.workflow import (
    OPEN,
    TERMINAL,
    TRANSITIONS,
    Actor,
    Refusal,
    Status,
    transition_allowed,
    transition_problem,
    transitions_from,
)

R, U, H = Actor.REFERRER, Actor.UNIT, Actor.HOME
S = Status

# The table written out independently, so a change to TRANSITIONS must change this too.
EXPECTED: dict[tuple[str, str], set[str]] = {
    (S.DRAFT, S.SUBMITTED): {R},
    (S.DRAFT, S.WITHDRAWN): {R},
    (S.SUBMITTED, S.COMPLETE): {R},
    (S.SUBMITTED, S.INFORMATION_REQUESTED): {U},
    (S.COMPLETE, S.INFORMATION_REQUESTED): {U},
    (S.INFORMATION_REQUESTED, S.COMPLETE): {R},
    (S.COMPLETE, S.SHORTLISTED): {U},
    (S.SHORTLISTED, S.WITH_HOMES): {U},
    (S.WITH_HOMES, S.SHORTLISTED): {U},
    (S.WITH_HOMES, S.OFFER_ACCEPTED): {R, U},
    (S.OFFER_ACCEPTED, S.WITH_HOMES): {U},
    (S.OFFER_ACCEPTED, S.PLACED): {U, H},
}
for _open in (
    S.SUBMITTED,
    S.COMPLETE,
    S.INFORMATION_REQUESTED,
    S.SHORTLISTED,
    S.WITH_HOMES,
    S.OFFER_ACCEPTED,
):
    EXPECTED[(_open, S.WITHDRAWN)] = {R, U}
    EXPECTED[(_open, S.CLOSED_NOT_PLACED)] = {U}

EVERY_MOVE = [
    (current, to, actor)
    for current, to in itertools.product(Status.values, Status.values)
    for actor in Actor.values
]


@pytest.mark.parametrize(("current", "to", "actor"), EVERY_MOVE)
def test_every_move_is_allowed_or_forbidden_exactly_as_the_table_says(current, to, actor) -> None:
    expected = actor in EXPECTED.get((current, to), set())
    assert transition_allowed(current, to, actor) is expected
    problem = transition_problem(current, to, actor, reason="x", reasons_allowed=frozenset({"x"}))
    assert (problem is None) is expected


def test_the_table_holds_nothing_beyond_the_expected_moves() -> None:
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize("terminal", sorted(TERMINAL))
def test_nothing_leaves_a_finished_referral(terminal) -> None:
    assert transitions_from(terminal, R) == []
    assert transitions_from(terminal, U) == []


def test_nothing_moves_back_to_draft_and_nothing_moves_to_itself() -> None:
    for current, actor in itertools.product(Status.values, Actor.values):
        assert not transition_allowed(current, S.DRAFT, actor)
        assert not transition_allowed(current, current, actor)


def test_open_statuses_can_all_be_withdrawn_or_closed() -> None:
    for status in OPEN:
        assert transition_allowed(status, S.WITHDRAWN, R)
        assert transition_allowed(status, S.CLOSED_NOT_PLACED, U)
        assert not transition_allowed(status, S.CLOSED_NOT_PLACED, R)


def test_a_forbidden_move_says_why_in_words_and_names_the_field_to_change() -> None:
    assert transition_problem(S.DRAFT, S.PLACED, U, reasons_allowed=frozenset()) == Refusal(
        "A referral that is draft cannot be moved to placed"
    )
    assert transition_problem(S.COMPLETE, S.SHORTLISTED, R, reasons_allowed=frozenset()) == (
        Refusal("Only the coordination unit can do that")
    )
    assert transition_problem(S.OFFER_ACCEPTED, S.PLACED, R, reasons_allowed=frozenset()) == (
        Refusal("Only the coordination unit or secure home can do that")
    )
    assert transition_problem(
        S.COMPLETE, S.WITHDRAWN, R, reason="", reasons_allowed=frozenset({"order_refused"})
    ) == Refusal("Select why the referral is being withdrawn", field="reason")
    assert transition_problem(
        S.COMPLETE, S.CLOSED_NOT_PLACED, U, reason="bad", reasons_allowed=frozenset({"home"})
    ) == Refusal("Select where the child went", field="reason")


@given(st.lists(st.tuples(st.sampled_from(Status.values), st.sampled_from(Actor.values))))
def test_any_sequence_of_allowed_moves_never_leaves_a_terminal_status(moves) -> None:
    status = S.DRAFT
    for to, actor in moves:
        if transition_allowed(status, to, actor):
            assert status not in TERMINAL
            status = to
    assert status in Status.values
