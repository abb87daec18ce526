"""The bench counts a run's settled days as the reader's envelopes arrive: a day is settled once, by its first
ready record (a re-evaluated day publishes another), by a held verdict or by a dead letter; a cleared verdict
and another tenant's topics settle nothing."""

from __future__ import annotations

import pytest

from tests.bench.lag import JUDGED, READY, RECEIVED
from tests.bench.pipeline import DEAD_LETTERS, DayProgress

pytestmark = pytest.mark.unit


def test_days_are_settled_once_by_ready_lines_held_verdicts_or_dead_letters() -> None:
    progress = DayProgress()
    arrivals = [
        (RECEIVED, {"payload": {"encounter_id": "e1"}}),
        (JUDGED, {"payload": {"day_key": "d1", "verdict": "cleared"}}),
        (READY, {"payload": {"day_key": "d1"}}),
        (READY, {"payload": {"day_key": "d1"}}),  # version 2 of the same day
        (JUDGED, {"payload": {"day_key": "d2", "verdict": "held"}}),
        (DEAD_LETTERS, {"payload": {"reason_code": "PAYER_UNKNOWN"}}),
    ]
    settled = []
    for topic, envelope in arrivals:
        progress.observe(topic, envelope)
        settled.append(progress.settled())
    assert settled == [0, 0, 1, 1, 2, 3]
