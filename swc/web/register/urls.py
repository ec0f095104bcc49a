from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("", views.board, name="board"),
    path("our-home/", views.own, name="own"),
    path("declarations/", views.declarations, name="declarations"),
    path("homes/<int:pk>/", views.home_detail, name="home"),
]
