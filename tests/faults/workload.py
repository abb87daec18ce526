"""A generated practice for the fault suite: invented patients (the PHI the scan looks for), their plans
of care and authorizations, and a few thousand encounters in September-November 2026.

Four kinds of patient, so every stage has real work: Medicare with a certified plan (units by total time,
GO, NCCI, threshold accrual), Medicare whose certification arrives only mid-run (held, then released),
a commercial payer using AMA units, and MO HealthNet with an authorization. Medicare patients stay under
the year's OT threshold and under ten treatment days, so no visit needs KX or a progress report: every
encounter's final state is known from the workload alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tests.support.intake_samples import billing_provider, npi_with_check_digit

RENDERING = {"npi": "1284650938", "role": "OT"}
CERTIFIER = {"certifier_npi": "1339485728", "certifier_credential": "MD"}
LOCATIONS = ("MO-01", "MO-99")
TREATMENT_CODES = ("97110", "97530", "97535", "97140", "97112")
FIRST_DAY, LAST_DAY = date(2026, 9, 8), date(2026, 11, 6)
BUSINESS_DATE = "2026-11-20"  # the sample practice's too, so the front-door probes' example records are current
KINDS = ("medicare", "medicare-late", "commercial", "medicaid")
PAYER_OF = {
    "medicare": "medicare-wps-j5",
    "medicare-late": "medicare-wps-j5",
    "commercial": "blue-commercial-ama",
    "medicaid": "mo-healthnet-ffs",
}
_SYLLABLES = ("zor", "vex", "qui", "lam", "thar", "bel", "kyn", "dro", "mav", "ost", "pel", "rix", "ulm", "wen")
_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


@dataclass
class Workload:
    tenant: str
    billing_npi: str = ""  # registered to ``tenant`` for this run only (one billing NPI belongs to one tenant)
    billing_tin: str = ""
    patients: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    certifications: list[dict[str, Any]] = field(default_factory=list)
    late_certifications: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[dict[str, Any]] = field(default_factory=list)
    encounters: list[dict[str, Any]] = field(default_factory=list)
    kind_of_patient: dict[str, str] = field(default_factory=dict)

    def billing_registration(self) -> dict[str, Any]:
        """The tenant's billing provider, as ``otrcm-intake register-billing-provider`` reads it."""
        return billing_provider(self.billing_npi, self.billing_tin, name="FAULT SUITE THERAPY LLC")

    def phi_sentinels(self) -> set[str]:
        """Every generated name, birth date (ISO and X12 forms) and member id: none may leak."""
        found: set[str] = set()
        for patient in self.patients:
            found.update((patient["first_name"], patient["last_name"], patient["birth_date"]))
            found.add(patient["birth_date"].replace("-", ""))
            found.update(coverage["member_id"] for coverage in patient["coverages"])
        return found


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = "".join(rng.sample(_SYLLABLES, 3)).capitalize()
        if name not in taken:
            taken.add(name)
            return name


def _mbi(rng: random.Random) -> str:
    def letter() -> str:
        return rng.choice(_MBI_LETTERS)

    def digit(low: int = 0) -> str:
        return str(rng.randint(low, 9))

    return (
        digit(1)
        + letter()
        + letter()
        + digit()
        + letter()
        + digit()
        + digit()
        + letter()
        + letter()
        + digit()
        + digit()
    )


def _member_id(kind: str, rng: random.Random) -> str:
    if kind.startswith("medicare"):
        return _mbi(rng)
    if kind == "medicaid":
        return "MO" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return "BKC" + "".join(str(rng.randint(0, 9)) for _ in range(9))


def _birth_date(kind: str, rng: random.Random) -> str:
    year = rng.randint(2010, 2019) if kind == "medicaid" else rng.randint(1938, 1958)
    return date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()


def _visit_days(rng: random.Random, count: int) -> list[date]:
    weekdays = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    weekdays = [day for day in weekdays if day.weekday() < 5]
    return sorted(rng.sample(weekdays, count))


