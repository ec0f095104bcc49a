from typing import TextIO

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "swc.referrals"
    label = "referrals"

    def load_demo_data(self, out: TextIO) -> None:
        from .demo import demo_referrals_load

        demo_referrals_load(out)
