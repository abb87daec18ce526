"""Properties that hold for any dates (hypothesis), straight from the rules' wording.

Pub. 100-02 Ch. 15 §220.1.3: an interval is never longer than 90 days and never longer than its
duration; it starts on the evaluation; recertification intervals follow without overlap. A date range
covers a day iff first <= day <= last. Counting an encounter twice never uses an authorization twice.
§220.3: a treatment day is overdue iff more than 10 distinct treatment days lie in its period.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otrcm_poc.domain import (
    Authorization,
    AuthorizationUnit,
    DateRange,
    InvalidAuthorization,
    PlanRecertified,
    TreatmentDayRecorded,
    certification_intervals,
    count_encounter,
    plan_as_plain_data,
    plan_from_plain_data,
    progress_report_overdue_on,
)
from tests.unit.poc.builders import NPI, PLAN, plan_of

pytestmark = pytest.mark.unit

days_2020s = st.dates(min_value=date(2020, 1, 1), max_value=date(2029, 12, 31))
durations = st.integers(min_value=1, max_value=400)


@given(days_2020s, durations)
def test_the_initial_interval_is_the_lesser_of_duration_and_90_days_from_the_evaluation(
    evaluation: date, duration: int
) -> None:
    (interval,) = certification_intervals(plan_of(evaluation, days=duration))
    assert interval.dates.first == evaluation
    assert interval.dates.days == min(duration, 90)
    assert interval.dates.days <= 90


@given(days_2020s, durations, st.lists(durations, max_size=5))
def test_recertification_intervals_follow_each_other_and_never_exceed_90_days(
    evaluation: date, duration: int, recert_durations: list[int]
) -> None:
    recerts = [
        PlanRecertified(PLAN, evaluation + timedelta(days=n), NPI, "MD", d) for n, d in enumerate(recert_durations)
    ]
    intervals = certification_intervals(plan_of(evaluation, *recerts, days=duration))
    assert len(intervals) == 1 + len(recert_durations)
    for interval in intervals:
        assert 1 <= interval.dates.days <= 90
    for earlier, later in itertools.pairwise(intervals):
        assert later.dates.first == earlier.dates.last + timedelta(days=1)
    for interval, recert_days in zip(intervals[1:], recert_durations, strict=True):
        assert interval.dates.days == min(recert_days, 90)


@given(days_2020s, st.integers(min_value=0, max_value=200), days_2020s)
def test_a_range_covers_a_day_iff_first_le_day_le_last(first: date, length: int, day: date) -> None:
    dates = DateRange(first, first + timedelta(days=length))
    assert dates.covers(day) == (first <= day <= first + timedelta(days=length))
    assert dates.days == length + 1


@given(st.lists(st.sampled_from([f"E-{n}" for n in range(1, 9)]), max_size=30), st.integers(1, 8))
def test_an_encounter_is_never_counted_twice(encounter_ids: list[str], authorized: int) -> None:
    day = date(2025, 3, 3)
    authorization = Authorization("A-1", "p", "k", AuthorizationUnit.VISITS, authorized, DateRange(day, day))
    counted: list[str] = []
    for encounter_id in encounter_ids:
        try:
            authorization = count_encounter(authorization, encounter_id, day, 3)
        except InvalidAuthorization:
            assert len(counted) == authorized
            assert encounter_id not in counted
            continue
        if encounter_id not in counted:
            counted.append(encounter_id)
    assert authorization.used == len(counted) <= authorized


@given(st.sets(st.integers(min_value=1, max_value=40), max_size=25), st.integers(min_value=1, max_value=45))
def test_a_day_is_overdue_iff_it_is_past_the_10th_treatment_day_without_a_report(offsets: set[int], probe: int) -> None:
    evaluation = date(2025, 3, 3)
    plan = plan_of(evaluation, *(TreatmentDayRecorded(PLAN, evaluation + timedelta(days=o)) for o in offsets))
    day = evaluation + timedelta(days=probe)
    distinct_up_to_day = {0, probe} | {o for o in offsets if o <= probe}
    assert progress_report_overdue_on(plan, day) == (len(distinct_up_to_day) > 10)


@given(days_2020s, durations, st.sets(st.integers(min_value=0, max_value=60), max_size=10))
def test_plain_data_round_trips(evaluation: date, duration: int, offsets: set[int]) -> None:
    plan = plan_of(
        evaluation, *(TreatmentDayRecorded(PLAN, evaluation + timedelta(days=o)) for o in offsets), days=duration
    )
    assert plan_from_plain_data(plan_as_plain_data(plan)) == plan
