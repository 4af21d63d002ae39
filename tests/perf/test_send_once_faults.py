"""The send-once fault bench, small: a real channels process SIGKILLed mid-send a few times.

The full run (`make bench-faults`) measures repeats per 1,000 sends; this one checks what
must hold at any size: nothing lost, every repeat the same message, and no repeat that
the channel did not know to be in doubt (a repeat outside the window would be one).
"""

from __future__ import annotations

from bench.faults.send_once import Plan, run


def test_a_channel_killed_mid_send_loses_nothing_and_repeats_only_what_was_in_doubt(redis_url, tmp_path):
    plan = Plan(
        kind="email",
        sends=40,
        kills=2,
        senders=4,
        alive_seconds=(0.0, 0.15),
        reply_delay_seconds=0.05,
        budget_seconds=180,
        redis_url=redis_url,
    )

    result = run(plan, tmp_path)

    assert result.finished, result
    assert result.kills >= 1
    assert result.lost == 0
    assert result.repeats_with_another_message_id == 0
    assert result.repeats <= result.in_doubt, result
    assert not result.notes
