"""Version 1 of the API. A breaking change makes /api/v2/ (see docs/api.md)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .me import MeView
from .referrals import ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
