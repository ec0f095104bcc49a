"""A backup restores: every table's rows and every document come back exactly (both databases).

The checksum of a table is computed here, independently of the backup code:
each row read through the database connection, written out, sorted and hashed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from swc.organisations.tests.factories import user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db(transaction=True)


def _value(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its rows in a fixed order."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(_value(v) for v in row)) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def _documents() -> dict[str, bytes]:
    storage = storages["documents"]
    names = []
    folders = [""]
    while folders:
        folder = folders.pop()
        subfolders, files = storage.listdir(folder)
        names += [f"{folder}/{f}".lstrip("/") for f in files]
        folders += [f"{folder}/{s}".lstrip("/") for s in subfolders]
    return {name: storage.open(name, "rb").read() for name in names}


@pytest.fixture
def records():  # type: ignore[no-untyped-def]
    user_with_role("referrer")
    complete_referral(first_name="Backupchild", last_name="Roundtripper")
    complete_referral()
    storage = storages["documents"]
    storage.save("referrals/1/court-order.pdf", ContentFile(b"%PDF-1.7 synthetic court order"))
    storage.save("referrals/2/plan.docx", ContentFile(b"PK synthetic care plan" * 100))
    yield
    for name in _documents():
        storages["documents"].delete(name)


def test_a_backup_restores_every_row_and_every_document(records, tmp_path: Path) -> None:
    before = table_fingerprints()
    documents_before = _documents()
    assert before["referrals_referral"][0] == 2 and len(documents_before) == 2
    archive = tmp_path / "swc.tar.gz"
    call_command("backup", str(archive))

    # Disaster: records changed and deleted, a document lost, another overwritten.
    Referral.objects.filter(last_name="Roundtripper").update(first_name="Changed")
    Referral.objects.exclude(last_name="Roundtripper").delete()
    storages["documents"].delete("referrals/1/court-order.pdf")
    storages["documents"].delete("referrals/2/plan.docx")
    storages["documents"].save("referrals/2/plan.docx", ContentFile(b"wrong"))
    assert table_fingerprints() != before

    call_command("restore", str(archive), "--force")
    after = table_fingerprints()
    assert {t: v for t, v in after.items() if v != before.get(t)} == {}
    assert set(after) == set(before)
    assert _documents() == documents_before
    assert Referral.objects.get(last_name="Roundtripper").first_name == "Backupchild"


def test_restore_refuses_a_database_holding_data_without_force(records, tmp_path: Path) -> None:
    archive = tmp_path / "swc.tar.gz"
    call_command("backup", str(archive))
    Referral.objects.filter(last_name="Roundtripper").update(first_name="Newer")
    before = table_fingerprints()
    with pytest.raises(CommandError, match=r"already holds data.*--force"):
        call_command("restore", str(archive))
    assert table_fingerprints() == before


def test_a_damaged_or_foreign_archive_changes_nothing(records, tmp_path: Path) -> None:
    before = table_fingerprints()
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(b"not a tar file at all")
    with pytest.raises(CommandError, match="is not a backup archive"):
        call_command("restore", str(not_a_backup), "--force")
    with pytest.raises(CommandError, match="there is no backup at"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--force")
    archive = tmp_path / "swc.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive))
    # Flip bytes of the archive's compressed payload: gzip's CRC or the manifest's checksums fail.
    damaged = tmp_path / "damaged.tar.gz"
    content = bytearray(archive.read_bytes())
    content[len(content) // 2] ^= 0xFF
    damaged.write_bytes(bytes(content))
    with pytest.raises(CommandError, match=r"damaged|not a backup"):
        call_command("restore", str(damaged), "--force")
    assert table_fingerprints() == before
