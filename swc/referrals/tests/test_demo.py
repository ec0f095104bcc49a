"""Demo referrals: a synthetic year shaped like the published figures, idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from swc.core.vocabulary import NeedOrRisk
from swc.referrals.completeness import age_on
from swc.referrals.demo import demo_referrals_load
from swc.referrals.models import Referral, ReferralEvent
from swc.referrals.workflow import OPEN, Status

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_data():  # type: ignore[no-untyped-def]
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())
    call_command("import_secure_homes", str(DATA / "secure_homes.csv"), stdout=StringIO())
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_synthetic_year_shaped_like_the_published_figures() -> None:
    demo_referrals_load(StringIO())
    referrals = list(Referral.objects.all())
    assert 450 <= len(referrals) <= 530
    assert all(NOW - dt.timedelta(days=366) < r.created_at <= NOW for r in referrals)
    # Synthetic, and marked so; a child referred again keeps the same name and sex.
    assert all(r.la_child_identifier.startswith("DEMO-") for r in referrals)
    children: dict[str, set[tuple[str, str, str]]] = {}
    for r in referrals:
        children.setdefault(r.la_child_identifier, set()).add((r.first_name, r.last_name, r.sex))
    assert all(len(names) == 1 for names in children.values())
    assert len(children) < len(referrals)  # some children are referred again
    assert len({r.last_name for r in referrals}) > 40
    # Each need is described as a social worker would, not with a placeholder.
    assert all(set(r.need_descriptions) == set(r.needs) for r in referrals)
    described = {text for r in referrals for text in r.need_descriptions.values()}
    assert len(described) > 20 and not any("demo" in text.lower() for text in described)

    ages = Counter(age_on(r.date_of_birth, r.created_at.date()) for r in referrals)
    assert set(ages) <= set(range(10, 18))
    assert sum(ages[a] for a in (14, 15, 16)) / len(referrals) > 0.6

    girls = sum(r.sex == "female" for r in referrals) / len(referrals)
    assert 0.4 < girls < 0.6

    finished = [r for r in referrals if r.status not in OPEN]
    not_placed = sum(r.status != Status.PLACED for r in finished) / len(finished)
    assert 0.3 < not_placed < 0.5
    assert all(r.placed_home_id for r in finished if r.status == Status.PLACED)

    with_missing = [r for r in referrals if NeedOrRisk.GOING_MISSING in r.needs]
    without = [r for r in referrals if NeedOrRisk.GOING_MISSING not in r.needs]
    cse = NeedOrRisk.SEXUAL_EXPLOITATION
    rate_with = sum(cse in r.needs for r in with_missing) / len(with_missing)
    rate_without = sum(cse in r.needs for r in without) / len(without)
    assert rate_with > 2 * rate_without

    assert any(r.la_child_identifier for r in referrals)
    repeated = Counter(r.la_child_identifier for r in referrals)
    assert any(n > 1 for n in repeated.values()), "some children are referred again"
    assert ReferralEvent.objects.filter(to_status=Status.COMPLETE).count() == len(referrals)


def test_running_twice_adds_nothing() -> None:
    demo_referrals_load(StringIO())
    count = Referral.objects.count()
    out = StringIO()
    demo_referrals_load(out)
    assert Referral.objects.count() == count
    assert "already loaded" in out.getvalue()
