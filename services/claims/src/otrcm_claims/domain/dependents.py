"""Who is insured and who was treated: the 837P subscriber (2010BA) and, for a dependent, the patient (2010CA).

Source: ASC X12 005010X222A1. When the patient is the subscriber (relationship 18) 2000B SBR02 = 18 and
2010BA carries the patient's name, member id, address and DMG. Otherwise SBR02 is empty, 2010BA carries the
subscriber (name and member id; N3/N4 when known; no DMG, which X222A1 sends only for a subscriber who is
the patient), and a 2000C loop (HL level 23, PAT01 the relationship) with 2010CA carries the patient's
name, address and DMG. A dependent whose record names no subscriber is held until the record does; the
reason names the fact waited for and never a person's value (docs/billing-rules.md#11-x12).
"""

from __future__ import annotations

from dataclasses import dataclass

from otrcm_claims.domain.parties import Address, Patient, PatientRelationship, PersonName, Sex, Subscriber
from otrcm_shared.events.patients import SELF, Coverage, PatientRecorded
from otrcm_shared.events.patients import Address as RecordedAddress

SUBSCRIBER_MISSING = "subscriber:"  # the reason a dependent's claim waits for the subscriber on the patient record


@dataclass(frozen=True, slots=True)
class InsuredParties:
    """The 2010BA subscriber and, when the patient is someone else, the 2010CA patient."""

    subscriber: Subscriber
    patient: Patient | None = None


def address_of(address: RecordedAddress) -> Address:
    """The recorded address in upper case, as N3/N4 carry it."""
    return Address(
        address.line1.upper(),
        address.city.upper(),
        address.state,
        address.postal_code,
        address.line2.upper() if address.line2 else None,
    )


def insured_parties(patient: PatientRecorded, coverage: Coverage) -> InsuredParties | str:
    """The parties of a claim under ``coverage``, or the problem that holds it (naming the fact it waits for)."""
    relationship = coverage.relationship_to_subscriber
    if relationship == SELF:
        return InsuredParties(
            Subscriber(
                PersonName(patient.last_name.upper(), patient.first_name.upper()),
                coverage.member_id,
                patient.birth_date,
                Sex(patient.sex),
                address_of(patient.address),
                coverage.group_number,
            )
        )
    try:
        pat01 = PatientRelationship(relationship)
    except ValueError:
        return (
            f"{SUBSCRIBER_MISSING} relationship code {relationship} on the coverage for payer {coverage.payer_id} "
            "is not an 837P patient relationship (PAT01); correct the patient record and the claim is rebuilt"
        )
    insured = coverage.subscriber
    if insured is None:
        return (
            f"{SUBSCRIBER_MISSING} the patient is not the subscriber (relationship {relationship}) on the coverage "
            f"for payer {coverage.payer_id} and the patient record names no subscriber; record the subscriber's "
            "name, birth date and sex on the patient (POST /v1/patients) and the claim is rebuilt"
        )
    subscriber = Subscriber(
        PersonName(insured.last_name.upper(), insured.first_name.upper()),
        insured.member_id or coverage.member_id,
        insured.birth_date,
        Sex(insured.sex) if insured.sex else None,
        address_of(insured.address) if insured.address else None,
        coverage.group_number,
    )
    dependent = Patient(
        PersonName(patient.last_name.upper(), patient.first_name.upper()),
        pat01,
        patient.birth_date,
        Sex(patient.sex),
        address_of(patient.address),
    )
    return InsuredParties(subscriber, dependent)
