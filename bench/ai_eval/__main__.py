"""`python -m bench.ai_eval`: facts, invented facts, intents and opt-outs for every provider, per part.

The report parts are held out (never tuned on) and printed apart from the
tuning part, with a table per category and per language.

Offline always; an OpenAI-compatible endpoint too when OPENAI_API_KEY or
OPENAI_BASE_URL is set; or, with --gateway URL, a running mesh end to end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bench.ai_eval.cases import PARTS, Case, load, load_part
from bench.ai_eval.score import Report, score

# The offline provider's floor on every part, checked by --check.
TARGETS = {"invented_facts": 0, "opt_out_recall": 0.95, "intent_accuracy": 0.75}
# Parts still held out (no failure of theirs read yet): --check and the quality gate hold them only to
# what must never break (no errors, no invented facts); their accuracy goals are printed, not gated,
# until their first figures have been read for causes and fixed.
HELD_OUT = ("report4",)
# What the held-out report parts are aimed at (printed beside its figures, not a gate).
REPORT_GOALS = {
    "strict_accuracy": 0.90,
    "opt_out_recall": 0.98,
    "false_opt_outs": 0,
    "invented_facts": 0,
    "intent_accuracy": 0.90,
    "each_language": 0.80,
}


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


def _print(part: str, reports: list[Report], verbose: bool) -> None:
    print(f"== {part} part ==")
    header = f"{'provider':<22}{'cases':>6}{'strict':>8}{'grounding':>11}{'invented':>10}{'intent':>8}"
    header += (
        f"{'opt-out':>9}{'false opt-out':>15}{'unanswered':>12}{'hand-off':>10}{'passed':>8}{'errors':>8}"
    )
    print(header)
    for r in reports:
        d = r.as_dict()
        print(
            f"{r.provider:<22}{d['cases']:>6}{d['strict_accuracy']:>8.1%}{d['grounding_accuracy']:>11.1%}"
            f"{d['invented_facts']:>10}{d['intent_accuracy']:>8.1%}{d['opt_out_recall']:>9.1%}"
            f"{d['false_opt_outs']:>15}{d['unanswered_flagged']:>12}{d['hand_off_flagged']:>10}"
            f"{d['pass_rate']:>8.1%}{d['errors']:>8}"
        )
    for key, title in (("category", "category"), ("lang", "language")):
        names = sorted({name for r in reports for name in r.breakdown(key)})
        print(f"  {title:<18}" + "".join(f"{r.provider:>16}" for r in reports))
        for name in names:
            cells = []
            for r in reports:
                cases, passed = r.breakdown(key).get(name, (0, 0))
                cells.append(f"{passed:>5}/{cases:<4}{passed / cases if cases else 0:>6.0%}")
            print(f"  {name:<18}" + "".join(f"{c:>16}" for c in cells))
    if verbose:
        for r in reports:
            for s in r.scored:
                if s.passed:
                    continue
                notes = list(s.flags)
                if not s.intent_ok:
                    notes.append(f"intent {s.got_intent or '-'} (want {s.expected_intent})")
                if s.missing:
                    notes.append(f"missing {s.missing}")
                if s.wrong:
                    notes.append(f"wrong {s.wrong}")
                if s.invented:
                    notes.append(f"invented {s.invented}")
                print(f"  [{r.provider}] {s.case_id}: {'; '.join(notes)}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ai_eval", description=__doc__)
    parser.add_argument("--dataset", type=Path, help="score this file alone instead of the two parts")
    parser.add_argument("--part", choices=tuple(PARTS), help="score one part only")
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

    def chosen(cases: list[Case]) -> list[Case]:
        return [
            c
            for c in cases
            if not only or any(c.id == o or (o.endswith("*") and c.id.startswith(o[:-1])) for o in only)
        ]

    if args.dataset:
        parts = {args.dataset.stem: chosen(load(args.dataset))}
    else:
        parts = {p: chosen(load_part(p)) for p in PARTS if not args.part or p == args.part}
    results: dict[str, list[Report]] = {}
    if args.gateway:
        from bench.ai_eval.gateway import run_case as run_gateway_case

        for part, cases in parts.items():
            report = Report(provider=f"gateway {args.gateway}")
            for case in cases:
                outcome, knowledge = run_gateway_case(args.gateway, case, args.admin_token, args.channel)
                score(report, case, outcome, knowledge)
            results[part] = [report]
    else:
        from bench.ai_eval.local import KNOWLEDGE, local_mesh, run_case

        with local_mesh(_ai_settings()) as mesh:
            for part, cases in parts.items():
                results[part] = []
                for provider in mesh.providers:
                    report = Report(provider=provider)
                    for case in cases:
                        outcome, _ = run_case(mesh, case, provider)
                        score(report, case, outcome, KNOWLEDGE)
                    results[part].append(report)
    for part, reports in results.items():
        if reports and reports[0].scored:
            _print(part, reports, args.verbose)
    if any(part.startswith("report") for part in results):
        print("held-out parts' goals:", ", ".join(f"{k} {v}" for k, v in REPORT_GOALS.items()))
    if args.json:
        payload = {part: [r.as_dict() for r in reports] for part, reports in results.items()}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    if args.check:
        for part, reports in results.items():
            offline = next((r for r in reports if r.provider == "offline" and r.scored), None)
            if offline is not None and (
                offline.invented_facts > TARGETS["invented_facts"]
                or offline.errors
                or (
                    part not in HELD_OUT
                    and (
                        offline.opt_out_recall < TARGETS["opt_out_recall"]
                        or offline.intent_accuracy < TARGETS["intent_accuracy"]
                    )
                )
            ):
                print(f"the offline provider misses its targets on the {part} part", TARGETS, file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
