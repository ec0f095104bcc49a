from typing import TextIO

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "swc.documents"
    label = "documents"
    verbose_name = "Documents attached to referrals"

    def load_demo_data(self, out: TextIO) -> None:
        from .demo import demo_documents_load

        demo_documents_load(out)
