"""Print, for each message, what its GOV.UK Notify template must say and which fields it uses."""

from __future__ import annotations

import string
from typing import Any

from django.core.management.base import BaseCommand

from swc.notifications.messages import MESSAGES


def fields_of(*texts: str) -> list[str]:
    """The ((personalisation)) fields a template needs: the {names} in the service's words."""
    names: list[str] = []
    for text in texts:
        for _, name, _, _ in string.Formatter().parse(text):
            if name and name not in names:
                names.append(name)
    return names


class Command(BaseCommand):
    help = (
        "List every message the service sends with its subject, body and personalisation "
        "fields, written as GOV.UK Notify templates (((field))), to create them in Notify."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for message, spec in MESSAGES.items():
            fields = fields_of(spec.subject, spec.body)
            as_notify = {f: f"(({f}))" for f in fields}
            self.stdout.write(f"== {message}  ({spec.title})")
            self.stdout.write(f"   fields:  {', '.join(fields) or 'none'}")
            self.stdout.write(f"   subject: {spec.subject.format_map(as_notify)}")
            self.stdout.write(f"   body:    {spec.body.format_map(as_notify)}")
            self.stdout.write("")
