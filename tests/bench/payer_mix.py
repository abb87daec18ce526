"""The benchmark's practice: patients spread over a payer mix, what each payer needs on file before a day
clears the gate, and the encounters themselves.

Every patient has one payer and six weekly visits (one encounter a visit). What is recorded for them before
the timed window (:mod:`tests.bench.enroll`), per payer profile (shared/.../refdata/data/payer_profiles.json):

* Medicare (``medicare-wps-j5``: a certified plan, progress reports): a plan of care evaluated two days
  before the first visit, certified by a physician the next day (Pub. 100-02 Ch. 15 §220.1.3: the initial
  interval is the lesser of the plan's duration and 90 days, certified within 30 days). The evaluation and
  six visits are seven treatment days: no progress report is due (§220.3, one every 10 treatment days).
  Every other Medicare patient has prior OT spend for the year recorded $300 under the therapy threshold,
  so their later days cross it and bill with KX (the encounters attest medical necessity, as KX requires:
  docs/billing-rules.md).
* MO HealthNet fee-for-service (``mo-healthnet-ffs``: an authorization): 12 visits authorized from the day
  before the first visit to 30 days after the last.
* Commercial (``blue-commercial-ama``): nothing.

Days with both 97140 and 97530 (an NCCI pair, docs/billing-rules.md#8-ncci-and-mue) attest distinct time
blocks, so no line is held for the pair.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import Attestations, Provider, ProviderRole
from otrcm_shared.events.submissions import EncounterSubmission, SubmittedLine

# The mix's names for the payers, and the payer profile each stands for.
PAYERS = {"medicare": "medicare-wps-j5", "mo-healthnet": "mo-healthnet-ffs", "commercial": "blue-commercial-ama"}
DEFAULT_MIX = "medicare=50,mo-healthnet=25,commercial=25"
DAYS_PER_PATIENT = 6
VISIT_EVERY_DAYS = 7
FIRST_START = date(2025, 6, 2)  # the first patient's first visit; later patients start up to 119 days later
LINE_CODES = ("97530", "97110", "97535", "97140")
NCCI_PAIR = {"97140", "97530"}
CERTIFIER = {"certifier_npi": "1339485728", "certifier_credential": "MD"}  # the sample directory's physician
OT_THRESHOLD_2025 = Decimal("2410.00")  # therapy_thresholds.json, version 2025
PRIOR_SPEND = OT_THRESHOLD_2025 - Decimal("300.00")
_GOLDEN = 0.6180339887498949  # spreads the payers evenly over consecutive patients


@dataclass(frozen=True)
class PayerMix:
    """(name, payer id, percent) shares, summing to 100."""

    shares: tuple[tuple[str, str, float], ...]

    @classmethod
    def parse(cls, text: str) -> PayerMix:
        """``medicare=50,mo-healthnet=25,commercial=25``: names from :data:`PAYERS` (or payer ids)."""
        shares = []
        for part in (p.strip() for p in text.split(",") if p.strip()):
            name, sep, percent = part.partition("=")
            name = name.strip()
            if not sep or name not in {*PAYERS, *PAYERS.values()}:
                raise ValueError(f"payer mix: '{part}' is not name=percent with a name of {', '.join(PAYERS)}")
            payer = PAYERS.get(name, name)
            short = next(n for n, p in PAYERS.items() if p == payer)
            shares.append((short, payer, float(percent)))
        total = sum(share for _, _, share in shares)
        if not shares or abs(total - 100) > 1e-6 or any(share < 0 for _, _, share in shares):
            raise ValueError(f"payer mix: the percentages must be non-negative and sum to 100 (got {total:g})")
        return cls(tuple(shares))

    def payer_of(self, patient: int) -> str:
        """The payer of patient number ``patient`` (a low-discrepancy spread, so any prefix keeps the mix)."""
        point, upto = ((patient + 0.5) * _GOLDEN) % 1.0 * 100, 0.0
        for _, payer, share in self.shares:
            upto += share
            if point < upto:
                return payer
        return self.shares[-1][1]

    def __str__(self) -> str:
        """The option's own form (``--payer-mix``), as results.json's ``args`` records it."""
        return ",".join(f"{name}={share:g}" for name, _, share in self.shares)

    def describe(self) -> str:
        return " / ".join(f"{name} {share:g}%" for name, _, share in self.shares if share)

    def patients_per_payer(self, patients: int) -> dict[str, int]:
        found = {payer: 0 for _, payer, _ in self.shares}
        for p in range(patients):
            found[self.payer_of(p)] += 1
        return found


def patient_id(index: int) -> str:
    return f"mrn-{index:06d}"


def patient_count(encounters: int) -> int:
    return (encounters + DAYS_PER_PATIENT - 1) // DAYS_PER_PATIENT


def visit_dates(patient: int) -> list[date]:
    """Six weekly visits, the first between 2025-06-02 and 2025-09-28 (all in one calendar year)."""
    first = FIRST_START + timedelta(days=patient % 119)
    return [first + timedelta(days=VISIT_EVERY_DAYS * k) for k in range(DAYS_PER_PATIENT)]


def mbi(index: int) -> str:
    """A Medicare Beneficiary Identifier in the CMS format, unique for the first 90,000 patients."""
    n, digits = index, []
    for base in (9, 10, 10, 10, 10):
        n, digit = divmod(n, base)
        digits.append(digit)
    return f"{digits[0] + 1}EG{digits[1]}TE{digits[2]}MK{digits[3]}{digits[4]}"


def patient_body(index: int, payer: str) -> dict[str, Any]:
    """Invented demographics; one coverage with ``payer`` (an MBI as the member id for Medicare)."""
    number = f"{index:06d}"
    medicare = payer == PAYERS["medicare"]
    return {
        "patient_id": patient_id(index),
        "first_name": "Bench",
        "last_name": f"Patient{number}",
        "birth_date": "1951-04-12" if medicare else "1981-04-12",
        "sex": "U",
        "address": {"line1": "1 Bench Way", "city": "Columbia", "state": "MO", "postal_code": "65201"},
        "coverages": [{"payer_id": payer, "member_id": mbi(index) if medicare else f"BX{number}"}],
    }


def records_of(index: int, payer: str) -> list[tuple[str, dict[str, Any]]]:
    """(path, body) of what the intake API records for patient ``index`` before the clock starts, in order
    (a plan before its certification)."""
    found = [("/v1/patients", patient_body(index, payer))]
    days = visit_dates(index)
    if payer == PAYERS["medicare"]:
        plan_id, evaluated = f"poc-{index:06d}", days[0] - timedelta(days=2)
        plan = {"plan_id": plan_id, "patient_id": patient_id(index), "evaluation_date": evaluated.isoformat(),
                "duration_days": 60}  # fmt: skip
        certified = {"kind": "certified", "event_date": (evaluated + timedelta(days=1)).isoformat(), **CERTIFIER}
        found += [("/v1/plans-of-care", plan), (f"/v1/plans-of-care/{plan_id}/events", certified)]
        if index % 2 == 0:
            spend = {"year": days[0].year, "discipline": "ot", "amount": f"{PRIOR_SPEND}",
                     "source": "eligibility_271", "as_of": (days[0] - timedelta(days=3)).isoformat()}  # fmt: skip
            found.append((f"/v1/patients/{patient_id(index)}/therapy-spend", spend))
    elif payer == PAYERS["mo-healthnet"]:
        authorization = {"authorization_id": f"auth-{index:06d}", "patient_id": patient_id(index),
                         "payer_id": payer, "unit": "visits", "authorized": 2 * DAYS_PER_PATIENT,
                         "start_date": (days[0] - timedelta(days=1)).isoformat(),
                         "end_date": (days[-1] + timedelta(days=30)).isoformat()}  # fmt: skip
        found.append(("/v1/authorizations", authorization))
    return found


def encounter_payloads(count: int, billing_npi: str, mix: PayerMix, seed: int = 7) -> list[EncounterSubmission]:
    """``count`` encounters, one per patient-day (encounter ``i`` is visit ``i % 6`` of patient ``i // 6``),
    1-3 lines of 97530/97110/97535/97140 of 20-60 minutes, billed under ``billing_npi``."""
    rng = random.Random(seed)
    found = []
    for i in range(count):
        patient, visit = divmod(i, DAYS_PER_PATIENT)
        codes = rng.sample(LINE_CODES, rng.choice((1, 2, 2, 3)))
        found.append(
            EncounterSubmission(
                encounter_id=f"enc-{i:06d}",
                patient_id=patient_id(patient),
                payer_id=mix.payer_of(patient),
                date_of_service=visit_dates(patient)[visit],
                place_of_service="11",
                billing_provider_npi=billing_npi,
                rendering_provider=Provider(npi="1284650938", role=ProviderRole.OT),
                diagnoses=("M62.81",),
                lines=tuple(
                    SubmittedLine(line_number=n, code=code, minutes=rng.randint(20, 60), diagnosis_pointers=(1,))
                    for n, code in enumerate(codes, start=1)
                ),
                attestations=Attestations(
                    medical_necessity_documented=True, distinct_time_blocks=set(codes) >= NCCI_PAIR
                ),
            )
        )
    return found


def build_submissions(
    tenant: str, count: int, billing_npi: str, mix: PayerMix, seed: int = 7
) -> list[tuple[bytes, bytes, str]]:
    """(key, value, encounter id) of :func:`encounter_payloads` as the ingestion topic takes them: an envelope
    of ``tenant`` keyed by tenant and patient."""
    found = []
    for payload in encounter_payloads(count, billing_npi, mix, seed):
        encounter_id = payload.encounter_id
        envelope = Envelope.root(
            payload, tenant_id=tenant, subject=encounter_id, natural_key=encounter_id, stage="bench"
        )
        found.append((f"{tenant}:{payload.patient_id}".encode(), envelope.model_dump_json().encode(), encounter_id))
    return found
