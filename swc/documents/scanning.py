"""The virus-scanning hook: off by default; ClamAV's clamd when configured.

``SWC_DOCUMENT_SCANNER`` names a class (dotted path) whose ``scan(stream)``
returns a ``ScanVerdict``; empty means no scanning. ``ClamdScanner`` speaks
clamd's INSTREAM command over its socket (``SWC_CLAMD_ADDRESS``:
``unix:///run/clamav/clamd.ctl`` or ``tcp://host:3310``): the file goes in
chunks, each preceded by its length as a 4-byte big-endian number, ended by
a zero length; clamd answers ``stream: OK`` or ``stream: <name> FOUND``.
A scanner that cannot be reached refuses the upload (``ScannerUnavailable``):
when scanning is on, nothing is stored unscanned.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import IO, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ScanVerdict:
    clean: bool
    # The scanner's name for what it found (for the audit trail, never shown to the uploader).
    signature: str = ""


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict: the upload is refused, to be tried again."""


class Scanner(Protocol):
    def scan(self, stream: IO[bytes]) -> ScanVerdict: ...


class ClamdScanner:
    """ClamAV's daemon, over a unix socket or TCP, with the INSTREAM command."""

    CHUNK = 64 * 1024
    REPLY_LIMIT = 4096

    def __init__(self, address: str | None = None, *, timeout: float | None = None) -> None:
        self.address: str = address or str(getattr(settings, "SWC_CLAMD_ADDRESS", "") or "")
        self.timeout = timeout or float(getattr(settings, "SWC_CLAMD_TIMEOUT_SECONDS", 60))
        if not self.address:
            raise ScannerUnavailable("SWC_CLAMD_ADDRESS is not set")

    def _connect(self) -> socket.socket:
        if self.address.startswith("unix://"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            target: object = self.address[len("unix://") :]
        elif self.address.startswith("tcp://"):
            host, _, port = self.address[len("tcp://") :].rpartition(":")
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
            target = (host.strip("[]"), int(port))
        else:
            raise ScannerUnavailable("SWC_CLAMD_ADDRESS must start unix:// or tcp://")
        sock.settimeout(self.timeout)
        sock.connect(target)  # type: ignore[arg-type]
        return sock

    def scan(self, stream: IO[bytes]) -> ScanVerdict:
        stream.seek(0)
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(self.CHUNK):
                    sock.sendall(struct.pack("!I", len(chunk)) + chunk)
                sock.sendall(struct.pack("!I", 0))
                reply = self._reply(sock)
        except (OSError, ValueError) as error:
            raise ScannerUnavailable(
                f"clamd could not be reached: {type(error).__name__}"
            ) from None
        finally:
            stream.seek(0)
        return self.verdict_of(reply)

    def _reply(self, sock: socket.socket) -> str:
        data = b""
        while b"\0" not in data and len(data) < self.REPLY_LIMIT:
            part = sock.recv(1024)
            if not part:
                break
            data += part
        return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()

    @staticmethod
    def verdict_of(reply: str) -> ScanVerdict:
        """clamd's one-line answer as a verdict; anything but OK or FOUND is no verdict."""
        if reply.endswith(" OK") or reply == "OK":
            return ScanVerdict(clean=True)
        if reply.endswith(" FOUND"):
            found = reply[: -len(" FOUND")]
            return ScanVerdict(clean=False, signature=found.split(": ", 1)[-1][:200])
        raise ScannerUnavailable(f"clamd did not give a verdict: {reply[:200]!r}")


def scanner_get() -> Scanner | None:
    """The configured scanner, or None when scanning is off (the default)."""
    path = getattr(settings, "SWC_DOCUMENT_SCANNER", "")
    if not path:
        return None
    return import_string(path)()  # type: ignore[no-any-return]
