"""An entry point runs in its own transaction and refuses to run inside another one."""

from __future__ import annotations

import pytest
from django.db import transaction

from swc.core.transactions import entry_point, replay_boundary
from swc.organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


@entry_point
def organisation_make(name: str) -> Organisation:
    assert transaction.get_connection().in_atomic_block
    return Organisation.objects.create(kind=OrganisationKind.UNIT, name=name)


@entry_point
def two_made_by_calling_an_entry_point_twice() -> None:
    organisation_make("First")
    organisation_make("Second")


def test_an_entry_point_runs_in_a_transaction_of_its_own() -> None:
    assert organisation_make("Alone").name == "Alone"


def test_an_entry_point_called_inside_another_transaction_fails_loudly() -> None:
    with (
        pytest.raises(RuntimeError, match="organisation_make is an entry point"),
        transaction.atomic(),
    ):
        organisation_make("Nested")
    with pytest.raises(RuntimeError, match="called inside another transaction"):
        two_made_by_calling_an_entry_point_twice()
    assert not Organisation.objects.filter(name__in=["Nested", "First", "Second"]).exists()


def test_the_apis_replay_boundary_may_hold_one() -> None:
    with replay_boundary():
        organisation_make("Replayed")
    assert Organisation.objects.filter(name="Replayed").exists()


def test_the_pages_services_are_entry_points() -> None:
    from swc.homes import services as homes
    from swc.matching import services as matching
    from swc.notifications import services as notifications
    from swc.organisations import services as organisations
    from swc.questions import services as questions
    from swc.referrals import services as referrals
    from swc.reporting import services as reporting

    for service in (
        referrals.referral_create,
        referrals.referral_section_save,
        referrals.referral_move,
        referrals.referral_submit,
        referrals.referral_extend,
        matching.offer_accept,
        matching.placement_admit,
        homes.register_confirm,
        homes.vacancy_hold,
        questions.question_ask,
        questions.question_answer,
        notifications.on_call_period_add,
        reporting.monthly_return_sign_off,
        reporting.survey_submit,
        organisations.account_invite,
        organisations.account_disable,
        organisations.api_key_create,
        organisations.api_key_revoke,
    ):
        assert getattr(service, "swc_entry_point", False), service.__name__
