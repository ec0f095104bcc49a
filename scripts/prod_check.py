"""`make prod-check`: the production configuration, run for real on loopback, and smoke-tested.

gunicorn (4 workers, WhiteNoise serving the collected static files), two task
workers and the scheduler, against the throw-away PostgreSQL 15 that
scripts/with-postgres.sh starts (DATABASE_URL). Then, over HTTP, as the
people who use the service: a referrer signs in with two-factor and submits
a referral; the coordinator provides the list; a home manager opens the
board; the authority's API key reads the referral back. Last, every log line
is checked to be JSON and to carry none of the planted child's names and none
of the planted price. Every process started here is stopped, even on failure
(tests/processes.py); the Makefile bounds the whole run in time.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.processes import MANAGE, Service, service_env, service_prepare, service_running  # noqa: E402

DATA = Path(os.environ.get("DATA", REPO.parent / "shared" / "data"))
# Planted: found nowhere in the demo data, so any sighting in a log is this run's.
FIRST_NAME = "Prodchecksynthia"
LAST_NAME = "Zyxwarringtonid"
PRICE = "87654.32"
PRICE_FORMS = ("87654", "87,654")
REFERRER = "referrer@hampshire.example"
COORDINATOR = "coordinator@swcu.example"
HOME_MANAGER = "manager@swanwick.example"
REQUEST_SECONDS = 60


class Visitor:
    """A person's browser, enough of one: cookies, CSRF tokens, redirects, over loopback.

    Production cookies are Secure and ``__Host-``, which an http client's cookie
    jar would never send to http://127.0.0.1, so cookies are kept by hand; the
    proxy header says the connection was https (tests/processes.py).
    """

    def __init__(self, service: Service) -> None:
        self.port = service.port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str | list[str]] | None = None, **headers: str
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_SECONDS)
        sent = {
            **Service.HEADERS,
            "Origin": "https://127.0.0.1",
            "Referer": "https://127.0.0.1" + path,
            **headers,
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            token = self.cookies.get("__Host-swc-csrf", "")
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **form}, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path: str) -> tuple[int, str, str]:
        """GET, following redirects; the status, the final path and the page."""
        for _ in range(5):
            status, headers, text = self.request("GET", path)
            if status in (301, 302, 303) and "location" in headers:
                path = _local(headers["location"])
                continue
            return status, path, text
        raise AssertionError(f"too many redirects from {path}")

    def post(self, path: str, form: dict[str, str | list[str]]) -> tuple[int, str, str]:
        """POST a form; on a redirect, follow it as a browser does."""
        status, headers, text = self.request("POST", path, form)
        if status in (302, 303):
            return self.get(_local(headers["location"]))
        return status, path, text


def _local(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check(condition: bool, what: str, page: str = "") -> None:
    if not condition:
        detail = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))[:1500]
        raise AssertionError(f"{what}\n{detail}")


def manage(env: dict[str, str], *args: str, settings: str | None = None) -> str:
    run_env = {**env, "DJANGO_SETTINGS_MODULE": settings} if settings else env
    result = subprocess.run(  # noqa: S603 - manage.py with our own arguments
        [*MANAGE, *args], env=run_env, cwd=REPO, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def sign_in(service: Service, env: dict[str, str], email: str, password: str) -> Visitor:
    """Password, then the authenticator's code: the two steps a person takes."""
    visitor = Visitor(service)
    visitor.get("/sign-in/")
    status, path, page = visitor.post("/sign-in/", {"email": email, "password": password})
    check(path.startswith("/sign-in/security-code/"), f"{email}: no security code asked", page)
    # The demo's authenticator: the same TOTP secret, read with development settings
    # (the command refuses to run in production, as it should).
    code = manage(env, "demo_totp_code", email, settings="config.settings.dev").strip().split()[-1]
    status, path, page = visitor.post("/sign-in/security-code/", {"code": code})
    check(status == 200 and not path.startswith("/sign-in"), f"{email}: not signed in", page)
    return visitor


