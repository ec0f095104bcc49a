from typing import TextIO

from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "swc.homes"
    label = "homes"

    def load_demo_data(self, out: TextIO) -> None:
        from .demo import demo_register_load

        demo_register_load(out)
