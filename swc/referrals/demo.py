"""A synthetic year of referrals for `make run`, shaped like the published figures.

Nothing here is a real child. About 450–530 referrals over the last twelve
months; ages 10–17, mostly 14–16; about half girls; roughly 2 in 5 not
placed; needs drawn with realistic co-occurrence (going missing with
exploitation, self-harm with mental health). Names are common first names and
surnames combined at random, and a child referred again keeps theirs; every
identifier starts "DEMO-". Seeded, so each run is the same; skipped when demo
referrals exist already.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction

from swc.core import clock
from swc.core.vocabulary import (
    ClosureDestination,
    Ethnicity,
    LegalStatus,
    NeedOrRisk,
    Sex,
    WithdrawalReason,
)
from swc.organisations.demo import demo_home_names
from swc.organisations.models import LocalAuthority

from .completeness import AGE_MAX, age_on
from .models import Referral, ReferralEvent, ReferralEventKind, ReferralShare
from .services import referral_list_clocks_refresh
from .workflow import Status

SEED = 20260401
DEMO_PREFIX = "DEMO-"
DEMO_LAS = ("850", "383")  # the demo referrers' authorities get a fair share
# The newest demo referral is the first demo authority's, sent to the demo accounts' homes
# (and one other): someone trying the demo follows a live list as the referrer, and
# answers it as a home manager (matching's demo leaves the demo homes' answers to them).
# Names common among English teenagers born 2009–2016, combined at random: plausible
# on screen, and no real child. The "DEMO-" identifier marks every record as synthetic.
FIRST_NAMES = {
    Sex.FEMALE: (
        "Amelia", "Olivia", "Chloe", "Ellie", "Jessica", "Lacey", "Aaliyah",
        "Maisie", "Leah", "Courtney", "Skye", "Paige", "Demi", "Kayla", "Summer",
        "Ruby", "Freya", "Amira", "Zara", "Tia", "Holly", "Keira", "Libby", "Evie",
    ),
    Sex.MALE: (
        "Jayden", "Tyler", "Kyle", "Callum", "Mason", "Reece", "Kieran", "Riley",
        "Leon", "Connor", "Harvey", "Ethan", "Bradley", "Jordan", "Kai", "Lewis",
        "Tyrese", "Ibrahim", "Oliver", "Alfie", "Charlie", "Liam", "Josh", "Archie",
    ),
}  # fmt: skip
SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
    "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards",
    "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes", "Moore", "King", "Harrison",
    "Lewis", "Baker", "Allen", "Morris", "Khan", "Scott", "Watson", "Parker", "Bennett",
    "Young", "Mitchell", "Bailey", "Carter", "Singh", "Shaw", "Campbell", "Murphy",
    "Kelly", "Begum", "Hussain", "Ahmed", "Nowak", "Okafor", "Mensah", "Brennan",
    "Price", "Lloyd",
)  # fmt: skip
# What a social worker might write under each need: a few variants each, chosen at random.
NEED_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    NeedOrRisk.RISK_TO_OTHERS: (
        "Assaulted two members of staff at the current placement this week.",
        "Threatened a younger child with a knife; police attended.",
    ),
    NeedOrRisk.GOING_MISSING: (
        "Missing 11 times in the last month, often overnight, found in another county.",
        "Goes missing within hours of every placement; two return interviews refused.",
    ),
    NeedOrRisk.SELF_HARM: (
        "Ligature incidents on three occasions in the last fortnight.",
        "Cutting daily; hospital admission after an overdose last week.",
    ),
    NeedOrRisk.MENTAL_HEALTH: (
        "Assessed by CAMHS; not detainable under the Mental Health Act.",
        "Low mood and suicidal thoughts; awaiting a tier 4 bed that is not available.",
    ),
    NeedOrRisk.NEURODEVELOPMENTAL: (
        "Diagnosed with ADHD; suspected autism, assessment outstanding.",
        "Autistic; struggles with change and noise, needs a predictable routine.",
    ),
    NeedOrRisk.DISABILITY: (
        "Mild learning disability; reads at about age 8.",
        "Hearing impairment in one ear; uses hearing aids when settled.",
    ),
    NeedOrRisk.SEXUAL_EXPLOITATION: (
        "Found in cars with unknown adult men; NRM referral made.",
        "Groomed online; gifts and a new phone from unknown adults.",
    ),
    NeedOrRisk.CRIMINAL_EXPLOITATION: (
        "Linked to a county lines network; found with drugs and cash out of area.",
        "Owes a debt to older peers; threatened if returned home.",
    ),
    NeedOrRisk.SUBSTANCE_MISUSE: (
        "Daily cannabis use; ketamine on recent missing episodes.",
        "Alcohol use most nights; taken to A&E intoxicated twice.",
    ),
    NeedOrRisk.PLACEMENT_BREAKDOWN: (
        "Fourth placement breakdown this year; the current home has given notice.",
        "Foster placement ended after an assault on a carer.",
    ),
    NeedOrRisk.OUT_OF_EDUCATION: (
        "Permanently excluded; no school place for six months.",
        "On a reduced timetable of five hours a week, rarely attends.",
    ),
    NeedOrRisk.FIRE_SETTING: (
        "Set fire to a bin and a bedroom curtain at the current placement.",
        "History of fire-setting; fire service referral made.",
    ),
    NeedOrRisk.HARMFUL_SEXUAL_BEHAVIOUR: (
        "AIM assessment completed; needs supervision with younger children.",
        "Sexualised behaviour towards peers; safety plan in place.",
    ),
}
AGE_WEIGHTS = {10: 1, 11: 2, 12: 4, 13: 9, 14: 22, 15: 29, 16: 24, 17: 9}
ETHNICITY_WEIGHTS = {
    Ethnicity.WBRI: 68, Ethnicity.WOTH: 4, Ethnicity.WIRT: 1, Ethnicity.MWBC: 6,
    Ethnicity.MWBA: 2, Ethnicity.MWAS: 2, Ethnicity.MOTH: 4, Ethnicity.AIND: 1,
    Ethnicity.APKN: 2, Ethnicity.ABAN: 1, Ethnicity.BCRB: 3, Ethnicity.BAFR: 3,
    Ethnicity.BOTH: 1, Ethnicity.OOTH: 2,
}  # fmt: skip
LEGAL_WEIGHTS = {
    LegalStatus.S25_APPLICATION: 52,
    LegalStatus.REGULATION_10: 28,
    LegalStatus.S25_ORDER: 20,
}
WITHDRAWAL_WEIGHTS = {
    WithdrawalReason.DOL_ORDER: 40,
    WithdrawalReason.ALTERNATIVE_FOUND: 25,
    WithdrawalReason.ORDER_REFUSED: 15,
    WithdrawalReason.NO_LONGER_NEEDED: 14,
    WithdrawalReason.CHILD_MISSING: 6,
}
CLOSURE_WEIGHTS = {
    ClosureDestination.DOL_CHILDRENS_HOME: 45,
    ClosureDestination.UNREGISTERED: 20,
    ClosureDestination.HOME: 10,
    ClosureDestination.CUSTODY: 8,
    ClosureDestination.SCOTTISH_SECURE_UNIT: 7,
    ClosureDestination.OTHER: 10,
}
N = NeedOrRisk


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def needs_draw(rng: random.Random, sex: str) -> list[str]:
    """Needs with the co-occurrence the unit sees: exploitation goes with going missing."""
    girl = sex == Sex.FEMALE
    needs: set[str] = set()

    def maybe(need: str, p: float) -> None:
        if rng.random() < p:
            needs.add(need)

    maybe(N.GOING_MISSING, 0.72)
    missing = N.GOING_MISSING in needs
    maybe(N.SEXUAL_EXPLOITATION, (0.55 if girl else 0.15) if missing else 0.08)
    maybe(N.CRIMINAL_EXPLOITATION, (0.25 if girl else 0.55) if missing else 0.12)
    maybe(N.SUBSTANCE_MISUSE, 0.45 if missing else 0.2)
    maybe(N.SELF_HARM, 0.65 if girl else 0.35)
    maybe(N.MENTAL_HEALTH, 0.75 if N.SELF_HARM in needs else 0.35)
    maybe(N.RISK_TO_OTHERS, 0.3 if girl else 0.55)
    maybe(N.NEURODEVELOPMENTAL, 0.3)
    maybe(N.PLACEMENT_BREAKDOWN, 0.6)
    maybe(N.OUT_OF_EDUCATION, 0.5)
    maybe(N.FIRE_SETTING, 0.05)
    maybe(N.HARMFUL_SEXUAL_BEHAVIOUR, 0.03 if girl else 0.07)
    maybe(N.DISABILITY, 0.04)
    if not needs:
        needs.add(N.PLACEMENT_BREAKDOWN)
    return [code for code in N.values if code in needs]


def date_of_birth_draw(rng: random.Random, age: int, on: dt.date) -> dt.date:
    born = on - dt.timedelta(days=round(age * 365.25) + rng.randint(1, 360))
    while age_on(born, on) > age:
        born += dt.timedelta(days=7)
    while age_on(born, on) < age:
        born -= dt.timedelta(days=7)
    return born


def demo_referrals_load(out: TextIO) -> None:
    if Referral.objects.filter(la_child_identifier__startswith=DEMO_PREFIX).exists():
        out.write("Referrals: demo referrals already loaded\n")
        return
    authorities = list(LocalAuthority.objects.all())
    if not authorities:
        out.write("Referrals: no local authorities loaded, so no demo referrals\n")
        return
    from swc.homes.models import SecureHome

    homes = list(SecureHome.objects.select_related("organisation"))
    rng = random.Random(SEED)
    now = clock.now()
    with transaction.atomic():
        made = _referrals_make(rng, now, authorities, homes)
    out.write(f"Referrals: {made} synthetic referrals over the last 12 months\n")


def _referrals_make(
    rng: random.Random, now: dt.datetime, authorities: list[LocalAuthority], homes: list[Any]
) -> int:
    count = rng.randint(450, 530)
    weights = [max(a.population, 1) for a in authorities]
    favoured = [a for a in authorities if a.dfe_la_code in DEMO_LAS]
    referrals: list[Referral] = []
    plans: list[dict[str, Any]] = []
    children_by_la: dict[int, list[tuple[str, str, str, dt.date, str]]] = {}
    # In time order, so that a re-referral comes after the referral it repeats.
    times = sorted(now - dt.timedelta(minutes=rng.randint(10, 365 * 24 * 60)) for _ in range(count))
    for n, created in enumerate(times):
        la = (
            rng.choice(favoured)
            if favoured and rng.random() < 0.06
            else (rng.choices(authorities, weights=weights)[0])
        )
        story = bool(favoured) and n == count - 1
        if story:
            la = min(favoured, key=lambda a: DEMO_LAS.index(a.dfe_la_code))
        earlier = [
            child
            for child in children_by_la.get(la.pk, [])
            if age_on(child[3], created.date()) <= AGE_MAX
        ]
        if earlier and rng.random() < 0.25:
            # A re-referral: the same child, referred again by the same authority.
            first, last, identifier, dob, sex = rng.choice(earlier)
        else:
            sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
            age = _pick(rng, AGE_WEIGHTS)
            dob = date_of_birth_draw(rng, age, created.date())
            first = rng.choice(FIRST_NAMES[sex])
            last = rng.choice(SURNAMES)
            identifier = f"{DEMO_PREFIX}{la.dfe_la_code}-{n:05d}"
            children_by_la.setdefault(la.pk, []).append((first, last, identifier, dob, sex))
        legal = _pick(rng, LEGAL_WEIGHTS)
        needs = needs_draw(rng, sex)
        completed = created + dt.timedelta(minutes=rng.randint(5, 240))
        referral = Referral(
            local_authority=la,
            status=Status.COMPLETE,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            sex=sex,
            ethnicity=_pick(rng, ETHNICITY_WEIGHTS),
            first_language="English" if rng.random() < 0.93 else "Arabic",
            religion="",
            la_child_identifier=identifier,
            unaccompanied_asylum_seeking=rng.random() < 0.03,
            legal_status=legal,
            hearing_date=(created + dt.timedelta(days=rng.randint(1, 6))).date()
            if legal == LegalStatus.S25_APPLICATION
            else None,
            order_expires_on=(created + dt.timedelta(days=rng.randint(28, 90))).date()
            if legal == LegalStatus.S25_ORDER
            else None,
            regulation_10_started_at=created - dt.timedelta(hours=rng.randint(1, 30))
            if legal == LegalStatus.REGULATION_10
            else None,
            secretary_of_state_approval_on=created.date()
            if (created.date() - dob).days < 13 * 365
            else None,
            needs=needs,
            need_descriptions={need: rng.choice(NEED_DESCRIPTIONS[need]) for need in needs},
            current_placement=rng.choice(
                ["Residential children's home", "Foster placement", "Family home", "Hospital"]
            ),
            home_area_region=la.region,
            home_area=la.name,
            bed_needed_at=created + dt.timedelta(hours=rng.randint(4, 96)),
            social_worker_name="Demo Social Worker",
            social_worker_phone="01632 960000",
            social_worker_email="social.worker@demo.example",
            manager_name="Demo Team Manager",
            submitted_at=completed - dt.timedelta(minutes=1),
            completed_at=completed,
            last_update_at=completed,
            last_reviewed_at=completed,
        )
        story_homes = [h for h in homes if h.name in demo_home_names()] if story else []
        plan = _outcome_plan(rng, referral, now, homes, story_homes)
        referrals.append(referral)
        plans.append({**plan, "created": created})
    Referral.objects.bulk_create(referrals, batch_size=200)
    for referral, plan in zip(referrals, plans, strict=True):
        # auto_now_add overwrote these on insert; the demo needs them back in the past.
        referral.created_at = plan["created"]
        referral.modified_at = plan["last_at"]
    Referral.objects.bulk_update(referrals, ["created_at", "modified_at"], batch_size=200)
    events: list[ReferralEvent] = []
    shares: list[ReferralShare] = []
    for referral, plan in zip(referrals, plans, strict=True):
        for at, kind, from_status, to_status, reason, detail in plan["events"]:
            events.append(
                ReferralEvent(
                    referral=referral,
                    at=at,
                    actor_label="Demo data",
                    kind=kind,
                    from_status=from_status,
                    to_status=to_status,
                    reason=reason,
                    detail=detail,
                )
            )
        for organisation, at in plan["shares"]:
            shares.append(
                ReferralShare(referral=referral, home_organisation=organisation, shared_at=at)
            )
    ReferralEvent.objects.bulk_create(events, batch_size=500)
    referral_list_clocks_refresh([referral.pk for referral in referrals])
    ReferralShare.objects.bulk_create(shares, batch_size=500, ignore_conflicts=True)
    return len(referrals)


def _outcome_plan(
    rng: random.Random,
    referral: Referral,
    now: dt.datetime,
    homes: list[Any],
    story_homes: list[Any] | None = None,
) -> dict[str, Any]:
    """Set the referral's final status and stamps; return its timeline and shares."""
    assert referral.completed_at is not None and referral.submitted_at is not None
    events: list[tuple[dt.datetime, str, str, str, str, str]] = []
    shares: list[tuple[Any, dt.datetime]] = []

    def move(at: dt.datetime, frm: str, to: str, reason: str = "", detail: str = "") -> None:
        events.append((at, ReferralEventKind.STATUS, frm, to, reason, detail))
        referral.status = to

    created = referral.submitted_at - dt.timedelta(minutes=rng.randint(5, 60))
    events.append((created, ReferralEventKind.CREATED, "", Status.DRAFT, "", ""))
    move(referral.submitted_at, Status.DRAFT, Status.SUBMITTED)
    move(referral.completed_at, Status.SUBMITTED, Status.COMPLETE)
    at = referral.completed_at
    # 85 % get a list within two hours, as the KPI hopes.
    list_delay = rng.randint(15, 119) if rng.random() < 0.85 else rng.randint(121, 600)
    age_hours = (now - at).total_seconds() / 3600
    placed = rng.random() < 0.6
    last_at = at
    if at + dt.timedelta(minutes=list_delay) < now:
        at = at + dt.timedelta(minutes=list_delay)
        referral.list_provided_at = at
        move(at, Status.COMPLETE, Status.SHORTLISTED)
        at = at + dt.timedelta(minutes=rng.randint(5, 60))
        if at < now and homes:
            chosen = rng.sample(homes, k=min(len(homes), rng.randint(2, 4)))
            if story_homes:
                chosen = [*story_homes, *[h for h in chosen if h not in story_homes][:1]]
            for home in chosen:
                shares.append((home.organisation, at))
            move(at, Status.SHORTLISTED, Status.WITH_HOMES)
            if placed:
                referral.placed_home = chosen[0]
        last_at = at
    # Referrals from the last few days are still open; older ones have an outcome.
    accepted_at = at + dt.timedelta(hours=rng.randint(2, 72))
    placed_at = accepted_at + dt.timedelta(hours=rng.randint(1, 24))
    closed_at = at + dt.timedelta(hours=rng.randint(6, 24 * 7))
    goes_placed = placed and referral.status == Status.WITH_HOMES
    finished_at = placed_at if goes_placed else closed_at
    if age_hours > 24 * rng.uniform(3, 10) and finished_at < now:
        if goes_placed:
            referral.offer_accepted_at = accepted_at
            move(accepted_at, Status.WITH_HOMES, Status.OFFER_ACCEPTED)
            referral.placed_at = referral.closed_at = placed_at
            move(placed_at, Status.OFFER_ACCEPTED, Status.PLACED)
        else:
            referral.placed_home = None
            referral.closed_at = closed_at
            if rng.random() < 0.7:
                reason = _pick(rng, WITHDRAWAL_WEIGHTS)
                to = Status.WITHDRAWN
            else:
                reason = _pick(rng, CLOSURE_WEIGHTS)
                to = Status.CLOSED_NOT_PLACED
            referral.outcome_reason = reason
            move(closed_at, referral.status, to, reason, "Synthetic demo outcome")
        last_at = finished_at
    else:
        referral.placed_home = None
    return {"events": events, "shares": shares, "last_at": min(last_at, now)}
