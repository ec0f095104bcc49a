from django.urls import path

from . import exclusions, views

app_name = "matching"

urlpatterns = [
    path("allocation/", views.allocation, name="allocation"),
    path("excluded-homes/", exclusions.exclusions, name="exclusions"),
    path("excluded-homes/<int:pk>/remove/", exclusions.exclusion_remove, name="exclusion-remove"),
    path("placements/", views.placements, name="placements"),
    path("placements/<int:pk>/discharge/", views.discharge, name="discharge"),
    path("offers/<int:pk>/admit/", views.admit, name="admit"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer-accept"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer-decline"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("referrals/<int:pk>/", views.match, name="match"),
    path("referrals/<int:pk>/respond/", views.respond, name="respond"),
    path("referrals/<int:pk>/offers/", views.offers, name="offers"),
    path("referrals/<int:pk>/list/", views.shortlist, name="list"),
]
