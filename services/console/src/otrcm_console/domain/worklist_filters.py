"""The worklist page's filters, read from the query string, and the API parameters they become."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_NPI = re.compile(r"^\d{10}$")
_REASON = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class WorklistFilters:
    payer_id: str | None = None
    location_id: str | None = None
    reason: str | None = None
    min_age_days: int | None = None
    clinician_npi: str | None = None
    after: str | None = None

    @classmethod
    def read(cls, query: dict[str, str]) -> WorklistFilters:
        """Only well-shaped values are kept; anything else is as if it were not given."""

        def kept(name: str, shape: re.Pattern[str]) -> str | None:
            value = (query.get(name) or "").strip()
            return value if shape.match(value) else None

        age = (query.get("min_age_days") or "").strip()
        after = (query.get("after") or "").strip()
        return cls(
            payer_id=kept("payer_id", _ID),
            location_id=kept("location_id", _ID),
            reason=kept("reason", _REASON),
            min_age_days=int(age) if age.isdigit() and int(age) <= 3650 else None,
            clinician_npi=kept("clinician_npi", _NPI),
            after=after if re.match(r"^[A-Za-z0-9_-]{1,400}$", after) else None,
        )

    def api_params(self, today: date) -> dict[str, str | int]:
        params: dict[str, str | int] = {"limit": PAGE_SIZE}
        for name in ("payer_id", "location_id", "reason", "after", "clinician_npi"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        if self.min_age_days:
            params["held_before"] = (today - timedelta(days=self.min_age_days - 1)).isoformat()
        return params

    def links(self) -> dict[str, str]:
        """The filters (not the page) as query parameters, for the next page's and the reasons' links."""
        shown = {
            "payer_id": self.payer_id,
            "location_id": self.location_id,
            "reason": self.reason,
            "min_age_days": str(self.min_age_days) if self.min_age_days else None,
            "clinician_npi": self.clinician_npi,
        }
        return {name: value for name, value in shown.items() if value}
