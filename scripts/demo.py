"""`make demo`: posts one sample lead to a running mesh and prints the conversation and the email."""

from __future__ import annotations

import mailbox
import os
import sys
import time
import uuid
from pathlib import Path

import httpx

GATEWAY = f"http://127.0.0.1:{os.environ.get('GATEWAY_PORT', '8000')}"
MAILDIR = Path(".run/mail")


def main() -> int:
    email = f"student+{uuid.uuid4().hex[:6]}@example.com"
    lead = {
        "phone_number": f"+9198{uuid.uuid4().int % 10**8:08d}",
        "contact_name": "Priya Sharma",
        "message_text": "Hi, I am interested in the Digital Marketing course. What is the fee and when does the next batch start?",
        "channel": "email",
        "email": email,
    }
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    if os.environ.get("ADMIN_TOKEN"):
        headers["Authorization"] = f"Bearer {os.environ['ADMIN_TOKEN']}"
    with httpx.Client(base_url=GATEWAY, timeout=10) as client:
        try:
            response = client.post("/inbound-message", json=lead, headers=headers)
        except httpx.ConnectError:
            print(f"nothing answers at {GATEWAY}: start the mesh with `make up`", file=sys.stderr)
            return 1
        print(f"POST /inbound-message -> {response.status_code} {response.text}\n")
        response.raise_for_status()
        lead_id = response.json()["lead_id"]
        conversation = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            conversation = client.get(f"/leads/{lead_id}", headers=headers).json()
            outbound = [m for m in conversation["messages"] if m["direction"] == "outbound"]
            if outbound and outbound[-1]["status"] in ("sent", "delivered", "read", "failed"):
                break
            time.sleep(0.2)
    print(
        f"Conversation with {conversation['lead']['contact_name']} (stage: {conversation['lead']['stage']}):"
    )
    for message in conversation["messages"]:
        who = "student" if message["direction"] == "inbound" else "counsellor"
        print(f"  [{who}, {message['channel']}, {message['status']}] {message['text']}")
        if message.get("ai"):
            ai = message["ai"]
            documents = ", ".join(d["title"] for d in ai["knowledge_documents"]) or "none"
            print(f"      (read as {ai['intent']}; relied on: {documents})")
    if os.environ.get("SMTP_HOST"):
        print(f"\nThe reply went to the SMTP server at {os.environ['SMTP_HOST']}.")
        return 0
    for _ in range(50):
        found = [m for m in mailbox.Maildir(MAILDIR, create=False) if email in (m["To"] or "")]
        if found:
            message = found[-1]
            print("\nThe email, as the local SMTP sink received it:\n")
            for header in ("From", "To", "Subject", "Date", "Message-ID"):
                print(f"  {header}: {message[header]}")
            body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
            print("\n  " + body.get_payload(decode=True).decode().strip().replace("\n", "\n  "))
            return 0
        time.sleep(0.2)
    print("\nno email arrived at the local SMTP sink", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
