"""Real service processes on loopback: gunicorn, ``run_worker``, the scheduler.

Each process runs in a session (process group) of its own, with its output in
a log file, and is killed with its children when the test ends. A process is
pointed at a database by ``database_environment`` (the settings of a Django
connection, as JSON, read by ``tests.faults.settings``), so the fault tests can
use pytest's own test database and a test that brings its own PostgreSQL
cluster can use that.

Nothing here sleeps for a fixed time: readiness is polled, and every wait has
a deadline that fails the test with the process's last output.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import connection

# Generous: a loaded 2-core CI machine may take a while to start Django. Polled for,
# never slept for, so a fast machine does not wait.
READY_TIMEOUT = 120.0
POLL = 0.05
SETTINGS = "tests.faults.settings"


def free_port() -> int:
    """A loopback port nobody listens on now (kept across a restart of the same server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_handover(settings_dict: dict[str, Any] | None = None) -> str:
    """A connection's settings (pytest's test database by default) as ``tests.faults.settings`` reads them."""
    current = settings_dict or connection.settings_dict
    return json.dumps(
        {
            key: str(current[key]) if key == "NAME" else current[key]
            for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
            if key in current
        }
    )


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Started:
    """A process the test started, in a session (process group) of its own."""

    popen: subprocess.Popen[bytes]
    log: Path
    args: list[str]
    environment: dict[str, str]

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def wait_until(
        self, condition: Callable[[], bool], what: str, timeout: float = READY_TIMEOUT
    ) -> None:
        """Poll ``condition`` until it holds; fail with the process's output if it dies or never does."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.popen.poll() is not None:
                pytest.fail(
                    f"The process exited ({self.popen.returncode}) before {what}:\n{self.output()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"No sign after {timeout:g} s that {what}:\n{self.output()}")
            time.sleep(POLL)

    def children(self) -> set[int]:
        """The process's own children (gunicorn's workers), from /proc."""
        found = set()
        for status in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = status.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.pid:
                    found.add(int(status.parent.name))
        return found

    def sigkill(self) -> None:
        """Kill the whole group at once, as the OOM killer or a lost machine would: no clean-up runs."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    stop = sigkill


@dataclass
class Server:
    """gunicorn serving ``config.wsgi`` on a loopback port."""

    process: Started
    port: int
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}"


class Processes:
    """What a test starts; ``stop_all`` kills every one (the fixture calls it, even on failure)."""

    def __init__(self, directory: Path, database: str) -> None:
        self.directory = directory
        self.database = database
        self.started: list[Started] = []

    def start(self, args: list[str], **environment: str) -> Started:
        """``python ARGS`` in the project directory with the fault settings and ``environment``."""
        log = self.directory / f"process-{len(self.started)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "SWC_FAULTS_DATABASE": self.database,
            "PYTHONUNBUFFERED": "1",
            **environment,
        }
        with log.open("wb") as output:
            popen = subprocess.Popen(
                [sys.executable, *args],
                cwd=settings.BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Started(popen, log, args, environment)
        self.started.append(process)
        return process

    def restart(self, process: Started) -> Started:
        """The same command again, as a supervisor (systemd's Restart=always) would start it."""
        return self.start(process.args, **process.environment)

    def gunicorn(self, *, workers: int = 4, port: int | None = None, **environment: str) -> Server:
        """gunicorn with ``workers`` sync workers, answering ``/healthz`` before this returns."""
        port = port or free_port()
        process = self.start(
            [
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=60",
                "--graceful-timeout=1",
                "--no-control-socket",
                # The application is loaded once and the workers forked from it, so
                # four workers start in the time one takes (as in production).
                "--preload",
            ],
            **environment,
        )
        server = Server(process, port)
        server_ready(server)
        return server

    def gunicorn_restart(self, server: Server) -> Server:
        replacement = Server(self.restart(server.process), server.port)
        server_ready(replacement)
        return replacement

    def worker(self, *extra: str, **environment: str) -> Started:
        """``manage.py run_worker`` polling the task queue every 0.05 s, once it has started."""
        worker = self.start(["manage.py", "run_worker", "--interval=0.05", *extra], **environment)
        worker.wait_until(lambda: "Starting worker" in worker.output(), "the task worker started")
        return worker

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()


def server_ready(server: Server) -> None:
    """Wait until every worker could answer: ``/healthz`` replies (200, or 503 if the database is down)."""

    def answers() -> bool:
        try:
            requests.get(f"{server.url}/healthz", timeout=5)
        except requests.RequestException:
            return False
        return True

    server.process.wait_until(answers, f"gunicorn answered on port {server.port}")


@contextlib.contextmanager
def hard_timeout(seconds: int) -> Iterator[None]:
    """Fail the test (in the main thread) if it runs longer than ``seconds``: a hung fault test must not hang ``make test``."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"The fault test ran longer than its {seconds} s limit")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class PostgresCluster:
    """A throw-away PostgreSQL cluster of the test's own, so the test may stop and start it.

    As ``scripts/with-postgres.sh`` makes one: a temporary directory, a free
    loopback port, trust authentication, run as the ``postgres`` user when the
    test runs as root (initdb refuses root).
    """

    def __init__(self, directory: Path) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not found:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = found[-1]
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_postgres, *args], check=True, capture_output=True, timeout=READY_TIMEOUT
        )

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o777)
        if self.as_postgres:
            shutil.chown(self.directory, "postgres")
        self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "swc", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()
        self.run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "swc", "swc"
        )

    def start(self) -> None:
        self.run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"), "-w",
            "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop it as an operator's restart does (fast: sessions are ended, not waited for)."""
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def copy_from(self, settings_dict: dict[str, Any]) -> None:
        """Everything in the database ``settings_dict`` names (pytest's), copied into this cluster."""
        dump = subprocess.run(
            [
                str(self.bin / "pg_dump"), "-Fc", "-h", str(settings_dict["HOST"]),
                "-p", str(settings_dict["PORT"]), "-U", str(settings_dict["USER"]),
                str(settings_dict["NAME"]),
            ],
            check=True, capture_output=True, timeout=READY_TIMEOUT,
        )  # fmt: skip
        subprocess.run(
            [
                str(self.bin / "pg_restore"), "--no-owner", "-h", "127.0.0.1", "-p", str(self.port),
                "-U", "swc", "-d", "swc",
            ],
            input=dump.stdout, check=True, capture_output=True, timeout=READY_TIMEOUT,
        )  # fmt: skip

    def settings_dict(self) -> dict[str, Any]:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "swc",
            "USER": "swc",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "OPTIONS": {},
        }
