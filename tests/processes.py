"""The service as real processes on loopback: gunicorn, task workers, the scheduler.

Used by `make prod-check` (scripts/prod_check.py) and by the fault tests that
kill real processes. Every process starts in its own session, so stopping one
stops its children too (gunicorn's workers), and ``service_running`` stops
every process it started even when the code inside it fails.

    with service_running(database_url, workdir=tmp_path) as service:
        urllib.request.urlopen(service.url + "/healthz")
        service.web_kill()          # SIGKILL gunicorn and its workers
        service.web_start()         # same port, waits until it answers

Production settings sit behind a TLS proxy; on loopback the client says so
with ``X-Forwarded-Proto: https`` (``Service.HEADERS``), or production
settings redirect every request to https.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(REPO / "manage.py")]


def port_free() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def service_env(
    database_url: str,
    *,
    workdir: Path,
    settings: str = "config.settings.production",
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of every process: production settings, files under ``workdir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SWC_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(workdir / "static"),
            "SWC_DOCUMENTS_ROOT": str(workdir / "documents"),
            "SWC_NOTIFICATION_BACKEND": "swc.notifications.backends.LocalBackend",
            "SWC_BASE_URL": "https://127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def service_prepare(env: dict[str, str], *, timeout: float = 300) -> None:
    """Migrate, create the cache table and collect static files (idempotent)."""
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "-v0"],
    ):
        subprocess.run(MANAGE + command, env=env, cwd=REPO, check=True, timeout=timeout)


@dataclass
class Service:
    """Running processes of one service; each is started and stopped by name."""

    env: dict[str, str]
    workdir: Path
    port: int
    web_workers: int = 4
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    # Production settings redirect plain http to https unless the proxy says it was https.
    HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_path(self, name: str) -> Path:
        return self.workdir / "logs" / f"{name}.log"

    def logs(self) -> str:
        """Everything every process has written so far."""
        folder = self.workdir / "logs"
        return "".join(p.read_text(errors="replace") for p in sorted(folder.glob("*.log")))

    def _start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        self.log_path(name).parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path(name).open("ab")
        process = subprocess.Popen(
            command,
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes[name] = process
        return process

    def _signal(self, name: str, sig: int) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)

    def stop(self, name: str, *, grace: float = 10) -> None:
        """SIGTERM the process and its children; SIGKILL after ``grace`` seconds."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        self.processes[name] = process
        self._signal(name, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self._signal(name, signal.SIGKILL)
            process.wait(timeout=10)
        # Gunicorn's workers may outlive a killed master for a moment: kill the group.
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        del self.processes[name]

    def kill(self, name: str) -> None:
        """SIGKILL the process and everything in its session, as a crash would."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    # The web server -------------------------------------------------------------------
    def web_start(self, *, wait: float = 60) -> None:
        self._start(
            "web",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "-c",
                str(REPO / "config" / "gunicorn.py"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.web_workers),
                # A short grace: fault tests stop and start the server many times.
                "--graceful-timeout",
                "5",
            ],
        )
        self.wait_until_answering(timeout=wait)

    def web_kill(self) -> None:
        self.kill("web")

    def wait_until_answering(self, *, timeout: float = 60) -> None:
        """Wait until /healthz answers (any status: 503 is an answer)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            web = self.processes.get("web")
            if web is not None and web.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {web.returncode}:\n{self.logs()[-3000:]}")
            request = urllib.request.Request(self.url + "/healthz", headers=self.HEADERS)  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - loopback
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"the service did not answer within {timeout} s")

    # Task workers and the scheduler ------------------------------------------------------
    def worker_start(self, number: int, *, interval: float = 0.5) -> None:
        self._start(
            f"worker-{number}",
            [*MANAGE, "run_worker", "--interval", str(interval), "--worker-id", f"worker-{number}"],
        )

    def worker_kill(self, number: int) -> None:
        self.kill(f"worker-{number}")

    def scheduler_start(self, *, interval: int = 5) -> None:
        self._start("scheduler", [*MANAGE, "run_scheduler", "--interval", str(interval)])


@contextmanager
def service_running(
    database_url: str,
    *,
    workdir: Path,
    web_workers: int = 4,
    task_workers: int = 2,
    scheduler: bool = True,
    settings: str = "config.settings.production",
    extra_env: dict[str, str] | None = None,
    prepare: bool = True,
    env: dict[str, str] | None = None,
) -> Iterator[Service]:
    """Start gunicorn, ``task_workers`` workers and the scheduler; stop them all on exit.

    ``env`` (from ``service_env``) when the caller has already used it, for example to
    load data with the same secret key; otherwise one is made from the arguments.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    if env is None:
        env = service_env(database_url, workdir=workdir, settings=settings, extra=extra_env)
    if prepare:
        service_prepare(env)
    service = Service(env=env, workdir=workdir, port=port_free(), web_workers=web_workers)
    try:
        service.web_start()
        for number in range(1, task_workers + 1):
            service.worker_start(number)
        if scheduler:
            service.scheduler_start()
        yield service
    finally:
        service.stop_all()
