"""Referral pages: the question pages, check answers, the lists, triage and the lifecycle.

Views parse, ask the policy (through the selectors) and call one service.
Every page that shows a child's details records an audit VIEW event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from swc.core import clock
from swc.core.errors import ServiceError
from swc.core.phones import phone_display
from swc.core.vocabulary import (
    ClosureDestination,
    Ethnicity,
    LegalStatus,
    NeedOrRisk,
    Sex,
    WithdrawalReason,
)
from swc.matching import selectors as matching_selectors
from swc.matching.models import Placement
from swc.organisations.access import requires
from swc.organisations.models import LocalAuthority
from swc.organisations.policy import ANY, principal_for, scopes_for, user_can
from swc.referrals import selectors, services
from swc.referrals.completeness import (
    SECTION_BY_SLUG,
    SECTIONS,
    referral_problems,
    section_status,
)
from swc.referrals.deadlines import draft_is_stale, due_describe, keep_alive_of
from swc.referrals.models import Referral
from swc.referrals.services import PHONE_FIELDS
from swc.referrals.workflow import EDITABLE, Status

from ..addresses import address_of_each
from .forms import (
    SECTION_FORMS,
    CloseForm,
    ExtendForm,
    HandOverForm,
    InformationRequestForm,
    ReferralSearchForm,
    SubmitForm,
    UpdateForm,
    WithdrawForm,
)


def _error_show(form: forms.Form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _viewed(request: HttpRequest, referral: Referral, what: str) -> None:
    services.referral_view_record(referral=referral, by=request.user, request=request, what=what)


# --- lists -------------------------------------------------------------------------------


LIST_PAGE_SIZE = 50
# "Open" here is every referral not yet finished, drafts included: what someone may act on.
LIST_SHOWS = {"open": "Open referrals", "closed": "Closed referrals", "all": "All referrals"}


@requires("referral.view")
def referral_list(request: HttpRequest) -> HttpResponse:
    """Open referrals first (what needs acting on), closed or all on request, 50 a page."""
    sees_identity = user_can(request.user, "referral.view_identity")
    show = request.GET.get("show") or "open"
    if show not in LIST_SHOWS:
        show = "open"
    status = request.GET.get("status") or None
    if status not in Status.values or not sees_identity:
        status = None
    queryset = selectors.referral_list_for(
        request.user,
        status=status,
        closed=None if status or show == "all" else show == "closed",
    )
    page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    referrals = list(page.object_list)
    rows: list[Any] = referrals
    if referrals:
        # Only the rows shown are read, so only they are audited.
        services.referral_list_view_record(
            referrals=referrals, by=request.user, request=request, what="list"
        )
    if not sees_identity:
        today = clock.today()
        rows = [selectors.referral_home_view(r, today) for r in referrals]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/list.html",
        {
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "sees_identity": sees_identity,
            "may_create": user_can(request.user, "referral.create"),
            # Someone who sees every authority's referrals needs to be told whose each is.
            "shows_authority": ANY in scopes_for(request.user, "referral.view"),
            "shows": LIST_SHOWS.items(),
            "current_show": show,
            "statuses": Status.choices,
            "current_status": status,
        },
    )


@requires("referral.triage")
def referral_triage(request: HttpRequest) -> HttpResponse:
    queue = selectors.referral_triage_page_for(request.user, request.GET.get("page"))
    rows = queue.rows
    if rows:
        services.referral_list_view_record(
            referrals=[row.referral for row in rows],
            by=request.user,
            request=request,
            what="triage",
        )
    return render(
        request,
        "referrals/triage.html",
        {
            # Every row is open and in the unit's scope: one answer for the whole queue.
            "rows": _triage_cells(
                rows,
                may_take=user_can(request.user, "referral.take"),
                may_hand_over=user_can(request.user, "referral.hand_over"),
            ),
            "page": queue.page,
        },
    )


def _moment_describe(moment: dt.datetime | None, *, whole_day: bool = False) -> str:
    """ "12 Mar 09:30" in London time ("12 Mar" for a day); "" for no moment."""
    if moment is None:
        return ""
    local = moment.astimezone(clock.LONDON)
    return f"{local:%-d %b}" if whole_day else f"{local:%-d %b %H:%M}"


def _triage_cells(
    rows: list[selectors.TriageRow], *, may_take: bool, may_hand_over: bool
) -> list[dict[str, Any]]:
    """What each cell of the queue says, worked out once here for the template to place.

    Fifty rows a page: a filter, a ``{% url %}`` or a lookup through a referral in the
    template costs more than the line of Python that replaces it.
    """
    # get_status_display() builds the choices' mapping again on every call: once here.
    status_labels = dict(Status.choices)
    detail_of = address_of_each("referrals:detail")
    take_of = address_of_each("referrals:take") if may_take else None
    hand_over_of = address_of_each("referrals:hand_over") if may_hand_over else None
    cells = []
    for row in rows:
        referral, urgency = row.referral, row.urgency
        assignee = referral.assigned_to
        if row.list_due:
            list_state = f"List due {row.list_due}"
        elif referral.list_provided_at:
            list_state = "List provided"
        elif referral.status == Status.INFORMATION_REQUESTED:
            list_state = "Waiting for information"
        else:
            list_state = "No list due"
        deadline = (
            f"{urgency.deadline_label}, "
            f"{_moment_describe(urgency.deadline, whole_day=urgency.is_whole_day)}"
            if urgency.deadline
            else "None"
        )
        cells.append(
            {
                "reference": referral.reference,
                "href": detail_of(referral.pk),
                "authority": referral.local_authority.name,
                "status": status_labels.get(referral.status, referral.status),
                "lapsed": referral.lapsed_at is not None,
                "deadline": deadline,
                "remaining": row.remaining,
                "overdue": row.overdue,
                "waiting_since": _moment_describe(urgency.waiting_since),
                "list_state": list_state,
                "list_overdue": bool(row.list_due) and row.list_overdue,
                "assignee": (assignee.full_name or assignee.email) if assignee else "",
                "take_href": take_of(referral.pk) if take_of and assignee is None else "",
                "hand_over_href": hand_over_of(referral.pk) if hand_over_of else "",
            }
        )
    return cells


SEARCH_PAGE_SIZE = 25


@requires("referral.search")
def referral_search(request: HttpRequest) -> HttpResponse:
    """Find referrals by reference, name or initials, date of birth, authority, status, dates.

    A GET form: the address can be bookmarked and paged. Results show initials and date
    of birth, enough to tell two children of one name apart; the page shows the rest.
    """
    shows_authority = ANY in scopes_for(request.user, "referral.search")
    form = ReferralSearchForm(
        request.GET or None,
        statuses=list(Status.choices),
        local_authorities=list(LocalAuthority.objects.order_by("name").values_list("pk", "name"))
        if shows_authority
        else None,
    )
    page = None
    rows: list[dict[str, Any]] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        search = selectors.ReferralSearch(
            text=data["text"],
            date_of_birth=data["date_of_birth"],
            local_authority_id=int(data["local_authority"])
            if data.get("local_authority")
            else None,
            status=data["status"],
            started_from=data["started_from"],
            started_to=data["started_to"],
        )
        if search.is_empty:
            form.add_error(None, "Enter at least one thing to search for")
        else:
            try:
                queryset = selectors.referral_search_for(request.user, search)
            except ServiceError as error:
                _error_show(form, error)
            else:
                page = Paginator(queryset, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
                referrals = list(page.object_list)
                services.referral_search_record(
                    search=search,
                    referrals=referrals,
                    by=request.user,
                    request=request,
                    what="search",
                )
                rows = [
                    {
                        "referral": r,
                        "initials": selectors.referral_initials(r),
                        "may_continue": r.status == Status.DRAFT
                        and user_can(request.user, "referral.edit", r),
                    }
                    for r in referrals
                ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/search.html",
        {
            "form": form,
            "page": page,
            "searched": page is not None,
            "rows": rows,
            "query": query.urlencode(),
            "shows_authority": shows_authority,
        },
    )


# --- who in the unit has picked a referral up --------------------------------------------


def _back_to(referral: Referral, back: str | None) -> HttpResponse:
    # Back where the person acted: the triage queue, or the referral's page.
    if back == "triage":
        return redirect("referrals:triage")
    return redirect("referrals:detail", pk=referral.pk)


@requires("referral.take")
def referral_take(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a referral nobody has yet (a button on the queue and on the referral's page)."""
    referral = selectors.referral_get_for(request.user, pk, "referral.take")
    if request.method == "POST":
        try:
            services.referral_take(referral=referral, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"You have taken referral {referral.reference}")
    return _back_to(referral, request.POST.get("back"))


