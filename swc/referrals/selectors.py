"""Reading referrals, always through the policy's scope for the person asking.

An authority sees its own referrals; a home only those sent to it, and then
only ``HomeView`` (what a home needs to decide); the unit sees all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from swc.core import clock
from swc.core.errors import NotPermitted, ServiceError
from swc.core.vocabulary import LegalStatus, NeedOrRisk, Sex
from swc.organisations.policy import (
    ANY,
    OWN,
    RULES,
    SHARED,
    principal_for,
    require,
    scopes_for,
    user_can,
)

from .completeness import age_on
from .deadlines import Urgency, due_describe, list_due_at, remaining_describe, urgency_of
from .models import Referral, ReferralEvent, ReferralShare
from .workflow import OPEN, SEARCHABLE, TERMINAL, Status


def referral_list_for(
    user: Any,
    *,
    status: str | None = None,
    open_only: bool = False,
    closed: bool | None = None,
) -> QuerySet[Referral]:
    """The referrals ``user`` may see, newest first.

    Optionally by ``status``; ``open_only``: submitted and waiting for a bed;
    ``closed``: True for finished referrals, False for every other (drafts too).
    """
    scopes = scopes_for(user, "referral.view")
    principal = principal_for(user)
    qs = Referral.objects.select_related("local_authority")
    if ANY not in scopes:
        condition = Q(pk__in=[])
        if OWN in scopes:
            condition |= Q(local_authority__organisation_id=principal.organisation_id)
        if SHARED in scopes:
            condition |= Q(
                Exists(
                    ReferralShare.objects.filter(
                        referral=OuterRef("pk"), home_organisation_id=principal.organisation_id
                    )
                )
            )
        qs = qs.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN)
    if closed is True:
        qs = qs.filter(status__in=TERMINAL)
    elif closed is False:
        qs = qs.exclude(status__in=TERMINAL)
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class ReferralSearch:
    """What someone is looking for; every part optional, all given parts must match.

    ``text`` is a reference (R000123, or just 123), the authority's identifier for the
    child, or words of the child's name: each word must start (a single letter, an
    initial) or appear in (longer words) the first or last name, ignoring case.
    """

    text: str = ""
    date_of_birth: dt.date | None = None
    local_authority_id: int | None = None
    status: str = ""
    started_from: dt.date | None = None
    started_to: dt.date | None = None
    changed_since: dt.datetime | None = None

    @property
    def names_the_child(self) -> bool:
        """Does it pick out a child (name, reference, date of birth, authority)?"""
        return bool(self.text.strip() or self.date_of_birth or self.local_authority_id)

    @property
    def is_empty(self) -> bool:
        return not (
            self.names_the_child
            or self.status
            or self.started_from
            or self.started_to
            or self.changed_since
        )

    def audit_detail(self) -> dict[str, Any]:
        """The criteria as the audit may keep them: never a child's name or date of birth."""
        detail: dict[str, Any] = {}
        reference = _reference_in(self.text)
        if reference is not None:
            detail["reference"] = f"R{reference:06d}"
        elif self.text.strip():
            # Whether a name (or identifier) was typed, and how many words: not the words.
            detail["name_words"] = len(_name_words(self.text))
        if self.date_of_birth:
            detail["date_of_birth"] = "given"
        if self.local_authority_id:
            detail["local_authority_id"] = self.local_authority_id
        if self.status:
            detail["status"] = self.status
        if self.started_from:
            detail["started_from"] = self.started_from.isoformat()
        if self.started_to:
            detail["started_to"] = self.started_to.isoformat()
        if self.changed_since:
            detail["changed_since"] = self.changed_since.isoformat()
        return detail


# "R000123", "r123", "123": a reference. Anything else is a name or an identifier.
_REFERENCE = re.compile(r"^[Rr]?\s*(\d{1,9})$")
# Words of a name: letters, apostrophes and hyphens (O'Neil, Smith-Jones); dots and commas
# split initials ("J.S." is J and S).
_NAME_SPLIT = re.compile(r"[\s.,]+")


def _reference_in(text: str) -> int | None:
    match = _REFERENCE.match(text.strip())
    return int(match.group(1)) if match else None


def _name_words(text: str) -> list[str]:
    return [word for word in _NAME_SPLIT.split(text.strip()) if word]


def referral_search_check(search: ReferralSearch) -> None:
    """Refuse criteria that cannot mean anything, with a message for the person."""
    if search.status and search.status not in Status.values:
        raise ServiceError("Choose a status from the list", field="status")
    if search.started_from and search.started_to and search.started_from > search.started_to:
        raise ServiceError(
            "The first date must be the same as or before the second date", field="started_to"
        )
    if len(search.text) > 200:
        raise ServiceError("Enter 200 characters or fewer", field="text")


