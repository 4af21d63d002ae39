"""Summarise py-spy's collapsed stacks (`--profile` output): `python -m bench.perf.top FILE [N]`.

Prints the share of samples each function holds, inclusive (anywhere on the stack) and
self (at the top), so a profile can be read without a browser.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def summarise(text: str) -> tuple[int, Counter, Counter]:
    total = 0
    inclusive: Counter = Counter()
    own: Counter = Counter()
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    return total, inclusive, own


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    limit = int(argv[1]) if len(argv) > 1 else 25
    total, inclusive, own = summarise(path.read_text())
    if not total:
        print("no samples")
        return 1
    print(f"{path.name}: {total} samples")
    print("-- inclusive --")
    for frame, n in inclusive.most_common(limit):
        print(f"{100 * n / total:5.1f}%  {frame}")
    print("-- self --")
    for frame, n in own.most_common(limit):
        print(f"{100 * n / total:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
