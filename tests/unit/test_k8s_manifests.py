"""The Kubernetes manifests (deploy/k8s: a Kustomize base and the dev and prod overlays), offline: each overlay
renders with ``kubectl kustomize``; every resource validates against the Kubernetes schemas bundled by
``kubernetes-validate`` (strict: no unknown fields); KEDA's resources, whose schemas are not bundled, are
checked for what KEDA requires; and the manifests say what the services need: probes on the operations
endpoints, requests above the measured RSS, a PodDisruptionBudget each, network policies, scaling on the
consumer group's lag with the partition count as the ceiling, the migration and reference-data Jobs."""

from __future__ import annotations

import functools
import importlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from otrcm_shared.runtime.migrations import SERVICES
from otrcm_shared.runtime.settings import RuntimeSettings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
KUBERNETES_VERSION = "1.30.0"
KEDA_KINDS = {"ScaledObject", "TriggerAuthentication"}
MEASURED_PEAK_RSS_MIB = 125  # docs/bench: 96-123 MB per service


def _kubectl() -> str | None:
    return shutil.which("kubectl")


@functools.cache
def _render(overlay: str) -> list[dict[str, Any]]:
    """The overlay rendered by kubectl kustomize; without kubectl, the base's resource files as they are (the
    overlays' patches are then not applied, and ``test_each_overlay_renders`` says so by skipping)."""
    kubectl = _kubectl()
    if kubectl is not None:
        rendered = subprocess.run(
            [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        return [doc for doc in yaml.safe_load_all(rendered) if doc]
    base = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    docs: list[dict[str, Any]] = []
    for resource in base["resources"]:
        docs += [doc for doc in yaml.safe_load_all((K8S / "base" / resource).read_text()) if doc]
    return docs


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return _render(request.param)


def _of(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_overlay_renders(overlay: str) -> None:
    if _kubectl() is None:
        pytest.skip("kubectl is not installed: rendering not checked (the base's files are still validated)")
    docs = _render(overlay)
    assert {doc["kind"] for doc in docs} >= {"Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "Job"}
    namespaces = {doc["metadata"].get("namespace") for doc in docs if doc["kind"] != "Namespace"}
    assert namespaces == {"otrcm-dev" if overlay == "dev" else "otrcm"}


def test_every_resource_validates_against_the_kubernetes_schemas(rendered: list[dict[str, Any]]) -> None:
    for doc in rendered:
        if doc["kind"] in KEDA_KINDS:
            continue
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_keda_resources_have_what_keda_requires(rendered: list[dict[str, Any]]) -> None:
    deployments = _of(rendered, "Deployment")
    auth = _of(rendered, "TriggerAuthentication")
    scaled = _of(rendered, "ScaledObject")
    assert len(scaled) == len(SERVICES)
    for name, obj in scaled.items():
        assert obj["apiVersion"] == "keda.sh/v1alpha1"
        spec = obj["spec"]
        assert spec["scaleTargetRef"]["name"] in deployments, name
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"], name
        kafka = [trigger for trigger in spec["triggers"] if trigger["type"] == "kafka"]
        assert len(kafka) == 1, name
        metadata = kafka[0]["metadata"]
        assert metadata["consumerGroup"] == f"otrcm.{name.removeprefix('otrcm-')}"
        assert metadata.get("bootstrapServers") or metadata.get("bootstrapServersFromEnv")
        assert int(metadata["lagThreshold"]) > 0
        assert kafka[0]["authenticationRef"]["name"] in auth
    for obj in auth.values():
        assert {ref["parameter"] for ref in obj["spec"]["secretTargetRef"]} >= {"sasl", "tls"}


def test_the_partition_count_is_the_ceiling(tmp_path: Path) -> None:
    """A group cannot use more instances than the partitions of its topics (the base's ceiling is exactly that;
    an overlay may set it lower)."""
    base = _of(_render_base_only(), "ScaledObject")
    for service in SERVICES:
        runtime: Any = importlib.import_module(f"otrcm_{service}.entrypoints.app").build_runtime(
            RuntimeSettings(var_dir=tmp_path)
        )
        partitions = max(subscription.topic.partitions for subscription in runtime.subscriptions)
        assert base[f"otrcm-{service}"]["spec"]["maxReplicaCount"] == partitions, service
    for overlay in OVERLAYS:
        for obj in _of(_render(overlay), "ScaledObject").values():
            assert obj["spec"]["maxReplicaCount"] <= base[obj["metadata"]["name"]]["spec"]["maxReplicaCount"]


def _render_base_only() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    base = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    for resource in base["resources"]:
        docs += [doc for doc in yaml.safe_load_all((K8S / "base" / resource).read_text()) if doc]
    return docs


def test_every_service_is_operable(rendered: list[dict[str, Any]]) -> None:
    deployments = _of(rendered, "Deployment")
    budgets = {
        doc["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for doc in _of(rendered, "PodDisruptionBudget").values()
    }
    assert {name.removeprefix("otrcm-") for name in deployments} == set(SERVICES)
    for name, deployment in deployments.items():
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        ports = {port["name"]: port["containerPort"] for port in container["ports"]}
        assert ports["ops"] == 9464, name
        assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "ops"}, name
        assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "ops"}, name
        memory = container["resources"]["requests"]["memory"]
        assert memory.endswith("Mi")
        assert int(memory.removesuffix("Mi")) > MEASURED_PEAK_RSS_MIB, name
        assert {
            ref.get("configMapRef", ref.get("secretRef"))["name"].split("-")[1] for ref in container["envFrom"]
        } == {"config", "secrets"}
        assert name in budgets, f"{name} has no PodDisruptionBudget"
    policies = _of(rendered, "NetworkPolicy")
    assert any(
        policy["spec"]["podSelector"] == {}
        and policy["spec"]["policyTypes"] == ["Ingress"]
        and "ingress" not in policy["spec"]
        for policy in policies.values()
    ), "a default deny"


def test_the_migration_and_reference_data_jobs(rendered: list[dict[str, Any]]) -> None:
    jobs = _of(rendered, "Job")
    pod = jobs["otrcm-migrate"]["spec"]["template"]["spec"]
    commands = [" ".join(c["command"]) for c in [*pod["initContainers"], *pod["containers"]]]
    assert commands == [f"python -m otrcm_shared.runtime.migrations {service}" for service in SERVICES]
    [importer] = jobs["otrcm-refdata-import"]["spec"]["template"]["spec"]["containers"]
    assert importer["command"] == ["otrcm-refdata"]
    assert importer["args"][0] == "import"
