from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("referral/<int:pk>/", views.document_list, name="list"),
    path("<int:pk>/download/", views.document_download, name="download"),
]
