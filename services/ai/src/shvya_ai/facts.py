"""Checking a model's reply for facts its sources do not state: amounts, percentages and dates.

A reply may only state a price, a discount or a date that the knowledge-base
snippets (or the student's own words) contain; anything else is invented,
however plausible. Figures are compared by value, so "Rs 24,999", "₹24999"
and "24,999 rupees" are one amount, and "5 Jan 2027" is "5 January 2027".
"""

from __future__ import annotations

import re

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_NUMBER = r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"(?:rs\.?|inr|₹|rupees)\s*({_NUMBER})\s*(k|lakh|lakhs|thousand)?\b"
    rf"|\b({_NUMBER})\s*(k|lakh|lakhs|thousand)?\s*(?:rs|inr|rupees|/-)",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:%|per ?cent)", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:am|pm|weeks?|months?))", re.I)
_MULTIPLIER = {"k": 1000, "thousand": 1000, "lakh": 100_000, "lakhs": 100_000}


def _value(number: str, unit: str | None) -> float:
    return float(number.replace(",", "")) * _MULTIPLIER.get((unit or "").lower(), 1)


def amounts(text: str) -> set[float]:
    out = set()
    for m in _AMOUNT.finditer(text):
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        out.add(_value(number, unit))
    return out


def percentages(text: str) -> set[float]:
    return {float(m.group(1)) for m in _PERCENT.finditer(text)}


def dates(text: str) -> set[tuple[int, int]]:
    """(month, day) pairs; the year is not needed to tell one date from another here."""
    out = set()
    for m in _DAY_MONTH.finditer(text):
        out.add((_MONTHS[m.group(2)[:3].lower()], int(m.group(1))))
    for m in _MONTH_DAY.finditer(text):
        out.add((_MONTHS[m.group(1)[:3].lower()], int(m.group(2))))
    return out


def unsupported(reply: str, sources: list[str]) -> list[str]:
    """The amounts, percentages and dates of the reply that no source states."""
    corpus = "\n".join(sources)
    known_amounts = amounts(corpus) | {_value(n, None) for n in re.findall(_NUMBER, corpus)}
    out = [f"an amount of {v:,.0f}" for v in sorted(amounts(reply) - known_amounts)]
    out += [f"{v:g}%" for v in sorted(percentages(reply) - percentages(corpus))]
    month_names = {v: k for k, v in _MONTHS.items()}
    out += [f"the date {d} {month_names[m].capitalize()}" for m, d in sorted(dates(reply) - dates(corpus))]
    return out
