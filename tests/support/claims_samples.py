"""Fictional inputs for the claims service tests: a patient record, ready days, and the 999, 277CA
and 835 a payer would send back for one of our interchanges. Every name, id and address is invented.

NPIs: 1234567893 (the sample clinic's billing NPI, valid check digit), 1122334455 (the rendering OT),
1245319599 (the certifying physician); see tests/unit/claims/builders.py for the check digits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from otrcm_shared.events import Envelope
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.claim_lines import ClaimLinesReady, ReadyLine
from otrcm_shared.events.encounters import Provider, ProviderRole
from otrcm_shared.events.patients import Address, Coverage, PatientRecorded, Subscriber

CLINIC_NPI = "1234567893"
CLINIC_TIN = "431234567"  # the sample billing profile's TIN (2010AA REF*EI)
THERAPIST_NPI = "1122334455"
PHYSICIAN_NPI = "1245319599"
MEDICARE = "medicare-wps-j5"
DOS = date(2026, 3, 10)


def clinic_registration(npi: str = CLINIC_NPI, **changes: object) -> BillingProviderRegistered:
    """The sample clinic's billing provider (invented organisation; submitter SUB123 to clearinghouse CH01)."""
    body: dict[str, object] = {
        "npi": npi,
        "name": "MERIDIAN HAND AND OT LLC",
        "taxonomy": "225X00000X",
        "tin": "431234567",
        "address": {"line1": "100 MAIN ST", "city": "COLUMBIA", "state": "MO", "postal_code": "652011234"},
        "submitter": {"name": "MERIDIAN HAND AND OT", "id": "SUB123", "contact_phone": "5735550100",
                      "contact_name": "BILLING DESK"},
        "receiver": {"name": "SHOWME CLEARINGHOUSE", "id": "CH01"},
        "interchange_sender": {"qualifier": "ZZ", "id": "SUB123"},
        "interchange_receiver": {"qualifier": "ZZ", "id": "CH01"},
        "usage": "T",
        **changes,
    }  # fmt: skip
    return BillingProviderRegistered.model_validate(body)


def billing_provider_registered(
    tenant_id: str, registration: BillingProviderRegistered | None = None
) -> Envelope[BillingProviderRegistered]:
    payload = registration or clinic_registration()
    return Envelope.root(
        payload, tenant_id=tenant_id, subject=payload.npi, natural_key=f"bp/{payload.model_dump_json()}", stage="intake"
    )


def patient_recorded(tenant_id: str, patient_key: str, payer_id: str = MEDICARE) -> Envelope[PatientRecorded]:
    payload = PatientRecorded(
        patient_key=patient_key,
        first_name="Prudence",
        last_name="Quillfeather",
        birth_date=date(1948, 3, 7),
        sex="F",
        address=Address(line1="5 Elm St", city="Columbia", state="MO", postal_code="65201"),
        coverages=(Coverage(payer_id=payer_id, member_id="1EG4TE5MK73"),),
    )
    return Envelope.root(payload, tenant_id=tenant_id, subject=patient_key, natural_key=patient_key, stage="intake")


COMMERCIAL = "blue-commercial-ama"


def parent_subscriber() -> Subscriber:
    """An invented parent who holds the commercial plan a child is covered under."""
    return Subscriber(
        first_name="Hector",
        last_name="Quillfeather",
        birth_date=date(1984, 6, 2),
        sex="M",
        address=Address(line1="5 Elm St", city="Columbia", state="MO", postal_code="65201"),
    )