@requires("referral.hand_over")
def referral_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand a referral to someone in the unit, or take it over from a colleague."""
    referral = selectors.referral_get_for(request.user, pk, "referral.hand_over")
    if not referral.is_open:
        messages.error(request, "This referral is finished: nobody needs to pick it up")
        return redirect("referrals:detail", pk=referral.pk)
    people = {
        person.pk: person
        for person in selectors.referral_assignees_for(request.user)
        if person.pk != referral.assigned_to_id
    }
    form = HandOverForm(
        request.POST if request.method == "POST" else None,
        people=[(pk_, services.person_label(p)) for pk_, p in people.items()],
        initial={
            "expected": referral.assigned_to_id or "",
            "back": request.GET.get("back", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["expected"]
        to = people[int(form.cleaned_data["to"])]
        try:
            services.referral_hand_over(
                referral=referral,
                by=request.user,
                to=to,
                expected_id=int(expected) if expected.isdigit() else None,
            )
        except ServiceError as error:
            if error.field:
                _error_show(form, error)
            else:
                messages.error(request, error.message)
                return _back_to(referral, form.cleaned_data["back"])
        else:
            name = "you" if to == request.user else services.person_label(to)
            messages.success(request, f"Referral {referral.reference} handed to {name}")
            return _back_to(referral, form.cleaned_data["back"])
    _viewed(request, referral, "hand_over")
    return render(
        request,
        "referrals/hand_over.html",
        {"referral": referral, "form": form},
    )


# --- starting and filling in a referral --------------------------------------------------


@requires("referral.create")
def referral_new(request: HttpRequest) -> HttpResponse:
    principal = principal_for(request.user)
    local_authority = (
        LocalAuthority.objects.filter(organisation_id=principal.organisation_id).first()
        if principal.organisation_id is not None
        else None
    )
    if local_authority is None:
        raise Http404()
    if request.method == "POST":
        referral = services.referral_create(local_authority=local_authority, by=request.user)
        messages.success(
            request,
            f"Referral {referral.reference} started: your answers are saved as you complete "
            "each section",
        )
        return redirect("referrals:task_list", pk=referral.pk)
    return render(request, "referrals/new.html", {"local_authority": local_authority})


def _task_rows(referral: Referral, problems: list[Any]) -> list[dict[str, Any]]:
    values = services.referral_values(referral)
    return [
        {
            "slug": section.slug,
            "title": section.title,
            "status": section_status(section.slug, values, problems),
            "href": reverse("referrals:section", args=[referral.pk, section.slug]),
        }
        for section in SECTIONS
    ]


@requires("referral.edit")
def referral_task_list(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, pk, "referral.edit")
    now = clock.now()
    problems = referral_problems(services.referral_values(referral), now)
    _viewed(request, referral, "task_list")
    return render(
        request,
        "referrals/task_list.html",
        {
            "referral": referral,
            "rows": _task_rows(referral, problems),
            "problem_count": len(problems),
            "editable": referral.status in EDITABLE,
            "stale": referral.status == Status.DRAFT and draft_is_stale(referral.modified_at, now),
        },
    )


def _section_initial(referral: Referral, section: str, user: Any = None) -> dict[str, Any]:
    initial = {name: getattr(referral, name) for name in SECTION_BY_SLUG[section].fields}
    initial["version"] = referral.version
    for name in PHONE_FIELDS & set(initial):
        initial[name] = phone_display(initial[name])
    own = ("social_worker_name", "social_worker_email", "social_worker_phone")
    if section == "contacts" and user is not None and not any(initial.get(n) for n in own):
        # Most often the person writing the referral is the child's social worker: offer
        # their own details, which they change if the social worker is someone else.
        initial |= dict(zip(own, (user.full_name, user.email, user.phone), strict=True))
    return initial


@requires("referral.edit")
def referral_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in SECTION_FORMS:
        raise Http404()
    referral = selectors.referral_get_for(request.user, pk, "referral.edit")
    form_class = SECTION_FORMS[section]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.referral_section_save(
                    referral=referral,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    values=form.values(),
                )
            except ServiceError as error:
                # The person's answers stay on the page: nothing they typed is lost.
                _error_show(form, error)
            else:
                messages.success(request, f"{SECTION_BY_SLUG[section].title}: saved")
                if request.POST.get("then") == "check":
                    return redirect("referrals:check", pk=referral.pk)
                return redirect("referrals:task_list", pk=referral.pk)
    else:
        form = form_class(initial=_section_initial(referral, section, request.user))
    _viewed(request, referral, f"section:{section}")
    return render(
        request,
        "referrals/section_needs.html" if section == "needs" else "referrals/section.html",
        {
            "referral": referral,
            "form": form,
            "fields": _field_kinds(form),
            "section": SECTION_BY_SLUG[section],
            "editable": referral.status in EDITABLE,
        },
    )


def _field_kinds(form: forms.Form) -> list[dict[str, Any]]:
    """Which GOV.UK component shows each question (the template cannot ask a widget's type)."""
    rows = []
    for bound in form.visible_fields():
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            kind = "date"
        elif isinstance(widget, forms.RadioSelect):
            kind = "radios"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            kind = "checkboxes"
        elif isinstance(widget, forms.Select):
            kind = "select"
        elif isinstance(widget, forms.Textarea):
            kind = "textarea"
        else:
            kind = "text"
        rows.append({"kind": kind, "field": bound})
    return rows


def _answers(referral: Referral) -> list[dict[str, Any]]:
    """The check-answers summary, section by section, with the person's words."""
    labels = {
        "sex": dict(Sex.choices),
        "ethnicity": dict(Ethnicity.choices),
        "legal_status": dict(LegalStatus.choices),
    }
    sections = []
    for section in SECTIONS:
        # The questions' words, from the form's class: no form is built to read them.
        fields = SECTION_FORMS[section.slug].base_fields
        rows = []
        for name in section.fields:
            value = getattr(referral, name)
            if name == "need_descriptions":
                continue
            if name == "needs":
                descriptions = referral.need_descriptions or {}
                value = [
                    f"{NeedOrRisk(code).label}: {descriptions.get(code, '')}" for code in value
                ]
            elif name in labels and value:
                value = labels[name].get(value, value)
            elif name in PHONE_FIELDS and value:
                value = phone_display(value)
            elif name == "unaccompanied_asylum_seeking" and value is not None:
                value = "Yes" if value else "No"
            elif isinstance(value, dt.datetime):
                value = f"{value.astimezone(clock.LONDON):%-d %B %Y, %H:%M}"
            elif isinstance(value, dt.date):
                value = f"{value:%-d %B %Y}"
            field = fields.get(name)
            rows.append(
                {
                    "name": name,
                    "label": field.label if field else name,
                    "value": value,
                    "is_list": isinstance(value, list),
                }
            )
        sections.append(
            {
                "section": section,
                "rows": rows,
                "href": reverse("referrals:section", args=[referral.pk, section.slug]),
            }
        )
    return sections


@requires("referral.view_identity")
def referral_check(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, pk, "referral.view_identity")
    moves = services.referral_moves_for(request.user, referral)
    may_submit = Status.SUBMITTED in moves or (
        referral.status == Status.INFORMATION_REQUESTED and Status.COMPLETE in moves
    )
    form = SubmitForm(initial={"version": referral.version})
    if request.method == "POST":
        if not may_submit:
            raise Http404()
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                services.referral_submit(
                    referral=referral, by=request.user, version=form.cleaned_data["version"]
                )
            except ServiceError as error:
                _error_show(form, error)
            else:
                messages.success(
                    request, f"Referral {referral.reference} submitted", extra_tags="panel"
                )
                return redirect("referrals:detail", pk=referral.pk)
        referral = selectors.referral_get_for(request.user, pk, "referral.view_identity")
    problems = referral_problems(services.referral_values(referral), clock.now())
    _viewed(request, referral, "check")
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "sections": _answers(referral),
            "problems": problems,
            "form": form,
            "may_submit": may_submit,
            "editable": referral.status in EDITABLE
            and user_can(request.user, "referral.edit", referral),
        },
    )


