from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from swc.audit.selectors import record_kind_describe
from swc.core.phones import phone_display
from swc.organisations.policy import user_can as policy_user_can
from swc.reporting.publication import figure_describe

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """The URL of a page, or an empty string when that page does not exist."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    """``{% can "referral.edit" referral as may_edit %}`` – asks the one policy."""
    request = context.get("request")
    return bool(request and policy_user_can(request.user, action, obj))


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ ages|lookup:home_id }}``: a dictionary's value for a key held in a variable."""
    return mapping.get(key) if mapping else None


@register.filter
def figure_words(path: str) -> str:
    """A monthly return figure's path (as frozen in a version) in words."""
    return figure_describe(path)


@register.filter
def record_kind(object_type: str) -> str:
    """An audit event's kind of record in words."""
    return record_kind_describe(object_type)


@register.filter
def phone(stored: str) -> str:
    """A stored phone number (+44…) as people read it (01632 960001)."""
    return phone_display(stored) if stored else ""
