"""The worklist read in the database, not in Python: a page of held encounters oldest first, by keyset (``after``,
the last item's held-since and id) or offset, with the filters and the counts per reason worked out by SQL, so a
page among tens of thousands of held rows costs an index-ordered scan and one aggregate, never a load of every row.

Same answer as ``domain.worklist.worklist_page`` over the same rows (the codes: each dict reason's ``code``, each
string reason's text before its first ``:``; none: ``HELD``), on PostgreSQL and on the embedded SQLite.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import JSON, DateTime, TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_status.domain.worklist import ON_THE_WORKLIST


@dataclass(frozen=True, slots=True)
class WorklistFilter:
    payer_id: str | None = None
    location_id: str | None = None
    reason: str | None = None
    held_before: date | None = None  # only what has been held since before this date (its start, UTC)
    clinician_npi: str | None = None  # the rendering clinician of the encounter's newest units


class BadCursor(ValueError):
    """An ``after`` value this service did not hand out."""


def cursor_of(held_since: datetime, encounter_id: str) -> str:
    raw = f"{held_since.isoformat()}|{encounter_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, encounter_id = raw.split("|", 1)
        return datetime.fromisoformat(moment), encounter_id
    except (ValueError, UnicodeDecodeError) as error:
        raise BadCursor("after is not a cursor this worklist handed out") from error


_PG = {
    "code": "CASE json_typeof(r) WHEN 'object' THEN r->>'code' WHEN 'string' THEN split_part(r #>> '{}', ':', 1) END",
    "reasons": "json_array_elements(CASE WHEN json_typeof(CAST(e.detail AS json)->'reasons') = 'array' "
    "THEN CAST(e.detail AS json)->'reasons' ELSE '[]'::json END) AS r",
    "payer": "split_part(e.day_key, '/', 4) = :payer_id",
    "location": "(b.record->'locations'->>e.encounter_id)",
    "clinician": "(b.record->'clinicians'->>e.encounter_id)",
}
_SQLITE = {
    "code": "CASE r.type WHEN 'object' THEN json_extract(r.value, '$.code') "
    "WHEN 'text' THEN substr(r.value, 1, instr(r.value || ':', ':') - 1) END",
    "reasons": "json_each(e.detail, '$.reasons') AS r",
    "payer": "e.day_key LIKE :payer_like ESCAPE '\\'",
    "location": "json_extract(b.record, '$.locations.\"' || e.encounter_id || '\"')",
    "clinician": "json_extract(b.record, '$.clinicians.\"' || e.encounter_id || '\"')",
}


def _escaped_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_MOMENTS = ("after_at", "held_before")


def _sql(statement: str, params: dict[str, Any]) -> TextClause:
    """The statement with its timestamps bound as such (SQLite keeps them as text in SQLAlchemy's format)."""
    moments = [bindparam(name, type_=DateTime(timezone=True)) for name in _MOMENTS if name in params]
    return text(statement).bindparams(*moments)


class WorklistSql:
    def __init__(self, dialect: str, schema: str | None) -> None:
        self.parts = _SQLITE if dialect == "sqlite" else _PG
        prefix = f'"{schema}".' if schema and dialect != "sqlite" else ""
        self.status, self.days = f"{prefix}encounter_status", f"{prefix}billing_days"

    def _codes(self) -> str:
        p = self.parts
        return f"(SELECT COALESCE(NULLIF({p['code']}, ''), 'HELD') FROM {p['reasons']})"

    def _where(self, chosen: WorklistFilter, params: dict[str, Any]) -> str:
        held = ", ".join(f"'{status}'" for status in sorted(ON_THE_WORKLIST))
        where = [f"e.tenant_id = :tenant_id AND e.status IN ({held})"]
        if chosen.payer_id is not None:
            where.append(self.parts["payer"])
            params["payer_id"] = chosen.payer_id
            params["payer_like"] = f"%/%/%/{_escaped_like(chosen.payer_id)}/%"
        if chosen.location_id is not None:
            where.append(f"{self.parts['location']} = :location_id")
            params["location_id"] = chosen.location_id
        if chosen.clinician_npi is not None:
            where.append(f"{self.parts['clinician']} = :clinician_npi")
            params["clinician_npi"] = chosen.clinician_npi
        if chosen.held_before is not None:
            where.append("e.updated_at < :held_before")
            params["held_before"] = datetime.combine(chosen.held_before, time.min, UTC)
        if chosen.reason is not None:
            codes = self._codes()
            exact = f"(:reason IN {codes} OR (:reason = 'HELD' AND NOT EXISTS {codes}))"
            # a cheap look at the detail's text first: only rows that name the code anywhere are read as JSON
            named = "" if chosen.reason == "HELD" else "CAST(e.detail AS TEXT) LIKE :reason_like ESCAPE '\\' AND "
            where.append(f"({named}{exact})")
            params["reason"], params["reason_like"] = chosen.reason, f"%{_escaped_like(chosen.reason)}%"
        return " AND ".join(where)

    def _join(self) -> str:
        return f"LEFT JOIN {self.days} b ON b.tenant_id = e.tenant_id AND b.day_key = e.day_key"

    async def page(
        self, session: AsyncSession, tenant_id: str, chosen: WorklistFilter, limit: int, offset: int, after: str | None
    ) -> dict[str, Any]:
        """``{"total", "counts_by_reason", "rows", "next_offset", "next_after"}``; rows oldest first."""
        params: dict[str, Any] = {"tenant_id": tenant_id}
        where = self._where(chosen, params)
        join = self._join() if chosen.location_id is not None or chosen.clinician_npi is not None else ""
        total, counts = await self._counts(session, where, join, params)
        keyset = ""
        page_params = {**params, "limit": limit + 1, "offset": 0 if after else offset}
        if after is not None:
            page_params["after_at"], page_params["after_id"] = read_cursor(after)
            keyset = " AND (e.updated_at > :after_at OR (e.updated_at = :after_at AND e.encounter_id > :after_id))"
        # The page's ids first (a sort of narrow rows: when held and which), then its rows and their locations.
        query = _sql(
            f"SELECT e.encounter_id, e.status, e.day_key, e.detail, e.claim_id, e.updated_at, "
            f"{self.parts['location']} AS location_id FROM (SELECT e.tenant_id, e.encounter_id FROM {self.status} e "
            f"{join} WHERE {where}{keyset} ORDER BY e.updated_at, e.encounter_id LIMIT :limit OFFSET :offset) AS p "
            f"JOIN {self.status} e ON e.tenant_id = p.tenant_id AND e.encounter_id = p.encounter_id "
            f"{self._join()} ORDER BY e.updated_at, e.encounter_id",
            page_params,
        ).columns(detail=JSON, updated_at=DateTime(timezone=True))
        found = list((await session.execute(query, page_params)).all())
        rows, more = found[:limit], len(found) > limit
        start = 0 if after else offset
        last = rows[-1] if rows else None
        return {
            "total": total,
            "counts_by_reason": counts,
            "rows": rows,
            "next_offset": start + limit if more and after is None else None,
            "next_after": cursor_of(_aware(last.updated_at), last.encounter_id) if more and last else None,
        }

    async def _counts(
        self, session: AsyncSession, where: str, join: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, int]]:
        """How many match, and per reason code: the matching rows grouped by their detail's text first (rows held
        for the same reasons share it), so each distinct detail is read as JSON once, not each row."""
        code = f"COALESCE(NULLIF({self.parts['code']}, ''), 'HELD')"
        reasons = self.parts["reasons"].replace("e.detail", "h.detail")
        counted = await session.execute(
            _sql(
                f"WITH h AS (SELECT CAST(e.detail AS TEXT) AS detail, count(*) AS n FROM {self.status} e {join} "
                f"WHERE {where} GROUP BY CAST(e.detail AS TEXT)) "
                "SELECT '' AS code, COALESCE(sum(n), 0) FROM h UNION ALL "
                f"SELECT code, sum(n) FROM (SELECT DISTINCT h.detail, h.n, {code} AS code FROM h "
                f"LEFT JOIN {reasons} ON true) AS c GROUP BY code",
                params,
            ),
            params,
        )
        found = {str(name): int(count) for name, count in counted}
        total = found.pop("", 0)
        return total, dict(sorted(found.items()))


def _aware(moment: datetime | str) -> datetime:
    found = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return found if found.tzinfo else found.replace(tzinfo=UTC)
