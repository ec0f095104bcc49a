from typing import Any

from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    name = "swc.api"
    label = "api"

    def ready(self) -> None:
        checks.register(api_retirements_check, checks.Tags.compatibility)


def api_retirements_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A retirement that breaks the deprecation policy stops the service starting."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from .versions import retirements_parse

    try:
        retirements_parse(getattr(settings, "SWC_API_DEPRECATIONS", {}) or {})
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="swc.api.E001")]
    return []
