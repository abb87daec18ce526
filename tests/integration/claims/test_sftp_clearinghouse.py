"""The SFTP clearinghouse against a real SFTP server (asyncssh on 127.0.0.1, rooted in a temporary
directory): the 837P file lands with its exact name and content and is replaced when the same ICN is
sent again; a wrong password, a closed port or an unknown host key is "not sent" (the batch leaves
the claim validated and marks nothing); acknowledgments in the server's outbound directory are moved
into the local inbox and to ``processed/`` remotely; and the running service, configured with
``OTRCM_CLAIMS_CLEARINGHOUSE=sftp``, submits a ready day to the server and reads back its 277CA."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import asyncssh
import pytest
from sqlalchemy import select

from otrcm_claims.adapters import store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.clearinghouse import (
    ClearinghouseMisconfigured,
    ClearinghouseUnavailable,
    SftpClearinghouse,
    SftpEndpoint,
    download_acknowledgments,
)
from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_claims.usecases.batch import build_and_submit
from otrcm_claims.usecases.handlers import on_billing_provider_registered, on_claim_lines_ready, on_patient_recorded
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import CLAIM_LINES_READY, CLAIM_STATUS, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory, wait_until
from tests.support.claims_samples import (
    billing_provider_registered,
    claim_ack_277ca,
    claim_lines_ready,
    patient_recorded,
    syntax_ack_999,
)
from tests.support.databases import isolated_database
from tests.support.sftp_server import SftpServer, closed_port, running_sftp_server

pytestmark = pytest.mark.integration

TABLES = KitTables(store.metadata)
STATUS = CLAIM_STATUS.name
INTERCHANGE = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *~\nIEA*1*000000042~\n"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[SftpServer]:
    async with running_sftp_server(tmp_path / "sftp-root") as running:
        yield running


def endpoint_of(server: SftpServer, **changes: object) -> SftpEndpoint:
    fields: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "username": server.username,
        "password": server.password,
        "timeout_s": 10.0,
        **changes,
    }
    return SftpEndpoint(**fields)  # type: ignore[arg-type]


async def test_an_interchange_is_uploaded_by_its_icn_and_sending_it_again_replaces_it(server: SftpServer) -> None:
    clearinghouse = SftpClearinghouse(endpoint_of(server), "/inbound")

    where = await clearinghouse.submit(42, INTERCHANGE)

    uploaded = server.path("/inbound/837P-000000042.x12")
    assert where == f"sftp://127.0.0.1:{server.port}/inbound/837P-000000042.x12"
    assert uploaded.read_bytes() == INTERCHANGE.encode("ascii")

    corrected = INTERCHANGE.replace("SUBMITTER", "SUBMITTR2")
    assert await clearinghouse.submit(42, corrected) == where
    assert uploaded.read_bytes() == corrected.encode("ascii")
    assert sorted(p.name for p in server.path("/inbound").iterdir()) == ["837P-000000042.x12"]  # no temp file left


async def test_a_known_hosts_file_with_the_servers_key_is_accepted_and_another_key_is_refused(
    server: SftpServer, tmp_path: Path
) -> None:
    trusted = server.write_known_hosts(tmp_path / "known_hosts")
    await SftpClearinghouse(endpoint_of(server, known_hosts=trusted), "/inbound").submit(7, INTERCHANGE)
    assert server.path("/inbound/837P-000000007.x12").read_text() == INTERCHANGE

    impostor_key = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().strip()
    other = tmp_path / "other_known_hosts"
    other.write_text(f"[{server.host}]:{server.port} {impostor_key}\n")
    with pytest.raises(ClearinghouseUnavailable):
        await SftpClearinghouse(endpoint_of(server, known_hosts=other), "/inbound").submit(8, INTERCHANGE)
    assert not server.path("/inbound/837P-000000008.x12").exists()


async def test_a_wrong_password_or_a_closed_port_is_not_sent(server: SftpServer) -> None:
    wrong_password = SftpClearinghouse(endpoint_of(server, password="not-the-password"), "/inbound")
    with pytest.raises(ClearinghouseUnavailable) as refused:
        await wrong_password.submit(43, INTERCHANGE)
    assert "not-the-password" not in str(refused.value)
    assert not server.path("/inbound").exists()

    nobody_listening = SftpClearinghouse(endpoint_of(server, port=closed_port()), "/inbound")
    with pytest.raises(ClearinghouseUnavailable):
        await nobody_listening.submit(43, INTERCHANGE)


def test_a_non_loopback_host_without_known_hosts_is_refused() -> None:
    with pytest.raises(ClearinghouseMisconfigured, match="OTRCM_CLAIMS_SFTP_KNOWN_HOSTS"):
        SftpEndpoint("sftp.clearinghouse.example", 22, "user", "password")
    with pytest.raises(ClearinghouseMisconfigured, match="OTRCM_CLAIMS_SFTP_PASSWORD"):
        SftpEndpoint("127.0.0.1", 22, "user", "")
    assert "password" not in repr(SftpEndpoint("::1", 22, "user", "password"))


async def test_acknowledgments_are_moved_into_the_local_inbox_and_to_processed_remotely(
    server: SftpServer, tmp_path: Path
) -> None:
    outbound = server.path("/outbound")
    outbound.mkdir(parents=True)
    acks = {
        "ack-1.277": claim_ack_277ca("B1", "CLAIM1", "120", "A2:20:PR", control=501),
        "syntax.999": syntax_ack_999(42, accepted=True, control=502),
    }
    for name, text in acks.items():
        (outbound / name).write_text(text)
    (outbound / ".partial.835").write_text("still uploading")  # hidden: left alone
    (outbound / "archive").mkdir()  # not a file: left alone
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "syntax.999").write_text("a different file already waiting under this name")

    fetched = await download_acknowledgments(endpoint_of(server), "/outbound", inbox)

    assert fetched == ["ack-1.277", "syntax-1.999"]
    assert (inbox / "ack-1.277").read_text() == acks["ack-1.277"]
    assert (inbox / "syntax-1.999").read_text() == acks["syntax.999"]
    assert (inbox / "syntax.999").read_text().startswith("a different file")
    assert sorted(p.name for p in (outbound / "processed").iterdir()) == ["ack-1.277", "syntax.999"]
    assert sorted(p.name for p in outbound.iterdir()) == [".partial.835", "archive", "processed"]
    assert not [p for p in inbox.iterdir() if p.name.startswith(".")]  # no temporary file left

    assert await download_acknowledgments(endpoint_of(server), "/outbound", inbox) == []
    assert await download_acknowledgments(endpoint_of(server), "/no-such-dir", inbox) == []
    with pytest.raises(ClearinghouseUnavailable):
        await download_acknowledgments(endpoint_of(server, password="wrong"), "/outbound", inbox)


async def test_a_batch_whose_upload_fails_leaves_the_claim_validated_and_sends_it_next_time(
    server: SftpServer, postgres_base_url: str
) -> None:
    tenant, patient = f"tenant-{uuid4().hex[:8]}", "pk-sftp"
    later, chicago = datetime(2026, 6, 1, tzinfo=UTC), ZoneInfo("America/Chicago")
    async with isolated_database(postgres_base_url, store.metadata) as db:
        async with db.transaction() as session:
            await on_patient_recorded(session, patient_recorded(tenant, patient))
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient))

        async def batch(clearinghouse: SftpClearinghouse) -> list[str]:
            report = await build_and_submit(
                db, TABLES, BillingProfiles.load(), clearinghouse, later, cutoff_hours=24, zone=chicago
            )
            return report.submitted

        async def claims_and_staged() -> tuple[list[dict[str, object]], int]:
            """The claims, and how many submitted steps are staged on the claim stream."""
            async with db.transaction() as session:
                rows = (await session.execute(select(store.claims))).mappings().all()
                staged = await session.scalars(select(TABLES.outbox.c.payload).where(TABLES.outbox.c.topic == STATUS))
                submitted = [p for p in staged if json.loads(p)["payload"]["status"] == "submitted"]
            return [dict(row) for row in rows], len(submitted)

        with pytest.raises(ClearinghouseUnavailable):
            await batch(SftpClearinghouse(endpoint_of(server, password="wrong"), "/inbound"))
        [claim], staged = await claims_and_staged()
        assert claim["status"] == ClaimState.VALIDATED
        assert staged == 0  # no submitted step: nothing was submitted
        assert not server.path("/inbound").exists()

        assert await batch(SftpClearinghouse(endpoint_of(server), "/inbound")) == [claim["claim_id"]]
        [claim], staged = await claims_and_staged()
    assert claim["status"] == ClaimState.SUBMITTED
    assert staged == 1
    name = f"837P-{claim['interchange_control_number']:09d}.x12"
    assert [p.name for p in server.path("/inbound").iterdir()] == [name]
    assert validate_x12_text(server.path(f"/inbound/{name}").read_text()).pyx12_valid


async def test_the_service_configured_for_sftp_submits_to_the_server_and_reads_its_277ca(
    start_claims: ClaimsFactory, server: SftpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTRCM_CLAIMS_CLEARINGHOUSE", "sftp")
    monkeypatch.setenv("OTRCM_CLAIMS_SFTP_PASSWORD", server.password)
    claims = await start_claims(
        claims_sftp_host=server.host,
        claims_sftp_port=server.port,
        claims_sftp_username=server.username,
        claims_sftp_timeout_s=10.0,
    )
    assert isinstance(claims.jobs.clearinghouse, SftpClearinghouse)
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    await claims.publish(CLAIM_LINES_READY, claim_lines_ready(claims.tenant_id, patient), patient)

    [claim] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "submitted")
    uploaded = server.path(f"/inbound/837P-{claim['interchange_control_number']:09d}.x12")
    assert f"CLM*{claim['claim_id']}*120*" in uploaded.read_text()
    assert not claims.outbox.exists()  # nothing went to the file drop

    accept = claim_ack_277ca(claim["batch_reference"], claim["claim_id"], "120", "A2:20:PR", control=9101)
    outbound = server.path("/outbound")
    outbound.mkdir(parents=True, exist_ok=True)
    (outbound / ".ack.277.part").write_text(accept)
    (outbound / ".ack.277.part").rename(outbound / "ack.277")

    [claim] = await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == "accepted")
    assert claim["status"] == ClaimState.ACCEPTED
    moved = await wait_until(lambda: _names(outbound / "processed"), lambda names: names == ["ack.277"], timeout_s=10.0)
    assert moved == ["ack.277"]
    assert _sync_names(claims.inbox / "processed") == ["ack.277"]


async def _names(directory: Path) -> list[str]:
    return _sync_names(directory)


def _sync_names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []
