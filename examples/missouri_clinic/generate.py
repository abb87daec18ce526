"""Writes the sample Missouri OT practice the main job (`make run`) bills: a fictional practice, its
patients, plans of care, authorizations and seven weeks of encounters. Run it to regenerate the files:
``python examples/missouri_clinic/generate.py``. Every name, NPI and member id here is invented.

Dates follow the business date (docs/adr/005): the seven weeks of visits end the week before
``BUSINESS_DATE``, and every other date (evaluations, certifications, authorizations, the recertification)
is a fixed number of days from the first Monday of those weeks, so moving the business date moves the
whole sample and every scenario keeps its meaning. Nothing is random: the same business date writes the
same files. The visits stay inside one calendar year, so the threshold scenario is that year's.
Where the reference data has no version for the dates (CMS GPCI 2026, today) the pipeline prices them
provisionally from the newest earlier version, and the main job's report says which.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TENANT = "gateway-ot"
BILLING_NPI = "1748392010"  # Gateway Hand & Neuro Therapy (organization); Luhn digit 0
OT_DANA = {"npi": "1284650938", "role": "OT"}  # Dana Reyes, OTR/L
OT_MILES = {"npi": "1567328400", "role": "OT"}  # Miles Okafor, OTR/L, CHT
OTA_JO = {"npi": "1903572646", "role": "OTA"}  # Jo Lindqvist, COTA/L
CERTIFIER = {"npi": "1339485728", "credential": "MD"}  # Dr. Priya Anand, physiatrist
ST_LOUIS, REST_OF_STATE = "MO-01", "MO-99"  # location ids name their Medicare locality
BUSINESS_DATE = date(2026, 11, 20)  # the date the main job treats as today (a Friday)
# The first Monday of the sample's seven weeks of visits: seven weeks before the business date's week.
START = BUSINESS_DATE - timedelta(weeks=7, days=BUSINESS_DATE.weekday())


def at(offset: int) -> date:
    """The sample's calendar: ``offset`` days from START (negative: before the first visit)."""
    return START + timedelta(days=offset)


def iso(offset: int) -> str:
    return at(offset).isoformat()


PATIENTS: list[dict[str, Any]] = [
    # patient_id, names, birth date, sex, payer, member id, city/zip
    {"patient_id": "gw-1001", "first_name": "Harriet", "last_name": "Vance", "birth_date": "1951-04-12", "sex": "F",
     "payer": "medicare-wps-j5", "member_id": "1EG4TE5MK73", "city": "Clayton", "zip": "63105"},
    {"patient_id": "gw-1002", "first_name": "Walter", "last_name": "Pruitt", "birth_date": "1946-09-30", "sex": "M",
     "payer": "medicare-wps-j5", "member_id": "2GH5UF6NK84", "city": "Kirkwood", "zip": "63122"},
    {"patient_id": "gw-1003", "first_name": "Opal", "last_name": "Fenwick", "birth_date": "1949-01-22", "sex": "F",
     "payer": "medicare-wps-j5", "member_id": "3JK6VG7PM95", "city": "Rolla", "zip": "65401"},
    {"patient_id": "gw-1004", "first_name": "Mateo", "last_name": "Ibarra", "birth_date": "2018-06-03", "sex": "M",
     "payer": "mo-healthnet-ffs", "member_id": "MO98765432", "city": "Saint Louis", "zip": "63110"},
    {"patient_id": "gw-1005", "first_name": "Lila", "last_name": "Brandt", "birth_date": "2016-11-19", "sex": "F",
     "payer": "school-iep", "member_id": "MO12345678", "city": "Rolla", "zip": "65401"},
    {"patient_id": "gw-1006", "first_name": "Gordon", "last_name": "Maddox", "birth_date": "1953-03-08", "sex": "M",
     "payer": "medicare-wps-j5", "member_id": "4KM7WH8QN06", "city": "Webster Groves", "zip": "63119"},
    {"patient_id": "gw-1007", "first_name": "Renata", "last_name": "Cole", "birth_date": "1979-07-14", "sex": "F",
     "payer": "blue-commercial-ama", "member_id": "BKC556677881", "city": "Saint Louis", "zip": "63108"},
    {"patient_id": "gw-1008", "first_name": "Tobias", "last_name": "Greer", "birth_date": "1950-12-01", "sex": "M",
     "payer": "medicare-wps-j5", "member_id": "5MN8XJ9RP17", "city": "Rolla", "zip": "65401"},
    {"patient_id": "gw-1009", "first_name": "Ava", "last_name": "Sorensen", "birth_date": "2012-02-27", "sex": "F",
     "payer": "mo-healthnet-healthy-blue", "member_id": "HB44332211", "city": "Florissant", "zip": "63031"},
]  # fmt: skip


