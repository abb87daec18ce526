"""`make lint` parses docs/asyncapi/*.json with @asyncapi/parser (deploy/asyncapi-check/check.mjs); this shows
that check failing on a document whose channels reference a server it does not define (the old generator's bug)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "deploy" / "asyncapi-check"
DOCUMENTS = sorted((ROOT / "docs" / "asyncapi").glob("*.json"))


def _parse(*files: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("node") is None or not (CHECK / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.skip("run `make asyncapi-check` first (node and npm ci)")
    command = ["node", str(CHECK / "check.mjs"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_a_channel_naming_an_undefined_server_is_an_error(tmp_path: Path) -> None:
    document = json.loads(DOCUMENTS[0].read_text(encoding="utf-8"))
    for channel in document["channels"].values():
        channel["servers"] = [{"$ref": "#/servers/development"}]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    result = _parse(broken)
    assert result.returncode == 1
    assert "#/servers/development" in result.stdout
