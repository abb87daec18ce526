"""A service off the claim path yields the CPU (docs/adr/022): every thread of its process takes the niceness,
threads started later inherit it, applying it twice changes nothing, and nothing changes in a process that is
not a service's own (a test running a service in-process) or with niceness 0.

Each case runs in a child process: a process can raise its niceness, never lower it again."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from otrcm_claims.settings import ClaimsSettings
from otrcm_intake.settings import IntakeSettings
from otrcm_modifiers.settings import ModifiersSettings
from otrcm_status.settings import StatusSettings

pytestmark = pytest.mark.unit

CHILD = """
import json, os, sys, threading
from otrcm_shared.runtime import cpu_share, heap

start = os.getpriority(os.PRIO_PROCESS, 0)  # whatever the test run itself was started at
niceness, claim = (min(start + 5, 19) if sys.argv[1] == "raise" else 0), sys.argv[2] == "claimed"
if claim:
    heap.claim_process()
started = threading.Event(); stop = threading.Event()
def wait():
    started.set(); stop.wait()
before = threading.Thread(target=wait); before.start(); started.wait()
first = cpu_share.yield_cpu(niceness)
second = cpu_share.yield_cpu(niceness)
later_level = []
after = threading.Thread(target=lambda: later_level.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
after.start(); after.join()
levels = {
    "main": os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
    "before": os.getpriority(os.PRIO_PROCESS, before.native_id),
    "after": later_level[0],
}
stop.set(); before.join()
print(json.dumps({"first": first, "second": second, "levels": {k: v - start for k, v in levels.items()},
                  "room": niceness - start}))
"""


def _run(niceness: str, claim: str) -> dict[str, object]:
    """The child's answers, its threads' levels counted from the level it started at."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, niceness, claim], capture_output=True, text=True, check=True, timeout=60
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_claimed_process_sets_every_thread_once_and_later_threads_inherit_it() -> None:
    result = _run("raise", "claimed")
    room = result.pop("room")
    if room == 0:
        pytest.skip("the tests run at niceness 19 already: there is nothing to raise")
    assert result == {"first": True, "second": False, "levels": {"main": room, "before": room, "after": room}}


@pytest.mark.parametrize(("niceness", "claim"), [("raise", "in-process"), ("0", "claimed")])
def test_nothing_changes_in_a_test_process_or_at_niceness_0(niceness: str, claim: str) -> None:
    result = _run(niceness, claim)
    result.pop("room")
    assert result == {"first": False, "second": False, "levels": {"main": 0, "before": 0, "after": 0}}


def test_only_the_services_off_the_claim_path_yield_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTRCM_CPU_NICENESS", raising=False)
    assert [s().cpu_niceness for s in (StatusSettings, ClaimsSettings)] == [10, 10]
    assert [s().cpu_niceness for s in (IntakeSettings, ModifiersSettings)] == [0, 0]
    monkeypatch.setenv("OTRCM_CPU_NICENESS", "0")
    assert StatusSettings().cpu_niceness == 0, "an operator can keep status at the path's priority"
