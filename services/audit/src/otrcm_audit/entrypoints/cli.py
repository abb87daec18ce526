"""``otrcm-audit run``: a practice's documented encounters against the 837P it sent and the 835 it received.

Exit status: 0 when the audit ran (whatever it found, and even with inputs skipped), 2 when an argument is
wrong (a directory or file that does not exist). The one-paragraph summary goes to stdout, the log to stderr
(or ``--log FILE``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from otrcm_audit.domain.model import AuditSettings
from otrcm_audit.usecases.run_audit import AuditInputs, run_audit
from otrcm_shared.runtime.settings import RuntimeSettings


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="otrcm-audit", description=__doc__.split("\n")[0] if __doc__ else None)
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="audit a practice's encounters, claims and remittances")
    run.add_argument("--encounters", type=Path, required=True, help="the import file (CSV or JSON Lines)")
    run.add_argument("--claims", type=Path, required=True, help="directory of the 837P files sent")
    run.add_argument("--remits", type=Path, required=True, help="directory of the 835 files received")
    run.add_argument("--acks", type=Path, help="directory of the 999 and 277CA files received")
    run.add_argument("--out", type=Path, required=True, help="where findings.json, findings.csv, report.html go")
    run.add_argument("--tenant", help="the practice's tenant id, shown on the report")
    run.add_argument("--records", type=Path, action="append", default=[], help="more JSON Lines records (repeat)")
    run.add_argument("--as-of", type=date.fromisoformat, help="the date judged on (default: OTRCM_BUSINESS_DATE)")
    run.add_argument("--tolerance-dollars", type=Decimal, default=Decimal("1.00"))
    run.add_argument("--tolerance-percent", type=Decimal, default=Decimal("2"))
    run.add_argument("--filing-warning-days", type=int, default=90, help="days left of the filing limit to warn")
    run.add_argument("--billing-lag-days", type=int, default=7, help="a day younger than this is not yet unbilled")
    run.add_argument("--ack-wait-days", type=int, default=7, help="a claim older than this should be acknowledged")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: the cores)")
    run.add_argument("--billing-profiles", type=Path, help="the claims service's billing profiles (payer ids)")
    run.add_argument("--log", type=Path, help="write the log here instead of stderr")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    for name in ("encounters",):
        if not getattr(args, name).is_file():
            print(f"otrcm-audit: --{name} {getattr(args, name)} is not a file", file=sys.stderr)
            return 2
    for name in ("claims", "remits", "acks"):
        value = getattr(args, name)
        if value is not None and not value.is_dir():
            print(f"otrcm-audit: --{name} {value} is not a directory", file=sys.stderr)
            return 2
    handler: logging.Handler = logging.FileHandler(args.log) if args.log else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log = logging.getLogger("otrcm.audit")
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    try:
        return _run(args)
    finally:
        log.removeHandler(handler)
        handler.close()


def _run(args: argparse.Namespace) -> int:
    settings = AuditSettings(
        as_of=args.as_of or RuntimeSettings().today(),
        tolerance_dollars=args.tolerance_dollars,
        tolerance_percent=args.tolerance_percent,
        filing_warning_days=args.filing_warning_days,
        billing_lag_days=args.billing_lag_days,
        acknowledgment_wait_days=args.ack_wait_days,
    )
    inputs = AuditInputs(
        args.encounters,
        args.claims,
        args.remits,
        args.out,
        args.acks,
        tuple(args.records),
        args.tenant,
        args.billing_profiles,
    )
    done = run_audit(inputs, settings, jobs=max(1, args.jobs))
    print(done.summary)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
