from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("triage/", views.referral_triage, name="triage"),
    path("search/", views.referral_search, name="search"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/timeline/", views.referral_timeline, name="timeline"),
    path("<int:pk>/sections/", views.referral_task_list, name="task_list"),
    path("<int:pk>/sections/<slug:section>/", views.referral_section, name="section"),
    path("<int:pk>/check/", views.referral_check, name="check"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<int:pk>/close/", views.referral_close, name="close"),
    path(
        "<int:pk>/request-information/",
        views.referral_request_information,
        name="request_information",
    ),
    path("<int:pk>/update/", views.referral_update, name="update"),
    path("<int:pk>/extend/", views.referral_extend, name="extend"),
    path("<int:pk>/take/", views.referral_take, name="take"),
    path("<int:pk>/hand-over/", views.referral_hand_over, name="hand_over"),
]
