"""The evaluation cases: student messages over the demo catalogue, with what a correct reply holds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
# The held-out parts, each written before the tuning it measures and never tuned on; and the parts the
# rules were tuned on.
PARTS: dict[str, tuple[Path, ...]] = {
    "report": (HERE / "report.jsonl",),
    "report2": (HERE / "report2.jsonl",),
    "report3": (HERE / "report3.jsonl",),
    "report4": (HERE / "report4.jsonl",),
    "tuning": (HERE / "dataset.jsonl", HERE / "tuning.jsonl"),
}
DATASET = HERE / "dataset.jsonl"
INTENTS = ("interested", "question", "price_objection", "wants_call", "enrolled", "not_interested", "opt_out")


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    intent: str
    # Earlier turns: ("lead" | "us", text), oldest first.
    history: tuple[tuple[str, str], ...] = ()
    must_contain: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    opt_out: bool = False
    unanswered: bool = False
    hand_off: bool = False
    lang: str = "en"
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def category(self) -> str:
        # Untagged cases are named "<category>-<detail>".
        return self.tags[0] if self.tags else self.id.split("-")[0]

    @property
    def answerable(self) -> bool:
        """The catalogue holds facts the reply must quote."""
        return bool(self.must_contain) and not self.unanswered


def load_part(part: str) -> list[Case]:
    """Every case of one part (a key of PARTS); a part's missing file is empty."""
    return [c for path in PARTS[part] if path.exists() for c in load(path)]


def load(path: Path = DATASET) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        # A part may open with "#" lines saying how and when it was written.
        if not line.strip() or line.startswith("#"):
            continue
        row = json.loads(line)
        try:
            case = Case(
                id=row["id"],
                text=row["text"],
                intent=row["intent"],
                history=tuple((h["from"], h["text"]) for h in row.get("history", ())),
                must_contain=tuple(row.get("must_contain", ())),
                must_not_contain=tuple(row.get("must_not_contain", ())),
                opt_out=bool(row.get("opt_out", False)),
                unanswered=bool(row.get("unanswered", False)),
                hand_off=bool(row.get("hand_off", False)),
                lang=row.get("lang", "en"),
                tags=tuple(row.get("tags", ())),
            )
        except KeyError as exc:
            raise ValueError(f"{path}:{number}: missing {exc}") from None
        if case.intent not in INTENTS:
            raise ValueError(f"{path}:{number}: unknown intent {case.intent!r}")
        if case.opt_out != (case.intent == "opt_out"):
            raise ValueError(f"{path}:{number}: opt_out must be set exactly for the opt_out intent")
        cases.append(case)
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: case ids must be unique")
    return cases
