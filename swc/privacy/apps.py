from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "swc.privacy"
    label = "privacy"
    verbose_name = "Data protection: retention and subject access"
