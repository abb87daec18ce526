"""Named fault points for fault-injection tests: ``OTRCM_FAULT=<point>`` kills the process there.

A no-op unless the variable names the point, so production pays one dictionary lookup.
"""

from __future__ import annotations

import os
import signal


def fault_point(name: str) -> None:
    """Die abruptly (SIGKILL, no clean-up) when the environment asks for a fault at ``name``."""
    if os.environ.get("OTRCM_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
