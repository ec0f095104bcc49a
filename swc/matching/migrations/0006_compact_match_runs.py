"""Match runs written column by column (``runs.compact``), as JSON without spaces.

Only the encoder changes, which is no part of the column: the state alone is
altered, so SQLite does not copy the whole table to change nothing. Runs
stored before stay as they are (one dict a home); ``runs.expand`` reads both.
"""

from django.db import migrations, models

import swc.matching.models
import swc.matching.runs


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_answer_and_offer_labels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="matchrun",
                    name=name,
                    field=models.JSONField(
                        default=swc.matching.models._list_default,
                        encoder=swc.matching.runs.CompactEncoder,
                    ),
                )
                for name in ("candidates", "exclusions")
            ],
        ),
    ]
