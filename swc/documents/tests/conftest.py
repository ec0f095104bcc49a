"""The questions' world (a referral sent to two homes, everyone in every role), and a fresh,
empty documents storage for every test."""

from __future__ import annotations

import pytest
from django.core.files.storage import Storage, storages

from swc.questions.tests.conftest import AT, frozen, world  # noqa: F401


@pytest.fixture
def storage(settings) -> Storage:
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["documents"]


def stored_files(storage: Storage, folder: str = "") -> list[str]:
    """Every file in the storage, however deep."""
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        found += stored_files(storage, f"{folder}/{sub}".lstrip("/"))
    return found
