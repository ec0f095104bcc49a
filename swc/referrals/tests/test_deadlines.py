"""Urgency order for the triage queue, and the keep-alive clocks (pure)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from swc.core.vocabulary import LegalStatus
from swc.referrals.deadlines import (
    LIST_MEASURES,
    draft_is_stale,
    keep_alive_of,
    list_clock,
    list_clock_outcomes,
    list_clock_running,
    list_clock_settled,
    list_outcome,
    remaining_describe,
    urgency_of,
)

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def urgency(**kwargs):  # type: ignore[no-untyped-def]
    values = {
        "legal_status": LegalStatus.S25_ORDER,
        "regulation_10_started_at": None,
        "hearing_date": None,
        "bed_needed_at": None,
        "waiting_since": NOW - H,
    }
    values.update(kwargs)
    return urgency_of(**values)


def test_regulation_10_deadline_is_72_hours_after_it_began() -> None:
    u = urgency(legal_status=LegalStatus.REGULATION_10, regulation_10_started_at=NOW - 70 * H)
    assert u.deadline == NOW + 2 * H
    assert u.deadline_label == "72 hours end"
    assert remaining_describe(u.remaining(NOW)) == "2 hours"


def test_the_earliest_deadline_wins() -> None:
    u = urgency(
        legal_status=LegalStatus.S25_APPLICATION,
        hearing_date=dt.date(2026, 3, 12),
        bed_needed_at=NOW + 5 * D,
    )
    assert u.deadline_label == "Court hearing"
    assert u.deadline == dt.datetime(2026, 3, 12, 0, 0, tzinfo=dt.UTC)  # GMT in March
    assert u.is_whole_day


def test_only_a_court_hearing_is_a_whole_day() -> None:
    reg10 = urgency(legal_status=LegalStatus.REGULATION_10, regulation_10_started_at=NOW - 70 * H)
    bed = urgency(bed_needed_at=NOW + 5 * D)
    assert not reg10.is_whole_day and not bed.is_whole_day


def test_a_hearing_date_counts_only_for_applications() -> None:
    u = urgency(hearing_date=dt.date(2026, 3, 11), bed_needed_at=NOW + 5 * D)
    assert u.deadline_label == "Bed needed"


def test_queue_order_deadline_first_then_longest_waiting() -> None:
    reg10 = urgency(legal_status=LegalStatus.REGULATION_10, regulation_10_started_at=NOW - 60 * H)
    court = urgency(legal_status=LegalStatus.S25_APPLICATION, hearing_date=dt.date(2026, 3, 11))
    needed_soon = urgency(bed_needed_at=NOW + 3 * D, waiting_since=NOW - H)
    needed_soon_waited_longer = urgency(bed_needed_at=NOW + 3 * D, waiting_since=NOW - 5 * H)
    nothing_long_wait = urgency(waiting_since=NOW - 10 * D)
    nothing_short_wait = urgency(waiting_since=NOW - H)
    ordered = sorted(
        [
            nothing_short_wait,
            needed_soon,
            nothing_long_wait,
            court,
            needed_soon_waited_longer,
            reg10,
        ],
        key=lambda u: u.sort_key(),
    )
    assert ordered == [
        reg10,
        court,
        needed_soon_waited_longer,
        needed_soon,
        nothing_long_wait,
        nothing_short_wait,
    ]


def test_remaining_time_in_words() -> None:
    assert remaining_describe(None) == "No deadline"
    assert remaining_describe(dt.timedelta(minutes=45)) == "45 minutes"
    assert remaining_describe(dt.timedelta(days=2, hours=4, minutes=10)) == "2 days 4 hours"
    assert remaining_describe(-3 * H) == "overdue by 3 hours"
    assert remaining_describe(dt.timedelta(0)) == "0 minutes"


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_overdue_exactly_when_negative(minutes) -> None:
    text = remaining_describe(dt.timedelta(minutes=minutes))
    assert text.startswith("overdue") == (minutes < 0)


def test_update_due_two_weeks_after_completion_or_last_update() -> None:
    k = keep_alive_of(
        completed_at=NOW, last_update_at=None, last_reviewed_at=None, extended_until=None
    )
    assert k.update_due_at == NOW + 14 * D
    assert k.review_due_at == NOW + 91 * D
    assert k.lapses_at == NOW + 21 * D
    k = keep_alive_of(
        completed_at=NOW, last_update_at=NOW + 10 * D, last_reviewed_at=None, extended_until=None
    )
    assert k.update_due_at == NOW + 24 * D


def test_a_missed_review_lapses_even_with_updates() -> None:
    k = keep_alive_of(
        completed_at=NOW,
        last_update_at=NOW + 90 * D,
        last_reviewed_at=None,
        extended_until=None,
    )
    assert k.lapses_at == NOW + 91 * D
    assert not k.lapsed(NOW + 91 * D - H)
    assert k.lapsed(NOW + 91 * D)


def test_an_extension_holds_off_the_lapse_to_the_end_of_that_day() -> None:
    k = keep_alive_of(
        completed_at=NOW,
        last_update_at=None,
        last_reviewed_at=None,
        extended_until=dt.date(2026, 5, 1),
    )
    assert k.lapses_at == dt.datetime(2026, 5, 2, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert k.update_due(NOW + 15 * D)


@given(
    st.integers(min_value=0, max_value=200),
    st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
)
def test_lapse_never_before_the_update_is_due(update_days, review_days) -> None:
    k = keep_alive_of(
        completed_at=NOW,
        last_update_at=NOW + update_days * D,
        last_reviewed_at=None if review_days is None else NOW + review_days * D,
        extended_until=None,
    )
    assert k.lapses_at <= k.update_due_at + 7 * D
    assert k.lapses_at <= k.review_due_at


def test_a_draft_is_stale_after_a_month() -> None:
    assert not draft_is_stale(NOW - 29 * D, NOW)
    assert draft_is_stale(NOW - 30 * D, NOW)


# --- the stored two-hour clock ---------------------------------------------------------

STATUSES = st.sampled_from(
    ["submitted", "complete", "information_requested", "shortlisted", "with_homes", "withdrawn"]
)
HISTORIES = st.lists(
    st.tuples(st.integers(min_value=0, max_value=6 * 60), STATUSES), min_size=1, max_size=8
)


def _history(steps: list[tuple[int, str]]) -> list[tuple[dt.datetime, str]]:
    """Arrivals minutes apart from a Thursday afternoon (office hours end and start again)."""
    at, history = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC), []
    for minutes, status in steps:
        at += dt.timedelta(minutes=minutes)
        history.append((at, status))
    return history


@given(HISTORIES, st.integers(min_value=0, max_value=3 * 24 * 60))
def test_the_stored_clock_gives_what_the_history_gives_at_any_later_instant(
    steps: list[tuple[int, str]], later: int
) -> None:
    history = _history(steps)
    as_of = history[-1][0] + dt.timedelta(minutes=later)
    whole = list_clock(history, as_of)
    stored = list_clock_settled(history)
    if whole.first_completed_at is None:
        assert stored is None
        return
    assert stored is not None
    assert (stored["first_completed_at"], stored["last_completed_at"], stored["listed_at"]) == (
        whole.first_completed_at,
        whole.last_completed_at,
        whole.listed_at,
    )
    assert stored["running"] == whole.running
    outcomes = {m: outcome for m, (_, outcome) in list_clock_outcomes(whole).items()}
    if whole.running:
        # Still running: worked out when read, from what was kept.
        assert all(stored[m] is None for m in LIST_MEASURES)
        again = list_clock_running(
            stored["first_completed_at"],
            stored["last_completed_at"],
            stored["earlier_stretches"],
            as_of,
        )
        assert again == whole
    else:
        # Stopped for good or for now: the outcomes do not change while nothing happens.
        assert {m: stored[m] for m in LIST_MEASURES} == outcomes


def test_a_clock_stored_while_running_counts_by_hand() -> None:
    # Complete Thursday 15:00, asked at 16:00 (one hour), complete again Friday 09:00.
    thursday = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC)
    friday = thursday + dt.timedelta(hours=18)
    stored = list_clock_settled(
        [
            (thursday, "submitted"),
            (thursday, "complete"),
            (thursday + H, "information_requested"),
            (friday, "complete"),
        ]
    )
    assert stored == {
        "first_completed_at": thursday,
        "last_completed_at": friday,
        "listed_at": None,
        "running": True,
        "earlier_stretches": [["2026-03-12T15:00:00+00:00", "2026-03-12T16:00:00+00:00"]],
        "last_elapsed": None,
        "last_office": None,
        "first_elapsed": None,
        "first_office": None,
    }
    # Read at Friday 10:30: 1.5 h since the last completion, 2.5 h since the first.
    clock = list_clock_running(thursday, friday, stored["earlier_stretches"], friday + 1.5 * H)
    assert list_outcome(clock.from_last, False) is None
    assert list_outcome(clock.from_first, False) is False
