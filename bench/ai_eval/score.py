"""Scoring replies: facts a reply must and must not state, facts it invented, intents and opt-outs.

The checks are the evaluation's own (not the providers'): a fact is found in
a reply after folding currency marks, thousands separators, dashes, case
and spacing, so "Rs 24,999", "₹24999" and "rs. 24,999" are one fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Statements of fact a counsellor could invent: amounts, percentages, dates, durations, times.
_FACT_PATTERNS = (
    r"(?:rs|inr|₹|rupees)\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:k|lakh|lakhs|thousand))?",
    r"\b\d[\d,]*(?:\.\d+)?\s*(?:rs|inr|rupees|/-)",
    r"\b\d{1,3}(?:,\d{2,3})+\b",
    r"\b\d+(?:\.\d+)?\s*%",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b(?:\s+\d{{4}})?",
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",
    rf"\b(?:{_MONTHS})\s+\d{{4}}\b",
    r"\b\d+\s*-?\s*(?:weeks?|months?|days?|hours?)\b",
    r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm)\b",
)
_FACT = re.compile("|".join(f"(?:{p})" for p in _FACT_PATTERNS), re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case; one spelling for currency, numbers, dashes and spaces."""
    t = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u20b9", " rs ")
    # "24,999 रुपये", "24,999 rupees", "24,999/-": the amount first, the currency after.
    t = re.sub(
        r"(?<![\w.])(\d[\d,]*)\s*(?:/-|रुपये|रुपए|रुपया|रूपये|rupaye|rupaiye|rupees?\b|rs\b\.?|inr\b)",
        r"rs \1",
        t,
    )
    t = re.sub(r"\b(?:inr|rupees|rs)\.?\s*", "rs ", t)
    t = re.sub(r"\brs (?:rs )+", "rs ", t)
    t = re.sub(r"(?<=\d),(?=\d)", "", t)
    t = re.sub(r"(\d)\s*-\s*(?=[a-z])", r"\1 ", t)  # 12-week -> 12 week
    t = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", r"\1", t)
    t = re.sub(r"[\s-]+", " ", t)
    return t.strip()


def contains(reply: str, fact: str) -> bool:
    """The fact appears in the reply as whole words ("Rs" is not found in "courses")."""
    return re.search(rf"(?<![a-z0-9]){re.escape(fold(fact))}(?![a-z0-9])", fold(reply)) is not None


def stated_facts(text: str) -> list[str]:
    return [m.group(0) for m in _FACT.finditer(text)]


def _core(fact: str) -> str:
    """The part of a fact that must appear in a source: its figures and month names."""
    folded = fold(fact)
    words = re.findall(rf"\d+(?:\.\d+)?|{_MONTHS}|%", folded)
    return " ".join(words)


def invented(reply: str, sources: list[str]) -> list[str]:
    """Facts in the reply that appear in none of the sources (the knowledge base, the student's words)."""
    corpus = " ".join(fold(s) for s in sources)
    corpus_cores = " ".join(_core(m) for s in sources for m in stated_facts(s))
    out = []
    for fact in stated_facts(reply):
        if fold(fact) in corpus:
            continue
        core = _core(fact)
        if core and (core in corpus_cores or all(part in corpus.split() for part in core.split())):
            continue
        out.append(fact)
    return out


@dataclass
class Outcome:
    case_id: str
    text: str
    intent: str
    opt_out: bool
    unanswered: bool = False
    hand_off: bool = False
    error: str = ""


@dataclass
class Scored:
    case_id: str
    grounded: bool
    has_facts: bool
    missing: list[str]
    wrong: list[str]
    invented: list[str]
    intent_ok: bool
    expected_intent: str
    got_intent: str
    category: str = "general"
    lang: str = "en"
    answerable: bool = False
    # Every fact the reply needs is present (an empty "a counsellor will confirm" does not pass).
    strict: bool = False
    # Everything right: intent, facts, opt-out, hand-off and the unanswered flag where asked for.
    passed: bool = False
    flags: list[str] = field(default_factory=list)


