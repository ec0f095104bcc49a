"""Demo register: every reference home, plausible and clearly synthetic, idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from swc.homes.demo import SYNTHETIC_NOTE, demo_register_load
from swc.homes.models import (
    HomeCommercialTerms,
    HomeProfile,
    RegisterDeclaration,
    SecureHome,
    Vacancy,
)
from swc.homes.register import register_problems, vacancy_count_problem, working_day_is
from swc.homes.selectors import declarations_on, homes_unconfirmed_on

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_data():  # type: ignore[no-untyped-def]
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())
    call_command("import_secure_homes", str(DATA / "secure_homes.csv"), stdout=StringIO())
    with time_machine.travel("2026-03-10 12:00Z", tick=False):
        yield


def test_every_home_gets_a_synthetic_year_of_declarations_and_running_twice_adds_nothing() -> None:
    demo_register_load(StringIO())
    homes = list(SecureHome.objects.all())
    assert len(homes) == 14
    assert HomeProfile.objects.count() == HomeCommercialTerms.objects.count() == 14
    assert all("Synthetic" in terms.note for terms in HomeCommercialTerms.objects.all())
    counts = (RegisterDeclaration.objects.count(), Vacancy.objects.count())
    assert counts[0] > 14 * 240

    for declaration in RegisterDeclaration.objects.all():
        assert not register_problems(declaration.counts)
        assert working_day_is(declaration.declared_on)
    assert RegisterDeclaration.objects.filter(note=SYNTHETIC_NOTE).count() >= 14

    latest = declarations_on(dt.date(2026, 3, 10))
    for home in homes:
        counts_now = latest[home.pk].counts
        assert counts_now.approved == home.approved_places
        beds = Vacancy.objects.filter(home=home)
        assert (
            vacancy_count_problem(
                counts_now,
                open_now=beds.filter(available_from__lte="2026-03-10").count(),
                open_later=beds.filter(available_from__gt="2026-03-10").count(),
            )
            is None
        )
    # Welfare-only homes have no youth justice places.
    assert latest[SecureHome.objects.get(name="Atkinson Unit").pk].youth_justice == 0
    assert 0 < len(homes_unconfirmed_on(dt.date(2026, 3, 10))) < 14

    demo_register_load(StringIO())
    assert (RegisterDeclaration.objects.count(), Vacancy.objects.count()) == counts
    assert HomeProfile.objects.count() == 14


def test_loaded_early_in_the_morning_no_home_has_confirmed_today_yet() -> None:
    # 07:00 in London, before any home's usual time (08:00 to 11:00).
    with time_machine.travel("2026-03-10 07:00Z", tick=False):
        demo_register_load(StringIO())
    latest = RegisterDeclaration.objects.order_by("-declared_at").first()
    assert latest is not None
    assert latest.declared_at <= dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)
    assert len(homes_unconfirmed_on(dt.date(2026, 3, 10))) == 14
