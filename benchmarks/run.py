"""`make bench`: national-scale figures from the database up, each against a floor (issue 19).

    scripts/with-postgres.sh python benchmarks/run.py --all   # make bench: all of the below,
                                                          # both databases' sets made side by side
    python benchmarks/run.py --database sqlite            # writes bench/results-sqlite.json
    scripts/with-postgres.sh python benchmarks/run.py --database postgres
    python benchmarks/run.py --report                     # writes bench/results.md

Data sets come from `manage.py generate_national` and are kept between runs in var/bench/
(a SQLite file, or a pg_dump of the PostgreSQL database), named by their size, seed and a
hash of the migrations and the generator, so a schema change makes them again.
SWC_BENCH_SCALE=50 divides every size by 50, for a quick look that the harness works.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import hashlib
import json
import math
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
# Where generated data sets are kept; SWC_BENCH_CACHE points another checkout at sets already
# made (their names carry the generator's hash, so a set made by other code is not used).
CACHE = Path(os.environ.get("SWC_BENCH_CACHE", str(ROOT / "var" / "bench")))
OUT = ROOT / "bench"
DATA = ROOT.parent / "shared" / "data"
SCALE = int(os.environ.get("SWC_BENCH_SCALE", "1"))
USERS = 16
LOAD_SECONDS = int(os.environ.get("SWC_BENCH_LOAD_SECONDS", "20"))


@dataclass(frozen=True)
class DataSet:
    name: str
    homes: int
    years: int
    referrals_per_year: int

    @property
    def args(self) -> list[str]:
        return [
            "--homes", str(max(self.homes // SCALE, 5)),
            "--years", str(self.years),
            "--referrals-per-year", str(max(self.referrals_per_year // SCALE, 50)),
            "--seed", "1",
        ]  # fmt: skip


# One match at 14 / 30 / 300 / 3,000 homes (30 to 3,000 is 1x to 100x for the exponent);
# the reports at 5,000 referrals (1x), then 1, 3 and 10 years of 50,000 (10x to 100x).
MATCH_SETS = [DataSet("h14", 14, 1, 500), DataSet("h30", 30, 1, 500), DataSet("h300", 300, 1, 500)]
NATIONAL = DataSet("n3000", 3000, 1, 5000)
REPORT_SETS = [NATIONAL, DataSet("y1", 3000, 1, 50000), DataSet("y3", 3000, 3, 50000)]
REPORT_SETS.append(DataSet("y10", 3000, 10, 50000))
PAGES_SET = REPORT_SETS[1]
PAGES = {
    "/healthz": "health check (the floor)",
    "/register/": "vacancy board",
    "/referrals/triage/": "triage queue",
    "/api/v1/referrals/": "referral list API",
    "/referrals/{referral}/": "referral page",
}


def files_hash(files: list[Path]) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class Database:
    """Where each data set lives, and how it is made or brought back from the cache."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        # A data set is made again when the generator changes; a new migration is applied
        # to the kept one (an index on half a million rows takes seconds, a new set minutes).
        self.tag = f"{files_hash([ROOT / 'swc/web/national.py'])}-s{SCALE}"
        self.schema = files_hash(sorted(ROOT.glob("swc/*/migrations/*.py")))
        self.generated: dict[str, float] = {}
        self.template_made = False
        self.ready: set[str] = set()

    def env(self, data: DataSet) -> dict[str, str]:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
        if self.kind == "sqlite":
            env.pop("DATABASE_URL", None)
            env["SWC_BENCH_SQLITE"] = str(self.sqlite_path(data))
        else:
            env["DATABASE_URL"] = self.url(f"bench_{data.name}")
        return env

    def sqlite_path(self, data: DataSet) -> Path:
        return CACHE / f"{data.name}-{self.tag}.sqlite3"

    def url(self, database: str) -> str:
        base = urlparse(os.environ["DATABASE_URL"])
        return base._replace(path=f"/{database}").geturl()

    def _pg(self, tool: str, *args: str) -> list[str]:
        base = urlparse(os.environ["DATABASE_URL"])
        binary = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"))[-1]
        connect = ["-h", base.hostname or "", "-p", str(base.port), "-U", base.username or ""]
        return [str(binary), *connect, *args]

    def ensure(self, data: DataSet) -> None:
        if data.name in self.ready:
            return
        self.ready.add(data.name)
        CACHE.mkdir(parents=True, exist_ok=True)
        if self.kind == "sqlite":
            path = self.sqlite_path(data)
            stamp = path.with_suffix(".schema")
            if path.exists():
                if not stamp.exists() or stamp.read_text() != self.schema:
                    log(f"migrating the kept {data.name}")
                    self._migrate(self.env(data))
                    stamp.write_text(self.schema)
                return
            for old in CACHE.glob(f"{data.name}-*-s{SCALE}.sqlite3*"):
                old.unlink()
            making = path.with_suffix(".making")
            shutil.copyfile(self._template_sqlite(), making)
            self._generate(data, dict(self.env(data), SWC_BENCH_SQLITE=str(making)))
            making.rename(path)
            stamp.write_text(self.schema)
            return
        dump = CACHE / f"{data.name}-{self.tag}.pgdump"
        database = f"bench_{data.name}"
        if dump.exists():
            log(f"restoring {data.name} into PostgreSQL")
            subprocess.run(self._pg("createdb", database), check=True)
            subprocess.run(
                self._pg("pg_restore", "-j", "2", "--no-owner", "-d", database, str(dump)),
                check=True,
            )
            self._migrate(self.env(data))
            self._analyze(database)
            return
        for old in CACHE.glob(f"{data.name}-*-s{SCALE}.pgdump"):
            old.unlink()
        subprocess.run(self._pg("createdb", "-T", self._template_postgres(), database), check=True)
        self._generate(data, self.env(data))
        self._analyze(database)
        # Uncompressed: compressing a ten-year set costs minutes of CPU for disk that is cheap.
        subprocess.run(self._pg("pg_dump", "-Fc", "-Z", "0", "-f", str(dump), database), check=True)

    def _analyze(self, database: str) -> None:
        """The planner's statistics, as autovacuum keeps them on a live database: a restored
        or freshly loaded one has none, and PostgreSQL then plans from guesses."""
        subprocess.run(self._pg("psql", "-q", "-d", database, "-c", "ANALYZE"), check=True)

    def _migrate(self, env: dict[str, str]) -> None:
        subprocess.run(
            [PY, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"], env=env, check=True
        )

    def _prepare(self, env: dict[str, str]) -> None:
        """Migrate and import the real local authorities: what every data set starts from."""
        manage = [PY, str(ROOT / "manage.py")]
        self._migrate(env)
        subprocess.run(
            [*manage, "import_local_authorities", str(DATA / "local_authorities.csv")],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _template_sqlite(self) -> Path:
        path = CACHE / f"template-{self.tag}.sqlite3"
        if not path.exists():
            log("migrating a template database")
            for old in CACHE.glob(f"template-*-s{SCALE}.sqlite3*"):
                old.unlink()
            making = path.with_suffix(".making")
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
            env.pop("DATABASE_URL", None)
            self._prepare(dict(env, SWC_BENCH_SQLITE=str(making)))
            making.rename(path)
        else:
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
            env.pop("DATABASE_URL", None)
            self._migrate(dict(env, SWC_BENCH_SQLITE=str(path)))
        return path

    def _template_postgres(self) -> str:
        name = "bench_template"
        if not self.template_made:
            log("migrating a template database")
            subprocess.run(self._pg("createdb", name), check=True)
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
            self._prepare(dict(env, DATABASE_URL=self.url(name)))
            self.template_made = True
        return name

    def _generate(self, data: DataSet, env: dict[str, str]) -> None:
        log(f"generating {data.name} on {self.kind}: {' '.join(data.args)}")
        began = time.monotonic()
        manage = [PY, str(ROOT / "manage.py")]
        # Its progress bar to a file: the other database's sets are made at the same time.
        with (CACHE / f"generate-{data.name}-{self.kind}.log").open("w") as progress:
            subprocess.run(
                [*manage, "generate_national", *data.args], env=env, check=True, stderr=progress
            )
        self.generated[data.name] = time.monotonic() - began
        log(f"generated {data.name} on {self.kind} in {self.generated[data.name]:.0f} s")

    def version(self) -> str:
        if self.kind == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        out = subprocess.run(
            self._pg("psql", "-tA", "-d", "postgres", "-c", "show server_version"),
            check=True,
            capture_output=True,
            text=True,
        )
        return f"PostgreSQL {out.stdout.strip()}"


def measure(database: Database, data: DataSet, what: str) -> dict[str, Any]:
    out = subprocess.run(
        [PY, str(ROOT / "benchmarks" / "measure.py"), what],
        env=database.env(data),
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pages(database: Database, data: DataSet) -> dict[str, Any]:
    """Each address under 16 users for a bounded time, through gunicorn with 4 workers."""
    signed_in = measure(database, data, "session")
    port = free_port()
    server_log = (CACHE / f"gunicorn-{database.kind}.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=database.env(data),
        cwd=ROOT,
        stdout=server_log,
        stderr=server_log,
    )  # fmt: skip
    results: dict[str, Any] = {
        "data": {"homes": signed_in["homes"], "referrals": signed_in["referrals"]}
    }
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        for template in PAGES:
            path = template.format(referral=signed_in["referral"])
            size = _warm(port, path, signed_in["cookie"])
            results[template] = {**_load(port, path, signed_in["cookie"]), "bytes": size}
            log(f"{path}: {results[template]}")
    finally:
        server.terminate()
        server.wait(timeout=60)
        server_log.close()
    return results


def _warm(port: int, path: str, cookie: str) -> int:
    """A few requests first, so every worker has imported and connected before the timing;
    the size of the page (its first page, for a paged list) in bytes."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={cookie}"}
    )
    size = 0
    for _ in range(8):
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (our own address)
            size = len(response.read())
    return size


def _load(port: int, path: str, cookie: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        prefix = f"{folder}/load"
        subprocess.run(
            [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "benchmarks/locustfile.py"),
             "--headless", "-u", str(USERS), "-r", str(USERS), "-t", f"{LOAD_SECONDS}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary",
             "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            env=dict(os.environ, BENCH_PATH=path, BENCH_COOKIE=cookie),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", newline="") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")

    def number(text: str) -> float | None:
        return None if text == "N/A" else float(text)

    return {
        "rps": float(row["Requests/s"]),
        "p95_ms": number(row["95%"]),
        "median_ms": number(row["50%"]),
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
    }


def bytecode_compile() -> None:
    """Compile the service and its libraries once: with PYTHONDONTWRITEBYTECODE set, every
    process the bench starts (a measurement, a command, each gunicorn worker) would compile
    Django from source again, seconds each on a busy machine."""
    site = next((ROOT / ".venv" / "lib").glob("python*/site-packages"))
    subprocess.run(
        [
            PY,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            str(site),
            str(ROOT / "swc"),
            str(ROOT / "config"),
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )


ALL_SETS = [*MATCH_SETS, *REPORT_SETS]


def prepare(databases: list[Database]) -> None:
    """Every data set each database needs, the databases side by side (one core each):
    generating is most of a first run, and measuring waits until the machine is quiet."""
    with concurrent.futures.ThreadPoolExecutor(len(databases)) as pool:
        made = [pool.submit(lambda d=d: [d.ensure(data) for data in ALL_SETS]) for d in databases]
        for future in made:
            future.result()


def run(kind: str, database: Database | None = None) -> None:
    database = database or Database(kind)
    load_before = os.getloadavg()
    results: dict[str, Any] = {"database": kind, "version": database.version(), "scale": SCALE}
    results["load_seconds"] = LOAD_SECONDS
    results["match"] = {}
    for data in [*MATCH_SETS, NATIONAL]:
        database.ensure(data)
        results["match"][data.name] = measure(database, data, "match")
        log(f"match {data.name}: {results['match'][data.name]}")
    results["allocation"] = measure(database, NATIONAL, "allocation")
    log(f"allocation: {results['allocation']}")
    results["reports"] = {}
    for data in REPORT_SETS:
        database.ensure(data)
        results["reports"][data.name] = measure(database, data, "reports")
        log(f"reports {data.name}: {results['reports'][data.name]}")
    results["pages"] = pages(database, PAGES_SET)
    results["generated_seconds"] = database.generated
    results["load_average"] = [load_before, os.getloadavg()]
    OUT.mkdir(exist_ok=True)
    (OUT / f"results-{kind}.json").write_text(json.dumps(results, indent=2) + "\n")


def everything() -> None:
    """make bench: both databases' sets made side by side, each measured alone, the report.
    Needs DATABASE_URL (scripts/with-postgres.sh gives a throw-away cluster)."""
    began = time.monotonic()
    bytecode_compile()
    databases = [Database("sqlite"), Database("postgres")]
    prepare(databases)
    prepared = time.monotonic() - began
    log(f"data sets ready in {prepared:.0f} s")
    for database in databases:
        run(database.kind, database)
    OUT.mkdir(exist_ok=True)
    timing = {"prepared_seconds": prepared, "total_seconds": time.monotonic() - began}
    (OUT / "results-run.json").write_text(json.dumps(timing, indent=2) + "\n")
    report()


# --- the report ------------------------------------------------------------------------


def exponent(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of log(time) against log(size): 1.0 grows as the data does."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"  # a floor's COUNT takes well under a millisecond
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def targets(r: dict[str, Any]) -> list[str]:
    """Issue 19's targets against this run's figures: met, missed, or not measured."""
    rows: list[tuple[str, str, bool | None]] = []

    def verdict(ok: bool | None) -> str:
        return {True: "met", False: "**missed**", None: "not measured"}[ok]

    national = r["match"].get(NATIONAL.name)
    if national:
        ratio = national["seconds"] / national["floor"]
        rows.append(
            (
                f"One match at {national['homes']:,} homes ≤ 3× its floor and ≤ 150 ms",
                f"{ms(national['seconds'])}, {ratio:.1f}×",
                ratio <= 3 and national["seconds"] <= 0.150,
            )
        )
    matches = [m for name, m in r["match"].items() if name != "h14"]
    if len(matches) > 1:
        growth = exponent([(m["homes"], m["seconds"]) for m in matches])
        rows.append(("Its growth exponent ≤ 1.0", f"{growth:.2f}", growth <= 1.0))
    board = r["pages"].get("/register/", {}).get("bytes")
    homes = r["pages"].get("data", {}).get("homes")
    rows.append(
        (
            f"Board at {homes:,} homes ≤ 300 KB a page"
            if homes
            else "Board at national scale ≤ 300 KB a page",
            kb(board) or "not measured",
            None if board is None else board <= 300_000,
        )
    )
    reports = list(r["reports"].values())
    if reports:
        last = reports[-1]
        ratio = last["return_seconds"] / last["return_floor"]
        rows += [
            (
                f"Monthly return ≤ 5× an indexed COUNT of the month ({last['referrals']:,} "
                "referrals)",
                f"{ms(last['return_seconds'])}, {ratio:.0f}×",
                ratio <= 5 and last["indexed"],
            ),
            (
                "`monthly_return` command ≤ 3 s at 10 years",
                ms(last["command_seconds"]),
                last["command_seconds"] <= 3,
            ),
            (
                "One-year KPIs ≤ 1 s (the slowest of the data sets)",
                ms(max(p["kpi_seconds"] for p in reports)),
                max(p["kpi_seconds"] for p in reports) <= 1,
            ),
        ]
    health = r["pages"].get("/healthz")
    if health and health["requests"]:
        for path, label in PAGES.items():
            page = r["pages"][path]
            if path == "/healthz":
                continue
            share = page["rps"] / health["rps"] if page["requests"] else 0.0
            p95 = (page["p95_ms"] or 0.0) / (health["p95_ms"] or 1.0)
            rows.append(
                (
                    f"{label[0].upper()}{label[1:]} at {USERS} users ≥ 50 % of /healthz's req/s, "
                    "p95 ≤ 3× its",
                    f"{share:.2f}, {p95:.1f}×"
                    + (f", {page['failures']} failed" if page["failures"] else ""),
                    share >= 0.5 and p95 <= 3 and not page["failures"],
                )
            )
    a = r["allocation"]
    rows.append(
        (
            f"Allocation {a['children']:,} × {a['beds']:,} ≤ 1 s with fit ≥ greedy's",
            f"{ms(a['seconds'])}, fit {a['optimal_total']:,.0f} against {a['greedy_total']:,.0f}",
            a["seconds"] <= 1 and a["optimal_total"] >= a["greedy_total"],
        )
    )
    out = ["", "### Targets (issue 19)", "", "| target | measured | |", "|---|---|---|"]
    out += [f"| {target} | {value} | {verdict(ok)} |" for target, value, ok in rows]
    return out


def kb(size: int | None) -> str:
    return "" if size is None else f"{size / 1000:,.0f} KB"


def report() -> None:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run.py); see docs/performance.md for what each "
        "row means and the targets. Times are medians of 3 after a warm-up; each ratio is "
        "against a floor timed in the same process.",
        "",
        f"Machine: {machine()}.",
    ]
    timing = OUT / "results-run.json"
    if timing.exists():
        t = json.loads(timing.read_text())
        lines.append(
            f"\nThis run of `make bench` took {t['total_seconds'] / 60:.1f} minutes end to end, "
            f"{t['prepared_seconds'] / 60:.1f} of them making or restoring the data sets (both "
            "databases side by side, one core each), then measuring each database alone."
        )
    for kind in ("sqlite", "postgres"):
        saved = OUT / f"results-{kind}.json"
        if not saved.exists():
            lines += ["", f"## {kind}: not run"]
            continue
        r = json.loads(saved.read_text())
        lines += ["", f"## {r['version']}"]
        if r.get("scale", 1) != 1:
            lines.append(f"\nEvery data set divided by {r['scale']} (SWC_BENCH_SCALE).")
        (before, after) = r["load_average"]
        lines.append(
            f"\nLoad average (1, 5, 15 min) {before[0]:.1f} / {before[1]:.1f} / {before[2]:.1f} "
            f"at the start, {after[0]:.1f} / {after[1]:.1f} / {after[2]:.1f} at the end "
            "(the bench's own server and load generator raise it to about 4 while measuring)."
        )
        lines += targets(r)
        lines += [
            "",
            "### One match (`match_run`) against reading the columns it needs (`values_list`)",
            "",
            "| homes | free beds | match | floor | ratio |",
            "|---:|---:|---:|---:|---:|",
        ]
        for m in r["match"].values():
            lines.append(
                f"| {m['homes']:,} | {m['beds']:,} | {ms(m['seconds'])} | {ms(m['floor'])} "
                f"| {m['seconds'] / m['floor']:.1f}× |"
            )
        matches = [m for name, m in r["match"].items() if name != "h14"]
        lines.append(
            f"\nGrowth exponent, {matches[0]['homes']:,} to {matches[-1]['homes']:,} homes: "
            f"{exponent([(m['homes'], m['seconds']) for m in matches]):.2f} "
            f"(floor {exponent([(m['homes'], m['floor']) for m in matches]):.2f})."
        )
        a = r["allocation"]
        lines += [
            "",
            f"### Allocation, {a['children']:,} children × {a['beds']:,} beds, against greedy",
            "",
            "| | time | children placed | total urgency-weighted fit |",
            "|---|---:|---:|---:|",
            f"| allocation_propose (both, explained) | {ms(a['seconds'])} | {a['optimal_placed']:,} "
            f"| {a['optimal_total']:,.1f} |",
            f"| greedy alone (score matrix + greedy) | {ms(a['floor'])} | {a['greedy_placed']:,} "
            f"| {a['greedy_total']:,.1f} |",
            f"\nRatio {a['seconds'] / a['floor']:.1f}×; fit ≥ greedy's: "
            f"{'yes' if a['optimal_total'] >= a['greedy_total'] else 'NO'}.",
        ]
        lines += [
            "",
            "### Monthly return and one-year KPIs against a `COUNT` of the period",
            "",
            "| referrals | return figures | COUNT of the month | ratio | `monthly_return` "
            "command (xlsx) | KPIs, one year | COUNT of the year | ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for p in r["reports"].values():
            lines.append(
                f"| {p['referrals']:,} | {ms(p['return_seconds'])} | {ms(p['return_floor'])} "
                f"| {p['return_seconds'] / p['return_floor']:.1f}× | {ms(p['command_seconds'])} "
                f"| {ms(p['kpi_seconds'])} | {ms(p['kpi_floor'])} "
                f"| {p['kpi_seconds'] / p['kpi_floor']:.1f}× |"
            )
        reps = list(r["reports"].values())
        indexed = "indexed" if all(p["indexed"] for p in reps) else "NOT indexed: a scan"
        lines.append(
            f"\nThe floor's COUNT on `submitted_at` is {indexed}. Growth exponent, "
            f"{reps[0]['referrals']:,} to {reps[-1]['referrals']:,} referrals: return "
            f"{exponent([(p['referrals'], p['return_seconds']) for p in reps]):.2f}, KPIs "
            f"{exponent([(p['referrals'], p['kpi_seconds']) for p in reps]):.2f} "
            f"(COUNT of the month {exponent([(p['referrals'], p['return_floor']) for p in reps]):.2f})."
        )
        health = r["pages"]["/healthz"]
        lines += [
            "",
            f"### Pages under {USERS} users (locust, {r.get('load_seconds', LOAD_SECONDS)} s "
            "each), gunicorn 4 workers",
            "",
            "| address | req/s | p95 | share of /healthz req/s | p95 / /healthz p95 | failures "
            "| page size |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for path, label in PAGES.items():
            p = r["pages"][path]
            if not p["requests"] or not health["requests"]:
                lines.append(
                    f"| {label} (`{path}`) | not measured: no request completed | | | | | |"
                )
                continue
            p95, health_p95 = p["p95_ms"] or 0.0, health["p95_ms"] or 1.0
            lines.append(
                f"| {label} (`{path}`) | {p['rps']:.1f} | {p95:.0f} ms "
                f"| {p['rps'] / health['rps']:.2f} | {p95 / health_p95:.1f}× "
                f"| {p['failures']} of {p['requests']} | {kb(p.get('bytes'))} |"
            )
        data = r["pages"].get("data")
        if data:
            board = r["pages"]["/register/"].get("bytes")
            lines.append(
                f"\nOn {data['homes']:,} homes and {data['referrals']:,} referrals; the vacancy "
                f"board's first page is {kb(board)} (target: 300 KB or less a page)."
            )
        if r["generated_seconds"]:
            made = ", ".join(f"{k} {v:.0f} s" for k, v in r["generated_seconds"].items())
            lines.append(f"\nData sets generated in this run (migrate, import, generate): {made}.")
    (OUT / "results.md").write_text("\n".join(lines) + "\n")
    log(f"wrote {OUT / 'results.md'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--all", action="store_true", help="both databases, then the report (make bench)"
    )
    parser.add_argument("--report", action="store_true")
    options = parser.parse_args()
    if not options.report and shutil.which("locust", path=str(ROOT / ".venv/bin")) is None:
        sys.exit("locust is missing: run make install")
    if options.report:
        report()
    elif options.all:
        everything()
    elif options.database:
        bytecode_compile()
        run(options.database)
    else:
        parser.error("--all, --database or --report")
