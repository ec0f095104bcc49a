from typing import TextIO

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "swc.reporting"
    label = "reporting"

    def load_demo_data(self, out: TextIO) -> None:
        from .demo import demo_reporting_load

        demo_reporting_load(out)
