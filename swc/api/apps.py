from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "swc.api"
    label = "api"