@dataclass
class Report:
    provider: str
    scored: list[Scored] = field(default_factory=list)
    opt_out_cases: int = 0
    opt_out_caught: int = 0
    false_opt_outs: int = 0
    unanswered_cases: int = 0
    unanswered_flagged: int = 0
    hand_off_cases: int = 0
    hand_off_flagged: int = 0
    errors: int = 0

    @property
    def grounding_accuracy(self) -> float:
        factual = [s for s in self.scored if s.has_facts]
        return sum(s.grounded for s in factual) / len(factual) if factual else 1.0

    @property
    def strict_accuracy(self) -> float:
        answerable = [s for s in self.scored if s.answerable]
        return sum(s.strict for s in answerable) / len(answerable) if answerable else 1.0

    @property
    def pass_rate(self) -> float:
        return sum(s.passed for s in self.scored) / len(self.scored) if self.scored else 0.0

    def breakdown(self, key: str) -> dict[str, tuple[int, int]]:
        """Cases and passes per category or per language."""
        out: dict[str, tuple[int, int]] = {}
        for s in self.scored:
            cases, passed = out.get(getattr(s, key), (0, 0))
            out[getattr(s, key)] = (cases + 1, passed + s.passed)
        return dict(sorted(out.items()))

    @property
    def invented_facts(self) -> int:
        return sum(len(s.invented) for s in self.scored)

    @property
    def intent_accuracy(self) -> float:
        return sum(s.intent_ok for s in self.scored) / len(self.scored) if self.scored else 0.0

    @property
    def opt_out_recall(self) -> float:
        return self.opt_out_caught / self.opt_out_cases if self.opt_out_cases else 1.0

    def as_dict(self) -> dict:
        return {
            "provider": self.provider,
            "cases": len(self.scored),
            "grounding_accuracy": round(self.grounding_accuracy, 4),
            "strict_accuracy": round(self.strict_accuracy, 4),
            "pass_rate": round(self.pass_rate, 4),
            "invented_facts": self.invented_facts,
            "intent_accuracy": round(self.intent_accuracy, 4),
            "opt_out_recall": round(self.opt_out_recall, 4),
            "false_opt_outs": self.false_opt_outs,
            "unanswered_flagged": f"{self.unanswered_flagged}/{self.unanswered_cases}",
            "hand_off_flagged": f"{self.hand_off_flagged}/{self.hand_off_cases}",
            "errors": self.errors,
            "by_category": {k: {"cases": c, "passed": p} for k, (c, p) in self.breakdown("category").items()},
            "by_language": {k: {"cases": c, "passed": p} for k, (c, p) in self.breakdown("lang").items()},
        }


def score(report: Report, case, outcome: Outcome, knowledge: list[str]) -> Scored:
    if outcome.error:
        report.errors += 1
    missing = [f for f in case.must_contain if not contains(outcome.text, f)]
    wrong = [f for f in case.must_not_contain if contains(outcome.text, f)]
    made_up = invented(
        outcome.text, [*knowledge, case.text, *(t for who, t in case.history if who == "lead")]
    )
    grounded = not missing and not wrong and not made_up and not outcome.error
    flags = []
    if outcome.opt_out != case.opt_out:
        flags.append("opt-out missed" if case.opt_out else "false opt-out")
    if case.hand_off and not outcome.hand_off:
        flags.append("not handed off")
    if case.unanswered and not outcome.unanswered:
        flags.append("not flagged unanswered")
    scored = Scored(
        case_id=case.id,
        grounded=grounded,
        has_facts=bool(case.must_contain or case.must_not_contain),
        missing=missing,
        wrong=wrong,
        invented=made_up,
        intent_ok=outcome.intent == case.intent,
        expected_intent=case.intent,
        got_intent=outcome.intent,
        category=case.category,
        lang=case.lang,
        answerable=case.answerable,
        strict=case.answerable and not missing and not outcome.error,
        passed=grounded and outcome.intent == case.intent and not flags,
        flags=flags,
    )
    report.scored.append(scored)
    if case.opt_out:
        report.opt_out_cases += 1
        report.opt_out_caught += outcome.opt_out
    elif outcome.opt_out:
        report.false_opt_outs += 1
    if case.unanswered:
        report.unanswered_cases += 1
        report.unanswered_flagged += outcome.unanswered
    if case.hand_off:
        report.hand_off_cases += 1
        report.hand_off_flagged += outcome.hand_off
    return scored
