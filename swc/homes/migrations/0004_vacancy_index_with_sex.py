"""The free-bed index carries restriction_sex: the board's counts for a child of one sex read
the index alone instead of looking up every bed (issue 19)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("homes", "0003_register"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="vacancy",
            index=models.Index(
                fields=["status", "home", "available_from", "restriction_sex"],
                name="vacancy_status_home_from_sex",
            ),
        ),
        migrations.RemoveIndex(
            model_name="vacancy",
            name="homes_vacan_status_605222_idx",
        ),
    ]
