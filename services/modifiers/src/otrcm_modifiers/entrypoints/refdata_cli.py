"""``otrcm-refdata``: reference data as operational data (docs/adr/009).

``otrcm-refdata import FILE...`` validates every file (a refusal names file, line and column; then
nothing is published and the versions in force stay), prints what changes against the versions in force
(shipped plus those already on the topic), and publishes each new or changed version to the compacted
``otrcm.reference-data.v1`` topic; running services apply it without a restart. Importing the same file
again publishes nothing (idempotent).

``otrcm-refdata status --on DATE [--tenant T]`` prints, per dataset, whether DATE is covered, provisional
(an earlier version carried forward: from which) or missing.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from otrcm_modifiers.adapters.refdata_files.files import FileRefused, Imported, read_file
from otrcm_shared.events import Envelope
from otrcm_shared.events.reference_data import ReferenceDataImported
from otrcm_shared.refdata.layers import LAYERS
from otrcm_shared.refdata.loader import NoVersionInEffect, current_dataset
from otrcm_shared.runtime.kafka import ensure_topics, make_producer
from otrcm_shared.runtime.reference_follower import ReferenceFollower, reference_topic
from otrcm_shared.runtime.settings import RuntimeSettings

STATUS_DATASETS = (
    "medicare_pfs_rvus",
    "medicare_gpci",
    "medicare_conversion_factor",
    "medicare_therapy_payment_rules",
    "therapy_thresholds",
    "targeted_medical_review",
    "kx_provisional_margin",
    "ncci_ptp_edits",
    "ncci_mue_limits",
)
ALL_TENANTS = "all-tenants"


def _hash(item: Imported) -> str:
    return hashlib.sha256(json.dumps(item.version.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def change_of(item: Imported) -> str | None:
    """What importing ``item`` changes against the versions in force; None when nothing."""
    try:
        dataset = current_dataset(item.dataset)
    except FileNotFoundError:
        return f"{item.dataset}: unknown dataset (no shipped file of that name)"
    same = next((v for v in dataset.versions if v.version == item.version.version), None)
    if same is not None and same.model_dump(mode="json") == item.version.model_dump(mode="json"):
        return None
    span = f"{item.version.effective_from} to {item.version.effective_to or 'open'}"
    if same is None:
        return f"{item.dataset} {item.version.version}: new version, {span} (from {item.path.name})"
    old, new = _entries(same.data), _entries(item.version.data)
    changed = sorted(k for k in new if k in old and old[k] != new[k])
    added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    return (
        f"{item.dataset} {item.version.version}: replaced, {span}; {len(changed)} changed {changed[:5]}, "
        f"{len(added)} added, {len(removed)} removed (from {item.path.name})"
    )


def _entries(data: dict[str, object]) -> dict[str, object]:
    nested = [value for value in data.values() if isinstance(value, dict)]
    return nested[0] if len(data) == 1 and nested else data


async def _load_topic(settings: RuntimeSettings) -> None:
    await ensure_topics(settings, [reference_topic(settings)], "otrcm-refdata-admin")
    follower = ReferenceFollower(settings, "otrcm-refdata")
    await follower.start()
    await follower.stop()


async def _publish(settings: RuntimeSettings, items: Sequence[Imported]) -> None:
    producer = make_producer(settings, "otrcm-refdata")
    await producer.start()
    try:
        for item in items:
            payload = ReferenceDataImported(
                dataset=item.dataset,
                version=item.version.version,
                effective_from=item.version.effective_from,
                effective_to=item.version.effective_to,
                source=item.version.source or item.path.name,
                data=item.version.data,
                imported_from=item.path.name,
                content_hash=_hash(item),
            )
            key = f"{item.dataset}:{item.version.version}"
            event = Envelope.root(
                payload,
                tenant_id=ALL_TENANTS,
                subject=key,
                natural_key=f"{key}/{payload.content_hash}",
                stage="refdata",
            )
            body = event.model_dump_json().encode()
            await producer.send_and_wait(settings.reference_data_topic, body, key=key.encode())
    finally:
        await producer.stop()


async def run_import(settings: RuntimeSettings, paths: Sequence[Path]) -> int:
    items: list[Imported] = []
    for path in paths:  # every file validated before anything is published
        try:
            items.extend(read_file(path))
        except FileRefused as refused:
            print(f"refused: {refused}", file=sys.stderr)
            print("nothing imported; the versions in force are unchanged", file=sys.stderr)
            return 2
    await _load_topic(settings)
    changes = [(item, change_of(item)) for item in items]
    to_publish = [item for item, change in changes if change is not None]
    for item, change in changes:
        print(change or f"{item.dataset} {item.version.version}: unchanged (already in force)")
    if to_publish:
        await _publish(settings, to_publish)
        for item in to_publish:
            LAYERS.apply(item.dataset, [item.version])
    print(f"{len(to_publish)} version(s) published to {settings.reference_data_topic}")
    return 0


def status_lines(on: date) -> list[str]:
    lines = []
    for name in STATUS_DATASETS:
        try:
            dataset = current_dataset(name)
            version, provisional = dataset.resolve(on)
        except (NoVersionInEffect, FileNotFoundError):
            lines.append(f"{name:<32} missing      no version on or before {on}")
            continue
        origin = "imported" if any(v.version == version.version for v in LAYERS.imported(name)) else "shipped"
        if provisional:
            lines.append(f"{name:<32} provisional  carried forward from {version.version} ({origin})")
        else:
            lines.append(f"{name:<32} covered      {version.version} ({origin})")
    return lines


async def run_status(settings: RuntimeSettings, on: date, tenant: str | None) -> int:
    await _load_topic(settings)
    print(f"reference data on {on}" + (f" (tenant {tenant}: datasets are shared by all tenants)" if tenant else ""))
    for line in status_lines(on):
        print(line)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otrcm-refdata", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="validate and publish reference data files")
    importing.add_argument("files", nargs="+", type=Path)
    status = commands.add_parser("status", help="per dataset: covered, provisional or missing on a date")
    status.add_argument("--on", required=True, type=date.fromisoformat)
    status.add_argument("--tenant", default=None)
    args = parser.parse_args(argv)
    settings = RuntimeSettings()
    if args.command == "import":
        return asyncio.run(run_import(settings, args.files))
    return asyncio.run(run_status(settings, args.on, args.tenant))


if __name__ == "__main__":
    raise SystemExit(main())
