from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "swc.web"
    label = "web"
