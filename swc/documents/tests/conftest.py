"""A fresh, empty documents storage for every test that asks for one (``storage``)."""

from __future__ import annotations

import pytest
from django.core.files.storage import Storage, storages

from swc.questions.tests.conftest import world  # noqa: F401  (the questions' world, shared)


def storage_fresh(settings) -> Storage:
    """Point the ``documents`` storage alias at a new, empty in-memory storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["documents"]


@pytest.fixture
def storage(settings) -> Storage:
    return storage_fresh(settings)


def stored_files(storage: Storage, folder: str = "") -> list[str]:
    """Every file in the storage, however deep."""
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        found += stored_files(storage, f"{folder}/{sub}".lstrip("/"))
    return found
