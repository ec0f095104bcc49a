from django.urls import include, path

from swc.web.urls import feature_urlpatterns
from swc.web.views import public

urlpatterns = [
    path("healthz", public.healthz, name="healthz"),
    path("api/", include("swc.api.urls")),
    path("", include("swc.web.urls")),
    *feature_urlpatterns,
]

handler404 = "swc.web.views.public.page_not_found"
handler500 = "swc.web.views.public.server_error"
handler403 = "swc.web.views.public.permission_denied"
