"""Python's cycle collector during a run. A report's run makes no long-lived cycles worth the
collector's time, and its process holds a large heap of what came before it (the imported
libraries: ~120,000 objects), which every full collection walks again."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """The collector off within the block (reference counting still frees what it can)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def existing_objects_frozen() -> Iterator[None]:
    """What exists when the block starts is left out of collections within it (a full one
    walked it in ~0.12 s, in the middle of a report's run), and handed back at its end, so
    that a process running many reports still frees their leftover cycles."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
