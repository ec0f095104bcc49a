"""What is sent, to whom, in words: the declarative table of messages.

Each message names the audiences that receive it and the words of the email
and text. The words are filled only from ``personalisation``, which holds a
referral's reference number, organisation names, dates and a link: never a
child's name or any other detail about a child. GOV.UK Notify receives the
same personalisation for the template whose id is configured for the message
(``settings.SWC_NOTIFY_TEMPLATES[message]``).
"""

from __future__ import annotations

from dataclasses import dataclass

from swc.core.events import EventKind


class Audience:
    """Who receives a message; resolved to people by ``services.recipients_for``."""

    UNIT = "unit"  # coordinators and unit managers
    ON_CALL = "on_call"  # the on-call officer, when the event happens out of hours
    HOMES = "homes"  # the managers of the homes named by the event
    AUTHORITY = "authority"  # the referrers of the referring authority
    UNIT_MANAGERS = "unit_managers"
    # Whoever can sign the organisation up: an authority's admins, a home's managers.
    SIGNATORIES = "signatories"
    # The one person an account event is about (``detail["account_id"]``).
    ACCOUNT_HOLDER = "account_holder"


class Message:
    """Message kinds: the event kinds, plus the stages and alerts the outbox adds."""

    REFERRAL_SUBMITTED = EventKind.REFERRAL_SUBMITTED
    REFERRAL_COMPLETED = EventKind.REFERRAL_COMPLETED
    REFERRAL_INFORMATION_REQUESTED = EventKind.REFERRAL_INFORMATION_REQUESTED
    REFERRAL_SENT_TO_HOME = EventKind.REFERRAL_SENT_TO_HOME
    REFERRAL_LIST_PROVIDED = EventKind.REFERRAL_LIST_PROVIDED
    HOME_RESPONDED = EventKind.HOME_RESPONDED
    # A home's answer that is an offer: the authority hears of it by its own message.
    HOME_OFFERED = "referral.home_offered"
    OFFER_ACCEPTED = EventKind.OFFER_ACCEPTED
    OFFER_DECLINED = EventKind.OFFER_DECLINED
    OFFER_WITHDRAWN = EventKind.OFFER_WITHDRAWN
    REFERRAL_CLOSED = EventKind.REFERRAL_CLOSED
    PLACEMENT_ADMITTED = EventKind.PLACEMENT_ADMITTED
    PLACEMENT_DISCHARGED = EventKind.PLACEMENT_DISCHARGED
    SURVEY_INVITED = EventKind.SURVEY_INVITED
    REFERRAL_UPDATE_DUE = EventKind.REFERRAL_UPDATE_DUE
    REFERRAL_REVIEW_DUE = EventKind.REFERRAL_REVIEW_DUE
    REFERRAL_LIST_OVERDUE = EventKind.REFERRAL_LIST_OVERDUE
    REGISTER_NOT_CONFIRMED = EventKind.REGISTER_NOT_CONFIRMED
    REGISTER_NOT_CONFIRMED_UNIT = "register.not_confirmed.unit"
    MONTHLY_RETURN_DUE = EventKind.MONTHLY_RETURN_DUE
    SIGN_UP_REMINDER = EventKind.SIGN_UP_REMINDER
    DELIVERY_FAILED = "notification.delivery_failed"
    QUESTION_ASKED = EventKind.QUESTION_ASKED
    QUESTION_FOR_UNIT = EventKind.QUESTION_FOR_UNIT
    QUESTION_ANSWERED = EventKind.QUESTION_ANSWERED
    QUESTION_ANSWERED_UNIT = EventKind.QUESTION_ANSWERED_UNIT
    ACCOUNT_INVITED = EventKind.ACCOUNT_INVITED
    ACCOUNT_INACTIVE_WARNING = EventKind.ACCOUNT_INACTIVE_WARNING


@dataclass(frozen=True)
class MessageSpec:
    title: str  # shown on the preferences page
    subject: str
    body: str
    audiences: tuple[str, ...]
    # A person may opt out of an optional message; the others are how the service works.
    optional: bool = False


