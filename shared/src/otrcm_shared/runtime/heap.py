"""The collector's settings for a long-running service (docs/adr/019).

A service's heap is mostly what start-up built and keeps for its whole life: reference data, compiled
statements, schemas, the framework. CPython's cyclic collector walks all of it on every full collection,
although almost nothing in it ever becomes garbage; the events a service handles die by reference counting.
So, once the service is ready:

- what start-up built is moved out of the collector's sight (``gc.freeze``, made for this case), and
- the youngest generation is collected after ``YOUNG_THRESHOLD`` net allocations instead of 700, so the
  short-lived objects of a poll are mostly freed before a collection ever looks at them.

Cycles are still collected; only less often. ``OTRCM_GC_YOUNG_THRESHOLD`` overrides the threshold (0 keeps
CPython's defaults). Only a service's own process settles its heap (``run_serving`` claims it): a test that
starts a service inside its own process keeps the collector as it was.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping

YOUNG_THRESHOLD = 50_000  # measured (docs/adr/019); CPython's default is 700
_ENV = "OTRCM_GC_YOUNG_THRESHOLD"
_claimed = False  # this process runs one service (set by the entry point, never by a test)


def claim_process() -> None:
    """Mark this process as one service's own: ``settle`` acts from now on."""
    global _claimed
    _claimed = True


def is_claimed() -> bool:
    """Whether this process runs one service of its own (the entry point said so)."""
    return _claimed


def young_threshold(environ: Mapping[str, str] = os.environ) -> int:
    """The youngest generation's threshold: the environment's, else ``YOUNG_THRESHOLD`` (0: CPython's own)."""
    raw = environ.get(_ENV, "").strip()
    if not raw:
        return YOUNG_THRESHOLD
    if not raw.isdigit():
        raise ValueError(f"{_ENV} must be a whole number of allocations (0 keeps CPython's default), got {raw!r}")
    return int(raw)


def settle(threshold: int | None = None, *, claimed: bool | None = None) -> bool:
    """Collect once, freeze what survived (start-up's state) and apply the young generation's threshold; True
    when done (only in a claimed process, unless ``claimed`` says otherwise)."""
    if not (_claimed if claimed is None else claimed):
        return False
    chosen = young_threshold() if threshold is None else threshold
    gc.collect()
    gc.freeze()
    if chosen > 0:
        _, middle, old = gc.get_threshold()
        gc.set_threshold(chosen, middle, old)
    return True
