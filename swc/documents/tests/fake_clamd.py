"""A fake clamd that speaks the INSTREAM protocol, on a unix socket or loopback TCP.

It checks the framing a real clamd insists on (the ``zINSTREAM\\0`` command,
4-byte big-endian chunk lengths, a zero length at the end) and answers as
clamd does: ``stream: OK`` or ``stream: <signature> FOUND``.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    def __init__(self, family: int, address: object, reply: bytes | None = None) -> None:
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(address)
        self.server.listen(4)
        self.reply = reply
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        name = self.server.getsockname()
        if isinstance(name, str):
            return f"unix://{name}"
        return f"tcp://{name[0]}:{name[1]}"

    def _read(self, conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = conn.recv(size - len(data))
            if not part:
                raise ConnectionError("client closed early")
            data += part
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                try:
                    command = self._read(conn, len(b"zINSTREAM\0"))
                    self.commands.append(command)
                    body = b""
                    while True:
                        (length,) = struct.unpack("!I", self._read(conn, 4))
                        if length == 0:
                            break
                        body += self._read(conn, length)
                    self.received.append(body)
                    if command != b"zINSTREAM\0":
                        conn.sendall(b"UNKNOWN COMMAND\0")
                    elif self.reply is not None:
                        conn.sendall(self.reply)
                    elif EICAR in body:
                        conn.sendall(b"stream: Eicar-Test-Signature FOUND\0")
                    else:
                        conn.sendall(b"stream: OK\0")
                except ConnectionError:
                    continue

    def close(self) -> None:
        # Closing alone does not wake a thread blocked in accept() on Linux, and the socket
        # would keep listening: shut it down first, then wait for the thread to end.
        with suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(timeout=5)


@contextmanager
def fake_clamd_unix(path: str, reply: bytes | None = None) -> Iterator[FakeClamd]:
    fake = FakeClamd(socket.AF_UNIX, path, reply)
    try:
        yield fake
    finally:
        fake.close()


@contextmanager
def fake_clamd_tcp(reply: bytes | None = None) -> Iterator[FakeClamd]:
    fake = FakeClamd(socket.AF_INET, ("127.0.0.1", 0), reply)
    try:
        yield fake
    finally:
        fake.close()
