"""The front door's OpenAPI document declares the API-key schemes, and every route names the scope it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.entrypoints.app import build_runtime
from otrcm_intake.settings import IntakeSettings

pytestmark = pytest.mark.unit

ADMIN_ROUTES = {("post", "/v1/billing-profiles")}  # the tenant's administration


def test_every_route_requires_an_api_key_with_its_scope(tmp_path: Path) -> None:
    settings = IntakeSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}", var_dir=tmp_path)
    document = create_api(build_runtime(settings)).openapi()

    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": schemes["ApiKey"]["description"],
    }
    assert schemes["BearerApiKey"]["scheme"] == "bearer"
    operations = [(method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 13
    for method, path, operation in operations:
        by_method = "read" if method == "get" else "submit"
        expected = "admin" if (method, path) in ADMIN_ROUTES else by_method
        assert operation.get("security") == [{"ApiKey": [expected]}, {"BearerApiKey": [expected]}], (method, path)
