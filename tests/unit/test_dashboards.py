"""The observability files under deploy/observability: the Grafana dashboard loads and has the shape Grafana
provisions (panels with ids, positions, a provisioned data source, PromQL targets), and every metric its
queries and the alert rules name is one the services export; ``promtool`` checks the rules, runs their unit
tests (each alert fires on the series it is written for) and checks the compose Prometheus configuration;
docker-compose provisions the files that exist."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from otrcm_shared.runtime.migrations import SERVICES
from otrcm_shared.runtime.settings import RuntimeSettings
from tests.support.prometheus import PROMTOOL, binary

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "deploy" / "observability"
DASHBOARD = OBSERVABILITY / "grafana" / "dashboards" / "otrcm-pipeline.json"
ALERTS = OBSERVABILITY / "prometheus" / "alerts.yml"
PROMETHEUS_BUILTINS = {"up"}
METRIC = re.compile(r"\b(otrcm_[a-z0-9_]+|up)\b(?!\s*\()")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every metric name the six services export (their runtimes built, not started)."""
    names: set[str] = set()
    var_dir = tmp_path_factory.mktemp("metrics")
    for service in SERVICES:
        runtime: Any = importlib.import_module(f"otrcm_{service}.entrypoints.app").build_runtime(
            RuntimeSettings(var_dir=var_dir)
        )
        names |= runtime.metrics.exported
    return names


def _metrics_in(expr: str) -> set[str]:
    without_labels = re.sub(r"\{[^}]*\}", "", expr)
    return set(METRIC.findall(without_labels))


def _dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def _panels() -> list[dict[str, Any]]:
    return [panel for panel in _dashboard()["panels"] if panel["type"] != "row"]


def test_the_dashboard_has_the_shape_grafana_provisions() -> None:
    dashboard = _dashboard()
    for key in ("uid", "title", "schemaVersion", "panels", "time"):
        assert key in dashboard, key
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    sources = yaml.safe_load((OBSERVABILITY / "grafana/provisioning/datasources/datasources.yml").read_text())
    uids = {source["uid"] for source in sources["datasources"]}
    for panel in _panels():
        grid = panel["gridPos"]
        assert grid["x"] >= 0, panel["title"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        assert grid["h"] > 0, panel["title"]
        assert panel["type"] in {"timeseries", "stat", "bargauge", "gauge", "table"}, panel["type"]
        assert panel["datasource"]["uid"] in uids, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["refId"]
            assert target["expr"].strip(), panel["title"]
    titles = " ".join(panel["title"].lower() for panel in _panels())
    for subject in ("consumed", "lag", "held", "claims"):
        assert subject in titles, f"a panel on {subject}"


def test_every_dashboard_query_names_exported_metrics(exported: set[str]) -> None:
    for panel in _panels():
        for target in panel["targets"]:
            named = _metrics_in(target["expr"])
            assert named, target["expr"]
            unknown = named - exported - PROMETHEUS_BUILTINS
            assert not unknown, f"{panel['title']}: {unknown} are not exported"


def test_every_alert_names_exported_metrics(exported: set[str]) -> None:
    rules = yaml.safe_load(ALERTS.read_text())
    alerts = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    assert {"OtrcmConsumerLagGrowing", "OtrcmDeadLetters", "OtrcmOutboxStale", "Otrcm999Rejections"} <= set(alerts)
    assert "OtrcmReferenceDataMissing" in alerts
    for name, expr in alerts.items():
        unknown = _metrics_in(expr) - exported - PROMETHEUS_BUILTINS
        assert not unknown, f"{name}: {unknown} are not exported"


def _promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([binary(PROMTOOL), *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def test_promtool_checks_the_rules_and_their_tests() -> None:
    checked = _promtool("check", "rules", ALERTS.name, cwd=ALERTS.parent)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = _promtool("test", "rules", "alerts.test.yml", cwd=ALERTS.parent)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_promtool_checks_the_compose_prometheus_configuration(tmp_path: Path) -> None:
    config = (OBSERVABILITY / "prometheus" / "prometheus.yml").read_text()
    (tmp_path / "alerts.yml").write_text(ALERTS.read_text())
    (tmp_path / "prometheus.yml").write_text(config.replace("/etc/prometheus/alerts.yml", "alerts.yml"))
    checked = _promtool("check", "config", "prometheus.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_provisions_prometheus_grafana_and_the_operations_port() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("prometheus", "grafana", "jaeger"):
        assert name in services, name
    mounted = [volume.split(":")[0] for name in ("prometheus", "grafana") for volume in services[name]["volumes"]]
    for source in (path for path in mounted if path.startswith("./")):
        assert (ROOT / source).exists(), source
    scraped = yaml.safe_load((OBSERVABILITY / "prometheus" / "prometheus.yml").read_text())
    targets = {t for c in scraped["scrape_configs"][0]["static_configs"] for t in c["targets"]}
    assert targets == {f"{name}:9464" for name in SERVICES}
    for name in SERVICES:
        assert services[name]["environment"]["OTRCM_OPS_PORT"] == "9464"
        assert "9464/ready" in " ".join(services[name]["healthcheck"]["test"])
