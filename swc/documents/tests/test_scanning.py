"""ClamdScanner against a fake clamd: the INSTREAM framing, the verdicts, an absent daemon."""

from __future__ import annotations

import io
import shutil
import socket
import tempfile

import pytest

from swc.documents.scanning import ClamdScanner, ScannerUnavailable, ScanVerdict, scanner_get

from . import samples
from .fake_clamd import EICAR, fake_clamd_tcp, fake_clamd_unix


@pytest.fixture
def socket_path():
    # Short, so it fits a unix socket's 108-character limit.
    folder = tempfile.mkdtemp(prefix="clamd", dir="/tmp")
    yield f"{folder}/clamd.sock"
    shutil.rmtree(folder)


def test_a_clean_file_over_a_unix_socket_in_several_chunks(socket_path):
    content = samples.PDF * 5000  # about 400 KB: seven 64 KB chunks
    with fake_clamd_unix(socket_path) as clamd:
        verdict = ClamdScanner(clamd.address).scan(io.BytesIO(content))
    assert verdict == ScanVerdict(clean=True)
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.received == [content]


def test_an_infected_file_over_tcp_names_the_signature():
    with fake_clamd_tcp() as clamd:
        verdict = ClamdScanner(clamd.address).scan(io.BytesIO(b"%PDF-1.4 " + EICAR))
    assert verdict == ScanVerdict(clean=False, signature="Eicar-Test-Signature")


def test_the_stream_is_left_at_its_start_for_storing(socket_path):
    stream = io.BytesIO(samples.PNG)
    with fake_clamd_unix(socket_path) as clamd:
        ClamdScanner(clamd.address).scan(stream)
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "reply", [b"INSTREAM size limit exceeded. ERROR\0", b"", b"stream: something odd\0"]
)
def test_no_verdict_is_no_scan(socket_path, reply):
    with fake_clamd_unix(socket_path, reply=reply) as clamd, pytest.raises(ScannerUnavailable):
        ClamdScanner(clamd.address).scan(io.BytesIO(samples.PDF))


def test_a_daemon_that_is_not_running_is_no_scan(socket_path):
    with pytest.raises(ScannerUnavailable):
        ClamdScanner(f"unix://{socket_path}", timeout=2).scan(io.BytesIO(samples.PDF))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    with pytest.raises(ScannerUnavailable):
        ClamdScanner(f"tcp://127.0.0.1:{free_port}", timeout=2).scan(io.BytesIO(samples.PDF))


def test_an_address_of_another_kind_is_refused():
    with pytest.raises(ScannerUnavailable):
        ClamdScanner("http://clamav:3310").scan(io.BytesIO(samples.PDF))


def test_scanning_is_off_by_default_and_on_by_setting(settings, socket_path):
    assert scanner_get() is None
    settings.SWC_DOCUMENT_SCANNER = "swc.documents.scanning.ClamdScanner"
    settings.SWC_CLAMD_ADDRESS = f"unix://{socket_path}"
    scanner = scanner_get()
    assert isinstance(scanner, ClamdScanner) and scanner.address == f"unix://{socket_path}"
