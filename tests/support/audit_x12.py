"""The generated practice's files: encounters.jsonl, the 837P files it sent (rendered by the claims service's own
``render_837p`` from what the pipeline's rules bill for the clean twin), the 999s, and the 835s a payer would send
(written here: the pipeline only reads 835s). ``PLANTED_CLAIMS`` changes the claims and remittances of the plant
days; the records' own plants are in ``audit_practice``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from otrcm_audit.adapters.expected_billing import expected_days
from otrcm_audit.adapters.records_file import read_practice_records
from otrcm_audit.domain.model import ExpectedDay
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.x12.envelope import ControlNumbers, InterchangeParty, TradingPartners, Usage
from otrcm_claims.adapters.x12.loops_837p import Receiver, Submitter, amount
from otrcm_claims.adapters.x12.render_837p import render_837p
from otrcm_claims.domain import Address, BillingProvider, Claim, PersonName, ServiceLine, Subscriber
from tests.support.audit_practice import AS_OF, BILLING_NPI, practice_records

PARTNERS = TradingPartners(InterchangeParty("ZZ", "SUB123"), InterchangeParty("ZZ", "CH01"), Usage.TEST)
SUBMITTER = Submitter("MERIDIAN HAND AND OT", "SUB123", "3145550100")
RECEIVER = Receiver("CLEARINGHOUSE", "CH01")
PROVIDER = BillingProvider(
    "MERIDIAN HAND AND OT LLC",
    BILLING_NPI,
    "225X00000X",
    "431234567",
    Address("100 Main St", None, "Saint Louis", "MO", "63101"),
)
PAID_AFTER = timedelta(days=14)  # claims sent at least this long before the audit date have their 835
Lines = tuple[ServiceLine, ...]


def _drop_modifier(code: str, modifier: str) -> Callable[[Lines], Lines]:
    return lambda lines: tuple(
        replace(x, modifiers=tuple(m for m in x.modifiers if m != modifier)) if x.procedure_code == code else x
        for x in lines
    )


def _units(code: str, units: int) -> Callable[[Lines], Lines]:
    return lambda lines: tuple(replace(x, units=units) if x.procedure_code == code else x for x in lines)


def _add_97110(lines: Lines) -> Lines:
    first = lines[0]
    return (
        *lines,
        replace(first, line_control_number=first.line_control_number + "x", procedure_code="97110", units=1),
    )


PLANTED_CLAIMS: dict[str, Callable[[Lines], Lines]] = {
    "m1-units-cms": _add_97110,
    "m1-go": _drop_modifier("97110", "GO"),
    "m1-co": _drop_modifier("97530", "CO"),
    "m1-ncci": _drop_modifier("97530", "XU"),
    "m2-v2": _drop_modifier("97530", "KX"),
    "h1-units-cms": _units("97530", 2),
    "c1-units-ama-over": _units("97530", 2),
    "c1-units-ama-under": lambda lines: tuple(x for x in lines if x.procedure_code != "97110"),
}
NOT_BILLED = frozenset({"c1-timely", "c1-unbilled"})
UNACKNOWLEDGED = "c1-unacked"
UNDERPAID = {"c1-underpaid": Decimal("10.00")}  # allowed this much below the expected amount
DENIED_LINE, DENIED_CLAIM = "c1-denied-line", "c1-denied-claim"


def write_practice(root: Path, *, planted: bool, patients: int = 24) -> Path:
    """Write encounters.jsonl, claims/, remits/ and acks/ under ``root``; return the encounters file."""
    root.mkdir(parents=True, exist_ok=True)
    twin_file = root / "twin-records.jsonl"
    _write_jsonl(twin_file, practice_records(patients, planted=False))
    days, _ = expected_days(read_practice_records([twin_file], AS_OF), AS_OF)
    twin_file.unlink()
    encounters = root / "encounters.jsonl"
    _write_jsonl(encounters, practice_records(patients, planted=planted))
    profiles = BillingProfiles.load()
    claims = [_claim(n, day, profiles, planted) for n, day in enumerate(days, 1)]
    sent = [(claim, day) for claim, day in zip(claims, days, strict=True) if claim is not None]
    _write_batches(root, sent, planted)
    return encounters


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def _claim(number: int, day: ExpectedDay, profiles: BillingProfiles, planted: bool) -> Claim | None:
    first = day.encounter_ids[0]
    if planted and first in NOT_BILLED:
        return None
    charges = profiles.charge_master.per_unit
    lines: Lines = tuple(
        ServiceLine(
            f"K{number:06d}-{i}",
            line.code,
            charges[line.code] * line.units,
            line.units,
            (1,),
            day.date_of_service,
            line.modifiers,
        )
        for i, line in enumerate((x for x in day.lines if not x.held and x.units > 0), 1)
    )
    if planted and first in PLANTED_CLAIMS:
        lines = tuple(replace(x, charge=charges[x.procedure_code] * x.units) for x in PLANTED_CLAIMS[first](lines))
    subscriber = Subscriber(PersonName("DOE", "PAT"), day.match.member_id)
    payer = profiles.payers[day.payer_id].to_domain()
    return Claim(
        f"K{number:06d}",
        payer,
        PROVIDER,
        subscriber,
        sum((x.charge for x in lines), Decimal(0)),
        "11",
        ("M6281",),
        lines,
    )


def _write_batches(root: Path, sent: list[tuple[Claim, ExpectedDay]], planted: bool) -> None:
    batches: dict[tuple[str, object, bool], list[tuple[Claim, ExpectedDay]]] = {}
    for claim, day in sent:
        week = day.date_of_service - timedelta(days=day.date_of_service.weekday())
        alone = day.encounter_ids[0] == UNACKNOWLEDGED
        batches.setdefault((day.payer_id, week, alone), []).append((claim, day))
    for name in ("claims", "remits", "acks"):
        (root / name).mkdir(exist_ok=True)
    for control, ((_payer, week, alone), members) in enumerate(sorted(batches.items(), key=str), 1):
        created = datetime.combine(week + timedelta(days=7), time(9, 0))  # type: ignore[operator]
        rendered = render_837p(
            [c for c, _ in members],
            SUBMITTER,
            RECEIVER,
            PARTNERS,
            ControlNumbers(control, control),
            f"B{control:05d}",
            created,
        )
        (root / "claims" / f"837p-{control:05d}.x12").write_text(rendered.text, encoding="utf-8")
        if alone and planted:
            continue  # the planted claim nobody acknowledged, and nobody paid
        (root / "acks" / f"999-{control:05d}.x12").write_text(ack_999(control), encoding="utf-8")
        if created.date() <= AS_OF - PAID_AFTER:
            remit = remittance(members, control, created.date() + PAID_AFTER, planted)
            (root / "remits" / f"835-{control:05d}.x12").write_text(remit, encoding="utf-8")


def _envelope(kind: str, version: str, control: int, body: list[str], when: str) -> str:
    isa = (
        f"ISA*00*          *00*          *ZZ*{'CH01'.ljust(15)}*ZZ*{'SUB123'.ljust(15)}*{when[2:]}*0900*^*00501*"
        f"{control:09d}*0*T*:~"
    )
    set_segments = [*body, f"SE*{len(body) + 1}*0001"]
    return (
        isa
        + f"GS*{kind}*CH01*SUB123*{when}*0900*{control}*X*{version}~"
        + "".join(f"{s}~" for s in set_segments)
        + f"GE*1*{control}~IEA*1*{control:09d}~"
    )


def ack_999(group: int) -> str:
    body = [
        "ST*999*0001*005010X231A1",
        f"AK1*HC*{group}*005010X222A1",
        "AK2*837*0001*005010X222A1",
        "IK5*A",
        "AK9*A*1*1*1",
    ]
    return _envelope("FA", "005010X231A1", 500000 + group, body, AS_OF.strftime("%Y%m%d"))


def remittance(members: list[tuple[Claim, ExpectedDay]], control: int, paid_on: Any, planted: bool) -> str:
    """An 835 paying each claim line its expected amount (Medicare: 20% coinsurance), but the planted changes."""
    body: list[str] = []
    total = Decimal(0)
    for claim, day in members:
        first = day.encounter_ids[0]
        expected = {x.code: x for x in day.lines}
        segments, paid_sum, share_sum = [], Decimal(0), Decimal(0)
        denied_claim = planted and first == DENIED_CLAIM
        for line in claim.lines:
            wanted = expected.get(line.procedure_code)
            allowed = wanted.amount if wanted and wanted.amount is not None else Decimal("10.00")
            if wanted is not None and wanted.units and line.units != wanted.units and wanted.amount is not None:
                allowed = (wanted.amount / wanted.units * line.units).quantize(Decimal("0.01"))
            allowed -= UNDERPAID.get(first, Decimal(0)) if planted else Decimal(0)
            share = (
                (allowed * Decimal("0.20")).quantize(Decimal("0.01"))
                if day.payer_id.startswith("medicare")
                else Decimal(0)
            )
            denied = denied_claim or (planted and first == DENIED_LINE)
            paid = Decimal(0) if denied else allowed - share
            cas = [f"CAS*CO*50*{amount(line.charge)}"] if denied else [f"CAS*CO*45*{amount(line.charge - allowed)}"]
            if share and not denied:
                cas.append(f"CAS*PR*2*{amount(share)}")
            code = ":".join(("HC", line.procedure_code, *line.modifiers))
            segments += [
                f"SVC*{code}*{amount(line.charge)}*{amount(paid)}**{line.units}",
                f"DTM*472*{line.service_date.strftime('%Y%m%d')}",
                *cas,
                f"REF*6R*{line.line_control_number}",
            ]
            if not denied:
                segments.append(f"AMT*B6*{amount(allowed)}")
            paid_sum, share_sum = paid_sum + paid, share_sum + (0 if denied else share)
        status = "4" if denied_claim else "1"
        body += [
            f"CLP*{claim.claim_id}*{status}*{amount(claim.total_charge)}*{amount(paid_sum)}*{amount(share_sum)}*"
            f"{claim.payer.claim_filing_indicator.value}*PCN{claim.claim_id}*11*1",
            *segments,
        ]
        total += paid_sum
    when = paid_on.strftime("%Y%m%d")
    header = [
        "ST*835*0001",
        f"BPR*I*{amount(total)}*C*ACH************{when}",
        f"TRN*1*TRACE{control}*1431234567",
        "N1*PR*PAYER",
        f"N1*PE*MERIDIAN HAND AND OT LLC*XX*{BILLING_NPI}",
        "LX*1",
    ]
    return _envelope("HP", "005010X221A1", 700000 + control, [*header, *body], when)
