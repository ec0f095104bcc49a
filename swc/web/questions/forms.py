from __future__ import annotations

from django import forms

from swc.questions.services import MAX_LENGTH
from swc.web.forms import GovukFormMixin


class AskForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {MAX_LENGTH} characters or fewer",
        },
    )


class AnswerForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Enter your answer",
            "max_length": f"Your answer must be {MAX_LENGTH} characters or fewer",
        },
    )


class RoutingForm(GovukFormMixin, forms.Form):
    route = forms.ChoiceField(
        label="How do homes ask authorities their questions?",
        widget=forms.RadioSelect,
        choices=[
            ("through_unit", "Through the unit: the unit reads each question and passes it on"),
            ("direct", "Directly: a home's question goes straight to the authority"),
        ],
        error_messages={"required": "Select how homes ask their questions"},
    )
