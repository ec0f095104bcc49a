"""One measurement against one generated data set; prints its figures as JSON.

Run by benchmarks/run.py in a process of its own (the data set is chosen by
SWC_BENCH_SQLITE or DATABASE_URL), never by pytest: `make test` asserts query
counts, not times. Every figure comes with a floor timed in the same process,
so the ratio means something on any machine. Medians of three, after one
warm-up run that fills caches and connections.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from swc.core import clock  # noqa: E402
from swc.homes.models import SecureHome, Vacancy, VacancyStatus  # noqa: E402
from swc.organisations.models import (  # noqa: E402
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from swc.referrals.models import Referral  # noqa: E402
from swc.referrals.workflow import SEARCHABLE, Status  # noqa: E402
from swc.reporting.returns import ReturnMonth  # noqa: E402

RUNS = 3
COORDINATOR = "bench.coordinator@swcu.example"


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls after one warm-up, and the last answer."""
    value = fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), value


def coordinator() -> User:
    user = User.objects.filter(email=COORDINATOR).first()
    if user is None:
        unit, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.UNIT, name="Secure Welfare Coordination Unit"
        )
        user = User.objects.create_user(email=COORDINATOR, full_name="Bench Coordinator")
        Membership.objects.create(user=user, organisation=unit, role=Role.COORDINATOR)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def searchable_referral() -> Referral:
    """An open referral to match; the latest placed one reopened if none is open."""
    referral = Referral.objects.filter(status__in=SEARCHABLE).order_by("-pk").first()
    if referral is None:
        referral = Referral.objects.filter(status=Status.PLACED).order_by("-pk").first()
        assert referral is not None, "the data set has no referrals"
        # A benchmark fixture, not a workflow move: matching needs a searchable referral.
        Referral.objects.filter(pk=referral.pk).update(status=Status.COMPLETE)
        referral.refresh_from_db()
    return referral


def match() -> dict[str, Any]:
    from swc.matching.services import match_run

    by = coordinator()
    referral = searchable_referral()

    def floor() -> int:
        beds = list(
            Vacancy.objects.filter(status=VacancyStatus.FREE).values_list(
                "pk", "home_id", "available_from", "restriction_sex", "restriction"
            )
        )
        homes = list(
            SecureHome.objects.values_list(
                "pk", "name", "latitude", "longitude", "age_min", "age_max", "accepts",
                "profile__specialist_support", "profile__risks_not_managed",
                "profile__admissions", "profile__admissions_suspended_until",
                "profile__current_group_needs",
            )
        )  # fmt: skip
        return len(beds) + len(homes)

    seconds, _ = timed(lambda: match_run(referral=referral, by=by))
    floor_seconds, _ = timed(floor)
    return {
        "homes": SecureHome.objects.count(),
        "beds": Vacancy.objects.filter(status=VacancyStatus.FREE).count(),
        "seconds": seconds,
        "floor": floor_seconds,
    }


def allocation() -> dict[str, Any]:
    from swc.matching.allocation import (
        Waiting,
        allocation_propose,
        greedy_columns,
        score_matrix,
    )
    from swc.matching.selectors import child_profiles_of, home_profiles_for_matching

    homes = home_profiles_for_matching()
    referrals = list(Referral.objects.select_related("local_authority").order_by("-pk")[:1000])
    children = child_profiles_of(referrals)
    waiting = [Waiting(child, priority=i) for i, child in enumerate(children)]
    today = clock.today()

    def greedy() -> Any:
        return greedy_columns(waiting, score_matrix([w.child for w in waiting], homes, today))

    seconds, result = timed(lambda: allocation_propose(waiting, homes, today))
    floor_seconds, _ = timed(greedy)
    return {
        "children": len(waiting),
        "beds": sum(len(h.beds) for h in homes),
        "seconds": seconds,
        "floor": floor_seconds,
        "optimal_total": result.optimal_total,
        "greedy_total": result.greedy_total,
        "optimal_placed": result.optimal_placed,
        "greedy_placed": result.greedy_placed,
    }


def reports() -> dict[str, Any]:
    from swc.reporting.selectors import kpi_dashboard, monthly_return_figures

    today = clock.today()
    month = ReturnMonth(today.year, today.month).previous()
    year_last = month.last_day
    year_first = (month.start() - dt.timedelta(days=335)).date().replace(day=1)
    start, end = month.start(), month.end()
    year_start = dt.datetime.combine(year_first, dt.time(), tzinfo=clock.LONDON)

    def month_count() -> int:
        return Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end).count()

    def year_count() -> int:
        return Referral.objects.filter(submitted_at__gte=year_start, submitted_at__lt=end).count()

    def command() -> None:
        with tempfile.TemporaryDirectory() as folder:
            call_command(
                "monthly_return",
                "--month", str(month), "--format", "xlsx", "--out", f"{folder}/return.xlsx",
                stdout=StringIO(),
            )  # fmt: skip

    figures_seconds, _ = timed(lambda: monthly_return_figures(month))
    month_floor, in_month = timed(month_count)
    command_seconds, _ = timed(command, runs=1)
    kpi_seconds, _ = timed(lambda: kpi_dashboard(year_first, year_last))
    year_floor, in_year = timed(year_count)
    return {
        "referrals": Referral.objects.count(),
        "month": str(month),
        "in_month": in_month,
        "in_year": in_year,
        "return_seconds": figures_seconds,
        "return_floor": month_floor,
        "command_seconds": command_seconds,
        "kpi_seconds": kpi_seconds,
        "kpi_floor": year_floor,
        "indexed": _indexed("submitted_at"),
    }


def _indexed(column: str) -> bool:
    """Does an index on the referral table start with this column (the floor's COUNT uses it)?"""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Referral._meta.db_table)
    return any(c["index"] and c["columns"][:1] == [column] for c in constraints.values())


def session() -> dict[str, Any]:
    """A signed-in, two-factor-verified coordinator's session, for the load test."""
    user = coordinator()
    device = TOTPDevice.objects.filter(user=user).first()
    assert device is not None
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    referral = Referral.objects.order_by("-pk").first()
    assert referral is not None
    return {
        "cookie": store.session_key,
        "referral": referral.pk,
        "homes": SecureHome.objects.count(),
        "referrals": Referral.objects.count(),
    }


def profile(what: str) -> None:
    """cProfile's top entries (cumulative) for one case, for docs/performance.md."""
    import cProfile
    import pstats

    from swc.matching.services import match_run
    from swc.reporting.selectors import kpi_dashboard, monthly_return_figures

    month = ReturnMonth(clock.today().year, clock.today().month).previous()
    cases: dict[str, Callable[[], Any]] = {
        "return": lambda: monthly_return_figures(month),
        "kpi": lambda: kpi_dashboard(
            (month.start() - dt.timedelta(days=335)).date().replace(day=1), month.last_day
        ),
        "match": lambda: match_run(referral=searchable_referral(), by=coordinator()),
    }
    case = cases[what]
    case()  # warm-up
    profiler = cProfile.Profile()
    profiler.runcall(case)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "profile":
        profile(sys.argv[2])
        sys.exit()
    figures = {"match": match, "allocation": allocation, "reports": reports, "session": session}[
        what
    ]()
    print(json.dumps(figures))