def patient_record(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "patient_id": p["patient_id"], "first_name": p["first_name"], "last_name": p["last_name"],
        "birth_date": p["birth_date"], "sex": p["sex"],
        "address": {"line1": "100 Sample Ave", "city": p["city"], "state": "MO", "postal_code": p["zip"]},
        "coverages": [{"payer_id": p["payer"], "member_id": p["member_id"]}],
    }  # fmt: skip


def plan(plan_id: str, patient_id: str, evaluation: str, days: int, **extra: Any) -> dict[str, Any]:
    return {"plan_id": plan_id, "patient_id": patient_id, "evaluation_date": evaluation, "duration_days": days, **extra}


PLANS = [
    plan("poc-1001", "gw-1001", iso(0), 60),
    plan("poc-1002", "gw-1002", iso(0), 90),
    plan("poc-1003", "gw-1003", iso(0), 90),
    plan("poc-1006", "gw-1006", iso(1), 60),
    plan("poc-1008", "gw-1008", iso(-62), 90),  # its 90 days end on day 27: recertified mid-run
    # The IEP covers the school year the visits fall in (late August to late May).
    plan("iep-1005", "gw-1005", iso(-35), 300, is_iep=True, iep_start=iso(-35), iep_end=iso(235)),
]
CERTIFIED = {"poc-1001": iso(3), "poc-1002": iso(2), "poc-1003": iso(2), "poc-1006": iso(4), "poc-1008": iso(-60)}
RECERTIFICATION = {"plan_id": "poc-1008", "kind": "recertified", "event_date": iso(35), "duration_days": 60,
                   **{"certifier_npi": CERTIFIER["npi"], "certifier_credential": CERTIFIER["credential"]}}  # fmt: skip
AUTHORIZATIONS = [
    {"authorization_id": "mohn-pa-1004", "patient_id": "gw-1004", "payer_id": "mo-healthnet-ffs", "authorized": 6,
     "start_date": iso(-2), "end_date": iso(89)},
    {"authorization_id": "hb-pa-1009", "patient_id": "gw-1009", "payer_id": "mo-healthnet-healthy-blue",
     "authorized": 12, "start_date": iso(-2), "end_date": iso(117)},
]  # fmt: skip


def weekdays(start: date, count: int, step: int = 1) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=step)
    return days


def encounter(
    eid: str,
    patient: str,
    payer: str,
    on: date,
    location: str,
    rendering: dict[str, str],
    diagnoses: list[str],
    lines: list[tuple[str, int, int]],
    pos: str = "11",
    **attest: bool,
) -> dict[str, Any]:
    return {
        "encounter_id": eid, "patient_id": patient, "payer_id": payer, "date_of_service": on.isoformat(),
        "place_of_service": pos, "billing_provider_npi": BILLING_NPI, "rendering_provider": rendering,
        "location_id": location, "diagnoses": diagnoses,
        "lines": [{"line_number": n, "code": code, "minutes": minutes, "assistant_minutes": ota,
                   "diagnosis_pointers": [1]} for n, (code, minutes, ota) in enumerate(lines, start=1)],
        "attestations": {"medical_necessity_documented": attest.get("necessity", True),
                         "distinct_time_blocks": attest.get("distinct", False)},
    }  # fmt: skip


