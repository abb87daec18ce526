"""Which ready days are due, how they group into claims, and what each line is charged. Pure.

- Cut-off: a day is billed once ``cutoff_hours`` have passed since the end of its date of service
  (midnight after it, in the practice's time zone), so late documentation of the day can still
  change it (a configurable practice choice, not a payer rule; 0 bills as soon as the day ends).
- Grouping: one claim per patient, payer, billing provider and date of service (X222A1 allows
  several dates on one claim; one date per claim keeps a late correction of a day to one claim).
  A billing day is one billing provider's (its key names it), so a claim never mixes two. A day pools
  the timed minutes of all its therapists (CMS Pub. 100-04 Ch. 5 §20.2); each line keeps its own
  rendering provider (2420A when it is not the claim's). A payer whose set-up asks for one rendering
  provider per claim gets one claim per rendering provider instead: the rendering NPI joins the key.
  A day without ready lines bills nothing and is never part of a claim.
- Charge: SV102 = the charge master's unit charge x units; CLM02 = the sum (X222A1 CLM02 note).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from otrcm_shared.events.claim_lines import ClaimLinesReady, ReadyLine

CLAIM_ID_LENGTH = 20  # many payers keep only the first 20 characters of CLM01


def cutoff_has_passed(date_of_service: date, now: datetime, cutoff_hours: float, zone: ZoneInfo) -> bool:
    """Rule: ``now`` is at least ``cutoff_hours`` after the end of the date of service in ``zone``."""
    end_of_day = datetime.combine(date_of_service + timedelta(days=1), time.min, tzinfo=zone)
    return now >= end_of_day + timedelta(hours=cutoff_hours)


@dataclass(frozen=True, slots=True)
class ClaimGroupKey:
    patient_key: str
    payer_id: str
    billing_provider_npi: str
    date_of_service: date
    rendering_provider_npi: str | None = None  # only for a payer wanting one rendering provider per claim


@dataclass(frozen=True, slots=True)
class ClaimDraft:
    """The days one claim will bill, before the patient's coverage and the profiles are joined."""

    tenant_id: str
    claim_id: str
    key: ClaimGroupKey
    days: tuple[ClaimLinesReady, ...]

    @property
    def day_keys(self) -> tuple[str, ...]:
        return tuple(day.day_key for day in self.days)


def claim_id_for(tenant_id: str, key: ClaimGroupKey) -> str:
    """An opaque, deterministic CLM01: "C" and a digest of tenant and group key (no PHI, unique per tenant)."""
    natural = f"{tenant_id}|{key.patient_key}|{key.payer_id}|{key.billing_provider_npi}|{key.date_of_service}"
    if key.rendering_provider_npi is not None:  # without it, the ids claims always had
        natural += f"|{key.rendering_provider_npi}"
    return "C" + hashlib.sha256(natural.encode()).hexdigest()[: CLAIM_ID_LENGTH - 1].upper()


def correction_id_for(claim_id: str, days: Iterable[ClaimLinesReady]) -> str:
    """The id of the held correction of ``claim_id`` for these day versions (deterministic, like CLM01)."""
    versions = ",".join(f"{day.day_key}@{day.version}" for day in sorted(days, key=lambda d: d.day_key))
    natural = f"{claim_id}|correction|{versions}"
    return "C" + hashlib.sha256(natural.encode()).hexdigest()[: CLAIM_ID_LENGTH - 1].upper()


def rendering_npi_of(line: ReadyLine, day: ClaimLinesReady) -> str:
    """The line's rendering provider: its encounter's, or the day's for a line from an older producer."""
    return line.rendering_provider_npi or day.rendering_provider.npi


def group_key_of(day: ClaimLinesReady) -> ClaimGroupKey:
    return ClaimGroupKey(day.patient_key, day.payer_id, day.billing_provider_npi, day.date_of_service)


def _parts(day: ClaimLinesReady, one_rendering_provider: bool) -> list[tuple[ClaimGroupKey, ClaimLinesReady]]:
    """The day as it goes into claims: whole, or one part per rendering provider (each with its lines)."""
    key = group_key_of(day)
    if not one_rendering_provider:
        return [(key, day)]
    by_npi: dict[str, list[ReadyLine]] = {}
    for line in day.lines:
        by_npi.setdefault(rendering_npi_of(line, day), []).append(line)
    return [
        (replace(key, rendering_provider_npi=npi), day.model_copy(update={"lines": tuple(lines)}))
        for npi, lines in by_npi.items()
    ]


def group_days(
    tenant_id: str, days: Iterable[ClaimLinesReady], one_rendering_provider_payers: Collection[str] = frozenset()
) -> list[ClaimDraft]:
    """Billable days grouped into claim drafts, in a stable order (by group key, then day key).

    ``one_rendering_provider_payers``: the payer ids whose set-up wants one rendering provider per claim.
    """
    groups: dict[ClaimGroupKey, list[ClaimLinesReady]] = {}
    for day in days:
        if day.lines:
            for key, part in _parts(day, day.payer_id in one_rendering_provider_payers):
                groups.setdefault(key, []).append(part)
    ordered = sorted(
        groups.items(),
        key=lambda item: (
            item[0].patient_key, item[0].payer_id, item[0].billing_provider_npi, item[0].date_of_service,
            item[0].rendering_provider_npi or "",
        ),
    )  # fmt: skip
    return [
        ClaimDraft(tenant_id, claim_id_for(tenant_id, key), key, tuple(sorted(group, key=lambda d: d.day_key)))
        for key, group in ordered
    ]


def line_charge(code: str, units: int, per_unit: Mapping[str, Decimal]) -> Decimal | None:
    """SV102: the unit charge of ``code`` times ``units``, or None when the charge master lacks the code."""
    unit_charge = per_unit.get(code)
    return None if unit_charge is None else unit_charge * units


def ordered_diagnoses(days: Iterable[ClaimLinesReady]) -> tuple[str, ...]:
    """The claim's diagnoses (HI), in the order the lines first name them; the first is principal."""
    seen: dict[str, None] = {}
    for day in days:
        for line in day.lines:
            for code in line.diagnosis_codes:
                seen.setdefault(code, None)
    return tuple(seen)
