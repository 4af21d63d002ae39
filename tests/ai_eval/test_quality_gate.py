"""The offline counsellor's quality gate: bench/ai_eval's measures on its dataset, with the real crm
knowledge-base search over a temporary database. A quality threshold, not a timing."""

from __future__ import annotations

import json

import pytest

from bench.ai_eval.__main__ import HELD_OUT, TARGETS, main
from bench.ai_eval.cases import load_part


def test_the_dataset_covers_what_the_counsellor_meets():
    cases = load_part("report") + load_part("tuning")

    assert len(cases) >= 1000
    assert {c.intent for c in cases} == {
        "interested",
        "question",
        "price_objection",
        "wants_call",
        "enrolled",
        "not_interested",
        "opt_out",
    }
    assert sum(c.lang == "hinglish" for c in cases) >= 15
    assert sum(c.opt_out for c in cases) >= 15
    assert sum(c.unanswered for c in cases) >= 8  # off-catalogue questions
    assert sum(bool(c.history) for c in cases) >= 3


@pytest.mark.parametrize("part", ["report", "report2", "report3", "report4"])
def test_each_held_out_part_covers_every_script_and_kind_of_message(part):
    report = load_part(part)

    assert {c.lang for c in report} >= {"en", "hinglish", "hi", "mr", "ta", "te", "bn"} | {
        f"{lang}-latn" for lang in ("mr", "ta", "te", "bn")
    }
    assert {c.category for c in report} >= {
        "sms", "voice", "optout", "optout_indirect", "negated", "wrong_number", "human", "paid",
        "objection", "overlap", "unanswerable",
    }  # fmt: skip
    assert not {c.id for c in report} & {c.id for c in load_part("tuning")}


# It scores every part, about 1,900 cases, through the real crm search: with a fourth held-out part
# that is longer than the suite's default timeout on a busy runner.
@pytest.mark.timeout(900)
def test_the_offline_provider_meets_its_targets_on_every_part(empty_database_url, tmp_path):
    # (empty_database_url: the gate needs PostgreSQL, so it skips on a laptop without one and fails in CI)
    results = tmp_path / "ai_eval.json"

    status = main(["--json", str(results)])

    parts = json.loads(results.read_text())
    assert set(parts) == {"report", "report2", "report3", "report4", "tuning"}
    assert HELD_OUT == ("report4",)
    for part, [offline] in parts.items():
        assert offline["provider"] == "offline"
        assert offline["errors"] == 0
        assert offline["invented_facts"] <= TARGETS["invented_facts"]
        if part in HELD_OUT:
            # Still held out: its accuracy goals are printed, not gated, so that the next round of fixes
            # is measured on messages nobody has tuned on; it must still never err or invent a fact.
            continue
        assert offline["opt_out_recall"] >= TARGETS["opt_out_recall"]
        assert offline["intent_accuracy"] >= TARGETS["intent_accuracy"]
        assert offline["grounding_accuracy"] >= 0.9
        assert offline["strict_accuracy"] >= 0.9
    assert parts["tuning"][0]["false_opt_outs"] == 0
    assert status == 0
