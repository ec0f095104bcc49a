from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("referral/<int:pk>/", views.question_thread, name="thread"),
    path("<int:pk>/answer/", views.question_answer, name="answer"),
    path("<int:pk>/pass-on/", views.question_pass_on, name="pass_on"),
    path("how-homes-ask/", views.question_routing, name="routing"),
]
