"""Synthetic demo register for `make run`: every reference home gets invented figures.

Nothing here is real. The welfare / youth justice split, occupancy, prices,
profiles and beds are made up from a seed per home name, so each run gives
the same figures, and every declaration and price carries a note saying so.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from swc.core import clock
from swc.core.vocabulary import HomeAccepts, NeedOrRisk, Sex

from .models import (
    HomeCommercialTerms,
    HomeProfile,
    RegisterDeclaration,
    SecureHome,
    Vacancy,
)
from .register import RegisterCounts, register_problems, working_day_is

SYNTHETIC_NOTE = "Synthetic demo figures: not this home's real places or occupancy"
SYNTHETIC_PRICE_NOTE = "Synthetic demo price: not this home's real price"
DEMO_DAYS = 365
OCCUPANCY = 0.85
# Homes that leave today's register unconfirmed, so the unit's list has something to show.
UNCONFIRMED_TODAY_EVERY = 5


def _youth_justice_places(home: SecureHome, rng: random.Random) -> int:
    notes = home.public_notes.lower()
    if "welfare only" in notes or "welfare (section 25) only" in notes:
        return 0
    if "12 welfare places" in notes:
        return max(home.approved_places - 12, 0)
    return round(home.approved_places * rng.uniform(0.3, 0.6))


def _occupancy_step(occupied: int, places: int, rng: random.Random) -> int:
    # A random walk pulled towards OCCUPANCY of the places: homes run nearly full.
    target = round(places * OCCUPANCY)
    pull = 1 if occupied < target - 1 else -1 if occupied > target + 1 else 0
    return min(max(occupied + pull + rng.choice([-1, 0, 0, 1]), 0), places)


def _declarations_make(
    home: SecureHome, rng: random.Random, today: dt.date, leave_today: bool
) -> RegisterDeclaration | None:
    now = clock.now()
    approved = home.approved_places
    youth_justice = _youth_justice_places(home, rng)
    staffed_base = max(approved - rng.randint(0, max(approved // 6, 1)), youth_justice)
    occupied_welfare = round((staffed_base - youth_justice) * OCCUPANCY)
    occupied_yj = round(youth_justice * OCCUPANCY)
    rows: list[RegisterDeclaration] = []
    for offset in range(DEMO_DAYS, -1, -1):
        day = today - dt.timedelta(days=offset)
        if not working_day_is(day) or (offset == 0 and leave_today):
            continue
        changed = rng.random() < 0.3 or not rows
        if changed:
            staffed = max(min(approved, staffed_base + rng.choice([-1, 0, 0, 1])), youth_justice)
            welfare_staffed = staffed - youth_justice
            occupied_welfare = _occupancy_step(occupied_welfare, welfare_staffed, rng)
            occupied_yj = _occupancy_step(occupied_yj, youth_justice, rng)
            counts = RegisterCounts(approved, staffed, youth_justice, occupied_welfare, occupied_yj)
        else:
            counts = rows[-1].counts
        assert not register_problems(counts), (home.name, counts)
        at = dt.datetime.combine(
            day, dt.time(8, rng.randint(0, 59)), tzinfo=clock.LONDON
        ) + dt.timedelta(minutes=rng.randint(0, 120))
        if at > now:
            # Loaded before this home's usual time today: it has not confirmed yet.
            continue
        rows.append(
            RegisterDeclaration(
                home=home,
                declared_on=day,
                declared_at=at,
                approved=counts.approved,
                staffed=counts.staffed,
                youth_justice=counts.youth_justice,
                occupied_welfare=counts.occupied_welfare,
                occupied_youth_justice=counts.occupied_youth_justice,
                unchanged=not changed,
                note=SYNTHETIC_NOTE if changed else "",
            )
        )
    RegisterDeclaration.objects.bulk_create(rows)
    return rows[-1] if rows else None


def _vacancies_make(
    home: SecureHome, rng: random.Random, latest: RegisterDeclaration, today: dt.date
) -> int:
    counts = latest.counts
    free_now = min(counts.welfare_free, rng.choice([0, 1, 1, 2]))
    later = 1 if free_now < counts.welfare_staffed and rng.random() < 0.5 else 0
    beds = []
    for n in range(free_now + later):
        restricted = home.accepts == HomeAccepts.BOYS_AND_GIRLS and rng.random() < 0.25
        beds.append(
            Vacancy(
                home=home,
                available_from=today if n < free_now else today + dt.timedelta(rng.randint(3, 14)),
                restriction=(
                    "Girls only for now, because of the current group (synthetic)"
                    if restricted
                    else ""
                ),
                restriction_sex=Sex.FEMALE if restricted else "",
            )
        )
    Vacancy.objects.bulk_create(beds)
    return len(beds)


def _profile_make(home: SecureHome, rng: random.Random) -> None:
    codes = list(NeedOrRisk.values)
    support = rng.sample(codes, rng.randint(2, 4))
    not_managed = rng.sample([c for c in codes if c not in support], rng.randint(0, 1))
    slug = "".join(ch for ch in home.name.lower() if ch.isalnum())
    HomeProfile.objects.get_or_create(
        home=home,
        defaults={
            "specialist_support": [c for c in codes if c in support],
            "risks_not_managed": not_managed,
            "current_group_needs": sorted(rng.sample(codes, rng.randint(1, 3))),
            "current_group_notes": "Synthetic demo group description",
            "contact_name": "Duty manager (demo)",
            # Ofcom's range for drama: never a real number.
            "contact_phone": f"01632 960{rng.randint(0, 999):03d}",
            "contact_email": f"duty@{slug}.example",
        },
    )
    HomeCommercialTerms.objects.get_or_create(
        home=home,
        defaults={
            "weekly_price_welfare": Decimal(rng.randrange(6000, 9500, 50)),
            "note": SYNTHETIC_PRICE_NOTE,
        },
    )


def demo_register_load(out: TextIO) -> None:
    """Give every reference home a synthetic profile, price, beds and a year of declarations.

    Idempotent: a home that already has declarations is left alone.
    """
    today = clock.today()
    created = 0
    with transaction.atomic():
        homes = list(SecureHome.objects.order_by("name"))
        already = set(RegisterDeclaration.objects.values_list("home_id", flat=True).distinct())
        for index, home in enumerate(homes):
            rng = random.Random(zlib.crc32(home.name.encode()))
            _profile_make(home, rng)
            if home.pk in already:
                continue
            latest = _declarations_make(
                home, rng, today, leave_today=index % UNCONFIRMED_TODAY_EVERY == 1
            )
            if latest is not None:
                _vacancies_make(home, rng, latest, today)
            created += 1
    out.write(
        f"register: synthetic declarations for {created} home(s), "
        f"{len(homes) - created} already had them\n"
    )
