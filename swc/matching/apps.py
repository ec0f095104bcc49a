from typing import TextIO

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "swc.matching"
    label = "matching"

    def load_demo_data(self, out: TextIO) -> None:
        from .demo import demo_matching_load

        demo_matching_load(out)
