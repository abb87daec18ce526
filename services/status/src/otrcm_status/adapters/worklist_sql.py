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
    "reasons": "json_array_elements(CASE WHEN json_typeof(e.detail->'reasons') = 'array' "
    "THEN e.detail->'reasons' ELSE '[]'::json END) AS r",
    "payer": "split_part(e.day_key, '/', 4) = :payer_id",
    "location": "(b.record->'locations'->>e.encounter_id)",
}
_SQLITE = {
    "code": "CASE r.type WHEN 'object' THEN json_extract(r.value, '$.code') "
    "WHEN 'text' THEN substr(r.value, 1, instr(r.value || ':', ':') - 1) END",
    "reasons": "json_each(e.detail, '$.reasons') AS r",
    "payer": "e.day_key LIKE :payer_like ESCAPE '\\'",
    "location": "json_extract(b.record, '$.locations.\"' || e.encounter_id || '\"')",
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
        if chosen.held_before is not None:
            where.append("e.updated_at < :held_before")
            params["held_before"] = datetime.combine(chosen.held_before, time.min, UTC)
        if chosen.reason is not None:
            codes = self._codes()
            where.append(f"(:reason IN {codes} OR (:reason = 'HELD' AND NOT EXISTS {codes}))")
            params["reason"] = chosen.reason
        return " AND ".join(where)

    def _join(self) -> str:
        return f"LEFT JOIN {self.days} b ON b.tenant_id = e.tenant_id AND b.day_key = e.day_key"

    async def page(
        self, session: AsyncSession, tenant_id: str, chosen: WorklistFilter, limit: int, offset: int, after: str | None
    ) -> dict[str, Any]:
        """``{"total", "counts_by_reason", "rows", "next_offset", "next_after"}``; rows oldest first."""
        params: dict[str, Any] = {"tenant_id": tenant_id}
        where = self._where(chosen, params)
        join = self._join() if chosen.location_id is not None else ""
        total = await session.scalar(_sql(f"SELECT count(*) FROM {self.status} e {join} WHERE {where}", params), params)
        code = f"COALESCE(NULLIF({self.parts['code']}, ''), 'HELD')"
        counted = await session.execute(
            _sql(
                f"SELECT code, count(DISTINCT encounter_id) FROM (SELECT e.encounter_id, {code} AS code "
                f"FROM {self.status} e {join} LEFT JOIN {self.parts['reasons']} ON true WHERE {where}) AS c "
                "GROUP BY code ORDER BY code",
                params,
            ),
            params,
        )
        keyset = ""
        page_params = {**params, "limit": limit + 1, "offset": 0 if after else offset}
        if after is not None:
            page_params["after_at"], page_params["after_id"] = read_cursor(after)
            keyset = " AND (e.updated_at > :after_at OR (e.updated_at = :after_at AND e.encounter_id > :after_id))"
        query = _sql(
            "SELECT e.encounter_id, e.status, e.day_key, e.detail, e.claim_id, e.updated_at, "
            f"{self.parts['location']} AS location_id FROM {self.status} e {self._join()} WHERE {where}{keyset} "
            "ORDER BY e.updated_at, e.encounter_id LIMIT :limit OFFSET :offset",
            page_params,
        ).columns(detail=JSON, updated_at=DateTime(timezone=True))
        found = list((await session.execute(query, page_params)).all())
        rows, more = found[:limit], len(found) > limit
        start = 0 if after else offset
        last = rows[-1] if rows else None
        return {
            "total": int(total or 0),
            "counts_by_reason": {str(code): int(count) for code, count in counted},
            "rows": rows,
            "next_offset": start + limit if more and after is None else None,
            "next_after": cursor_of(_aware(last.updated_at), last.encounter_id) if more and last else None,
        }


def _aware(moment: Any) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
