"""The billing team's worklist: what is held, by reason, oldest first, filtered by payer, location and reason, a
page at a time (``limit`` and ``offset``; ``next_offset`` names the next page). Pure: rows in, a page out.

An encounter is on the worklist while its status is ``held`` (the gate or a line rule holds it) or
``claim_held`` (its claim could not be built or failed validation); it leaves when a fix releases it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ON_THE_WORKLIST = frozenset({"held", "claim_held"})
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class WorkItem:
    encounter_id: str
    status: str
    payer_id: str
    reason_codes: tuple[str, ...]
    reasons: tuple[dict[str, Any], ...]
    claim_id: str | None
    held_since: str  # ISO timestamp of the status's last change
    location_id: str | None = None  # the practice location of the encounter, when it named one


@dataclass(frozen=True, slots=True)
class WorklistQuery:
    payer_id: str | None = None
    reason: str | None = None
    limit: int = 100
    offset: int = 0
    location_id: str | None = None


@dataclass(frozen=True, slots=True)
class WorklistPage:
    total: int
    counts_by_reason: dict[str, int]
    items: list[WorkItem] = field(default_factory=list)
    next_offset: int | None = None  # where the next page starts; None on the last page


def reason_codes_of(detail: dict[str, Any]) -> tuple[str, ...]:
    """The codes of the hold: the gate's or the lines' reason codes, or a claim's reason prefixes."""
    codes = [str(reason.get("code")) for reason in detail.get("reasons", ()) if isinstance(reason, dict)]
    codes += [str(reason).split(":")[0] for reason in detail.get("reasons", ()) if isinstance(reason, str)]
    return tuple(dict.fromkeys(code for code in codes if code)) or ("HELD",)


def worklist_page(items: list[WorkItem], query: WorklistQuery) -> WorklistPage:
    """The items matching the filters, oldest first, one page of them, and the counts per reason of all matches."""
    matching = [
        item
        for item in items
        if (query.payer_id is None or item.payer_id == query.payer_id)
        and (query.location_id is None or item.location_id == query.location_id)
        and (query.reason is None or query.reason in item.reason_codes)
    ]
    matching.sort(key=lambda item: (item.held_since, item.encounter_id))
    counts = Counter(code for item in matching for code in item.reason_codes)
    limit, start = max(1, min(query.limit, MAX_PAGE)), max(query.offset, 0)
    page = matching[start : start + limit]
    following = start + limit if start + limit < len(matching) else None
    return WorklistPage(len(matching), dict(sorted(counts.items())), page, following)
