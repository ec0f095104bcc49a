"""Matching's changes: run matching, send the list, record responses, accept offers, place.

Each service is one transaction: it checks the policy, changes state with a
conditional UPDATE (or through the register's and referrals' own services),
records an audit event and publishes the domain event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.errors import ConflictError, ServiceError
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.core.memory import collection_paused
from swc.core.transactions import entry_point
from swc.homes.models import SecureHome, Vacancy, VacancyStatus
from swc.homes.services import (
    vacancy_fill_for_admission,
    vacancy_hold_for_offer,
    vacancy_release_for_offer,
)
from swc.organisations.policy import principal_for, require
from swc.referrals.models import Referral
from swc.referrals.services import (
    referral_closed_to_homes_publish,
    referral_list_provided,
    referral_share_with_homes,
    referral_transition,
)
from swc.referrals.workflow import SEARCHABLE, TERMINAL, Status

from . import scoring
from .models import (
    DeclineReason,
    DischargeDestination,
    DischargeReason,
    HomeResponse,
    ListSending,
    MatchRun,
    Offer,
    OfferStatus,
    Placement,
    ResponseKind,
)
from .runs import candidates_compact, compact, exclusion_json
from .selectors import child_profile_of, home_profiles_for_matching

NOT_COMPLETE_MESSAGE = (
    "This referral is not complete, so it cannot be matched: it must be complete "
    "(submitted with every required answer) and still open"
)


def _current(referral: Referral) -> Referral:
    return Referral.objects.select_related("local_authority").get(pk=referral.pk)


@entry_point
def match_run(*, referral: Referral, by: Any) -> MatchRun:
    """Match a complete referral against every secure home and keep the result.

    A referral that is not complete (a draft, submitted but incomplete,
    information requested, or closed) cannot be matched: ServiceError.
    """
    require(by, "match.run", referral)
    current = _current(referral)
    if current.status not in SEARCHABLE:
        raise ServiceError(NOT_COMPLETE_MESSAGE, code="not_complete")
    today = clock.today()
    # Every home and bed, scored and kept: tens of thousands of acyclic objects at national
    # scale, which would set off full collections of the whole process (swc.core.memory).
    with collection_paused():
        result = scoring.match_referral(
            child_profile_of(current, today), home_profiles_for_matching(), today
        )
        run = MatchRun.objects.create(
            referral=current,
            run_at=clock.now(),
            run_by=by,
            weights=dataclasses.asdict(result.weights),
            candidates=candidates_compact(result.candidates),
            exclusions=compact(map(exclusion_json, result.exclusions)),
        )
        candidates = len(result.candidates)
        # Freed while the collector is off: what is still alive when it comes back on is
        # what its next collection walks.
        del result
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=run,
        detail={"referral_id": current.pk, "candidates": candidates},
    )
    return run


@entry_point
def shortlist_send(
    *,
    run: MatchRun,
    by: Any,
    home_ids: Sequence[int] = (),
    every_home_with_bed: bool = False,
    note: str = "",
    exclusions_shared: bool = False,
) -> MatchRun:
    """Provide the list and send the referral to the chosen homes, in one action.

    The first list stamps the time the two-hour KPI measures (through
    ``referral_list_provided``); the referral is shared with each chosen home
    and moves to "with homes". ``every_home_with_bed`` chooses every candidate.
    Only candidates of this run can be chosen. Every sending adds a row to the
    list's history with its note (``ListSending``): nothing is overwritten.
    ``exclusions_shared`` shows the authority why the other homes cannot take
    the child; otherwise it sees only that they cannot.
    """
    referral = _current(run.referral)
    require(by, "shortlist.send", referral)
    if referral.status not in SEARCHABLE:
        raise ServiceError(NOT_COMPLETE_MESSAGE, code="not_complete")
    candidate_ids = [c["home_id"] for c in run.candidate_rows]
    if every_home_with_bed:
        chosen = candidate_ids
    else:
        chosen = [h for h in candidate_ids if h in set(home_ids)]
        if set(home_ids) - set(candidate_ids):
            raise ServiceError(
                "Only homes on the list can be chosen: a home that is excluded cannot be sent "
                "the referral",
                field="homes",
            )
    if not chosen:
        raise ServiceError("Choose at least one home to send the referral to", field="homes")
    if referral.status == Status.COMPLETE:
        referral = referral_list_provided(referral=referral, by=by)
    homes = SecureHome.objects.filter(pk__in=chosen).select_related("organisation")
    referral_share_with_homes(
        referral=referral, home_organisations=[h.organisation for h in homes], by=by
    )
    if referral.status == Status.SHORTLISTED:
        referral = referral_transition(referral=referral, to=Status.WITH_HOMES, by=by)
    now = clock.now()
    note = note.strip()[:2000]
    sent = list(dict.fromkeys([*run.selected_home_ids, *chosen]))
    updates: dict[str, Any] = {"selected_home_ids": sent, "sent_at": now, "sent_by": by}
    if note:
        # The run keeps the latest note given; the history keeps every one.
        updates["note"] = note
    MatchRun.objects.filter(pk=run.pk).update(**updates)
    sending = ListSending.objects.create(
        run=run,
        referral=referral,
        sent_at=now,
        sent_by=by,
        home_ids=chosen,
        note=note,
        exclusions_shared=exclusions_shared,
    )
    run.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=run,
        detail={
            "referral_id": referral.pk,
            "home_ids": chosen,
            "sending_id": sending.pk,
            "exclusions_shared": exclusions_shared,
        },
    )
    return run


@entry_point
def home_response_record(
    *,
    referral: Referral,
    kind: str,
    by: Any,
    home: SecureHome | None = None,
    vacancy: Vacancy | None = None,
    available_from: dt.date | None = None,
    decline_reason: str = "",
    detail: str = "",
    conditions: str = "",
) -> HomeResponse:
    """Record a home's answer: accept (an offer of one bed from a date), decline, or a question.

    Who may answer for which home is the policy's ``home_response.answer_for``:
    a home manager for their own home (``home`` may be left out), the unit for
    any home. An answer recorded by someone outside the home was taken by
    phone; the service decides that, nobody claims it.

    Answers may arrive in any order. One that arrives after the referral has
    an accepted offer or is closed is kept but not counted. A home declining
    after the authority accepted its offer is refused: the unit must be phoned.
    """
    require(by, "home_response.record", referral)
    principal = principal_for(by)
    if home is None:
        home = SecureHome.objects.filter(organisation_id=principal.organisation_id or 0).first()
        if home is None:
            raise ServiceError("Choose the home that answered", field="home")
    require(by, "home_response.answer_for", home)
    by_phone = principal.organisation_id != home.organisation_id
    current = _current(referral)
    if not current.policy_is_shared_with(home.organisation_id):
        raise ServiceError("This referral has not been sent to this home")
    if kind not in ResponseKind.values:
        raise ServiceError("Select accept, decline or ask for more information", field="kind")
    detail = detail.strip()
    late = current.status in TERMINAL or current.status == Status.OFFER_ACCEPTED
    now = clock.now()
    open_offer = Offer.objects.filter(
        referral=current, home=home, status__in=[OfferStatus.OPEN, OfferStatus.ACCEPTED]
    ).first()
    if kind == ResponseKind.ACCEPT and not late:
        if open_offer is not None:
            raise ConflictError("This home has already offered a bed for this referral")
        if vacancy is None:
            if not Vacancy.objects.filter(home=home, status=VacancyStatus.FREE).exists():
                raise ServiceError(
                    "The home has no free bed on the register: add the bed to the register "
                    "before offering it",
                    field="vacancy",
                )
            raise ServiceError("Select the bed being offered", field="vacancy")
        if vacancy.home_id != home.pk or vacancy.status != VacancyStatus.FREE:
            raise ServiceError("That bed is no longer free on the register", field="vacancy")
        if available_from is None:
            raise ServiceError("Enter the date the bed is available", field="available_from")
        if available_from < vacancy.available_from:
            raise ServiceError(
                f"The bed is free from {vacancy.available_from:%-d %B %Y} on the register: "
                "enter that date or later",
                field="available_from",
            )
    if kind == ResponseKind.DECLINE:
        if decline_reason not in DeclineReason.values:
            raise ServiceError("Select why the home is declining", field="decline_reason")
        if decline_reason == DeclineReason.OTHER and not detail:
            raise ServiceError("Say why the home is declining", field="detail")
        accepted = open_offer is not None and open_offer.status == OfferStatus.ACCEPTED
        if accepted and current.status not in TERMINAL:
            raise ConflictError(
                "The authority has already accepted this home's offer: phone the unit to "
                "withdraw it"
            )
    if kind == ResponseKind.INFORMATION and not detail:
        raise ServiceError("Enter the question for the authority", field="detail")
    response = HomeResponse.objects.create(
        referral=current,
        home=home,
        kind=kind,
        decline_reason=decline_reason if kind == ResponseKind.DECLINE else "",
        detail=detail[:4000],
        available_from=available_from if kind == ResponseKind.ACCEPT else None,
        conditions=conditions.strip()[:2000] if kind == ResponseKind.ACCEPT else "",
        by_phone=by_phone,
        counted=not late,
        recorded_at=now,
        recorded_by=by,
    )
    if not late and kind == ResponseKind.ACCEPT and vacancy is not None and available_from:
        try:
            with transaction.atomic():
                Offer.objects.create(
                    referral=current,
                    home=home,
                    vacancy=vacancy,
                    response=response,
                    available_from=available_from,
                    created_by=by,
                    modified_by=by,
                )
        except IntegrityError:
            raise ConflictError("This home has already offered a bed for this referral") from None
    if not late and kind == ResponseKind.DECLINE and open_offer is not None:
        # The home withdraws its open offer by declining.
        Offer.objects.filter(pk=open_offer.pk, status=OfferStatus.OPEN).update(
            status=OfferStatus.WITHDRAWN, status_changed_at=now, modified_by=by
        )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=response,
        detail={
            "referral_id": current.pk,
            "home_id": home.pk,
            "kind": kind,
            "by_phone": by_phone,
            "counted": not late,
        },
    )
    event_publish(
        DomainEvent(
            kind=EventKind.HOME_RESPONDED,
            key=f"home_response:{response.pk}",
            occurred_at=now,
            actor_id=getattr(by, "pk", None),
            referral_id=current.pk,
            local_authority_organisation_id=current.local_authority.organisation_id,
            home_organisation_ids=(home.organisation_id,),
            detail={
                "kind": kind,
                "counted": not late,
                "by_phone": by_phone,
                "available": f"{available_from:%-d %B %Y}" if available_from else "",
            },
        )
    )
    return response


@entry_point
def offer_accept(*, offer: Offer, by: Any) -> Offer:
    """The authority (or the unit for it) accepts one offer: the bed is held for the referral.

    The bed is held through the register's hold, a conditional UPDATE: of
    two authorities accepting offers of the last bed at once, exactly one
    succeeds and the other gets a ConflictError with nothing changed. The
    chosen home is told its offer was accepted; every other home the referral
    was sent to is told, once, that it is closed to them.
    """
    referral = _current(offer.referral)
    require(by, "offer.accept", referral)
    current = Offer.objects.select_related("home", "vacancy").get(pk=offer.pk)
    if current.status != OfferStatus.OPEN:
        raise ConflictError("This offer is no longer open: it was withdrawn or already decided")
    if referral.status != Status.WITH_HOMES:
        raise ConflictError(
            "An offer can be accepted only while the referral is with homes: it already has an "
            "accepted offer or is closed"
        )
    if current.vacancy is None:
        raise ConflictError("This offer names no bed on the register, so it cannot be accepted")
    now = clock.now()
    # The bed first: if someone else has it, nothing else changes.
    vacancy_hold_for_offer(vacancy=current.vacancy, referral_id=referral.pk, by=by)
    try:
        with transaction.atomic():
            rows = Offer.objects.filter(pk=current.pk, status=OfferStatus.OPEN).update(
                status=OfferStatus.ACCEPTED,
                status_changed_at=now,
                accepted_by=by,
                modified_by=by,
                modified_at=now,
            )
    except IntegrityError:
        rows = 0
    if rows != 1:
        raise ConflictError("Another offer for this referral has just been accepted")
    referral = referral_transition(referral=referral, to=Status.OFFER_ACCEPTED, by=by)
    others = list(
        Offer.objects.filter(referral=referral, status=OfferStatus.OPEN).exclude(pk=current.pk)
    )
    Offer.objects.filter(pk__in=[o.pk for o in others]).update(
        status=OfferStatus.NOT_TAKEN, status_changed_at=now
    )
    current.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=current,
        detail={"referral_id": referral.pk, "home_id": current.home_id, "status": "accepted"},
    )
    event_publish(
        DomainEvent(
            kind=EventKind.OFFER_ACCEPTED,
            key=f"offer:{current.pk}:accepted",
            occurred_at=now,
            actor_id=getattr(by, "pk", None),
            referral_id=referral.pk,
            local_authority_organisation_id=referral.local_authority.organisation_id,
            home_organisation_ids=(current.home.organisation_id,),
            detail={"expected": f"{current.available_from:%-d %B %Y}"},
        )
    )
    referral_closed_to_homes_publish(
        referral,
        by=by,
        at=now,
        home_organisation_ids=referral.shares.exclude(
            home_organisation_id=current.home.organisation_id
        ).values_list("home_organisation_id", flat=True),
    )
    return current


def _offer_decided(
    offer: Offer, *, by: Any, to: str, reason: str, kind: str, referral: Referral
) -> Offer:
    if not reason.strip():
        raise ServiceError(
            "Enter why the offer is being declined"
            if to == OfferStatus.DECLINED
            else "Enter why the home is withdrawing its offer",
            field="reason",
        )
    now = clock.now()
    rows = Offer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
        status=to,
        status_reason=reason.strip()[:1000],
        status_changed_at=now,
        modified_by=by,
        modified_at=now,
    )
    if rows != 1:
        raise ConflictError(
            "This offer is no longer open: it has been accepted, declined or withdrawn"
        )
    offer.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=offer,
        detail={"referral_id": referral.pk, "home_id": offer.home_id, "status": to},
    )
    event_publish(
        DomainEvent(
            kind=kind,
            key=f"offer:{offer.pk}:{to}",
            occurred_at=now,
            actor_id=getattr(by, "pk", None),
            referral_id=referral.pk,
            local_authority_organisation_id=referral.local_authority.organisation_id,
            home_organisation_ids=(offer.home.organisation_id,),
        )
    )
    return offer


@entry_point
def offer_decline(*, offer: Offer, by: Any, reason: str) -> Offer:
    """The authority (or the unit for it) declines an open offer, saying why.

    The home and the unit are told; the home's bed stays free on its
    register. A decided offer cannot be declined: ConflictError.
    """
    referral = _current(offer.referral)
    require(by, "offer.decline", referral)
    current = Offer.objects.select_related("home").get(pk=offer.pk)
    return _offer_decided(
        current,
        by=by,
        to=OfferStatus.DECLINED,
        reason=reason,
        kind=EventKind.OFFER_DECLINED,
        referral=referral,
    )


@entry_point
def offer_withdraw(*, offer: Offer, by: Any, reason: str) -> Offer:
    """The home (or the unit for it) withdraws its open offer, saying why.

    Only before the authority accepts it: after that, the unit records that the
    offer fell through. The authority and the unit are told.
    """
    current = Offer.objects.select_related("home", "referral__local_authority").get(pk=offer.pk)
    require(by, "offer.withdraw", current)
    referral = _current(current.referral)
    if current.status == OfferStatus.ACCEPTED:
        raise ConflictError(
            "The authority has already accepted this offer: phone the unit to withdraw it"
        )
    return _offer_decided(
        current,
        by=by,
        to=OfferStatus.WITHDRAWN,
        reason=reason,
        kind=EventKind.OFFER_WITHDRAWN,
        referral=referral,
    )


@transaction.atomic
def offer_fall_through(*, offer: Offer, by: Any, detail: str = "") -> Offer:
    """The unit records that an accepted offer fell through: the bed is released, search resumes."""
    referral = _current(offer.referral)
    require(by, "placement.record", referral)
    rows = Offer.objects.filter(pk=offer.pk, status=OfferStatus.ACCEPTED).update(
        status=OfferStatus.WITHDRAWN, status_changed_at=clock.now(), modified_by=by
    )
    if rows != 1 or referral.status != Status.OFFER_ACCEPTED:
        raise ConflictError("Only an accepted offer for a referral not yet placed can fall through")
    if offer.vacancy is not None:
        vacancy_release_for_offer(vacancy=offer.vacancy, by=by)
    referral_transition(referral=referral, to=Status.WITH_HOMES, by=by, detail=detail)
    offer.refresh_from_db()
    audit_record(actor=by, action=AuditAction.CHANGE, obj=offer, detail={"status": "withdrawn"})
    return offer


@entry_point
def placement_admit(
    *,
    offer: Offer,
    by: Any,
    admitted_at: dt.datetime | None = None,
    admitted_on: dt.date | None = None,
) -> Placement:
    """The child has arrived: fill the held bed, record the placement, close the referral.

    The home the offer is from records it (or the unit for the home), with the
    moment of arrival (``admitted_at``); ``admitted_on`` alone is accepted
    where only the day is known. The authority and the unit are told.
    """
    current = Offer.objects.select_related("home", "vacancy", "referral__local_authority").get(
        pk=offer.pk
    )
    require(by, "placement.admit", current)
    referral = _current(current.referral)
    if admitted_at is not None:
        admitted_on = admitted_at.astimezone(clock.LONDON).date()
        if admitted_at > clock.now():
            raise ServiceError("The time of admission cannot be in the future", field="admitted_on")
    if admitted_on is None:
        raise ServiceError("Enter the date and time the child arrived", field="admitted_on")
    if referral.status in TERMINAL:
        raise ConflictError("This referral is closed: a placement cannot be recorded for it")
    if current.status != OfferStatus.ACCEPTED or referral.status != Status.OFFER_ACCEPTED:
        raise ServiceError("Only an accepted offer can become a placement")
    if admitted_on > clock.today():
        raise ServiceError("The admission date cannot be in the future", field="admitted_on")
    if current.vacancy is None:
        raise ServiceError("This offer names no bed on the register")
    vacancy_fill_for_admission(vacancy=current.vacancy, referral_id=referral.pk, by=by)
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                referral=referral,
                offer=current,
                home=current.home,
                admitted_on=admitted_on,
                admitted_at=admitted_at,
                created_by=by,
                modified_by=by,
            )
    except IntegrityError:
        raise ConflictError("This referral already has a placement") from None
    referral_transition(referral=referral, to=Status.PLACED, by=by, placed_home=current.home)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=placement,
        detail={"referral_id": referral.pk, "home_id": current.home_id},
    )
    event_publish(
        DomainEvent(
            kind=EventKind.PLACEMENT_ADMITTED,
            key=f"placement:{placement.pk}:admitted",
            occurred_at=clock.now(),
            actor_id=getattr(by, "pk", None),
            referral_id=referral.pk,
            local_authority_organisation_id=referral.local_authority.organisation_id,
            home_organisation_ids=(current.home.organisation_id,),
            detail={"admitted": _moment_words(admitted_at, admitted_on)},
        )
    )
    return placement


def _moment_words(at: dt.datetime | None, on: dt.date) -> str:
    if at is None:
        return f"{on:%-d %B %Y}"
    return f"{at.astimezone(clock.LONDON):%-d %B %Y at %H:%M}"


@entry_point
def placement_discharge(
    *,
    placement: Placement,
    reason: str,
    destination: str,
    by: Any,
    discharged_at: dt.datetime | None = None,
    discharged_on: dt.date | None = None,
    detail: str = "",
) -> Placement:
    """Record the child's discharge: when, why and where to; the length of stay follows.

    The home records it (or the unit for the home); the authority and the unit
    are told.
    """
    current = Placement.objects.select_related("home", "referral__local_authority").get(
        pk=placement.pk
    )
    require(by, "placement.admit", current)
    if discharged_at is not None:
        discharged_on = discharged_at.astimezone(clock.LONDON).date()
        if discharged_at > clock.now():
            raise ServiceError(
                "The time the child left cannot be in the future", field="discharged_on"
            )
        if current.admitted_at is not None and discharged_at < current.admitted_at:
            raise ServiceError(
                "The child cannot leave before they arrived "
                f"({_moment_words(current.admitted_at, current.admitted_on)})",
                field="discharged_on",
            )
    if discharged_on is None:
        raise ServiceError("Enter the date and time the child left", field="discharged_on")
    if reason not in DischargeReason.values:
        raise ServiceError("Select why the placement ended", field="reason")
    if destination not in DischargeDestination.values:
        raise ServiceError("Select where the child went", field="destination")
    if discharged_on < current.admitted_on:
        raise ServiceError(
            f"The discharge date must be on or after the admission date "
            f"({current.admitted_on:%-d %B %Y})",
            field="discharged_on",
        )
    if discharged_on > clock.today():
        raise ServiceError("The discharge date cannot be in the future", field="discharged_on")
    now = clock.now()
    rows = Placement.objects.filter(pk=current.pk, discharged_on__isnull=True).update(
        discharged_on=discharged_on,
        discharged_at=discharged_at,
        discharge_reason=reason,
        discharge_destination=destination,
        discharge_detail=detail.strip()[:500],
        modified_by=by,
        modified_at=now,
    )
    if rows != 1:
        raise ConflictError("This placement's discharge has already been recorded")
    current.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=current,
        detail={"discharged": True, "reason": reason, "destination": destination},
    )
    referral = current.referral
    event_publish(
        DomainEvent(
            kind=EventKind.PLACEMENT_DISCHARGED,
            key=f"placement:{current.pk}:discharged",
            occurred_at=now,
            actor_id=getattr(by, "pk", None),
            referral_id=referral.pk,
            local_authority_organisation_id=referral.local_authority.organisation_id,
            home_organisation_ids=(current.home.organisation_id,),
            detail={"discharged": _moment_words(discharged_at, discharged_on)},
        )
    )
    return current