def version_of(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    check(found is not None, "no version on the form", page)
    assert found is not None
    return found.group(1)


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def referral_submit(visitor: Visitor) -> int:
    status, path, page = visitor.post("/referrals/new/", {})
    found = re.match(r"/referrals/(\d+)/sections/", path)
    check(found is not None, "starting a referral did not reach its sections", page)
    assert found is not None
    pk = int(found.group(1))
    today = dt.date.today()
    needed = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(14, 0))
    sections: dict[str, dict[str, str | list[str]]] = {
        "child": {
            "first_name": FIRST_NAME,
            "last_name": LAST_NAME,
            **date_fields("date_of_birth", today.replace(year=today.year - 14, day=1)),
            "sex": "female",
            "ethnicity": "WBRI",
            "first_language": "English",
            "la_child_identifier": "PRODCHECK-1",
            "unaccompanied_asylum_seeking": "no",
        },
        "legal": {
            "legal_status": "s25_application",
            **date_fields("hearing_date", today + dt.timedelta(days=3)),
        },
        "needs": {"needs": ["going_missing"], "description_going_missing": "Goes missing"},
        "placement": {
            "current_placement": "Residential home",
            "home_area_region": "South East",
            "home_area": "Winchester",
        },
        "when": {
            **date_fields("bed_needed_at", needed.date()),
            "bed_needed_at_hour": "14",
            "bed_needed_at_minute": "0",
        },
        "contacts": {
            "social_worker_name": "Sam Worker",
            "social_worker_phone": "01234 567890",
            "social_worker_email": "sam@example.test",
            "manager_name": "Morgan Manager",
        },
    }
    for section, answers in sections.items():
        url = f"/referrals/{pk}/sections/{section}/"
        status, _, page = visitor.get(url)
        status, path, page = visitor.post(url, {**answers, "version": version_of(page)})
        check(path != url, f"the {section} section was not accepted", page)
    status, _, page = visitor.get(f"/referrals/{pk}/check/")
    check("Submit the referral" in page, "the referral cannot be submitted", page)
    status, path, page = visitor.post(f"/referrals/{pk}/check/", {"version": version_of(page)})
    check(status == 200 and "/check/" not in path, "submitting the referral failed", page)
    return pk


def list_provide(visitor: Visitor, pk: int) -> None:
    url = f"/matching/referrals/{pk}/"
    status, _, page = visitor.post(url, {"action": "run"})
    check(status == 200 and "score" in page, "the match run did not show candidates", page)
    status, _, page = visitor.post(url, {"action": "send_all", "note": "From the prod check"})
    check("The list has been provided" in page, "the list was not provided", page)


def api_read(service: Service, env: dict[str, str], pk: int) -> None:
    key = manage(env, "create_api_key", "--organisation", "850", "--role", "referrer").strip()
    visitor = Visitor(service)
    status, _, body = visitor.request("GET", "/api/v1/me/", Authorization=f"Bearer {key}")
    check(status == 200, f"GET /api/v1/me/ answered {status}", body)
    status, _, body = visitor.request("GET", "/api/v1/referrals/", Authorization=f"Bearer {key}")
    check(status == 200, f"GET /api/v1/referrals/ answered {status}", body)
    listed = json.loads(body)
    check(bool(listed.get("results")), "the authority's key sees no referral", body)
    status, _, body = visitor.request("GET", "/api/v1/referrals/")
    check(status in (401, 403), f"the API without a key answered {status}", body)


def logs_check(service: Service) -> int:
    """Every request was logged as JSON; nothing planted reached any log."""
    text = service.logs()
    for planted in (FIRST_NAME, LAST_NAME, *PRICE_FORMS):
        check(planted not in text, f"{planted!r} is in the logs")
    requests = []
    for line in text.splitlines():
        if '"logger": "swc.request"' in line:
            requests.append(json.loads(line))
    routes = {r.get("route") for r in requests}
    for route in ("/referrals/<int:pk>/sections/<slug:section>/", "/matching/referrals/<int:pk>/"):
        check(route in routes, f"no request logged for {route}: {routes}")
    check(
        all({"request_id", "status", "duration_ms"} <= set(r) for r in requests),
        "a request line lacks its id, status or duration",
    )
    check(any(r.get("organisation_id") for r in requests), "no request names its organisation")
    # The web server's log, gunicorn's own lines included, is JSON from its first line.
    for line in service.log_path("web").read_text().splitlines():
        try:
            json.loads(line)
        except ValueError:
            check(False, f"a web log line is not JSON: {line[:300]}")
    return len(requests)


COUNTS = "import json; from swc.core.backup import table_row_counts as c; print(json.dumps(c()))"