def encounters() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    # Adult hand therapy after a distal radius fracture: evaluation, orthotic training, then treatment.
    hand = ["S52.531D", "M25.631"]
    out.append(encounter("gw-e-1001-01", "gw-1001", "medicare-wps-j5", at(0), ST_LOUIS, OT_MILES, hand,
                         [("97166", 45, 0), ("97760", 20, 0)]))  # fmt: skip
    for i, day in enumerate(weekdays(at(2), 10, step=2), start=2):
        out.append(encounter(f"gw-e-1001-{i:02d}", "gw-1001", "medicare-wps-j5", day, ST_LOUIS, OT_MILES, hand,
                             [("97110", 23, 0), ("97763", 10, 0), ("97140", 8, 0)], distinct=True))  # fmt: skip
    # Same-day double visit: morning exercise, afternoon self-care; the minutes pool into one day.
    out.append(encounter("gw-e-1001-am", "gw-1001", "medicare-wps-j5", at(29), ST_LOUIS, OT_MILES, hand,
                         [("97110", 10, 0)]))  # fmt: skip
    out.append(encounter("gw-e-1001-pm", "gw-1001", "medicare-wps-j5", at(29), ST_LOUIS, OT_MILES, hand,
                         [("97535", 12, 0)]))  # fmt: skip
    # Two adult neuro patients after a stroke, seen daily: both cross the year's OT threshold ($2,480 in 2026).
    neuro = ["I69.351", "R26.89"]
    for patient, attested in (("gw-1002", True), ("gw-1003", False)):
        location = ST_LOUIS if patient == "gw-1002" else REST_OF_STATE
        out.append(encounter(f"gw-e-{patient[3:]}-00", patient, "medicare-wps-j5", at(0), location,
                             OT_DANA, neuro, [("97167", 60, 0)]))  # fmt: skip
        for i, day in enumerate(weekdays(at(1), 34), start=1):
            out.append(encounter(f"gw-e-{patient[3:]}-{i:02d}", patient, "medicare-wps-j5", day, location, OT_DANA,
                                 neuro, [("97530", 38, 0), ("97110", 23, 0), ("97535", 23, 0)],
                                 necessity=attested))  # fmt: skip
    # Pediatric EPSDT (MO HealthNet): an authorization for 6 visits, 8 visits: the last two are held.
    peds = ["F82", "R27.8"]
    for i, day in enumerate(weekdays(at(7), 8, step=3), start=1):
        out.append(encounter(f"gw-e-1004-{i:02d}", "gw-1004", "mo-healthnet-ffs", day, ST_LOUIS, OT_DANA, peds,
                             [("97530", 30, 0), ("97533", 15, 0)]))  # fmt: skip
    # School-based IEP sessions at the school (place of service 03), billed by the district's program.
    for i, day in enumerate(weekdays(at(8), 6, step=7), start=1):
        out.append(encounter(f"gw-e-1005-{i:02d}", "gw-1005", "school-iep", day, REST_OF_STATE, OT_DANA,
                             ["F82"], [("97530", 30, 0)], pos="03"))  # fmt: skip
    # An OTA-furnished visit (CO), and a 97140 + 97530 day with and without distinct time blocks.
    shoulder = ["M75.101"]
    out.append(encounter("gw-e-1006-00", "gw-1006", "medicare-wps-j5", at(1), ST_LOUIS, OT_DANA,
                         shoulder, [("97165", 40, 0)]))  # fmt: skip
    out.append(encounter("gw-e-1006-01", "gw-1006", "medicare-wps-j5", at(9), ST_LOUIS, OTA_JO,
                         shoulder, [("97110", 30, 30), ("97535", 15, 15)]))  # fmt: skip
    out.append(encounter("gw-e-1006-02", "gw-1006", "medicare-wps-j5", at(16), ST_LOUIS, OT_DANA,
                         shoulder, [("97140", 15, 0), ("97530", 30, 0)], distinct=True))  # fmt: skip
    out.append(encounter("gw-e-1006-03", "gw-1006", "medicare-wps-j5", at(23), ST_LOUIS, OT_DANA,
                         shoulder, [("97140", 15, 0), ("97530", 30, 0)], distinct=False))  # fmt: skip
    # Commercial Blue plan paying by the AMA per-code method.
    for i, day in enumerate(weekdays(at(3), 4, step=7), start=1):
        out.append(encounter(f"gw-e-1007-{i:02d}", "gw-1007", "blue-commercial-ama", day, ST_LOUIS, OT_MILES,
                             ["M65.4"], [("97110", 20, 0), ("97140", 7, 0), ("97760", 7, 0)]))  # fmt: skip
    # A plan of care whose 90 days end on day 27; the visits after it wait for the recertification (day 35).
    for i, day in enumerate(weekdays(at(21), 6, step=2), start=1):
        out.append(encounter(f"gw-e-1008-{i:02d}", "gw-1008", "medicare-wps-j5", day, REST_OF_STATE, OT_DANA,
                             ["G20.A1"], [("97530", 25, 0), ("97535", 15, 0)]))  # fmt: skip
    # Managed-care (Healthy Blue) child under its authorization.
    for i, day in enumerate(weekdays(at(9), 4, step=7), start=1):
        out.append(encounter(f"gw-e-1009-{i:02d}", "gw-1009", "mo-healthnet-healthy-blue", day, ST_LOUIS, OT_DANA,
                             ["F84.0"], [("97530", 30, 0), ("97533", 15, 0)]))  # fmt: skip
    return out


