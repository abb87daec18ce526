"""The claims batch's peak memory is the child's own: a bench process holding hundreds of MB forks the batch, and
``wait4``'s ``ru_maxrss`` reports the bench's memory as the child's peak (Linux carries it over ``execve``). The
high-water mark read from ``/proc`` while the child runs reports what the child used."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.bench.claims_batch import HighWaterMark

pytestmark = pytest.mark.unit

CHILD = "import time; block = bytearray(40 * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(0.5)"


def test_the_peak_is_the_childs_own_not_its_forking_parents() -> None:
    ballast = bytearray(300 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # resident in this process, as the bench's envelopes are
    child = subprocess.Popen([sys.executable, "-c", CHILD])
    watcher = HighWaterMark(child.pid)
    watcher.start()
    _, _, usage = os.wait4(child.pid, 0)
    watcher.join()
    inherited_mb, own_mb = usage.ru_maxrss / 1024, watcher.peak_bytes / 2**20
    assert inherited_mb > 300, "wait4 reports the parent's memory (the old measure)"
    assert 40 < own_mb < 150, own_mb
    del ballast
