from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "swc.referrals"
    label = "referrals"
