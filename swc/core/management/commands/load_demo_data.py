"""Load synthetic demo data: each app that has any offers ``load_demo_data(out)`` on its AppConfig.

Apps run in INSTALLED_APPS order, so organisations come before homes, and homes
before referrals. Every step is idempotent: running it twice adds nothing.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load synthetic demo data and print the demo accounts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo_data", None)
            if loader is not None:
                loader(self.stdout)
