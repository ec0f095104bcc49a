"""Load synthetic demo data: each app that has any offers ``load_demo_data(out)`` on its AppConfig.

Apps run in INSTALLED_APPS order, so organisations come before homes, and homes
before referrals. Every step is idempotent: running it twice adds nothing. The
demo accounts are printed last, so they are the last thing `make run` shows
before the server starts.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from swc.organisations.demo import demo_accounts_print


class Command(BaseCommand):
    help = "Load synthetic demo data and print the demo accounts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo_data", None)
            if loader is not None:
                loader(self.stdout)
        if connection.vendor == "postgresql":
            # Thousands of rows have just arrived in tables the planner last saw empty;
            # until autovacuum catches up (never, inside a test's transaction) it plans
            # nested loops over them, and a report's query takes seconds instead of ms.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        demo_accounts_print(self.stdout)
