from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .v1.urls import urlpatterns as v1_urlpatterns

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI contract: public, it holds no data."""

    swc_public = True


class DocsView(SpectacularSwaggerSplitView):
    """Interactive documentation; its script is served as a file, as the CSP requires."""

    swc_public = True


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include((v1_urlpatterns, "v1"))),
]
