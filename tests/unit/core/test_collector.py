"""helpers.core.collector: what a run's process held before the run is left out of the
collections within it, and collected again after it."""

from __future__ import annotations

import gc
import weakref

from helpers.core.collector import existing_objects_frozen, without_cycle_collection


class _Node:
    pass


def _cycle() -> tuple[_Node, weakref.ref]:
    node = _Node()
    node.itself = node  # only the cycle collector frees it
    return node, weakref.ref(node)


def test_what_exists_before_the_block_is_collected_only_after_it():
    node, alive = _cycle()
    with existing_objects_frozen():
        del node
        gc.collect()
        assert alive() is not None  # frozen: not walked, not freed
        made_inside, inside_alive = _cycle()
        del made_inside
        gc.collect()
        assert inside_alive() is None  # what the block makes is collected as usual
    gc.collect()
    assert alive() is None
    assert gc.get_freeze_count() == 0


def test_the_collector_is_off_within_the_block_and_back_after_it():
    assert gc.isenabled()
    with without_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
