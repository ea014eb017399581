"""Print the project's import graph problems: cycles, layer violations, function-local imports.

Usage: ``python scripts/import_graph.py [--edges] [--max-lines 400]``. Exit code 1 when there is an
import cycle, an import from a higher layer, or a function-local import of project code (such imports
hide cycles). Modules over ``--max-lines`` lines are listed as a warning (exit code unchanged).

Layers (each may import only from its own layer or those below; see docs/ARCHITECTURE.md):
0 settings, errors, http -> 1 reference -> 2 connectors -> 3 build, dedup, demo, store
-> 4 search, places, maps, exports, card, shortlists, meeting_pack -> 5 screens, CLI -> 6 pages, app.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("mapping", "connectors", "pages")
#: Module prefix -> layer (longest prefix wins).
LAYERS = {
    "mapping": 0,
    "mapping.settings": 0,
    "mapping.errors": 0,
    "mapping.http": 0,
    "mapping.reference": 1,
    "connectors": 2,
    "mapping.build": 3,
    "mapping.dedup": 3,
    "mapping.demo": 3,
    "mapping.store": 3,
    "mapping.search": 4,
    "mapping.places": 4,
    "mapping.maps": 4,
    "mapping.exports": 4,
    "mapping.card": 4,
    "mapping.shortlists": 4,
    "mapping.meeting_pack": 4,
    "mapping.matching": 4,
    "mapping.coverage": 4,
    "mapping.screens": 5,
    "mapping.__main__": 5,
    "pages": 6,
    "app": 6,
}


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """``dotted name -> file`` of every project module (packages by their ``__init__``)."""
    found = {"app": root / "app.py"} if (root / "app.py").exists() else {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def layer(module: str) -> int:
    """Layer of ``module`` (longest matching prefix of :data:`LAYERS`)."""
    best, depth = 0, -1
    for prefix, value in LAYERS.items():
        if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
            best, depth = value, prefix.count(".")
    return best


def _targets(node: ast.AST, module: str, is_package: bool, known: set[str]) -> list[str]:
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    out = []
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            out.append(name)
    return out


def graph(root: Path = ROOT) -> tuple[dict[str, set[str]], list[tuple[str, int, str]]]:
    """``(edges, local_imports)``: module -> imported project modules (parent packages included,
    as Python runs them), and the function-local imports of project modules ``(module, line, target)``."""
    files = module_files(root)
    known = set(files)
    edges: dict[str, set[str]] = {m: set() for m in files}
    local: list[tuple[str, int, str]] = []
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        top_level = set(map(id, tree.body))
        guarded = {
            id(n)
            for stmt in tree.body
            if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
            for n in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in guarded:
                continue
            for target in _targets(node, module, is_package, known):
                chain = target.split(".")
                for i in range(1, len(chain) + 1):
                    dep = ".".join(chain[:i])
                    if dep in known and dep != module and not module.startswith(dep + "."):
                        edges[module].add(dep)
                if id(node) not in top_level and not _in_top_level_try(tree, node):
                    local.append((module, node.lineno, target))
    return edges, local


def _in_top_level_try(tree: ast.Module, node: ast.AST) -> bool:
    return any(isinstance(stmt, ast.Try) and node in list(ast.walk(stmt)) for stmt in tree.body)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        item = stack.pop()
                        on_stack.discard(item)
                        component.append(item)
                        if item == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def violations(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of a higher layer: ``(module, imported)``."""
    return sorted((m, d) for m, deps in edges.items() for d in deps if layer(d) > layer(m))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", action="store_true", help="print every edge")
    parser.add_argument("--max-lines", type=int, default=400)
    args = parser.parse_args(argv)
    edges, local = graph()
    if args.edges:
        for module in sorted(edges):
            print(f"{module} (layer {layer(module)}) -> {', '.join(sorted(edges[module])) or '-'}")
    found, wrong = cycles(edges), violations(edges)
    print(f"{len(edges)} modules, {sum(map(len, edges.values()))} imports")
    print(f"cycles: {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    print(f"layer violations: {len(wrong)}")
    for module, dep in wrong:
        print(f"  {module} (layer {layer(module)}) imports {dep} (layer {layer(dep)})")
    print(f"function-local imports of project modules: {len(local)}")
    for module, line, target in local:
        print(f"  {module}:{line} imports {target}")
    long = [(m, len(p.read_text(encoding="utf-8").splitlines())) for m, p in module_files().items()]
    long = sorted((n, m) for m, n in long if n > args.max_lines)
    print(f"modules over {args.max_lines} lines: {len(long)}")
    for n, m in reversed(long):
        print(f"  {m}: {n}")
    return 1 if found or wrong or local else 0


if __name__ == "__main__":
    sys.exit(main())