# --- one referral ------------------------------------------------------------------------


@requires("referral.view")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, pk)
    _viewed(request, referral, "detail")
    if not selectors.referral_sees_identity(request.user, referral):
        return render(
            request,
            "referrals/detail_home.html",
            {
                "view": selectors.referral_home_view(referral),
                "referral": referral,
                "home_stage": _home_stage(request, referral),
            },
        )
    now = clock.now()
    keep_alive = (
        keep_alive_of(
            completed_at=referral.completed_at,
            last_update_at=referral.last_update_at,
            last_reviewed_at=referral.last_reviewed_at,
            extended_until=referral.extended_until,
        )
        if referral.completed_at and referral.is_open
        else None
    )
    urgency = selectors.referral_urgency(referral)
    timeline = selectors.referral_timeline_for(request.user, referral)
    list_due_at = selectors.referral_list_due_at(referral)
    shows_assignee = user_can(request.user, "referral.take", referral)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "sections": _answers(referral),
            "timeline": timeline,
            "information_request": _information_request(timeline)
            if referral.status == Status.INFORMATION_REQUESTED
            else None,
            "earlier": selectors.referral_earlier_for(request.user, referral),
            "keep_alive": keep_alive,
            "update_due": keep_alive is not None and keep_alive.update_due(now),
            "review_due": keep_alive is not None and keep_alive.review_due(now),
            "remaining": urgency.remaining(now),
            "urgency": urgency,
            "outcome_label": _outcome_label(referral),
            "actions": _actions(request, referral),
            "placement": Placement.objects.filter(referral=referral).select_related("home").first(),
            "shows_assignee": shows_assignee,
            "may_take": shows_assignee and referral.is_open and referral.assigned_to_id is None,
            "may_hand_over": referral.is_open
            and user_can(request.user, "referral.hand_over", referral),
            "list_due": due_describe(list_due_at, now) if list_due_at else "",
            "list_overdue": list_due_at is not None and list_due_at < now,
        },
    )