def backup_drill(env: dict[str, str], workdir: Path) -> None:
    """The restore drill of docs/operations.md: back up, restore into an empty database."""
    archive = workdir / "drill.tar.gz"
    print("      " + manage(env, "backup", str(archive)).strip())
    drill_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/swc_drill"
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as admin:
        admin.execute("CREATE DATABASE swc_drill")
    drill_env = {
        **env,
        "DATABASE_URL": drill_url,
        "SWC_DOCUMENTS_ROOT": str(workdir / "drill-docs"),
    }
    print("      " + manage(drill_env, "restore", str(archive)).strip())
    # The last line: `shell` may first say what it imported.
    source = json.loads(manage(env, "shell", "-c", COUNTS).strip().splitlines()[-1])
    restored = json.loads(manage(drill_env, "shell", "-c", COUNTS).strip().splitlines()[-1])
    check(source == restored, f"restored row counts differ: {source} != {restored}")
    refused = subprocess.run(  # noqa: S603 - manage.py with our own arguments
        [*MANAGE, "restore", str(archive)], env=drill_env, cwd=REPO, capture_output=True, text=True
    )
    check(refused.returncode != 0 and "--force" in refused.stderr, "restore over data not refused")


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        print("prod-check needs PostgreSQL: run it through scripts/with-postgres.sh")
        return 2
    steps: list[tuple[str, float]] = []

    def step(name: str, action: Callable[[], object]) -> object:
        started = time.monotonic()
        result = action()
        steps.append((name, time.monotonic() - started))
        print(f"  ok  {name} ({steps[-1][1]:.1f} s)", flush=True)
        return result

    with tempfile.TemporaryDirectory(prefix="swc-prod-check-") as folder:
        workdir = Path(folder)
        try:
            return run(database_url, workdir, step, steps)
        except BaseException:
            # Keep what every process wrote, for the person reading the failure.
            kept = REPO / "var" / "prod-check-logs"
            shutil.rmtree(kept, ignore_errors=True)
            if (workdir / "logs").exists():
                shutil.copytree(workdir / "logs", kept)
                print(f"prod-check FAILED: the processes' logs are in {kept}")
            raise


def run(
    database_url: str,
    workdir: Path,
    step: Callable[[str, Callable[[], object]], object],
    steps: list[tuple[str, float]],
) -> int:
    env = service_env(database_url, workdir=workdir)
    step("migrate, cache table, collectstatic", lambda: service_prepare(env))
    step(
        "reference and demo data",
        lambda: [
            manage(env, "import_local_authorities", str(DATA / "local_authorities.csv")),
            manage(env, "import_secure_homes", str(DATA / "secure_homes.csv")),
            manage(env, "load_demo_data"),
            manage(env, "shell", "-c", PRICE_PLANT),
        ],
    )
    password = (REPO / "var" / "demo-password").read_text().strip()
    started = time.monotonic()
    with service_running(database_url, workdir=workdir, prepare=False, env=env) as service:
        print(f"  ok  gunicorn x4, 2 workers, scheduler ({time.monotonic() - started:.1f} s)")
        static = next((workdir / "static").rglob("*.css"))
        path = "/static/" + static.relative_to(workdir / "static").as_posix()
        status, _, _ = step("static file through WhiteNoise", lambda: Visitor(service).get(path))  # type: ignore[misc]
        check(status == 200, f"{path} answered {status}")
        referrer = step(
            "referrer signs in with two-factor",
            lambda: sign_in(service, env, REFERRER, password),
        )
        pk = step("referral submitted", lambda: referral_submit(referrer))  # type: ignore[arg-type]
        coordinator = step(
            "coordinator signs in", lambda: sign_in(service, env, COORDINATOR, password)
        )
        step("list provided", lambda: list_provide(coordinator, pk))  # type: ignore[arg-type]
        status, _, page = coordinator.get(f"/matching/referrals/{pk}/list/")  # type: ignore[union-attr]
        check(status == 200, "the coordinator cannot see the list", page)
        manager = step(
            "home manager signs in", lambda: sign_in(service, env, HOME_MANAGER, password)
        )
        status, _, page = step("the board", lambda: manager.get("/register/"))  # type: ignore[union-attr, misc]
        check(status == 200, f"the board answered {status}", page)
        step("API with a key", lambda: api_read(service, env, pk))  # type: ignore[arg-type]
        status, _, page = Visitor(service).get("/healthz")
        check(status == 200 and '"database": "ok"' in page, f"/healthz: {status} {page}")
        time.sleep(1)  # the last request lines reach the log files
        count = step("logs are JSON, without the child or the price", lambda: logs_check(service))
    # After every process has stopped, so that the counts hold still.
    step("backup restored into an empty database", lambda: backup_drill(env, workdir))
    print(f"prod-check passed: {count} requests logged, {sum(s for _, s in steps):.0f} s in steps")
    return 0


# Every home's weekly price becomes the planted one, so that pages showing a price show it.
PRICE_PLANT = f"""
from swc.homes.models import HomeCommercialTerms, SecureHome
for home in SecureHome.objects.all():
    HomeCommercialTerms.objects.update_or_create(home=home, defaults={{"weekly_price_welfare": "{PRICE}"}})
"""

if __name__ == "__main__":
    # `timeout` (the Makefile's bound) sends SIGTERM: unwind, so that every process
    # started here is stopped by the with-blocks, instead of dying and leaving them running.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    sys.exit(main())