def dependent_recorded(
    tenant_id: str, patient_key: str, subscriber: Subscriber | None = None, relationship: str = "19"
) -> Envelope[PatientRecorded]:
    """A child (invented) covered as a dependent on a parent's commercial plan; ``subscriber`` None is a record
    kept before the door asked for the subscriber."""
    payload = PatientRecorded(
        patient_key=patient_key,
        first_name="Tobias",
        last_name="Quillfeather",
        birth_date=date(2019, 9, 14),
        sex="M",
        address=Address(line1="5 Elm St", city="Columbia", state="MO", postal_code="65201"),
        coverages=(
            Coverage(
                payer_id=COMMERCIAL,
                member_id="XQB884120301",
                group_number="GRP7781",
                relationship_to_subscriber=relationship,
                subscriber=subscriber,
            ),
        ),
    )
    version = "with-subscriber" if subscriber else "without-subscriber"  # each record its own event
    natural_key = f"{patient_key}/{relationship}/{version}"
    return Envelope.root(payload, tenant_id=tenant_id, subject=patient_key, natural_key=natural_key, stage="intake")


def ready_line(line_key: str, code: str = "97530", units: int = 2, modifiers: tuple[str, ...] = ("GO",)) -> ReadyLine:
    return ReadyLine(
        line_key=line_key,
        encounter_id=line_key.split("#")[0],
        line_number=1,
        code=code,
        modifiers=modifiers,
        units=units,
        diagnosis_codes=("M62.81",),
        expected_allowed=Decimal("58.20"),
    )


def claim_lines_ready(
    tenant_id: str,
    patient_key: str,
    *,
    version: int = 1,
    lines: tuple[ReadyLine, ...] | None = None,
    on: date = DOS,
    payer_id: str = MEDICARE,
    billing_npi: str = CLINIC_NPI,
) -> Envelope[ClaimLinesReady]:
    day_key = f"{patient_key}/{on.isoformat()}/OT/{payer_id}/{billing_npi}"
    payload = ClaimLinesReady(
        day_key=day_key,
        version=version,
        units_revision=1,
        gate_revision=version,
        patient_key=patient_key,
        payer_id=payer_id,
        date_of_service=on,
        place_of_service="11",
        billing_provider_npi=billing_npi,
        rendering_provider=Provider(npi=THERAPIST_NPI, role=ProviderRole.OT),
        referring_provider_npi=PHYSICIAN_NPI,
        lines=lines if lines is not None else (ready_line(f"{patient_key}-enc-1#1"),),
    )
    return Envelope.root(
        payload, tenant_id=tenant_id, subject=day_key, natural_key=f"{day_key}/v{version}", stage="modifiers"
    )


OUR_SUBMITTER = "SUB123"  # the sample billing profile's interchange sender (ISA06 of our 837P)
OUR_CLEARINGHOUSE = "CH01"  # its interchange receiver (ISA08 of our 837P)


def _isa(sender: str, receiver: str, control: int) -> str:
    return (
        f"ISA*00*          *00*          *ZZ*{sender.ljust(15)}*ZZ*{receiver.ljust(15)}*260312*0900*^*00501*"
        f"{control:09d}*0*T*:~"
    )


def envelope(
    functional_id: str,
    version: str,
    control: int,
    body: list[str],
    sender: str = OUR_CLEARINGHOUSE,
    receiver: str = OUR_SUBMITTER,
) -> str:
    """ISA/GS around one transaction set whose SE01 is counted here; addressed to ``receiver`` (us by default)."""
    set_segments = [*body, f"SE*{len(body) + 1}*0001"]
    return (
        _isa(sender, receiver, control)
        + f"GS*{functional_id}*{sender}*{receiver}*20260312*0900*{control}*X*{version}~"
        + "".join(f"{segment}~" for segment in set_segments)
        + f"GE*1*{control}~IEA*1*{control:09d}~"
    )


