"""A service's heap is settled once it is ready (docs/adr/019): start-up's objects are frozen out of the
collector and the youngest generation waits for more allocations; a process that is not a service's own (a
test) keeps the collector as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from otrcm_shared.runtime import heap

pytestmark = pytest.mark.unit


@pytest.fixture
def collector_restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_an_unclaimed_process_keeps_the_collector_as_it_was(collector_restored: None) -> None:
    before = gc.get_threshold(), gc.get_freeze_count()
    assert heap.settle(claimed=False) is False
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_a_claimed_process_freezes_what_survived_and_waits_longer(collector_restored: None) -> None:
    kept = [{"start-up": n} for n in range(1000)]  # state built before the service is ready
    middle, old = gc.get_threshold()[1:]
    assert heap.settle(12_345, claimed=True) is True
    assert gc.get_freeze_count() >= len(kept)
    assert gc.get_threshold() == (12_345, middle, old)


def test_zero_keeps_cpythons_threshold_but_still_freezes(collector_restored: None) -> None:
    thresholds = gc.get_threshold()
    assert heap.settle(0, claimed=True) is True
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize(("raw", "expected"), [("", heap.YOUNG_THRESHOLD), (" 2000 ", 2000), ("0", 0)])
def test_the_threshold_comes_from_the_environment(raw: str, expected: int) -> None:
    assert heap.young_threshold({"OTRCM_GC_YOUNG_THRESHOLD": raw}) == expected


@pytest.mark.parametrize("raw", ["-5", "lots", "1e5"])
def test_a_threshold_that_is_not_a_whole_number_is_refused_by_name(raw: str) -> None:
    with pytest.raises(ValueError, match="OTRCM_GC_YOUNG_THRESHOLD must be a whole number"):
        heap.young_threshold({"OTRCM_GC_YOUNG_THRESHOLD": raw})
