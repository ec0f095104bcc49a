from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "swc.homes"
    label = "homes"
