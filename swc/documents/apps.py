from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "swc.documents"
    label = "documents"
    verbose_name = "Documents attached to referrals"
