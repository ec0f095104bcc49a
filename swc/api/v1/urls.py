"""Version 1 of the API. A breaking change makes /api/v2/ (see docs/api.md)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import documents, homes, matching, questions, reporting
from .me import MeView
from .referrals import ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")

# Path ids are taken as any segment and checked in the view, so that a malformed
# id gets the same problem-details 404 as a record that does not exist.
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("referrals/<str:pk>/matches/", matching.MatchesView.as_view(), name="referral-matches"),
    path(
        "referrals/<str:pk>/responses/",
        matching.HomeResponsesView.as_view(),
        name="referral-responses",
    ),
    path("referrals/<str:pk>/offers/", matching.OffersView.as_view(), name="referral-offers"),
    path("referrals/<str:pk>/list/", matching.ShortlistView.as_view(), name="referral-shortlist"),
    path("offers/<str:pk>/accept/", matching.OfferAcceptView.as_view(), name="offer-accept"),
    path("offers/<str:pk>/decline/", matching.OfferDeclineView.as_view(), name="offer-decline"),
    path("offers/<str:pk>/withdraw/", matching.OfferWithdrawView.as_view(), name="offer-withdraw"),
    path("offers/<str:pk>/admit/", matching.OfferAdmitView.as_view(), name="offer-admit"),
    path("placements/", matching.PlacementsView.as_view(), name="placements"),
    path(
        "placements/<str:pk>/discharge/",
        matching.PlacementDischargeView.as_view(),
        name="placement-discharge",
    ),
    path("homes/", homes.HomesView.as_view(), name="homes"),
    path("homes/<str:pk>/", homes.HomeView.as_view(), name="home"),
    path("homes/<str:pk>/register/", homes.HomeRegisterView.as_view(), name="home-register"),
    path("homes/<str:pk>/vacancies/", homes.HomeVacanciesView.as_view(), name="home-vacancies"),
    path(
        "reports/returns/<str:month>/",
        reporting.MonthlyReturnView.as_view(),
        name="monthly-return",
    ),
    path("reports/kpis/", reporting.KpisView.as_view(), name="kpis"),
    *questions.urlpatterns,
    *documents.urlpatterns,
    *router.urls,
]