MEDICARE_PLANS = {"gw-1001": "poc-1001", "gw-1002": "poc-1002", "gw-1003": "poc-1003", "gw-1006": "poc-1006",
                  "gw-1008": "poc-1008"}  # fmt: skip


def progress_reports(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The OT's progress report on every 9th treatment day of each Medicare plan (due every 10;
    Pub. 100-02 Ch. 15 §220.3), counting the evaluation as treatment day 1."""
    reports = []
    for patient, plan_id in MEDICARE_PLANS.items():
        days = sorted({row["date_of_service"] for row in rows if row["patient_id"] == patient})
        reports += [{"plan_id": plan_id, "kind": "progress_report_filed", "event_date": day} for day in days[8::9]]
    return reports


def bad_encounters() -> list[dict[str, Any]]:
    """Records the front door must refuse, each with its reason."""
    base = encounter("gw-bad-01", "gw-1001", "medicare-wps-j5", at(28), ST_LOUIS, OT_MILES, ["S52.531D"],
                     [("97110", 23, 0)])  # fmt: skip
    bad_npi = {**base, "encounter_id": "gw-bad-01", "billing_provider_npi": "1748392011"}
    unknown_code = {**base, "encounter_id": "gw-bad-02", "lines": [{**base["lines"][0], "code": "97014"}]}
    future = {**base, "encounter_id": "gw-bad-03", "date_of_service": date(BUSINESS_DATE.year + 1, 1, 4).isoformat()}
    assistant = {**base, "encounter_id": "gw-bad-04", "lines": [{**base["lines"][0], "assistant_minutes": 40}]}
    pointer = {**base, "encounter_id": "gw-bad-05", "lines": [{**base["lines"][0], "diagnosis_pointers": [3]}]}
    unknown_payer = {**base, "encounter_id": "gw-bad-06", "payer_id": "acme-health"}
    return [bad_npi, unknown_code, future, assistant, pointer, unknown_payer]


def certification(plan_id: str, on: str) -> dict[str, Any]:
    signer = {"certifier_npi": CERTIFIER["npi"], "certifier_credential": CERTIFIER["credential"]}
    return {"plan_id": plan_id, "kind": "certified", "event_date": on, **signer}


def main() -> None:
    assert START.year == BUSINESS_DATE.year, "the visits must stay inside the business date's calendar year"
    practice = {
        "tenant_id": TENANT, "name": "Gateway Hand & Neuro Therapy, LLC", "billing_npi": BILLING_NPI,
        "locations": {ST_LOUIS: "Clayton clinic (St. Louis metro)", REST_OF_STATE: "Rolla clinic (rest of state)"},
        "certifier": CERTIFIER, "business_date": BUSINESS_DATE.isoformat(),
    }  # fmt: skip
    files = {
        "practice.json": practice,
        "patients.json": [patient_record(p) for p in PATIENTS],
        "plans.json": PLANS,
        "certifications.json": [certification(pid, on) for pid, on in CERTIFIED.items()],
        "recertifications.json": [RECERTIFICATION],
        "authorizations.json": AUTHORIZATIONS,
    }
    for name, content in files.items():
        (HERE / name).write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    rows = encounters() + bad_encounters()
    (HERE / "progress_reports.json").write_text(json.dumps(progress_reports(encounters()), indent=2) + "\n")
    (HERE / "encounters.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
