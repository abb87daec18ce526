"""``python -m otrcm_modifiers.adapters.refdata_files KIND FILE ...``: import one CMS file into a dataset JSON."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from otrcm_modifiers.adapters.refdata_files.gpci import gpci_dataset, parse_gpci
from otrcm_modifiers.adapters.refdata_files.mue import mue_dataset, parse_mue
from otrcm_modifiers.adapters.refdata_files.pprrvu import parse_pprrvu, pprrvu_dataset
from otrcm_modifiers.adapters.refdata_files.ptp import parse_ptp, ptp_dataset
from otrcm_modifiers.adapters.refdata_files.tables import merge_version, read_text, write_dataset
from otrcm_shared.refdata.loader import Dataset, load_dataset_file


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m otrcm_modifiers.adapters.refdata_files", description=__doc__)
    parser.add_argument("kind", choices=("ptp", "mue", "pprrvu", "gpci"))
    parser.add_argument("file", type=Path, help="the CMS file (CSV or tab-delimited text)")
    parser.add_argument("--version", required=True, help="version name, e.g. 2026Q3 or RVU26C")
    parser.add_argument("--effective-from", required=True, type=date.fromisoformat)
    parser.add_argument("--effective-to", type=date.fromisoformat, default=None)
    parser.add_argument("--source", required=True, help="the CMS file, release and date, as the citation")
    parser.add_argument("--codes", nargs="*", default=None, help="keep only these codes (ptp, mue, pprrvu)")
    parser.add_argument("--states", nargs="*", default=None, help="keep only these states (gpci)")
    parser.add_argument("--out", required=True, type=Path, help="dataset JSON to write (merged when it exists)")
    args = parser.parse_args(argv)
    text = read_text(args.file)
    common = {
        "version": args.version,
        "effective_from": args.effective_from,
        "effective_to": args.effective_to,
        "source": args.source,
    }
    dataset: Dataset
    if args.kind == "ptp":
        dataset = ptp_dataset(parse_ptp(text), codes=args.codes, **common)
    elif args.kind == "mue":
        dataset = mue_dataset(parse_mue(text), codes=args.codes, **common)
    elif args.kind == "pprrvu":
        dataset = pprrvu_dataset(parse_pprrvu(text), codes=args.codes, **common)
    else:
        dataset = gpci_dataset(parse_gpci(text), states=args.states, **common)
    if args.out.is_file():
        dataset = merge_version(load_dataset_file(args.out), dataset.versions[0])
    write_dataset(dataset, args.out)
    print(f"{args.out}: {dataset.dataset} version {args.version} written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
