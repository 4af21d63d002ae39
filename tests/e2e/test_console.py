"""The console as its own process beside the mesh, as `make up` runs it: ready once the crm and
the conductor are, and the demo company's owner signs in with the password seed-demo was given."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.e2e.conftest import DEMO_OWNER_PASSWORD

pytestmark = pytest.mark.e2e


def test_the_console_is_ready_and_the_demo_owner_signs_in_and_sees_the_inbox(process_mesh):
    assert httpx.get(f"{process_mesh.console}/readyz", timeout=5).json()["ready"] is True
    with httpx.Client(base_url=process_mesh.console, timeout=10) as browser:
        page = browser.get("/sign-in").text
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
        signed_in = browser.post(
            "/sign-in",
            data={"email": "owner@demo.shvya.in", "password": DEMO_OWNER_PASSWORD, "csrf_token": token},
            follow_redirects=True,
        )
    assert signed_in.status_code == 200
    assert str(signed_in.url).endswith("/inbox")
    assert "Demo Owner" in signed_in.text
