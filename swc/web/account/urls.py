from django.urls import path

from . import views

app_name = "account"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
]
