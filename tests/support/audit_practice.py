"""A generated Missouri OT practice for the revenue audit: 90 days, several clinicians, the main job's payer mix
(Medicare with plans of care, progress reports and KX; MO HealthNet with authorizations; a commercial AMA plan).

``practice_records(planted=...)`` gives the JSON Lines records (patients, plans and their steps,
authorizations, prior therapy spend, encounters). The base patients bill cleanly; the plant patients carry
one planted error per day (``PLANTS`` names them). With ``planted=False`` the records are the clean twin:
the recertification, the progress report and the authorized visit the planted practice lacks are on file.
Every name, birth date and member id here is invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

AS_OF = date(2026, 11, 20)
START = AS_OF - timedelta(days=95)
BILLING_NPI = "1234567893"
CLINICIANS = ("1245319599", "1679576722", "1417947771", "1003000126")
ASSISTANT = "1326041021"
MEDICARE, MOHN, COMMERCIAL = "medicare-wps-j5", "mo-healthnet-ffs", "blue-commercial-ama"
FIRST = ("Ada", "Bram", "Cleo", "Dov", "Esme", "Faro", "Gus", "Hale", "Ines", "Juno", "Kip", "Lark")
LAST = ("Quillby", "Marrowfield", "Thistlewood", "Penhallow", "Ashgrove", "Winterbourne", "Fenwick", "Oakhurst")


def day(n: int) -> date:
    return START + timedelta(days=n)


def encounter(
    eid: str, patient: str, payer: str, on: date, lines: list[tuple[str, int]], **extra: Any
) -> dict[str, Any]:
    role = extra.pop("role", "OT")
    assistant = extra.pop("assistant_minutes", 0)
    return {
        "encounter_id": eid,
        "patient_id": patient,
        "payer_id": payer,
        "date_of_service": on.isoformat(),
        "place_of_service": "11",
        "billing_provider_npi": BILLING_NPI,
        "rendering_provider": {"npi": ASSISTANT if role == "OTA" else extra.pop("npi", CLINICIANS[0]), "role": role},
        "location_id": extra.pop("location", "MO-01"),
        "diagnoses": ["M62.81", "R26.89"],
        "lines": [
            {
                "line_number": i,
                "code": code,
                "minutes": minutes,
                "assistant_minutes": assistant if code != "97165" else 0,
                "diagnosis_pointers": [1],
            }
            for i, (code, minutes) in enumerate(lines, 1)
        ],
        "attestations": {"medical_necessity_documented": True, "distinct_time_blocks": extra.pop("distinct", False)},
    }


def patient(pid: str, payer: str, rng: random.Random) -> dict[str, Any]:
    return {
        "record_type": "patient",
        "patient_id": pid,
        "first_name": rng.choice(FIRST),
        "last_name": rng.choice(LAST),
        "birth_date": date(1940 + rng.randrange(70), 1 + rng.randrange(12), 1 + rng.randrange(28)).isoformat(),
        "sex": rng.choice("FM"),
        "address": {
            "line1": f"{100 + rng.randrange(900)} Elm St",
            "city": "Saint Louis",
            "state": "MO",
            "postal_code": "63101",
        },
        "coverages": [{"payer_id": payer, "member_id": f"{payer[:2].upper()}{rng.randrange(10**9, 10**10)}"}],
    }


def medicare_plan(pid: str, evaluation: date, duration: int, visit_days: list[date]) -> list[dict[str, Any]]:
    """A plan from the evaluation, certified five days later, a progress report on every 10th treatment day."""
    plan = f"plan-{pid.removeprefix('mrn-')}"
    rows: list[dict[str, Any]] = [
        {
            "record_type": "plan_of_care",
            "plan_id": plan,
            "patient_id": pid,
            "evaluation_date": evaluation.isoformat(),
            "duration_days": duration,
        },
        {
            "record_type": "plan_event",
            "plan_id": plan,
            "kind": "certified",
            "event_date": (evaluation + timedelta(days=5)).isoformat(),
            "certifier_npi": "1902809254",
            "certifier_credential": "MD",
        },
    ]
    treatment = sorted({evaluation, *visit_days})
    for number in range(10, len(treatment) + 1, 10):
        if number < len(treatment):  # a report is due only when a later treatment day follows
            rows.append(progress_report(plan, treatment[number - 1]))
    return rows


def progress_report(plan: str, on: date) -> dict[str, Any]:
    return {"record_type": "plan_event", "plan_id": plan, "kind": "progress_report_filed", "event_date": on.isoformat()}


def base_patients(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` patients seen twice a week across the 90 days, a third of each payer, billing cleanly."""
    rows: list[dict[str, Any]] = []
    payers = (MEDICARE, MOHN, COMMERCIAL)
    for index in range(count):
        payer, pid = payers[index % 3], f"mrn-{index:05d}"
        rows.append(patient(pid, payer, rng))
        first = rng.randrange(0, 12)
        visits = [first + 3 * k + rng.randrange(0, 2) for k in range(1, 28)]
        visits = [v for v in visits if v < first + 86 and day(v) <= AS_OF - timedelta(days=2)]
        where, npi = rng.choice(("MO-01", "MO-99")), CLINICIANS[index % len(CLINICIANS)]
        lines_of = _visit_lines(payer, rng)
        if payer == MEDICARE:
            rows += medicare_plan(pid, day(first), 90, [day(v) for v in visits])
            rows.append(
                encounter(f"e-{index:05d}-00", pid, payer, day(first), [("97165", 45)], location=where, npi=npi)
            )
        elif payer == MOHN:
            rows.append(_authorization(pid, len(visits) + 1, day(first), day(first + 100)))
        for number, v in enumerate(visits, 1):
            rows.append(
                encounter(f"e-{index:05d}-{number:02d}", pid, payer, day(v), lines_of(), location=where, npi=npi)
            )
    return rows


