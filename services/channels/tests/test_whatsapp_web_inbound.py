"""Students' WhatsApp Web messages on their way to the crm, through the Redis outbox."""

from __future__ import annotations

import json

from shvya_channels.whatsapp_web_browser import Incoming
from shvya_channels.whatsapp_web_inbound import CrmForwarder


def test_a_message_longer_than_the_crm_keeps_is_shortened_not_refused(redis_client, redis_prefix):
    # Given a forwarder (not started: the report stays in the outbox for us to read)
    key = f"{redis_prefix}:wa-web-inbound"
    forwarder = CrmForwarder(redis_client, key=key, crm_addr="127.0.0.1:9", token=None, company_id="")

    # When a student writes more than one message's worth
    forwarder.incoming(Incoming("wa-web-1", "919812345678", "Priya", "fees? " + "a" * 9000))

    # Then the crm gets the first 4,096 characters, which it accepts, instead of a refusal
    [raw] = redis_client.lrange(key, 0, -1)
    text = json.loads(raw)["text"]
    assert text.startswith("fees? aaa")
    assert len(text) == 4096