A = Audience
MESSAGES: dict[str, MessageSpec] = {
    Message.REFERRAL_SUBMITTED: MessageSpec(
        "A referral is submitted",
        "Referral {reference} submitted",
        "{authority} has submitted referral {reference}. Open it: {link}",
        (A.UNIT, A.ON_CALL),
    ),
    Message.REFERRAL_COMPLETED: MessageSpec(
        "A referral is complete",
        "Referral {reference} is complete",
        "Referral {reference} from {authority} is complete: the two-hour clock has started. "
        "Open it: {link}",
        (A.UNIT, A.ON_CALL),
    ),
    Message.REFERRAL_INFORMATION_REQUESTED: MessageSpec(
        "The unit asks for more information",
        "More information needed for referral {reference}",
        "The Secure Welfare Coordination Unit needs more information about referral "
        "{reference}. Open it: {link}",
        (A.AUTHORITY,),
    ),
    Message.REFERRAL_SENT_TO_HOME: MessageSpec(
        "A referral is sent to your home",
        "Referral {reference} sent to your home",
        "The Secure Welfare Coordination Unit has sent referral {reference} to {home}. "
        "Please respond: {link}",
        (A.HOMES,),
    ),
    Message.REFERRAL_LIST_PROVIDED: MessageSpec(
        "The unit provides a list of potential placements",
        "Referral {reference}: list of potential placements",
        "The Secure Welfare Coordination Unit has provided a list of potential placements "
        "for referral {reference} and sent the referral to the homes on it. See the homes "
        "and their answers: {link}",
        (A.AUTHORITY,),
    ),
    Message.HOME_RESPONDED: MessageSpec(
        "A home responds to a referral",
        "{home} has responded to referral {reference}",
        "{home} has responded to referral {reference}: it has {response}. Open it: {link}",
        (A.UNIT, A.AUTHORITY),
    ),
    Message.HOME_OFFERED: MessageSpec(
        "A home offers a bed",
        "Referral {reference}: {home} has offered a bed",
        "{home} has offered a bed for referral {reference}, available from {available}. "
        "See the offer: {link}",
        (A.UNIT, A.AUTHORITY),
    ),
    Message.OFFER_ACCEPTED: MessageSpec(
        "Your home's offer is accepted",
        "Referral {reference}: your offer has been accepted",
        "{authority} has accepted the offer of a bed at {home} for referral {reference}. "
        "The child is expected from {expected}. Record the admission when the child "
        "arrives: {link}",
        (A.HOMES,),
    ),
    Message.OFFER_DECLINED: MessageSpec(
        "The authority declines an offer",
        "Referral {reference}: the offer from {home} was declined",
        "{authority} has declined the offer of a bed at {home} for referral {reference}. "
        "The reason is on the referral: {link}",
        (A.HOMES, A.UNIT),
    ),
    Message.OFFER_WITHDRAWN: MessageSpec(
        "A home withdraws its offer",
        "Referral {reference}: {home} has withdrawn its offer",
        "{home} has withdrawn its offer of a bed for referral {reference}. "
        "The reason is on the referral: {link}",
        (A.AUTHORITY, A.UNIT),
    ),
    Message.REFERRAL_CLOSED: MessageSpec(
        "A referral is closed to your home",
        "Referral {reference} is closed to your home",
        "Referral {reference} is closed to {home}: the authority has chosen another home, "
        "or the referral has ended. No further action is needed. {link}",
        (A.HOMES,),
        optional=True,
    ),
    Message.PLACEMENT_ADMITTED: MessageSpec(
        "A child is admitted",
        "Referral {reference}: the child has arrived at {home}",
        "{home} has recorded the child's admission on {admitted} for referral {reference}. {link}",
        (A.AUTHORITY, A.UNIT),
    ),
    Message.PLACEMENT_DISCHARGED: MessageSpec(
        "A child leaves a secure home",
        "Referral {reference}: the child has left {home}",
        "{home} has recorded the child's discharge on {discharged} for referral {reference}. "
        "{link}",
        (A.AUTHORITY, A.UNIT),
    ),
    Message.SURVEY_INVITED: MessageSpec(
        "A short survey after a referral closes",
        "Referral {reference}: how did the coordination unit do?",
        "Referral {reference} is closed. Please tell the Secure Welfare Coordination Unit "
        "how well it served you, in a two-minute survey: {link}",
        (A.AUTHORITY, A.HOMES),
        optional=True,
    ),
    Message.REFERRAL_UPDATE_DUE: MessageSpec(
        "A two-weekly update is due",
        "Update due for referral {reference}",
        "A two-weekly update for referral {reference} was due on {due}. Please update it: {link}",
        (A.AUTHORITY,),
    ),
    Message.REFERRAL_REVIEW_DUE: MessageSpec(
        "A three-monthly review is due",
        "Review due for referral {reference}",
        "A three-monthly review of referral {reference} was due on {due}. Please review it: {link}",
        (A.AUTHORITY,),
    ),
    Message.REFERRAL_LIST_OVERDUE: MessageSpec(
        "A complete referral has no list after 90 minutes",
        "Referral {reference}: no list after 90 minutes",
        "Referral {reference} has been complete for 90 office minutes without a list of "
        "potential placements. Open it: {link}",
        (A.UNIT_MANAGERS,),
    ),
    Message.REGISTER_NOT_CONFIRMED: MessageSpec(
        "Your home's register is not confirmed by 10:00",
        "Confirm today's vacancy register for {home}",
        "{home} has not confirmed its vacancy register today. Please confirm it: {link}",
        (A.HOMES,),
    ),
    Message.REGISTER_NOT_CONFIRMED_UNIT: MessageSpec(
        "A home's register is still not confirmed",
        "{home} has not confirmed its register today",
        "{home} has still not confirmed its vacancy register today. {link}",
        (A.UNIT,),
        optional=True,
    ),
    Message.MONTHLY_RETURN_DUE: MessageSpec(
        "The monthly return is due in 3 working days",
        "Monthly return due on {due}",
        "The monthly return to DfE for {period} is due on {due}, in 3 working days. {link}",
        (A.UNIT_MANAGERS,),
    ),
    Message.SIGN_UP_REMINDER: MessageSpec(
        "Your organisation has not signed up to the service",
        "{organisation}: please sign up to Secure Welfare Coordination",
        "{organisation} has not yet signed up to the Secure Welfare Coordination service. "
        "Signing up is accepting the terms of use (authorities) or the memorandum of "
        "understanding and confidentiality statement (homes), and takes a few minutes: {link}",
        (A.SIGNATORIES,),
    ),
    Message.DELIVERY_FAILED: MessageSpec(
        "A notification could not be delivered",
        "A notification could not be delivered",
        "Notification {notification} ({failed_message}) could not be delivered: {error}. "
        "See the outbox: {link}",
        (A.UNIT_MANAGERS,),
    ),
    # Questions (swc.questions): never the question or the answer, only that there is one.
    Message.QUESTION_ASKED: MessageSpec(
        "A question about your authority's referral",
        "A question about referral {reference}",
        "{asker} has asked a question about referral {reference}. Read and answer it: {link}",
        (A.AUTHORITY,),
    ),
    Message.QUESTION_FOR_UNIT: MessageSpec(
        "A home asks the authority a question through the unit",
        "{home} has a question about referral {reference}",
        "{home} has asked a question about referral {reference} for the authority. "
        "Pass it on or answer it: {link}",
        (A.UNIT,),
    ),
    Message.QUESTION_ANSWERED: MessageSpec(
        "Your home's question is answered",
        "Your question about referral {reference} is answered",
        "Your home's question about referral {reference} has been answered. Read the answer: "
        "{link}",
        (A.HOMES,),
    ),
    Message.QUESTION_ANSWERED_UNIT: MessageSpec(
        "The unit's question is answered",
        "The unit's question about referral {reference} is answered",
        "{authority} has answered the unit's question about referral {reference}. "
        "Read the answer: {link}",
        (A.UNIT,),
    ),
    # Accounts: the invitation carries only the one-time link (docs/accounts.md).
    Message.ACCOUNT_INVITED: MessageSpec(
        "You are invited to the service",
        "You have been invited to Secure Welfare Coordination",
        "You have been invited to use the Secure Welfare Coordination service. "
        "Set your password and your authenticator app here: {link} "
        "The link works once and expires on {expires}.",
        (A.ACCOUNT_HOLDER,),
    ),
    Message.ACCOUNT_INACTIVE_WARNING: MessageSpec(
        "Your account is about to be closed for lack of use",
        "Your Secure Welfare Coordination account will be disabled on {disable_on}",
        "Nobody has signed in to your Secure Welfare Coordination account for a long time. "
        "To keep it, sign in before {disable_on}: {link}",
        (A.ACCOUNT_HOLDER,),
    ),
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def message_render(message: str, personalisation: dict[str, str]) -> tuple[str, str]:
    """The subject and body of ``message`` filled from ``personalisation`` (missing keys blank)."""
    spec = MESSAGES[message]
    values = _Blank({k: str(v) for k, v in personalisation.items()})
    return spec.subject.format_map(values), spec.body.format_map(values)
