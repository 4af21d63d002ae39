"""`python -m bench.ai_eval`: grounding, invented facts, intents and opt-outs for every provider.

Offline always; an OpenAI-compatible endpoint too when OPENAI_API_KEY or
OPENAI_BASE_URL is set; or, with --gateway URL, a running mesh end to end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bench.ai_eval.cases import DATASET, load
from bench.ai_eval.score import Report, score

# The offline provider's targets (the README's "Measured"): a pass needs all three.
TARGETS = {"invented_facts": 0, "opt_out_recall": 0.95, "intent_accuracy": 0.75}


def _ai_settings():
    from shvya_ai.settings import AiSettings

    key = os.environ.get("OPENAI_API_KEY") or ("sk-local" if os.environ.get("OPENAI_BASE_URL") else None)
    return AiSettings(
        env="development",
        host="127.0.0.1",
        internal_token=None,
        default_provider="offline",
        openai_api_key=key,
        openai_base_url=os.environ.get("OPENAI_BASE_URL") or None,
    )


def _print(reports: list[Report], verbose: bool) -> None:
    header = f"{'provider':<22}{'cases':>6}{'grounding':>11}{'invented':>10}{'intent':>8}{'opt-out':>9}"
    header += f"{'false opt-out':>15}{'unanswered':>12}{'hand-off':>10}{'errors':>8}"
    print(header)
    for r in reports:
        d = r.as_dict()
        print(
            f"{r.provider:<22}{d['cases']:>6}{d['grounding_accuracy']:>11.1%}{d['invented_facts']:>10}"
            f"{d['intent_accuracy']:>8.1%}{d['opt_out_recall']:>9.1%}{d['false_opt_outs']:>15}"
            f"{d['unanswered_flagged']:>12}{d['hand_off_flagged']:>10}{d['errors']:>8}"
        )
    if verbose:
        for r in reports:
            for s in r.scored:
                if s.grounded and s.intent_ok:
                    continue
                notes = []
                if not s.intent_ok:
                    notes.append(f"intent {s.got_intent or '-'} (want {s.expected_intent})")
                if s.missing:
                    notes.append(f"missing {s.missing}")
                if s.wrong:
                    notes.append(f"wrong {s.wrong}")
                if s.invented:
                    notes.append(f"invented {s.invented}")
                print(f"  [{r.provider}] {s.case_id}: {'; '.join(notes)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ai_eval", description=__doc__)
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument(
        "--gateway", help="score a running mesh through its gateway, e.g. http://127.0.0.1:8000"
    )
    parser.add_argument("--admin-token", default=os.environ.get("ADMIN_TOKEN"), help="for GET /leads/{id}")
    parser.add_argument("--channel", default="email", choices=("email", "whatsapp_web", "whatsapp_cloud"))
    parser.add_argument(
        "--only", help="run only these case ids (comma-separated; a trailing * matches a prefix)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--check", action="store_true", help="exit 1 if the offline provider misses a target")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every case that failed a measure")
    args = parser.parse_args(argv)

    only = [o for o in (args.only or "").split(",") if o]
    cases = [
        c
        for c in load(args.dataset)
        if not only or any(c.id == o or (o.endswith("*") and c.id.startswith(o[:-1])) for o in only)
    ]
    reports: list[Report] = []
    if args.gateway:
        from bench.ai_eval.gateway import run_case as run_gateway_case

        report = Report(provider=f"gateway {args.gateway}")
        for case in cases:
            outcome, knowledge = run_gateway_case(args.gateway, case, args.admin_token, args.channel)
            score(report, case, outcome, knowledge)
        reports.append(report)
    else:
        from bench.ai_eval.local import KNOWLEDGE, local_mesh, run_case

        with local_mesh(_ai_settings()) as mesh:
            for provider in mesh.providers:
                report = Report(provider=provider)
                for case in cases:
                    outcome, _ = run_case(mesh, case, provider)
                    score(report, case, outcome, KNOWLEDGE)
                reports.append(report)
    _print(reports, args.verbose)
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in reports], indent=2) + "\n")
    if args.check:
        offline = next((r for r in reports if r.provider == "offline"), None)
        if offline is not None and (
            offline.invented_facts > TARGETS["invented_facts"]
            or offline.opt_out_recall < TARGETS["opt_out_recall"]
            or offline.intent_accuracy < TARGETS["intent_accuracy"]
        ):
            print("the offline provider misses its targets", TARGETS, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
