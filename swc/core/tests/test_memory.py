"""The cycle collector paused for a block, and put back as it was."""

from __future__ import annotations

import gc

import pytest

from swc.core.memory import collection_paused


@pytest.fixture(autouse=True)
def _collector_restored():  # type: ignore[no-untyped-def]
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_back_on_after() -> None:
    gc.enable()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error() -> None:
    gc.enable()
    with pytest.raises(ZeroDivisionError), collection_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
