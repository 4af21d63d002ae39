"""Start-up objects are frozen out of the collector's reach, unless turned off."""

from __future__ import annotations

import gc

import pytest

from shvya_rpc.gc_tuning import freeze_startup_objects


@pytest.fixture(autouse=True)
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_frozen_objects_are_left_out_of_full_collections(monkeypatch):
    monkeypatch.delenv("SHVYA_GC_FREEZE", raising=False)
    kept = [[i] for i in range(200_000)]  # long-lived, tracked objects, as a service's imports are
    tracked = len(gc.get_objects())

    freeze_startup_objects()

    assert gc.get_freeze_count() >= len(kept)
    assert len(gc.get_objects()) < tracked - len(kept)
    del kept


def test_it_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("SHVYA_GC_FREEZE", "0")
    freeze_startup_objects()
    assert gc.get_freeze_count() == 0
