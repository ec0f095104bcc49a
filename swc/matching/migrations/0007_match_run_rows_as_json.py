"""A match run's rows in PostgreSQL's ``json`` (the text as written), not ``jsonb``.

Nothing queries inside a run, and ``jsonb`` made the server parse every run it
stored into its binary form: 10 ms of each match at 3,000 homes, ``json`` 4 ms.
On PostgreSQL the columns are converted (each stored run is rewritten once, as
the same JSON); on SQLite a JSON column is text either way, so only the state
changes and the table is not copied.
"""

from django.db import migrations

import swc.matching.models
import swc.matching.runs

FIELDS = ("candidates", "exclusions")


def _columns_to(kind: str):  # type: ignore[no-untyped-def]
    def convert(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("matching", "MatchRun")._meta.db_table)
        for name in FIELDS:
            column = schema_editor.quote_name(name)
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {kind} USING {column}::{kind}"
            )

    return convert


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_compact_match_runs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(_columns_to("json"), _columns_to("jsonb")),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="matchrun",
                    name=name,
                    field=swc.matching.models.RunRowsField(
                        default=swc.matching.models._list_default,
                        encoder=swc.matching.runs.CompactEncoder,
                    ),
                )
                for name in FIELDS
            ],
        ),
    ]
