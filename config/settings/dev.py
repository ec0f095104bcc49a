"""The embedded default: SQLite, local notifications, served by `make run`."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
