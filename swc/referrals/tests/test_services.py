"""Referral services: submit, edit with a version, transitions, sharing, keeping alive."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.audit.models import AuditAction, AuditEvent
from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.core.events import DomainEvent, EventKind, _subscribers
from swc.core.vocabulary import WithdrawalReason
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import Referral, ReferralEventKind
from swc.referrals.services import (
    local_authority_for_code,
    referral_create,
    referral_extend,
    referral_list_provided,
    referral_review_record,
    referral_section_save,
    referral_share_with_homes,
    referral_submit,
    referral_transition,
    referral_update_record,
    referrals_lapse_and_remind,
)
from swc.referrals.tests.factories import complete_referral, complete_values
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def published():  # type: ignore[no-untyped-def]
    events: list[DomainEvent] = []
    _subscribers.append(events.append)
    yield events
    _subscribers.remove(events.append)


@pytest.fixture
def la():  # type: ignore[no-untyped-def]
    return LocalAuthorityFactory()


@pytest.fixture
def referrer(la):  # type: ignore[no-untyped-def]
    return user_with_role(Role.REFERRER, la.organisation)


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return user_with_role(Role.COORDINATOR)


def draft_filled(la, referrer, **overrides):  # type: ignore[no-untyped-def]
    draft = referral_create(local_authority=la, by=referrer)
    return referral_section_save(
        referral=draft, by=referrer, version=draft.version, values=complete_values(**overrides)
    )


def test_a_referrer_starts_a_draft_for_their_own_authority_only(la, referrer) -> None:
    draft = referral_create(local_authority=la, by=referrer)
    assert draft.status == Status.DRAFT
    assert [e.kind for e in draft.events.all()] == [ReferralEventKind.CREATED]
    with pytest.raises(NotPermitted):
        referral_create(local_authority=LocalAuthorityFactory(), by=referrer)
    assert Referral.objects.count() == 1


def test_a_stale_version_is_refused_and_nothing_is_overwritten(la, referrer) -> None:
    draft = referral_create(local_authority=la, by=referrer)
    colleague = user_with_role(Role.REFERRER, la.organisation)
    referral_section_save(
        referral=draft, by=colleague, version=draft.version, values={"first_name": "Alex"}
    )
    with pytest.raises(ConflictError, match="Someone else saved changes"):
        referral_section_save(
            referral=draft, by=referrer, version=draft.version, values={"first_name": "Blake"}
        )
    draft.refresh_from_db()
    assert draft.first_name == "Alex"
    assert draft.version == 2


def test_submitting_a_complete_draft_makes_it_complete_and_starts_the_clock(
    la, referrer, published
) -> None:
    draft = draft_filled(la, referrer)
    done = referral_submit(referral=draft, by=referrer, version=draft.version)
    assert done.status == Status.COMPLETE
    assert done.submitted_at == NOW
    assert done.completed_at == NOW
    assert [e.kind for e in published] == [
        EventKind.REFERRAL_SUBMITTED,
        EventKind.REFERRAL_COMPLETED,
    ]
    assert published[0].local_authority_organisation_id == la.organisation_id
    moves = [(e.from_status, e.to_status, e.actor) for e in done.events.filter(kind="status")]
    assert moves == [
        (Status.DRAFT, Status.SUBMITTED, referrer),
        (Status.SUBMITTED, Status.COMPLETE, referrer),
    ]


def test_an_incomplete_draft_cannot_be_submitted(la, referrer, published) -> None:
    draft = draft_filled(la, referrer, manager_name="", social_worker_phone="")
    with pytest.raises(ServiceError, match="2 items missing or wrong"):
        referral_submit(referral=draft, by=referrer, version=draft.version)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert published == []


def test_after_submission_an_edit_must_keep_the_referral_complete(la, referrer) -> None:
    draft = draft_filled(la, referrer)
    done = referral_submit(referral=draft, by=referrer, version=draft.version)
    with pytest.raises(ServiceError, match="must stay complete"):
        referral_section_save(
            referral=done, by=referrer, version=done.version, values={"manager_name": ""}
        )
    later = NOW + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        saved = referral_section_save(
            referral=done, by=referrer, version=done.version, values={"home_area": "Elsewhere"}
        )
    assert saved.home_area == "Elsewhere"
    assert saved.last_update_at == later


def test_information_requested_restarts_the_kpi_clock_on_resubmission(
    la, referrer, coordinator, published
) -> None:
    done = referral_submit(
        referral=(d := draft_filled(la, referrer)), by=referrer, version=d.version
    )
    asked = referral_transition(
        referral=done, to=Status.INFORMATION_REQUESTED, by=coordinator, detail="Care plan please"
    )
    assert asked.information_requested_at == NOW
    later = NOW + dt.timedelta(hours=5)
    with time_machine.travel(later, tick=False):
        again = referral_submit(referral=asked, by=referrer, version=asked.version)
    assert again.status == Status.COMPLETE
    assert again.completed_at == later
    assert again.information_requested_at is None


def test_a_move_the_table_forbids_is_refused_and_changes_nothing(la, referrer) -> None:
    referral = complete_referral(local_authority=la)
    with pytest.raises(NotPermitted):
        referral_transition(referral=referral, to=Status.SHORTLISTED, by=referrer)
    with pytest.raises(ServiceError, match="Select why the referral is being withdrawn"):
        referral_transition(referral=referral, to=Status.WITHDRAWN, by=referrer, reason="")
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETE
    assert not referral.events.exists()


def test_withdrawal_records_the_reason_on_the_timeline_and_audit(la, referrer, published) -> None:
    referral = complete_referral(local_authority=la)
    moved = referral_transition(
        referral=referral,
        to=Status.WITHDRAWN,
        by=referrer,
        reason=WithdrawalReason.DOL_ORDER,
        detail="High Court made an order",
    )
    assert moved.closed_at == NOW
    assert moved.outcome_reason == WithdrawalReason.DOL_ORDER
    event = moved.events.get()
    assert (event.actor, event.reason, event.detail, event.at) == (
        referrer,
        WithdrawalReason.DOL_ORDER,
        "High Court made an order",
        NOW,
    )
    # Sent to no home, nobody is told it is closed; the authority is invited to the survey.
    assert [e.kind for e in published] == [EventKind.SURVEY_INVITED]
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_id=str(referral.pk), detail__to="withdrawn"
    ).exists()


def test_the_loser_of_a_stale_move_gets_a_conflict(la, coordinator) -> None:
    referral = complete_referral(local_authority=la)
    stale = Referral.objects.get(pk=referral.pk)
    referral_list_provided(referral=referral, by=coordinator)
    with pytest.raises(ConflictError, match="Someone else changed"):
        referral_transition(referral=stale, to=Status.SHORTLISTED, by=coordinator)
    assert referral.events.filter(kind="status").count() == 1


def test_list_provided_stamps_the_kpi_time_once(la, coordinator) -> None:
    referral = complete_referral(local_authority=la)
    listed = referral_list_provided(referral=referral, by=coordinator)
    assert (listed.status, listed.list_provided_at) == (Status.SHORTLISTED, NOW)
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        with_homes = referral_transition(referral=listed, to=Status.WITH_HOMES, by=coordinator)
        again = referral_transition(referral=with_homes, to=Status.SHORTLISTED, by=coordinator)
    assert again.list_provided_at == NOW


def test_sharing_with_homes_makes_the_referral_visible_to_them_only(
    la, coordinator, published
) -> None:
    referral = complete_referral(local_authority=la)
    home_a = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    home_b = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    assert not referral.policy_is_shared_with(home_a.pk)
    shares = referral_share_with_homes(
        referral=referral, home_organisations=[home_a], by=coordinator
    )
    assert [s.home_organisation for s in shares] == [home_a]
    fresh = Referral.objects.get(pk=referral.pk)
    assert fresh.policy_is_shared_with(home_a.pk)
    assert not fresh.policy_is_shared_with(home_b.pk)
    assert (
        referral_share_with_homes(referral=referral, home_organisations=[home_a], by=coordinator)
        == []
    )
    assert [(e.kind, e.home_organisation_ids) for e in published] == [
        (EventKind.REFERRAL_SENT_TO_HOME, (home_a.pk,))
    ]


def test_a_draft_cannot_be_shared(la, referrer, coordinator) -> None:
    draft = referral_create(local_authority=la, by=referrer)
    home = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    with pytest.raises(ServiceError):
        referral_share_with_homes(referral=draft, home_organisations=[home], by=coordinator)


def test_reminders_once_per_due_date_then_lapse_then_revive(la, referrer, published) -> None:
    referral = complete_referral(local_authority=la)
    assert referrals_lapse_and_remind(NOW + dt.timedelta(days=13)).update_reminders == 0
    day14 = NOW + dt.timedelta(days=14)
    report = referrals_lapse_and_remind(day14)
    assert report.update_reminders == 1
    assert referrals_lapse_and_remind(day14 + dt.timedelta(hours=1)).update_reminders == 0
    assert [e.kind for e in published] == [EventKind.REFERRAL_UPDATE_DUE]
    assert published[0].key == f"referral:{referral.pk}:update_due:{day14.isoformat()}"
    referral.refresh_from_db()
    assert referral.lapsed_at is None

    day21 = NOW + dt.timedelta(days=21)
    assert referrals_lapse_and_remind(day21).lapsed == 1
    referral.refresh_from_db()
    assert referral.lapsed_at == day21
    from swc.referrals.selectors import referrals_searchable

    assert not referrals_searchable().filter(pk=referral.pk).exists()

    with time_machine.travel(day21 + dt.timedelta(hours=1), tick=False):
        revived = referral_update_record(referral=referral, by=referrer, note="Still needed")
    assert revived.lapsed_at is None
    assert referrals_searchable().filter(pk=referral.pk).exists()
    kinds = list(revived.events.values_list("kind", flat=True))
    assert kinds == ["reminder", "lapsed", "revived", "update"]


def test_review_reminder_and_a_review_resets_both_clocks(la, referrer, published) -> None:
    referral = complete_referral(local_authority=la, last_update_at=NOW + dt.timedelta(days=85))
    report = referrals_lapse_and_remind(NOW + dt.timedelta(days=91))
    assert report.review_reminders == 1
    assert EventKind.REFERRAL_REVIEW_DUE in [e.kind for e in published]
    referral.refresh_from_db()
    assert referral.lapsed_at is not None
    reviewed = referral_review_record(referral=referral, by=referrer, note="Reviewed with manager")
    assert reviewed.lapsed_at is None
    assert reviewed.last_reviewed_at == NOW


def test_the_unit_extends_a_referral_so_it_does_not_lapse(la, referrer, coordinator) -> None:
    referral = complete_referral(local_authority=la)
    with pytest.raises(NotPermitted):
        referral_extend(referral=referral, by=referrer, until=dt.date(2026, 5, 1), reason="x")
    with pytest.raises(ServiceError, match="must be in the future"):
        referral_extend(referral=referral, by=coordinator, until=dt.date(2026, 3, 10), reason="x")
    referral_extend(
        referral=referral, by=coordinator, until=dt.date(2026, 5, 1), reason="Court adjourned"
    )
    assert referrals_lapse_and_remind(NOW + dt.timedelta(days=40)).lapsed == 0
    assert referrals_lapse_and_remind(dt.datetime(2026, 5, 2, 0, 1, tzinfo=dt.UTC)).lapsed == 1


def test_finished_referrals_are_never_reminded(la, coordinator) -> None:
    complete_referral(local_authority=la, status=Status.PLACED)
    report = referrals_lapse_and_remind(NOW + dt.timedelta(days=200))
    assert (report.update_reminders, report.review_reminders, report.lapsed) == (0, 0, 0)


def test_only_secure_homes_can_be_sent_a_referral(la, coordinator) -> None:
    referral = complete_referral(local_authority=la)
    with pytest.raises(ServiceError, match="only be sent to secure children's homes"):
        referral_share_with_homes(
            referral=referral, home_organisations=[la.organisation], by=coordinator
        )
    assert not referral.shares.exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("999", "There is no local authority with DfE code 999"),
        ("85", "three digits"),
        ("abc", "three digits"),
        ("", "three digits"),
    ],
)
def test_an_unknown_authority_code_gets_a_clear_message(code, message) -> None:
    LocalAuthorityFactory(dfe_la_code="850")
    with pytest.raises(ServiceError, match=message):
        local_authority_for_code(code)
    assert local_authority_for_code(" 850 ").dfe_la_code == "850"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date_of_birth": dt.date(2008, 3, 10)}, "date_of_birth", "must be under 18"),
        ({"date_of_birth": dt.date(2016, 3, 11)}, "date_of_birth", "must be at least 10"),
        (
            {"legal_status": "s25_application", "hearing_date": dt.date(2026, 3, 9)},
            "hearing_date",
            "must be today or in the future",
        ),
        (
            {
                "legal_status": "regulation_10",
                "regulation_10_started_at": NOW + dt.timedelta(hours=1),
            },
            "regulation_10_started_at",
            "must not be in the future",
        ),
        ({"bed_needed_at": NOW - dt.timedelta(days=1)}, "bed_needed_at", "today or later"),
    ],
)
def test_the_service_refuses_impossible_answers_even_on_a_draft(
    la, referrer, values, field, message
) -> None:
    draft = referral_create(local_authority=la, by=referrer)
    with pytest.raises(ServiceError, match=message) as refused:
        referral_section_save(referral=draft, by=referrer, version=draft.version, values=values)
    assert refused.value.field == field
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_stale_answer_does_not_block_correcting_another_after_submission(la, referrer) -> None:
    referral = complete_referral(local_authority=la, hearing_date=dt.date(2026, 3, 5))
    saved = referral_section_save(
        referral=referral, by=referrer, version=referral.version, values={"home_area": "Newtown"}
    )
    assert saved.home_area == "Newtown"


def test_the_timeline_names_changed_answers_in_words(la, referrer) -> None:
    draft = referral_create(local_authority=la, by=referrer)
    referral_section_save(
        referral=draft,
        by=referrer,
        version=draft.version,
        values={
            "la_child_identifier": "HX-1",
            "regulation_10_started_at": dt.datetime(2026, 3, 9, 18, 0, tzinfo=dt.UTC),
        },
    )
    edit = draft.events.get(kind=ReferralEventKind.EDITED)
    # In the order the form asks them, as the referral form's questions read.
    assert edit.detail == "Changed: authority's identifier for the child, time the 72 hours began"
