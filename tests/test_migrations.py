"""Migrations: every one can be reversed, none locks a large table, and they run both ways with data.

The static checks read each migration's operations, so a new migration that
cannot be undone, or that adds a NOT NULL column without a default to a table
that already has rows, fails here before it reaches a production database.
(On PostgreSQL such a column cannot be added to a non-empty table at all
without a default; with a constant default — Django's one-off default, or
``""`` for a blank text field — adding it is a catalogue change, not a rewrite.)

The round trip runs in a process of its own against a throw-away database
(a file on SQLite, a new database on the test's PostgreSQL server): migrate,
load the reference and demo data, unapply every migration of the service
with the data present, and apply them all again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
OURS = "swc."


def service_migrations() -> list[Migration]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        migration
        for _, migration in sorted(loader.disk_migrations.items())
        if type(migration).__module__.startswith(OURS)
    ]


def irreversible_operations(migration: Migration) -> list[str]:
    """Each operation of ``migration`` that ``migrate`` could not undo, named."""
    found = []
    for operation in migration.operations:
        what = f"{migration.app_label}.{migration.name}: {operation.describe()}"
        if isinstance(operation, migrations.RunPython) and operation.reverse_code is None:
            found.append(f"{what} (RunPython without reverse_code; use RunPython.noop if nothing)")
        elif isinstance(operation, migrations.RunSQL) and operation.reverse_sql is None:
            found.append(f"{what} (RunSQL without reverse_sql)")
        elif not operation.reversible:
            found.append(f"{what} (not reversible)")
    return found


def locking_operations(migration: Migration) -> list[str]:
    """Each operation that adds a NOT NULL column with no default to a table made earlier.

    A table created in the same migration, or in an app's initial migrations
    (empty when they run), is exempt. The default is the one Django's schema
    editor would put in the ADD COLUMN: none means every existing row breaks it.
    """
    created_here = {
        operation.name_lower
        for operation in migration.operations
        if isinstance(operation, migrations.CreateModel)
    }
    found = []
    for operation in migration.operations:
        if not isinstance(operation, migrations.AddField) or migration.initial:
            continue
        field = operation.field
        if operation.model_name_lower in created_here or field.null:
            continue
        if field.has_db_default() or isinstance(field, models.ManyToManyField):
            continue
        if BaseDatabaseSchemaEditor._effective_default(field) is None:
            found.append(
                f"{migration.app_label}.{migration.name}: {operation.describe()} "
                "(NOT NULL without a default on an existing table: give it db_default, "
                "or add it nullable, fill it, then make it NOT NULL)"
            )
    return found


def test_every_migration_of_the_service_can_be_reversed() -> None:
    problems = [p for m in service_migrations() for p in irreversible_operations(m)]
    assert problems == []


def test_no_migration_adds_a_not_null_column_without_a_default_to_an_existing_table() -> None:
    problems = [p for m in service_migrations() for p in locking_operations(m)]
    assert problems == []


def forward_only() -> None:  # a RunPython body; never run
    raise AssertionError


def test_the_checks_catch_what_they_are_for() -> None:
    """Hand-made migrations: the checks name each bad operation and pass the safe ones."""
    bad = Migration("0099_bad", "referrals")
    bad.operations = [
        migrations.RunPython(forward_only),
        migrations.RunSQL("UPDATE referrals_referral SET first_name = ''"),
        migrations.AddField("referral", "priority", models.IntegerField()),
        migrations.AddField(
            "referral", "ward", models.ForeignKey("homes.SecureHome", models.CASCADE)
        ),
    ]
    safe = Migration("0100_safe", "referrals")
    safe.operations = [
        migrations.RunPython(forward_only, migrations.RunPython.noop),
        migrations.RunSQL("SELECT 1", reverse_sql=migrations.RunSQL.noop),
        migrations.AddField("referral", "flag", models.BooleanField(default=False)),
        migrations.AddField("referral", "score", models.IntegerField(db_default=0)),
        migrations.AddField("referral", "note", models.TextField(blank=True)),
        migrations.AddField("referral", "count", models.IntegerField(null=True)),
        migrations.CreateModel("Ledger", [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddField("ledger", "total", models.IntegerField()),
    ]
    assert [p.split(" (")[0] for p in irreversible_operations(bad)] == [
        "referrals.0099_bad: Raw Python operation",
        "referrals.0099_bad: Raw SQL operation",
    ]
    assert [p.split(" (")[0] for p in locking_operations(bad)] == [
        "referrals.0099_bad: Add field priority to referral",
        "referrals.0099_bad: Add field ward to referral",
    ]
    assert irreversible_operations(safe) == []
    assert locking_operations(safe) == []


ROUND_TRIP = textwrap.dedent(
    """
    import io, json, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.exceptions import IrreversibleError
    from django.db.migrations.executor import MigrationExecutor

    CLEAN_UP = {
        "matching.0002": [
            "DELETE FROM matching_placement WHERE offer_id IN"
            " (SELECT id FROM matching_offer WHERE vacancy_id IS NULL)",
            "DELETE FROM matching_offer WHERE vacancy_id IS NULL",
        ],
    }

    data = sys.argv[1]
    call_command("migrate", verbosity=0)
    call_command("import_local_authorities", f"{data}/local_authorities.csv", stdout=io.StringIO())
    call_command("import_secure_homes", f"{data}/secure_homes.csv", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM referrals_referral")
        referrals = cursor.fetchone()[0]
    executor = MigrationExecutor(connection)
    ours = sorted(a for a in executor.loader.migrated_apps if a in {
        c.label for c in django.apps.apps.get_app_configs() if c.name.startswith("swc.")
    })
    leaves = executor.loader.graph.leaf_nodes()
    backwards = executor.migration_plan([(app, None) for app in ours])
    refused = []
    for _ in range(5):
        try:
            executor.migrate([(app, None) for app in ours])
            break
        except IrreversibleError as error:
            # A reverse that refuses by name, because of the data: record it, remove
            # the rows it names (the test checks which), and go on back.
            refused.append(str(error).split(" cannot")[0])
            with connection.cursor() as cursor:
                for statement in CLEAN_UP[refused[-1]]:
                    cursor.execute(statement)
            executor.loader.build_graph()
    executor.loader.build_graph()
    forwards = executor.migration_plan(leaves)
    executor.migrate(leaves)
    executor.loader.build_graph()
    left = executor.migration_plan(executor.loader.graph.leaf_nodes())
    print(json.dumps({
        "referrals": referrals,
        "unapplied": [f"{m.app_label}.{m.name}" for m, back in backwards if back],
        "applied": [f"{m.app_label}.{m.name}" for m, back in forwards if not back],
        "left": len(left),
        "refused": refused,
    }))
    """
)


@pytest.fixture
def scratch_database(transactional_db: None, tmp_path: Path) -> Iterator[dict[str, object]]:
    """A database of its own for the round trip, dropped after."""
    current = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        yield {**current, "NAME": str(tmp_path / "round-trip.sqlite3")}
        return
    name = f"swc_round_trip_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**current, "NAME": name}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_migration_runs_backwards_and_forwards_with_the_demo_data_present(
    scratch_database: dict[str, object],
) -> None:
    from tests.faults.processes import database_handover

    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP, str(DATA)],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            "SWC_FAULTS_DATABASE": database_handover(scratch_database),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["referrals"] >= 450  # the demo year was there while every step was undone
    ours = {f"{m.app_label}.{m.name}" for m in service_migrations()}
    assert ours <= set(result["unapplied"])
    assert ours <= set(result["applied"])
    assert result["left"] == 0
    # The one reverse that refuses with demo data (offers kept without a bed), by name.
    assert result["refused"] == ["matching.0002"]
    print(
        f"{len(result['unapplied'])} migrations undone and redone with "
        f"{result['referrals']} demo referrals in {time.monotonic() - began:.0f} s"
    )