def _encounter(
    tenant_patient: str, eid: str, payer: str, on: date, location: str, lines: list[tuple[str, int]], npi: str
) -> dict[str, Any]:
    return {
        "encounter_id": eid, "patient_id": tenant_patient, "payer_id": payer, "date_of_service": on.isoformat(),
        "place_of_service": "11", "billing_provider_npi": npi, "rendering_provider": RENDERING,
        "location_id": location, "diagnoses": ["M62.81", "R26.89"],
        "lines": [{"line_number": n, "code": code, "minutes": minutes, "assistant_minutes": 0,
                   "diagnosis_pointers": [1]} for n, (code, minutes) in enumerate(lines, start=1)],
        "attestations": {"medical_necessity_documented": True, "distinct_time_blocks": True},
    }  # fmt: skip


def _treatment(rng: random.Random) -> list[tuple[str, int]]:
    codes = rng.sample(TREATMENT_CODES, rng.choice((1, 2, 2, 3)))
    return [(code, rng.randint(8, 30)) for code in codes]


def build(tenant: str, encounters: int, seed: int = 20261128) -> Workload:
    """About ``encounters`` encounters (whole patients: 3-8 visit days each, a few days with two visits)."""
    rng = random.Random(seed)
    identity = random.Random(tenant)  # per run, so two runs on one database never claim the same NPI
    workload = Workload(
        tenant,
        billing_npi=npi_with_check_digit("1" + "".join(identity.choices("0123456789", k=8))),
        billing_tin="4" + "".join(identity.choices("0123456789", k=8)),
    )
    names: set[str] = set()
    number = 0
    while len(workload.encounters) < encounters:
        number += 1
        kind = KINDS[number % len(KINDS)]
        patient_id = f"fp-{number:05d}"
        workload.kind_of_patient[patient_id] = kind
        payer = PAYER_OF[kind]
        workload.patients.append({
            "patient_id": patient_id, "first_name": _name(rng, names), "last_name": _name(rng, names),
            "birth_date": _birth_date(kind, rng), "sex": rng.choice("FM"),
            "address": {"line1": f"{rng.randint(10, 9999)} Sample Ave", "city": "Rolla", "state": "MO",
                        "postal_code": "65401"},
            "coverages": [{"payer_id": payer, "member_id": _member_id(kind, rng)}],
        })  # fmt: skip
        days = _visit_days(rng, rng.randint(3, 8))
        location = rng.choice(LOCATIONS)
        if kind.startswith("medicare"):
            plan_id = f"poc-{number:05d}"
            workload.plans.append({"plan_id": plan_id, "patient_id": patient_id,
                                   "evaluation_date": days[0].isoformat(), "duration_days": 90})  # fmt: skip
            certification = {"plan_id": plan_id, "kind": "certified", "event_date": days[0].isoformat(), **CERTIFIER}
            (workload.late_certifications if kind == "medicare-late" else workload.certifications).append(certification)
        if kind == "medicaid":
            workload.authorizations.append({
                "authorization_id": f"pa-{number:05d}", "patient_id": patient_id, "payer_id": payer,
                "authorized": len(days) + 2, "start_date": FIRST_DAY.isoformat(), "end_date": "2026-12-31",
            })  # fmt: skip
        for visit, day in enumerate(days, start=1):
            lines = [("97166", 45)] if visit == 1 and kind.startswith("medicare") else _treatment(rng)
            eid = f"fe-{number:05d}-{visit:02d}"
            workload.encounters.append(_encounter(patient_id, eid, payer, day, location, lines, workload.billing_npi))
            if visit > 1 and rng.random() < 0.08:  # a second visit the same day: its minutes pool with the first
                second = _encounter(patient_id, eid + "b", payer, day, location, _treatment(rng), workload.billing_npi)
                workload.encounters.append(second)
    return workload