def _text_condition(text: str) -> Q:
    text = text.strip()
    condition = Q(la_child_identifier__iexact=text)
    reference = _reference_in(text)
    if reference is not None:
        return condition | Q(pk=reference)
    words = _name_words(text)
    if not words:
        return condition
    names = Q()
    for word in words:
        if len(word) == 1:
            names &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
        else:
            names &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return condition | names


def referral_search_for(user: Any, search: ReferralSearch) -> QuerySet[Referral]:
    """The referrals ``user`` may see that match ``search``, newest first.

    The one search of referrals: the search page and the API's list both call it.
    Anything that picks out a child needs ``referral.search`` (homes may still filter
    what was sent to them by status and date); ServiceError for criteria that cannot
    mean anything (a status that does not exist, a range that ends before it starts).
    """
    referral_search_check(search)
    if search.names_the_child:
        require(user, "referral.search")
    qs = referral_list_for(user, status=search.status or None)
    if search.text.strip():
        qs = qs.filter(_text_condition(search.text))
    if search.date_of_birth:
        qs = qs.filter(date_of_birth=search.date_of_birth)
    if search.local_authority_id:
        qs = qs.filter(local_authority_id=search.local_authority_id)
    # Days are London days (TIME_ZONE): a referral started at 00:30 BST is on that day.
    if search.started_from:
        qs = qs.filter(created_at__date__gte=search.started_from)
    if search.started_to:
        qs = qs.filter(created_at__date__lte=search.started_to)
    if search.changed_since:
        qs = qs.filter(modified_at__gte=search.changed_since)
    return qs


def referral_get_for(user: Any, pk: int, action: str = "referral.view") -> Referral:
    """One referral, if ``user`` may do ``action`` to it; NotPermitted (a 404) otherwise."""
    referral = referral_list_for(user).filter(pk=pk).first()
    if referral is None:
        raise NotPermitted()
    require(user, action, referral)
    return referral


def referral_timeline_for(user: Any, referral: Referral) -> list[ReferralEvent]:
    """The referral's timeline, oldest first (not for homes: it names the authority's staff)."""
    require(user, "referral.view_identity", referral)
    return list(referral.events.select_related("actor").order_by("at", "id"))


def referral_earlier_for(user: Any, referral: Referral) -> list[Referral]:
    """Earlier referrals of the same child: same authority, same child identifier."""
    require(user, "referral.view_identity", referral)
    if not referral.la_child_identifier:
        return []
    return list(
        Referral.objects.filter(
            local_authority_id=referral.local_authority_id,
            la_child_identifier=referral.la_child_identifier,
            created_at__lt=referral.created_at,
        )
        .exclude(pk=referral.pk)
        .exclude(status=Status.DRAFT)
        .order_by("-created_at")
        # A line each (reference, date, status): not each one's whole record.
        .only("id", "created_at", "status")
    )


def referrals_searchable() -> QuerySet[Referral]:
    """Open referrals that matching should search for: complete onwards, not lapsed."""
    return Referral.objects.filter(status__in=SEARCHABLE, lapsed_at__isnull=True).select_related(
        "local_authority"
    )


@dataclass(frozen=True)
class TriageRow:
    referral: Referral
    urgency: Urgency
    remaining: str
    overdue: bool
    # The list of potential placements: due while the two-hour clock runs, else None.
    list_due_at: dt.datetime | None = None
    list_due: str = ""
    list_overdue: bool = False


def referral_list_due_at(referral: Referral) -> dt.datetime | None:
    """When this referral's list is due, while its two-hour clock runs (complete, no list)."""
    if referral.status != Status.COMPLETE or referral.completed_at is None:
        return None
    if referral.list_provided_at is not None:
        return None
    return list_due_at(referral.completed_at)


class UrgencyFields(Protocol):
    """What a referral's urgency is worked out from (a referral, or a row of these columns)."""

    @property
    def legal_status(self) -> str: ...
    @property
    def regulation_10_started_at(self) -> dt.datetime | None: ...
    @property
    def hearing_date(self) -> dt.date | None: ...
    @property
    def bed_needed_at(self) -> dt.datetime | None: ...
    @property
    def completed_at(self) -> dt.datetime | None: ...
    @property
    def submitted_at(self) -> dt.datetime | None: ...


class _UrgencyRow(NamedTuple):
    pk: int
    legal_status: str
    regulation_10_started_at: dt.datetime | None
    hearing_date: dt.date | None
    bed_needed_at: dt.datetime | None
    completed_at: dt.datetime | None
    submitted_at: dt.datetime | None


def referral_urgency(referral: UrgencyFields) -> Urgency:
    return urgency_of(
        legal_status=referral.legal_status,
        regulation_10_started_at=referral.regulation_10_started_at,
        hearing_date=referral.hearing_date,
        bed_needed_at=referral.bed_needed_at,
        waiting_since=referral.completed_at or referral.submitted_at,
    )


