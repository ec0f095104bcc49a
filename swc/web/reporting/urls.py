from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("returns/<str:month>/", views.monthly_return, name="return"),
    path("returns/<str:month>/download.<str:fmt>", views.return_download, name="return-download"),
    path("kpis/", views.kpis, name="kpis"),
    path("trend/", views.trend, name="trend"),
    path("sign-up/", views.terms, name="terms"),
    path("sign-up/reminders/", views.sign_up_remind, name="sign-up-remind"),
    path("surveys/<int:referral_id>/", views.survey, name="survey"),
]
