"""A service off the claim path yields the CPU to the path when the machine has none to spare (docs/adr/022).

On one machine every service shares the cores with the broker. Under a steady load the read model (status)
and the claims batcher compete with units, poc and modifiers for the same cores, and every millisecond they
take is a millisecond a day waits between its acceptance and its ready lines. A service whose work can wait
raises its own niceness once it starts (``cpu_niceness``): it still gets every core nobody else wants, so it
keeps up, but the scheduler runs the claim path first. Niceness is absolute here (the level, not a step), so
applying it twice changes nothing; a process can raise its niceness without privileges, never lower it.

Linux keeps niceness per thread: every thread the process has is set, and threads started later inherit it.
Only a service's own process changes (``heap.claim_process``): a test that starts a service inside its own
process keeps its priority.
"""

from __future__ import annotations

import os
from pathlib import Path

from otrcm_shared.runtime import heap

_THREADS = Path("/proc/self/task")


def _threads() -> list[int]:
    """The ids of this process's threads (Linux), else 0: the calling process."""
    try:
        return [int(entry.name) for entry in _THREADS.iterdir()]
    except OSError:
        return [0]


def yield_cpu(niceness: int) -> bool:
    """Set every thread of this process to at least ``niceness``; True when anything was set."""
    if niceness <= 0 or not heap.is_claimed():
        return False
    changed = False
    for thread in _threads():
        try:
            if os.getpriority(os.PRIO_PROCESS, thread) < niceness:
                os.setpriority(os.PRIO_PROCESS, thread, niceness)
                changed = True
        except ProcessLookupError:  # the thread ended meanwhile
            continue
    return changed
