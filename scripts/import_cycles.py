"""Fails when modules of a package import each other in a circle (run by `make lint`).

Import-linter's layers keep the crm's folders in order; this keeps every module in order,
imports inside functions included, so that no module reaches back to one that reaches it.
"""

from __future__ import annotations

import sys

import grimp

PACKAGES = ("shvya_gateway", "shvya_crm", "shvya_conductor", "shvya_ai", "shvya_channels", "shvya_rpc")


def cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not imported.startswith(package):
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    return found


def main() -> int:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    failed = False
    for package in PACKAGES:
        for group in cycles(graph, package):
            failed = True
            print(f"import cycle in {package}: {' <-> '.join(group)}", file=sys.stderr)
    if not failed:
        print(f"no import cycles in {', '.join(PACKAGES)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
