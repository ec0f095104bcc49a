from __future__ import annotations

from django import forms

from swc.documents.models import DocumentKind
from swc.web.forms import GovukFormMixin


class UploadForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What is the document?",
        widget=forms.RadioSelect,
        choices=DocumentKind.choices,
        error_messages={"required": "Select what the document is"},
    )
    # Checked by the service (present, size, type from its content), for one set of messages
    # shared with the API.
    file = forms.FileField(label="Upload a file", required=False, allow_empty_file=True)
