from typing import TextIO

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "swc.organisations"
    label = "organisations"

    def load_demo_data(self, out: TextIO) -> None:
        from .demo import demo_accounts_load

        demo_accounts_load(out)
