from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "swc.core"
    label = "core"
