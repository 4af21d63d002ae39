"""`make backup` and `make restore`: a backup restored into an empty database carries the mesh on,
with its leads, and a follow-up that was pending when the backup was taken fires after it."""

from __future__ import annotations

import os
import subprocess
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from shvya_testkit.mesh import ROOT
from shvya_testkit.postgres import temporary_database

pytestmark = pytest.mark.e2e

DAY = 24 * 3600


def api(mesh, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{mesh.gateway}{path}", timeout=10, **kwargs)


def move_to_india(mesh, hour: int) -> None:
    now = datetime.fromisoformat(api(mesh, "GET", "/admin/clock").json()["now"].replace("Z", "+00:00"))
    local = (now + timedelta(minutes=1)).astimezone(ZoneInfo("Asia/Kolkata"))
    target = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    assert api(mesh, "POST", "/admin/clock", json={"at": target.isoformat()}).status_code == 200


def emails_to(mesh, address: str) -> list:
    return [m for m in mesh.smtp.messages if address in m.rcpt_tos]


def backup_script(*args: str, database_url: str, backup_dir) -> str:
    """Runs scripts/backup.sh as `make backup` / `make restore` do, against `database_url`."""
    env = {**os.environ, "DATABASE_URL": database_url, "BACKUP_DIR": str(backup_dir)}
    done = subprocess.run(
        ["scripts/backup.sh", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_backup_restored_into_an_empty_database_carries_the_mesh_on(process_mesh, tmp_path):
    mesh = process_mesh
    # Given a lead who got the first reply, and whose follow-up waits for a day of silence
    move_to_india(mesh, 11)
    suffix = uuid.uuid4().int % 10**8
    body = {
        "phone_number": f"+9193{suffix:08d}",
        "contact_name": "Kavya Iyer",
        "message_text": "Interested in Digital Marketing. What is the fee?",
        "channel": "email",
        "email": f"kavya.{suffix}@example.com",
    }
    lead_id = api(mesh, "POST", "/inbound-message", json=body).json()["lead_id"]
    mesh.wait_until(lambda: len(emails_to(mesh, body["email"])) == 1, what="the first reply")
    pending = (
        "SELECT count(*) FROM jobs WHERE lead_id = %s AND task_name = 'followup_bumpup' AND status = 'queued'"
    )
    mesh.wait_until(lambda: mesh.sql(pending, (lead_id,))[0][0] == 1, what="the follow-up to be scheduled")

    # When it is backed up, the mesh stops, and the backup is restored into an empty database
    dump = backup_script("backup", database_url=mesh.database_url, backup_dir=tmp_path)
    mesh.stop(*mesh.services)
    original = mesh.database_url
    with temporary_database("shvya_restore") as empty:
        backup_script("restore", dump, database_url=empty, backup_dir=tmp_path)
        mesh.env["DATABASE_URL"] = mesh.database_url = empty
        try:
            mesh.start(*mesh.services)

            # Then the lead and its conversation are there
            lead = api(mesh, "GET", f"/leads/{lead_id}")
            assert lead.status_code == 200
            assert lead.json()["lead"]["email"] == body["email"]
            # And a day later the follow-up fires, once
            assert api(mesh, "POST", "/admin/clock", json={"advance_seconds": DAY + 1}).status_code == 200
            mesh.wait_until(lambda: len(emails_to(mesh, body["email"])) == 2, what="the follow-up")
            mesh.wait_until(
                lambda: mesh.sql(pending.replace("'queued'", "'completed'"), (lead_id,))[0][0] == 1,
                what="the follow-up job to complete",
            )
        finally:
            mesh.stop(*mesh.services)
            mesh.env["DATABASE_URL"] = mesh.database_url = original
