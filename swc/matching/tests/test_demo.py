"""Demo matching history: answers, offers and placements on the demo referrals, idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from swc.homes.demo import demo_register_load
from swc.matching.demo import demo_matching_load
from swc.matching.models import HomeResponse, ListSending, MatchRun, Offer, OfferStatus, Placement
from swc.matching.selectors import shortlist_for
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role
from swc.referrals.demo import demo_referrals_load
from swc.referrals.models import Referral
from swc.referrals.workflow import Status

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def demo_year_load() -> None:
    """The reference data and a demo year of register, referrals and matching, at NOW."""
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())
    call_command("import_secure_homes", str(DATA / "secure_homes.csv"), stdout=StringIO())
    with time_machine.travel(NOW, tick=False):
        demo_register_load(StringIO())
        demo_referrals_load(StringIO())
        demo_matching_load(StringIO())


def test_demo_history_is_consistent_and_loads_once() -> None:
    demo_year_load()
    with time_machine.travel(NOW, tick=False):
        placed = Referral.objects.filter(status=Status.PLACED, placed_home__isnull=False)
        assert Placement.objects.count() == placed.count() > 0
        for placement in Placement.objects.select_related("referral", "offer")[:50]:
            assert placement.home_id == placement.referral.placed_home_id
            assert placement.offer.status == OfferStatus.ACCEPTED
            if placement.discharged_on:
                assert placement.length_of_stay_days is not None
                assert placement.length_of_stay_days >= 14
        assert HomeResponse.objects.filter(kind="decline").exists()
        before = (
            HomeResponse.objects.count(),
            Offer.objects.count(),
            Placement.objects.count(),
            ListSending.objects.count(),
            MatchRun.objects.count(),
        )
        out = StringIO()
        demo_matching_load(out)
        assert "already loaded" in out.getvalue()
        assert (
            HomeResponse.objects.count(),
            Offer.objects.count(),
            Placement.objects.count(),
            ListSending.objects.count(),
            MatchRun.objects.count(),
        ) == before


def test_every_demo_list_provided_shows_the_homes_it_was_sent_to() -> None:
    """The referral's timeline says a list was provided: the authority's list page must agree."""
    demo_year_load()
    with time_machine.travel(NOW, tick=False):
        coordinator = user_with_role(Role.COORDINATOR)
        provided = Referral.objects.filter(list_provided_at__isnull=False).prefetch_related(
            "shares__home_organisation__secure_home"
        )
        assert provided.count() > 100
        for referral in provided:
            shortlist = shortlist_for(coordinator, referral)
            assert shortlist is not None, referral.reference
            sent = {share.home_organisation.secure_home.name for share in referral.shares.all()}
            assert {home.name for home in shortlist.homes} == sent, referral.reference
            assert all(home.distance_miles is not None for home in shortlist.homes)
            # Every home as a real run keeps it (a home the story sent but today's register
            # would not rank included): a score and its parts, best first.
            ranked = referral.match_runs.order_by("-run_at").first().ranked_homes()
            assert all(home.score is not None and home.parts for home in ranked)
            scores = [home.score for home in ranked]
            assert scores == sorted(scores, reverse=True), referral.reference
            assert shortlist.sendings[0].note
        with_homes = provided.filter(status=Status.WITH_HOMES).first()
        assert with_homes is not None
        assert any(home.reasons for home in shortlist_for(coordinator, with_homes).homes)


def test_the_demo_accounts_have_a_live_referral_to_follow_and_answer() -> None:
    """The newest demo referral is Hampshire's, with homes, and the demo homes still to answer.

    The demo referrer (Hampshire) sees a list with an answer coming in; the demo home
    managers (Swanwick Lodge, Adel Beck) each have it to answer.
    """
    demo_year_load()
    with time_machine.travel(NOW, tick=False):
        newest = Referral.objects.select_related("local_authority").latest("created_at")
        assert newest.local_authority.name == "Hampshire"
        assert newest.status == Status.WITH_HOMES
        shortlist = shortlist_for(user_with_role(Role.COORDINATOR), newest)
        assert shortlist is not None
        answers = {home.name: home.answer for home in shortlist.homes}
        assert answers.keys() >= {"Swanwick Lodge", "Adel Beck"} and len(answers) == 3
        assert answers["Swanwick Lodge"] == answers["Adel Beck"] == "waiting"
        # The third home has answered, so the list shows an answer arriving.
        assert [
            a for name, a in answers.items() if name not in ("Swanwick Lodge", "Adel Beck")
        ] != ["waiting"]
        # No open demo referral has an answer from a demo home: those are the visitor's to give.
        open_with_homes = Referral.objects.filter(status=Status.WITH_HOMES)
        assert not HomeResponse.objects.filter(
            referral__in=open_with_homes, home__name__in=("Swanwick Lodge", "Adel Beck")
        ).exists()
