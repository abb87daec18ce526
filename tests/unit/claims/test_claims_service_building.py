"""Building a claim from a draft, the patient record and the sample billing profiles (pure), and the
file drop's naming and atomic write."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.clearinghouse import FileDropClearinghouse, interchange_file_name
from otrcm_claims.domain import ModifierPolicy, check_claim, npi_check_digit_is_valid
from otrcm_claims.domain.grouping import ClaimDraft, group_days
from otrcm_claims.usecases.claim_builder import build_claim
from otrcm_shared.events.claim_lines import ReadyLine
from otrcm_shared.events.patients import Coverage
from tests.support.claims_samples import claim_lines_ready, clinic_registration, patient_recorded, ready_line

pytestmark = pytest.mark.unit

TENANT = "tenant-x"
REGISTERED = {"1234567893": clinic_registration()}


def _draft(*lines: ReadyLine, billing_npi: str = "1234567893") -> ClaimDraft:
    day = claim_lines_ready(TENANT, "pk-a", lines=lines or None, billing_npi=billing_npi).payload
    [draft] = group_days(TENANT, [day])
    return draft


def test_the_sample_profiles_are_labelled_and_their_npis_have_valid_check_digits() -> None:
    profiles = BillingProfiles.load()
    assert profiles.sample
    assert "SAMPLE" in profiles.description
    assert all(npi_check_digit_is_valid(npi) for npi in profiles.providers)
    assert "billing_providers" not in profiles.model_dump(), "billing providers are registered per tenant"


def test_a_built_claim_charges_units_times_the_unit_charge_and_passes_the_claim_checks() -> None:
    draft = _draft(ready_line("e#1", "97530", units=2), ready_line("e#2", "97110", units=1))
    built = build_claim(draft, patient_recorded(TENANT, "pk-a").payload, BillingProfiles.load(), REGISTERED)

    assert built.problems == ()
    assert built.claim is not None
    assert [line.charge for line in built.claim.lines] == [Decimal("120.00"), Decimal("55.00")]
    assert built.claim.total_charge == Decimal("175.00")
    assert built.claim.payer.payer_id == "05302"
    assert built.claim.subscriber.name.last == "QUILLFEATHER"
    assert [line["line_key"] for line in built.lines] == ["e#1", "e#2"]
    assert [line.line_control_number for line in built.claim.lines] == [f"{draft.claim_id}-1", f"{draft.claim_id}-2"]
    assert check_claim(built.claim, ModifierPolicy.builtin()) == ()


def test_what_cannot_be_built_is_a_problem_that_names_no_phi() -> None:
    patient = patient_recorded(TENANT, "pk-a").payload
    dependent = patient.model_copy(
        update={"coverages": (Coverage(payer_id="medicare-wps-j5", member_id="X1", relationship_to_subscriber="19"),)}
    )
    draft = _draft(ready_line("e#1", "97999"), billing_npi="1000000004")
    built = build_claim(draft, dependent, BillingProfiles.load(), REGISTERED)

    assert built.claim is None
    assert [problem.split(":")[0] for problem in built.problems] == ["billing-profile", "subscriber", "charge-master"]
    for problem in built.problems:
        assert "QUILLFEATHER" not in problem.upper()
        assert "X1" not in problem


def test_a_claim_bills_only_as_a_billing_provider_registered_to_its_tenant() -> None:
    """The sample file names no billing provider: without the tenant's registration the claim is held,
    and with it the 2010AA loop is the registered organisation's NPI and tax id."""
    patient = patient_recorded(TENANT, "pk-a").payload
    unregistered = build_claim(_draft(ready_line("e#1")), patient, BillingProfiles.load(), {})
    assert unregistered.claim is None
    assert [problem.split(":")[0] for problem in unregistered.problems] == ["billing-profile"]

    other = clinic_registration(tin="439999999", name="ANOTHER PRACTICE LLC")
    built = build_claim(_draft(ready_line("e#1")), patient, BillingProfiles.load(), {"1234567893": other})
    assert built.claim is not None
    assert (built.claim.billing_provider.npi, built.claim.billing_provider.tin) == ("1234567893", "439999999")
    assert built.claim.billing_provider.name == "ANOTHER PRACTICE LLC"


async def test_the_file_drop_names_the_file_by_its_control_number_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    drop = FileDropClearinghouse(tmp_path / "837p")
    where = await drop.submit(123, "ISA*...~")
    await drop.submit(123, "ISA*...~")  # the same interchange again replaces it

    assert interchange_file_name(123) == "837P-000000123.x12"
    assert Path(where).name == "837P-000000123.x12"
    assert sorted(p.name for p in (tmp_path / "837p").iterdir()) == ["837P-000000123.x12"]
