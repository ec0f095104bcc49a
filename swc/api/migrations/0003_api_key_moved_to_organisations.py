"""API keys now belong to organisations (organisations 0005): forget the model here.

State only: the table ``api_apikey`` stays where it is, now owned by organisations.ApiKey.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_api_rate_window"),
        ("organisations", "0005_api_key_belongs_to_organisations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiKey")],
            database_operations=[],
        ),
    ]