@requires("referral.view_identity")
def referral_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, pk, "referral.view_identity")
    _viewed(request, referral, "timeline")
    return render(
        request,
        "referrals/timeline.html",
        {"referral": referral, "timeline": selectors.referral_timeline_for(request.user, referral)},
    )


def _home_stage(request: HttpRequest, referral: Referral) -> Any:
    """Where the referral stands for the manager's own home (None for anyone else)."""
    if not user_can(request.user, "home_response.record", referral):
        return None
    home = matching_selectors.home_of_manager(request.user)
    if home is None or not referral.policy_is_shared_with(home.organisation_id):
        return None
    return matching_selectors.home_stage_for(request.user, referral, home)


def _information_request(timeline: list[Any]) -> Any:
    """The unit's latest request for information, to show the authority what was asked."""
    for event in reversed(timeline):
        if event.to_status == Status.INFORMATION_REQUESTED:
            return event
    return None


def _outcome_label(referral: Referral) -> str:
    labels = {**dict(WithdrawalReason.choices), **dict(ClosureDestination.choices)}
    return labels.get(referral.outcome_reason, "")


# The moves the referral page offers, each with its page and words. Which of
# them a person sees comes from the workflow table and the policy
# (``referral_moves_for``), never from a list of statuses here.
MOVE_LINKS: tuple[tuple[str, str, str], ...] = (
    (Status.COMPLETE, "referrals:check", "Send the information"),
    (Status.INFORMATION_REQUESTED, "referrals:request_information", "Ask for more information"),
    (Status.WITHDRAWN, "referrals:withdraw", "Withdraw the referral"),
    (Status.CLOSED_NOT_PLACED, "referrals:close", "Close without a placement"),
)


