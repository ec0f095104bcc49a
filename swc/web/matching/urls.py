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
    path("referrals/<int:pk>/", views.match, name="match"),
    path("referrals/<int:pk>/respond/", views.respond, name="respond"),
    path("referrals/<int:pk>/offers/", views.offers, name="offers"),
]
