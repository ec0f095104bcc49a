from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "swc.matching"
    label = "matching"