def claim_ack_277ca(
    batch_reference: str,
    claim_id: str,
    charge: str,
    stc: str,
    control: int,
    *,
    addressed_to: str = OUR_SUBMITTER,
    from_: str = "05302",
    payer_claim_number: str | None = None,
) -> str:
    """A 277CA acknowledging one claim of a batch with one STC (e.g. ``A2:20:PR`` or ``A7:562:85``);
    ``addressed_to`` another submitter makes it someone else's acknowledgment; ``payer_claim_number`` is the
    payer's claim control number (2200D REF*1K)."""
    body = [
        "ST*277*0001*005010X214",
        "BHT*0085*08*RCPT0001*20260312*0900*TH",
        "HL*1**20*1",
        "NM1*PR*2*WPS MEDICARE PART B*****PI*05302",
        "TRN*1*RCPT0001",
        "DTP*050*D8*20260312",
        "DTP*009*D8*20260312",
        "HL*2*1*21*1",
        f"NM1*41*2*MERIDIAN HAND AND OT*****46*{addressed_to}",
        "TRN*2*" + batch_reference,
        "STC*A1:19:PR*20260312*WQ*" + charge,
        "QTY*90*1",
        "AMT*YU*" + charge,
        "HL*3*2*19*1",
        "NM1*85*2*MERIDIAN HAND AND OT LLC*****XX*1234567893",
        "TRN*1*0",
        "STC*A1:19:PR**WQ*" + charge,
        "HL*4*3*PT",
        "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",
        "TRN*2*" + claim_id,
        f"STC*{stc}*20260312*{'WQ' if stc.startswith('A2') else 'U'}*{charge}",
        *([f"REF*1K*{payer_claim_number}"] if payer_claim_number else []),
        "DTP*472*D8*20260310",
    ]
    return envelope("HN", "005010X214", control, body, sender=from_, receiver=addressed_to)


def remittance_835(
    claim_id: str,
    charge: str,
    paid: str,
    clp02: str,
    line: str,
    cas: list[str],
    control: int,
    *,
    addressed_to: str = OUR_SUBMITTER,
    from_: str = "05302",
    payee_npi: str = CLINIC_NPI,
    payee_tin: str = CLINIC_TIN,
    line_control_number: str | None = None,
) -> str:
    """An 835 paying (or denying) one claim with one service line; ``line`` is ``code:mods`` e.g. ``97530:GO``.
    ``addressed_to``, ``payee_npi``/``payee_tin`` other than ours make it someone else's remittance."""
    body = [
        "ST*835*0001",
        f"BPR*{'I' if Decimal(paid) > 0 else 'H'}*{paid}*C*{'CHK' if Decimal(paid) > 0 else 'NON'}************20260415",
        f"TRN*1*TRACE{control}*1431234567",
        "DTM*405*20260415",
        "N1*PR*WPS MEDICARE PART B",
        "N3*PO BOX 1787",
        "N4*MADISON*WI*53701",
        "PER*BL*EDI HELP*TE*8005551234",
        f"N1*PE*MERIDIAN HAND AND OT LLC*XX*{payee_npi}",
        f"REF*TJ*{payee_tin}",
        "LX*1",
        f"CLP*{claim_id}*{clp02}*{charge}*{paid}*0*MB*PCN{control}*11*1",
        "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",
        f"SVC*HC:{line}*{charge}*{paid}**2",
        "DTM*472*20260310",
        *cas,
        f"REF*6R*{line_control_number or claim_id + '-1'}",
    ]
    return envelope("HP", "005010X221A1", control, body, sender=from_, receiver=addressed_to)


def syntax_ack_999(
    group_control_number: int,
    accepted: bool,
    control: int,
    *,
    addressed_to: str = OUR_SUBMITTER,
    from_: str = OUR_CLEARINGHOUSE,
    transaction_set_control_number: str = "0001",
) -> str:
    """A 999 for the functional group ``group_control_number`` (AK1) and its transaction set (AK2);
    ``addressed_to``/``from_`` other than ours make it an acknowledgment of someone else's 837P."""
    body = [
        "ST*999*0001*005010X231A1",
        f"AK1*HC*{group_control_number}*005010X222A1",
        f"AK2*837*{transaction_set_control_number}*005010X222A1",
        *([] if accepted else ["IK3*CLM*5*2300*8"]),
        "IK5*A" if accepted else "IK5*R*5",
        f"AK9*{'A' if accepted else 'R'}*1*1*{1 if accepted else 0}",
    ]
    return envelope("FA", "005010X231A1", control, body, sender=from_, receiver=addressed_to)
