from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "swc.audit"
    label = "audit"