def _actions(request: HttpRequest, referral: Referral) -> list[tuple[str, str]]:
    user = request.user
    moves = services.referral_moves_for(user, referral)
    actions = []
    if referral.status in EDITABLE and user_can(user, "referral.edit", referral):
        actions.append(("Change the referral", reverse("referrals:task_list", args=[referral.pk])))
    if referral.is_open and user_can(user, "referral.edit", referral):
        actions.append(
            ("Record an update or review", reverse("referrals:update", args=[referral.pk]))
        )
    for to, name, label in MOVE_LINKS:
        # Completing is offered only as an answer to a request: a submission completes itself.
        if to == Status.COMPLETE and referral.status != Status.INFORMATION_REQUESTED:
            continue
        if to in moves:
            actions.append((label, reverse(name, args=[referral.pk])))
    if referral.is_open and user_can(user, "referral.extend", referral):
        actions.append(("Extend the search", reverse("referrals:extend", args=[referral.pk])))
    return actions


MOVE_WORDS: dict[str, str] = {
    Status.WITHDRAWN: "withdrawn",
    Status.CLOSED_NOT_PLACED: "closed without a placement",
    Status.INFORMATION_REQUESTED: "sent back for more information",
}


def _move_page(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    form_class: type[forms.Form],
    to: str,
    title: str,
    button: str,
    done: str,
) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, pk, action)
    if to not in services.referral_moves_for(request.user, referral):
        # Said before anyone types a reason, not after.
        messages.error(
            request,
            f"A referral that is {referral.get_status_display().lower()} cannot be "
            f"{MOVE_WORDS[to]}",
        )
        return redirect("referrals:detail", pk=referral.pk)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_move(
                referral=referral,
                to=to,
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                detail=form.cleaned_data.get("detail", ""),
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, done)
            return redirect("referrals:detail", pk=referral.pk)
    _viewed(request, referral, f"move:{to}")
    return render(
        request,
        "referrals/move.html",
        {"referral": referral, "form": form, "title": title, "button": button},
    )


