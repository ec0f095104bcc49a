"""Navigation per role: each link shows only to those the policy lets use it.

Entries whose page does not exist (yet) are skipped, so features add their
page and the link appears.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from swc.organisations.policy import user_can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str


NAVIGATION = [
    NavItem("Home", "web:start", "start.view"),
    NavItem("Referrals", "referrals:list", "referral.view"),
    NavItem("Search", "referrals:search", "referral.search"),
    NavItem("Triage queue", "referrals:triage", "referral.triage"),
    NavItem("Vacancies", "register:board", "vacancy_board.view"),
    NavItem("Our register", "register:own", "register.update"),
    NavItem("Declarations", "register:declarations", "register.confirmations.view"),
    NavItem("Placements", "matching:placements", "placement.record"),
    NavItem("Allocation", "matching:allocation", "allocation.propose"),
    NavItem("Reports", "reporting:index", "report.view_aggregates"),
    NavItem("Notifications", "notifications:outbox", "outbox.view"),
    NavItem("On-call rota", "notifications:rota", "rota.view"),
    NavItem("Audit", "audit:search", "audit.view"),
    NavItem("People", "account:organisations", "account.list"),
]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not getattr(user, "is_verified", lambda: False)()
    ):
        return []
    items: list[dict[str, object]] = []
    for item in NAVIGATION:
        if not user_can(user, item.action):
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "href": href, "active": False})
    # One item is current: the one whose address is the longest start of this page's
    # (the triage queue, not also "Referrals", on /referrals/triage/).
    matches = [
        i
        for i in items
        if request.path == i["href"]
        or (i["href"] != "/" and request.path.startswith(str(i["href"])))
    ]
    if matches:
        max(matches, key=lambda i: len(str(i["href"])))["active"] = True
    return items
