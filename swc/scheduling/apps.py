from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "swc.scheduling"
    verbose_name = "Scheduled work"