@requires("referral.withdraw")
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_page(
        request,
        pk,
        action="referral.withdraw",
        form_class=WithdrawForm,
        to=Status.WITHDRAWN,
        title="Withdraw the referral",
        button="Withdraw the referral",
        done="Referral withdrawn",
    )


@requires("referral.close")
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_page(
        request,
        pk,
        action="referral.close",
        form_class=CloseForm,
        to=Status.CLOSED_NOT_PLACED,
        title="Close the referral without a placement",
        button="Close the referral",
        done="Referral closed without a placement",
    )


@requires("referral.request_information")
def referral_request_information(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_page(
        request,
        pk,
        action="referral.request_information",
        form_class=InformationRequestForm,
        to=Status.INFORMATION_REQUESTED,
        title="Ask the authority for more information",
        button="Send the request",
        done="More information requested: the authority has been told",
    )


@requires("referral.edit")
def referral_update(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, pk, "referral.edit")
    form = UpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        record = (
            services.referral_review_record
            if form.cleaned_data["kind"] == "review"
            else services.referral_update_record
        )
        try:
            record(referral=referral, by=request.user, note=form.cleaned_data["note"])
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "Thank you: your update is on the referral's timeline")
            return redirect("referrals:detail", pk=referral.pk)
    _viewed(request, referral, "update")
    return render(
        request,
        "referrals/move.html",
        {
            "referral": referral,
            "form": form,
            "title": "Record an update or review",
            "button": "Save",
        },
    )


@requires("referral.extend")
def referral_extend(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, pk, "referral.extend")
    form = ExtendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_extend(
                referral=referral,
                by=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "The referral will be searched for until that date")
            return redirect("referrals:detail", pk=referral.pk)
    _viewed(request, referral, "extend")
    return render(
        request,
        "referrals/move.html",
        {
            "referral": referral,
            "form": form,
            "title": "Extend the search",
            "button": "Extend",
        },
    )