def _visit_lines(payer: str, rng: random.Random) -> Any:
    second = "97535" if payer == MOHN else "97110"

    def lines() -> list[tuple[str, int]]:
        return [("97530", 15 + rng.randrange(0, 31)), (second, 8 + rng.randrange(0, 23))]

    return lines


def _authorization(pid: str, visits: int, start: date, end: date) -> dict[str, Any]:
    return {
        "record_type": "authorization",
        "authorization_id": f"auth-{pid.removeprefix('mrn-')}",
        "patient_id": pid,
        "payer_id": MOHN,
        "unit": "visits",
        "authorized": visits,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
    }


def plant_patients(planted: bool, rng: random.Random) -> list[dict[str, Any]]:
    """The patients whose days carry the planted errors (each error on a day of its own)."""
    rows: list[dict[str, Any]] = [
        patient(p, payer, rng)
        for p, payer in (
            ("mrn-m1", MEDICARE),
            ("mrn-m2", MEDICARE),
            ("mrn-m3", MEDICARE),
            ("mrn-m4", MEDICARE),
            ("mrn-h1", MOHN),
            ("mrn-c1", COMMERCIAL),
        )
    ]
    # m1: units (CMS), GO, CO and an NCCI pair, each on its own day under one certified plan
    m1 = [day(30), day(34), day(38), day(42)]
    rows += medicare_plan("mrn-m1", day(25), 90, m1)
    rows += [
        encounter("m1-eval", "mrn-m1", MEDICARE, day(25), [("97165", 45)]),
        encounter("m1-units-cms", "mrn-m1", MEDICARE, m1[0], [("97530", 12), ("97110", 9)]),
        encounter("m1-go", "mrn-m1", MEDICARE, m1[1], [("97110", 30)]),
        encounter("m1-co", "mrn-m1", MEDICARE, m1[2], [("97530", 30)], role="OTA", assistant_minutes=30),
        encounter("m1-ncci", "mrn-m1", MEDICARE, m1[3], [("97140", 15), ("97530", 15)], distinct=True),
    ]
    # m2: prior spend just under the 2026 OT threshold, so every line needs KX (attested)
    m2 = [day(50), day(53), day(57)]
    rows += medicare_plan("mrn-m2", day(47), 90, m2)
    rows.append(
        {
            "record_type": "therapy_spend",
            "patient_id": "mrn-m2",
            "year": 2026,
            "discipline": "ot",
            "amount": "2470.00",
            "source": "manual_entry",
            "as_of": day(46).isoformat(),
        }
    )
    rows.append(encounter("m2-eval", "mrn-m2", MEDICARE, day(47), [("97165", 45)]))
    rows += [encounter(f"m2-v{i}", "mrn-m2", MEDICARE, on, [("97530", 30)]) for i, on in enumerate(m2, 1)]
    # m3: a 30-day certification; the twin recertifies it, the planted practice bills day 36 without
    m3 = [day(40 + k) for k in (7, 14, 21, 28, 35)]
    plan3 = medicare_plan("mrn-m3", day(40), 30, m3)
    if not planted:
        plan3.append(
            {
                "record_type": "plan_event",
                "plan_id": "plan-m3",
                "kind": "recertified",
                "event_date": day(68).isoformat(),
                "certifier_npi": "1902809254",
                "certifier_credential": "MD",
                "duration_days": 30,
            }
        )
    rows += plan3
    rows.append(encounter("m3-eval", "mrn-m3", MEDICARE, day(40), [("97165", 45)]))
    rows += [encounter(f"m3-v{i}", "mrn-m3", MEDICARE, on, [("97530", 30)]) for i, on in enumerate(m3, 1)]
    # m4: eleven treatment days; the twin files the report on the tenth, the planted practice never does
    m4 = [day(20 + 3 * k) for k in range(1, 11)]
    plan4 = [
        r for r in medicare_plan("mrn-m4", day(20), 90, m4) if not planted or r.get("kind") != "progress_report_filed"
    ]
    rows += plan4
    rows.append(encounter("m4-eval", "mrn-m4", MEDICARE, day(20), [("97165", 45)]))
    rows += [encounter(f"m4-v{i}", "mrn-m4", MEDICARE, on, [("97530", 30)]) for i, on in enumerate(m4, 1)]
    # h1: MO HealthNet (CMS units, visit authorization): the planted authorization is one visit short
    rows.append(_authorization("mrn-h1", 1 if planted else 2, day(10), day(90)))
    rows.append(encounter("h1-units-cms", "mrn-h1", MOHN, day(30), [("97530", 38)]))
    rows.append(encounter("h1-auth", "mrn-h1", MOHN, day(60), [("97530", 30)]))
    # c1: commercial, AMA per-code units
    c1 = {
        "c1-units-ama-over": (day(20), [("97530", 22)]),
        "c1-units-ama-under": (day(22), [("97530", 10), ("97110", 10)]),
        "c1-timely": (AS_OF - timedelta(days=92), [("97530", 30)]),
        "c1-unbilled": (day(65), [("97530", 30)]),
        "c1-unacked": (day(66), [("97530", 30)]),
        "c1-underpaid": (day(45), [("97530", 30)]),
        "c1-denied-line": (day(46), [("97530", 30)]),
        "c1-denied-claim": (day(47), [("97530", 30)]),
    }
    rows += [encounter(eid, "mrn-c1", COMMERCIAL, on, lines) for eid, (on, lines) in c1.items()]
    return rows


def practice_records(patients: int = 24, *, planted: bool, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [*base_patients(patients, rng), *plant_patients(planted, random.Random(seed + 1))]
