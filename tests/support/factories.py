"""Small builders of valid events for tests (fictional data only)."""

from __future__ import annotations

from datetime import date

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived, Provider, ProviderRole, ServiceLine


def encounter_received(
    encounter_id: str = "enc-1",
    *,
    tenant_id: str = "tenant-a",
    patient_key: str = "pk-1",
    on: date = date(2026, 3, 2),
    lines: tuple[tuple[str, int], ...] = (("97530", 23),),
) -> Envelope[EncounterReceived]:
    payload = EncounterReceived(
        encounter_id=encounter_id,
        patient_key=patient_key,
        payer_id="medicare-wps-j5",
        date_of_service=on,
        place_of_service="11",
        billing_provider_npi="1234567893",
        rendering_provider=Provider(npi="1234567893", role=ProviderRole.OT),
        diagnoses=("M62.81",),
        lines=tuple(
            ServiceLine(line_number=i, code=code, minutes=minutes, diagnosis_pointers=(1,))
            for i, (code, minutes) in enumerate(lines, start=1)
        ),
    )
    return Envelope.root(payload, tenant_id=tenant_id, subject=encounter_id, natural_key=encounter_id, stage="intake")
