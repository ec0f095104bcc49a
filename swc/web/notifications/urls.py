from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("local/", views.local_messages, name="local"),
    path("rota/", views.rota, name="rota"),
    path("rota/<int:pk>/remove/", views.rota_remove, name="rota-remove"),
]
