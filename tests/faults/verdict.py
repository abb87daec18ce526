"""The fault suites' verdict: the run's observations sorted into lost, duplicates and wrong identity, the PHI
scan, and the rows of the one table. Shared by the single-broker suite and the cluster suite, so both print
the same table and hold the pipeline to the same invariants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.faults import invariants
from tests.faults.observe import Observations
from tests.faults.phi import run_sources, scan_texts
from tests.faults.scenario import ENCOUNTERS_SUBMITTED_NAME, FaultRun

THRESHOLD_PAYERS = frozenset({"medicare-wps-j5"})


def findings(obs: Observations, run: FaultRun) -> tuple[list[str], list[str]]:
    """(lost, duplicates): each a list of one-line findings naming ids only."""
    poison = [(p.kind, (ENCOUNTERS_SUBMITTED_NAME, p.partition, p.offset)) for p in run.poison]
    claims_lost, claims_twice = invariants.billable_days_without_exactly_one_claim(obs)
    lost = (
        invariants.encounters_not_final(obs)
        + [f for f in invariants.encounters_received_other_than_once(obs) if "never" in f]
        + invariants.units_days_missing_encounters(obs)
        + claims_lost
        + invariants.poison_without_letter(obs, poison)
    )
    twice = (
        [f for f in invariants.encounters_received_other_than_once(obs) if "never" not in f]
        + invariants.units_days_counted_twice(obs)
        + claims_twice
        + invariants.accruals_not_equal_to_billed_lines(obs, THRESHOLD_PAYERS)
        + invariants.events_with_conflicting_copies(obs)
    )
    return lost, twice


def wrong_identity(obs: Observations) -> list[str]:
    return (
        invariants.claims_with_two_billing_providers(obs)
        + invariants.claims_billed_under_another_identity(obs)
        + invariants.claims_moved_by_acknowledgments_not_addressed_to_them(obs)
    )


def phi_hits(var_dir: Path, obs: Observations, run: FaultRun) -> dict[str, int]:
    """Every generated name, birth date and member id searched in the logs, spans and dead letters."""
    return scan_texts(run_sources(var_dir, obs.dead_letters), run.workload.phi_sentinels())


def fault_rows(run: FaultRun, final_status: dict[str, str], obs: Observations) -> Iterator[tuple[str, object]]:
    """The table's head: the faults by kind, what went in, and where it ended."""
    yield from ((f"fault: {kind}", n) for kind, n in sorted(run.cluster.faults.items()))
    yield ("fault: consumer-group records replayed", run.replayed)
    yield ("encounters in (accepted)", len(run.accepted))
    for status in sorted(set(final_status.values())):
        yield (f"final state: {status}", sum(1 for s in final_status.values() if s == status))
    yield ("redelivered copies absorbed", invariants.redelivered_copies(obs))


def verdict_rows(
    obs: Observations, twice: list[str], identity: list[str], lost: list[str], phi: dict[str, int]
) -> Iterator[tuple[str, object]]:
    """The table's foot: claims, and the findings the suite asserts are zero."""
    yield ("claims", len(obs.claims))
    yield ("duplicates found", len(twice))
    yield ("wrong identity found", len(identity))
    yield ("lost found", len(lost))
    yield ("PHI hits", sum(phi.values()))