def _triage_row(referral: Referral, now: dt.datetime, urgency: Urgency | None = None) -> TriageRow:
    if urgency is None:
        urgency = referral_urgency(referral)
    remaining = urgency.remaining(now)
    due = referral_list_due_at(referral)
    return TriageRow(
        referral=referral,
        urgency=urgency,
        remaining=remaining_describe(remaining),
        overdue=remaining is not None and remaining < dt.timedelta(0),
        list_due_at=due,
        list_due=due_describe(due, now) if due else "",
        list_overdue=due is not None and due < now,
    )


def referral_triage_queue_for(user: Any, now: dt.datetime | None = None) -> list[TriageRow]:
    """Open referrals, most urgent first (docs/workflow.md, "Triage order")."""
    require(user, "referral.triage")
    now = now or clock.now()
    rows = [
        _triage_row(referral, now)
        for referral in referral_list_for(user, open_only=True).select_related("assigned_to")
    ]
    rows.sort(key=lambda row: row.urgency.sort_key())
    return rows


TRIAGE_PAGE_SIZE = 50
# The columns a row of the queue reads besides its urgency (worked out once, from the
# first query): not the referral's other forty, each converted on every read of the page.
TRIAGE_COLUMNS = (
    "pk",
    "completed_at",
    "status",
    "lapsed_at",
    "list_provided_at",
    "local_authority__name",
    "local_authority__organisation_id",
    "assigned_to__full_name",
    "assigned_to__email",
)


@dataclass(frozen=True)
class TriagePage:
    rows: list[TriageRow]
    page: Page[int]


def referral_triage_page_for(
    user: Any, page: int | str | None, now: dt.datetime | None = None
) -> TriagePage:
    """One page of the triage queue, most urgent first, 50 referrals a page: two queries.

    The order is ``referral_urgency``'s (deadlines.urgency_of, the one rule), worked
    out from the six columns it reads, for every open referral; only the page's
    referrals are then read, with the columns their rows show. A deadline in SQL
    would be a second copy of the rule (the start of a hearing day in London, across
    clock changes).
    """
    require(user, "referral.triage")
    now = now or clock.now()
    urgencies = {
        row.pk: referral_urgency(row)
        for row in map(
            _UrgencyRow._make,
            referral_list_for(user, open_only=True).values_list(*_UrgencyRow._fields),
        )
    }
    # Stable: ties keep the newest-first order the rows came in.
    order = sorted(urgencies, key=lambda pk: urgencies[pk].sort_key())
    shown = Paginator(order, TRIAGE_PAGE_SIZE).get_page(page)
    by_pk = (
        Referral.objects.select_related("local_authority", "assigned_to")
        .only(*TRIAGE_COLUMNS)
        .in_bulk(list(shown.object_list))
    )
    return TriagePage(
        [_triage_row(by_pk[pk], now, urgencies[pk]) for pk in shown.object_list], shown
    )


@dataclass(frozen=True)
class HomeView:
    """What a home needs to decide: no surname, no exact address, no authority identifier."""

    pk: int
    reference: str
    initials: str
    age: int | None
    sex: str
    needs: list[tuple[str, str]]
    legal_status: str
    hearing_date: dt.date | None
    order_expires_on: dt.date | None
    bed_needed_at: dt.datetime | None
    home_area_region: str
    status: str


def referral_initials(referral: Referral) -> str:
    """ "S.P." for Sam Patel: what a list shows instead of the name."""
    return "".join(
        part[0].upper() + "." for part in (referral.first_name, referral.last_name) if part
    )


def referral_home_view(referral: Referral, today: dt.date | None = None) -> HomeView:
    """The home's view of a referral sent to it (pure: reads only the referral's fields)."""
    today = today or clock.today()
    initials = referral_initials(referral)
    labels = dict(NeedOrRisk.choices)
    descriptions = referral.need_descriptions or {}
    return HomeView(
        pk=referral.pk,
        reference=referral.reference,
        initials=initials,
        age=age_on(referral.date_of_birth, today) if referral.date_of_birth else None,
        sex=Sex(referral.sex).label if referral.sex else "",
        needs=[(labels.get(code, code), descriptions.get(code, "")) for code in referral.needs],
        legal_status=LegalStatus(referral.legal_status).label if referral.legal_status else "",
        hearing_date=referral.hearing_date,
        order_expires_on=referral.order_expires_on,
        bed_needed_at=referral.bed_needed_at,
        home_area_region=referral.home_area_region,
        status=referral.get_status_display(),
    )


def referral_assignees_for(user: Any) -> list[Any]:
    """The people a referral may be handed to: everyone in the unit who may take one."""
    from django.contrib.auth import get_user_model

    require(user, "referral.hand_over")
    # Narrowed by the roles the rule names; each person is then asked of the policy itself.
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, memberships__role__in=list(RULES["referral.take"]))
        .distinct()
        .order_by("full_name", "email")
    )
    return [person for person in candidates if user_can(person, "referral.take")]


def referral_sees_identity(user: Any, referral: Referral) -> bool:
    """Does ``user`` see the child's identity (the authority and the unit), or only HomeView?"""
    return user_can(user, "referral.view_identity", referral)
