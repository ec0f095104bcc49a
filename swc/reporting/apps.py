from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "swc.reporting"
    label = "reporting"
