"""Referral pages: the question pages, check answers, submit, lists, triage, lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from swc.audit.models import AuditAction, AuditEvent
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import Referral, ReferralShare
from swc.referrals.tests.factories import ReferralFactory, complete_referral
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def la():  # type: ignore[no-untyped-def]
    return LocalAuthorityFactory(name="Synthshire")


@pytest.fixture
def referrer(la):  # type: ignore[no-untyped-def]
    return user_with_role(Role.REFERRER, la.organisation)


def date_post(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def datetime_post(name: str, at: dt.datetime) -> dict[str, str]:
    return {
        **date_post(name, at.date()),
        f"{name}_hour": str(at.hour),
        f"{name}_minute": str(at.minute),
    }


SECTIONS = {
    "child": {
        "first_name": "Testchild",
        "last_name": "Synthetic",
        **date_post("date_of_birth", dt.date(2011, 1, 1)),
        "sex": "female",
        "ethnicity": "WBRI",
        "first_language": "English",
        "la_child_identifier": "SYN-1",
        "unaccompanied_asylum_seeking": "no",
    },
    "legal": {"legal_status": "s25_application", **date_post("hearing_date", dt.date(2026, 3, 12))},
    "needs": {"needs": ["going_missing"], "description_going_missing": "Missing often"},
    "placement": {
        "current_placement": "Residential home",
        "home_area_region": "South East",
        "home_area": "Synthtown",
    },
    "when": datetime_post("bed_needed_at", dt.datetime(2026, 3, 11, 14, 0)),
    "contacts": {
        "social_worker_name": "Sam Worker",
        "social_worker_phone": "01234 567890",
        "social_worker_email": "sam@example.test",
        "manager_name": "Morgan Manager",
    },
}


def test_a_referrer_refers_a_child_section_by_section_and_submits(client_for, referrer) -> None:
    client = client_for(referrer)
    assert client.get(reverse("referrals:new")).status_code == 200
    response = client.post(reverse("referrals:new"))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:task_list", args=[referral.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Not yet started" in page
    # After every action, a page that says what happened (post/redirect/get).
    assert "govuk-notification-banner--success" in page
    assert f"Referral {referral.reference} started" in page

    check = client.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    assert "Enter the child&#x27;s first name" in check
    assert "Submit the referral</button>" not in check

    for section, data in SECTIONS.items():
        version = Referral.objects.get().version
        response = client.post(
            reverse("referrals:section", args=[referral.pk, section]), {**data, "version": version}
        )
        assert response.status_code == 302, (section, response.content.decode()[:3000])
        assert ": saved" in client.get(response["Location"]).content.decode()

    check = client.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    assert "Before you can submit" not in check
    assert "Submit the referral</button>" in check
    response = client.post(
        reverse("referrals:check", args=[referral.pk]), {"version": Referral.objects.get().version}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETE
    assert referral.completed_at == NOW
    assert referral.bed_needed_at == dt.datetime(2026, 3, 11, 14, 0, tzinfo=dt.UTC)
    detail = client.get(response["Location"]).content.decode()
    assert "Timeline" in detail and "Complete" in detail
    # The end of the journey: a confirmation panel, shown once.
    assert "govuk-panel--confirmation" in detail
    assert f"Referral {referral.reference} submitted" in detail
    again = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" not in again


@pytest.mark.parametrize(
    ("section", "data", "field", "message"),
    [
        (
            "child",
            date_post("date_of_birth", dt.date(2008, 3, 9)),
            "date_of_birth",
            "must be under 18",
        ),
        (
            "child",
            date_post("date_of_birth", dt.date(2017, 1, 1)),
            "date_of_birth",
            "must be at least 10",
        ),
        (
            "child",
            {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2012"},
            "date_of_birth",
            "Date of birth must be a real date",
        ),
        (
            "child",
            {"date_of_birth_day": "3", "date_of_birth_year": "2012"},
            "date_of_birth",
            "Date of birth must include a month",
        ),
        (
            "legal",
            {"legal_status": "s25_application", **date_post("hearing_date", dt.date(2026, 3, 9))},
            "hearing_date",
            "The court hearing date must be today or in the future",
        ),
        (
            "legal",
            {
                "legal_status": "regulation_10",
                **datetime_post("regulation_10_started_at", dt.datetime(2026, 3, 10, 11, 0)),
            },
            "regulation_10_started_at",
            "The time the 72 hours began must not be in the future",
        ),
        (
            "needs",
            {"needs": ["self_harm"]},
            "description_self_harm",
            "Describe the child&#x27;s self-harm",
        ),
        (
            "when",
            datetime_post("bed_needed_at", dt.datetime(2026, 3, 9, 9, 0)),
            "bed_needed_at",
            "must be today or later",
        ),
        (
            "contacts",
            {"social_worker_email": "not-an-email"},
            "social_worker_email",
            "correct format",
        ),
    ],
)
def test_each_bad_input_gets_its_message_and_changes_nothing(
    client_for, la, referrer, section, data, field, message
) -> None:
    referral = ReferralFactory(local_authority=la)
    response = client_for(referrer).post(
        reverse("referrals:section", args=[referral.pk, section]), {**data, "version": 1}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert f'id="id_{field}' in page
    assert Referral.objects.get(pk=referral.pk).version == 1


def test_two_people_editing_one_draft_the_second_save_is_refused_and_kept_on_screen(
    client_for, la, referrer
) -> None:
    referral = ReferralFactory(local_authority=la)
    colleague = user_with_role(Role.REFERRER, la.organisation)
    url = reverse("referrals:section", args=[referral.pk, "placement"])
    first = client_for(colleague).post(url, {"version": 1, "home_area": "First town"})
    assert first.status_code == 302
    second = client_for(referrer).post(url, {"version": 1, "home_area": "Second town"})
    page = second.content.decode()
    assert "Someone else saved changes" in page
    assert 'value="Second town"' in page
    assert Referral.objects.get(pk=referral.pk).home_area == "First town"


def test_an_abandoned_draft_warns_and_keeps_everything(client_for, la, referrer) -> None:
    with time_machine.travel(NOW - dt.timedelta(days=35), tick=False):
        referral = ReferralFactory(local_authority=la, home_area="Kept town")
    page = client_for(referrer).get(reverse("referrals:task_list", args=[referral.pk]))
    assert "has not been changed since" in page.content.decode()
    assert Referral.objects.get(pk=referral.pk).home_area == "Kept town"


def test_every_view_of_a_childs_details_is_audited(client_for, la, referrer) -> None:
    referral = complete_referral(local_authority=la)
    client_for(referrer).get(reverse("referrals:detail", args=[referral.pk]))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(referral.pk), actor=referrer
    ).exists()


def test_other_authorities_and_unsent_homes_get_404(client_for, la) -> None:
    referral = complete_referral(local_authority=la)
    outsider = user_with_role(Role.REFERRER)
    home_manager = user_with_role(Role.HOME_MANAGER)
    for user in (outsider, home_manager):
        for name in ("detail", "check", "task_list", "withdraw"):
            assert (
                client_for(user).get(reverse(f"referrals:{name}", args=[referral.pk])).status_code
                == 404
            )


def test_a_home_sees_only_what_it_needs_once_the_referral_is_sent(client_for, la) -> None:
    referral = complete_referral(local_authority=la)
    home = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    manager = user_with_role(Role.HOME_MANAGER, home)
    client = client_for(manager)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    ReferralShare.objects.create(referral=referral, home_organisation=home, shared_at=NOW)
    for url in (reverse("referrals:detail", args=[referral.pk]), reverse("referrals:list")):
        page = client.get(url).content.decode()
        assert "T.S." in page
        assert "Synthetic" not in page  # surname
        assert "SYN-0001" not in page  # authority's identifier
        assert "Synthetic Town" not in page  # home town
    assert client.get(reverse("referrals:check", args=[referral.pk])).status_code == 404


def test_the_list_is_scoped_and_its_queries_do_not_grow(
    client_for, la, referrer, django_assert_max_num_queries
) -> None:
    for _ in range(15):
        complete_referral(local_authority=la)
    other = complete_referral(local_authority=LocalAuthorityFactory(), last_name="Otherperson")
    client = client_for(referrer)
    client.get(reverse("referrals:list"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("referrals:list")).content.decode()
    assert page.count("Synthetic") == 15
    assert "Otherperson" not in page
    assert other.reference not in page


def test_the_referral_page_lists_the_childs_earlier_referrals(client_for, la, referrer) -> None:
    with time_machine.travel(dt.datetime(2025, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        earlier = complete_referral(local_authority=la, la_child_identifier="SYN-0042")
        Referral.objects.filter(pk=earlier.pk).update(status=Status.PLACED)
    now = complete_referral(local_authority=la, la_child_identifier="SYN-0042")
    complete_referral(local_authority=la, la_child_identifier="SYN-0043")  # another child
    page = client_for(referrer).get(reverse("referrals:detail", args=[now.pk])).content.decode()
    assert "Earlier referrals of this child" in page
    assert (
        f'<li><a class="govuk-link" href="/referrals/{earlier.pk}/">{earlier.reference}</a>, '
        "4 November 2025: Placed</li>"
    ) in page


def test_the_coordinator_triage_queue_shows_time_remaining(client_for, la) -> None:
    complete_referral(
        local_authority=la,
        legal_status="regulation_10",
        hearing_date=None,
        regulation_10_started_at=NOW - dt.timedelta(hours=70),
    )
    coordinator = user_with_role(Role.COORDINATOR)
    page = client_for(coordinator).get(reverse("referrals:triage")).content.decode()
    assert "72 hours end" in page and "2 hours" in page
    assert (
        client_for(user_with_role(Role.REFERRER, la.organisation))
        .get(reverse("referrals:triage"))
        .status_code
        == 404
    )


def test_the_queue_gives_times_in_london_time_across_the_clock_change(client_for, la) -> None:
    # Completed in winter (GMT), the bed needed in summer (BST: an hour ahead of UTC).
    complete_referral(
        local_authority=la,
        legal_status="s25_application",
        hearing_date=None,
        submitted_at=dt.datetime(2026, 3, 9, 17, 5, tzinfo=dt.UTC),
        completed_at=dt.datetime(2026, 3, 9, 17, 5, tzinfo=dt.UTC),
        bed_needed_at=dt.datetime(2026, 4, 2, 8, 15, tzinfo=dt.UTC),
    )
    queue = client_for(user_with_role(Role.COORDINATOR)).get(reverse("referrals:triage"))
    page = queue.content.decode()
    assert 'data-label="Next deadline">Bed needed, 2 Apr 09:15<' in page
    assert 'data-label="Waiting since">9 Mar 17:05<' in page


def test_a_court_hearing_deadline_is_given_as_its_day_not_midnight(client_for, la) -> None:
    referral = complete_referral(
        local_authority=la,
        legal_status="s25_application",
        hearing_date=dt.date(2026, 3, 12),
        bed_needed_at=None,
    )
    coordinator = user_with_role(Role.COORDINATOR)
    client = client_for(coordinator)
    queue = client.get(reverse("referrals:triage")).content.decode()
    assert "Court hearing, 12 Mar<" in queue
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Court hearing: 12 March 2026<" in detail
    assert "00:00" not in queue and "00:00" not in detail


def test_withdrawing_needs_a_reason_and_lands_on_the_timeline(client_for, la, referrer) -> None:
    referral = complete_referral(local_authority=la)
    client = client_for(referrer)
    url = reverse("referrals:withdraw", args=[referral.pk])
    page = client.post(url, {}).content.decode()
    assert "Select why the referral is being withdrawn" in page
    assert Referral.objects.get(pk=referral.pk).status == Status.COMPLETE
    response = client.post(url, {"reason": "alternative_found", "detail": "Foster placement"})
    assert response.status_code == 302
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Alternative placement found" in detail and "Foster placement" in detail


def test_the_unit_asks_for_information_and_the_authority_answers(client_for, la, referrer) -> None:
    referral = complete_referral(local_authority=la)
    coordinator = user_with_role(Role.COORDINATOR)
    response = client_for(coordinator).post(
        reverse("referrals:request_information", args=[referral.pk]), {"detail": "Care plan"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.INFORMATION_REQUESTED
    response = client_for(referrer).post(
        reverse("referrals:check", args=[referral.pk]), {"version": referral.version}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == Status.COMPLETE


def test_the_unit_extends_and_the_authority_records_an_update(client_for, la, referrer) -> None:
    referral = complete_referral(local_authority=la)
    coordinator = user_with_role(Role.COORDINATOR)
    page = client_for(coordinator).post(
        reverse("referrals:extend", args=[referral.pk]),
        {**date_post("until", dt.date(2026, 3, 1)), "reason": "Court adjourned"},
    )
    assert "must be in the future" in page.content.decode()
    client_for(coordinator).post(
        reverse("referrals:extend", args=[referral.pk]),
        {**date_post("until", dt.date(2026, 6, 1)), "reason": "Court adjourned"},
    )
    assert Referral.objects.get(pk=referral.pk).extended_until == dt.date(2026, 6, 1)
    response = client_for(referrer).post(
        reverse("referrals:update", args=[referral.pk]), {"kind": "update", "note": "Still needed"}
    )
    assert response.status_code == 302
    assert referral.events.filter(kind="update").exists()


def test_the_triage_page_queries_do_not_grow_and_the_reading_is_audited(
    client_for, la, django_assert_max_num_queries
) -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    client = client_for(coordinator)
    for _ in range(3):
        complete_referral(local_authority=la)
    client.get(reverse("referrals:triage"))
    for _ in range(12):
        complete_referral(local_authority=LocalAuthorityFactory())
    with django_assert_max_num_queries(12):
        page = client.get(reverse("referrals:triage")).content.decode()
    assert page.count('href="/referrals/') >= 15
    audit = (
        AuditEvent.objects.filter(action=AuditAction.VIEW, object_id="list").order_by("-id").first()
    )
    assert audit is not None and len(audit.detail["referral_ids"]) == 15


def test_the_timeline_shows_who_what_when_and_why(client_for, la, referrer) -> None:
    referral = complete_referral(local_authority=la)
    coordinator = user_with_role(Role.COORDINATOR, full_name="Cara Coordinator")
    client_for(coordinator).post(
        reverse("referrals:request_information", args=[referral.pk]),
        {"detail": "Please send the care plan"},
    )
    detail = client_for(referrer).get(reverse("referrals:detail", args=[referral.pk]))
    assert "More information requested" in detail.content.decode()
    assert "Please send the care plan" in detail.content.decode()
    page = client_for(referrer).get(reverse("referrals:timeline", args=[referral.pk]))
    text = page.content.decode()
    assert "Cara Coordinator" in text and "10 March 2026 09:30" in text
    home = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    ReferralShare.objects.create(referral=referral, home_organisation=home, shared_at=NOW)
    manager = user_with_role(Role.HOME_MANAGER, home)
    assert (
        client_for(manager).get(reverse("referrals:timeline", args=[referral.pk])).status_code
        == 404
    )


def test_a_new_referrals_contacts_start_with_the_signed_in_persons_details(client_for, la) -> None:
    me = user_with_role(Role.REFERRER, la.organisation)
    me.full_name, me.email, me.phone = "Sam Synthworker", "sam@synth.example", "01632 960001"
    me.save()
    client = client_for(me)
    draft = ReferralFactory(local_authority=la)
    url = reverse("referrals:section", args=[draft.pk, "contacts"])
    html = client.get(url).content.decode()
    assert 'name="social_worker_name" value="Sam Synthworker"' in html
    assert 'value="sam@synth.example"' in html and 'value="01632 960001"' in html
    # Once someone is named, the page shows the referral's answer, not the reader's details.
    draft.social_worker_name = "Another Worker"
    draft.save()
    html = client.get(url).content.decode()
    assert 'value="Another Worker"' in html and "sam@synth.example" not in html


def test_a_phone_number_is_checked_on_the_page_and_stored_in_one_form(
    client_for, la, referrer
) -> None:
    draft = ReferralFactory(local_authority=la)
    url = reverse("referrals:section", args=[draft.pk, "contacts"])
    client = client_for(referrer)
    bad = client.post(url, {"version": draft.version, "social_worker_phone": "12345"})
    assert "Enter a UK phone number, like 01632 960 001 or 07700 900 982" in bad.content.decode()
    good = client.post(url, {"version": draft.version, "social_worker_phone": "01632 960 001"})
    assert good.status_code == 302
    draft.refresh_from_db()
    assert draft.social_worker_phone == "+441632960001"
    # Shown in the national form, on the page and in the answers.
    assert 'value="01632 960001"' in client.get(url).content.decode()
