"""Each composed reply is timed and its tokens counted, by provider."""

from __future__ import annotations

from prometheus_client import REGISTRY


def test_a_composed_reply_is_timed_under_its_provider(offline_ai, request_for):
    before = REGISTRY.get_sample_value("shvya_ai_turn_seconds_count", {"provider": "offline"}) or 0.0

    offline_ai.ComposeReply(request_for(inbound_text="What is the fee?"))

    assert REGISTRY.get_sample_value("shvya_ai_turn_seconds_count", {"provider": "offline"}) == before + 1
