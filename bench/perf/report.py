"""The results: one row per figure, printed as a table and written as JSON."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil


@dataclass
class Row:
    section: str
    figure: str
    value: str
    target: str = ""
    # True met, False missed, None: no target for this figure.
    met: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, section: str, figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(section, figure, value, target, met))

    def table(self) -> str:
        headers = ("section", "figure", "value", "target", "")
        body = [
            (r.section, r.figure, r.value, r.target, {True: "met", False: "MISSED", None: ""}[r.met])
            for r in self.rows
        ]
        widths = [
            max(len(h), *(len(row[i]) for row in body)) if body else len(h) for i, h in enumerate(headers)
        ]
        line = "  ".join("-" * w for w in widths)
        out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), line]
        section = None
        for row in body:
            cells = list(row)
            if cells[0] == section:
                cells[0] = ""
            else:
                section = cells[0]
            out.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
        return "\n".join(out)

    def as_json(self) -> dict[str, Any]:
        return {
            "machine": machine(),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": [r.__dict__ for r in self.rows],
            "notes": self.notes,
            "data": self.data,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), indent=2, default=str) + "\n")


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu or platform.processor(),
        "logical_cpus": psutil.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }
