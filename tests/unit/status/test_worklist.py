"""The worklist as a pure page: held encounters oldest first, filtered by payer and reason, counted per reason."""

from __future__ import annotations

import pytest

from otrcm_status.domain.worklist import WorkItem, WorklistQuery, reason_codes_of, worklist_page

pytestmark = pytest.mark.unit


def _item(encounter_id: str, since: str, payer: str = "medicare-wps-j5", *codes: str) -> WorkItem:
    return WorkItem(encounter_id, "held", payer, codes or ("POC_MISSING",), (), None, since)


ITEMS = [
    _item("e3", "2026-11-03T10:00:00"),
    _item("e1", "2026-11-01T10:00:00", "medicare-wps-j5", "KX_NEEDS_ATTESTATION"),
    _item("e2", "2026-11-02T10:00:00", "mo-healthnet-ffs", "AUTH_EXHAUSTED", "POC_MISSING"),
]


def test_oldest_first_with_counts_per_reason() -> None:
    page = worklist_page(ITEMS, WorklistQuery())
    assert [item.encounter_id for item in page.items] == ["e1", "e2", "e3"]
    assert page.total == 3
    assert page.counts_by_reason == {"AUTH_EXHAUSTED": 1, "KX_NEEDS_ATTESTATION": 1, "POC_MISSING": 2}


def test_filters_and_pages() -> None:
    assert [i.encounter_id for i in worklist_page(ITEMS, WorklistQuery(reason="POC_MISSING")).items] == ["e2", "e3"]
    assert [i.encounter_id for i in worklist_page(ITEMS, WorklistQuery(payer_id="mo-healthnet-ffs")).items] == ["e2"]
    second = worklist_page(ITEMS, WorklistQuery(limit=1, offset=1))
    assert (second.total, [i.encounter_id for i in second.items]) == (3, ["e2"])


def test_reason_codes_come_from_the_gate_the_lines_or_the_claim() -> None:
    assert reason_codes_of({"reasons": [{"code": "POC_MISSING"}, {"code": "POC_MISSING"}]}) == ("POC_MISSING",)
    assert reason_codes_of({"reasons": ["referring-provider: the payer requires ..."]}) == ("referring-provider",)
    assert reason_codes_of({}) == ("HELD",)


def test_filter_by_location_and_the_next_page() -> None:
    located = [
        WorkItem("e1", "held", "medicare-wps-j5", ("POC_MISSING",), (), None, "2026-11-01T10:00:00", "LOC-A"),
        WorkItem("e2", "held", "medicare-wps-j5", ("POC_MISSING",), (), None, "2026-11-02T10:00:00", "LOC-B"),
        WorkItem("e3", "held", "medicare-wps-j5", ("AUTH_MISSING",), (), None, "2026-11-03T10:00:00", "LOC-A"),
    ]
    at_a = worklist_page(located, WorklistQuery(location_id="LOC-A"))
    assert ([i.encounter_id for i in at_a.items], at_a.counts_by_reason) == (
        ["e1", "e3"], {"AUTH_MISSING": 1, "POC_MISSING": 1})  # fmt: skip
    first = worklist_page(located, WorklistQuery(limit=2))
    assert ([i.encounter_id for i in first.items], first.next_offset) == (["e1", "e2"], 2)
    last = worklist_page(located, WorklistQuery(limit=2, offset=first.next_offset or 0))
    assert ([i.encounter_id for i in last.items], last.next_offset) == (["e3"], None)
