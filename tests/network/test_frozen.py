"""The collector's objects frozen for a block (forking, a large import), and only then."""

from __future__ import annotations

import gc

import pytest

from sparcs.scale.frozen import frozen_objects


def test_objects_are_frozen_in_the_block_and_unfrozen_after() -> None:
    assert gc.get_freeze_count() == 0
    with frozen_objects():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_an_error_in_the_block_unfreezes_them_too() -> None:
    with pytest.raises(RuntimeError, match="in the block"), frozen_objects():
        raise RuntimeError("in the block")
    assert gc.get_freeze_count() == 0


def test_objects_the_application_froze_stay_frozen() -> None:
    # a pre-forking server freezes its objects once; gc.unfreeze would thaw them all
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with frozen_objects():
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
