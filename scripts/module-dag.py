#!/usr/bin/env python3
"""Fails when a crate's modules import each other in a circle, or break the layering rules.

Each file is a module (`src/a/mod.rs` and `src/a.rs` are `a`, `src/a/b.rs` is `a::b`). A module
depends on another when its code (not its comments) names a path into it: `crate::a::b…`,
`super::…`, `self::…`, or a child by its bare name (test modules left out). A parent using its children is fine; a module
that is imported back by one it imports is not. `--show` prints the dependency picture.

    scripts/module-dag.py [--show] CRATE_SRC_DIR ...
"""
import re
import sys
from pathlib import Path

# Modules of the core that must not depend on these (prefix match).
RULES = {
    "src": [
        ("signing", "parse"), ("signing", "model"), ("signing", "api"),
        ("model", "parse"), ("model", "signing"), ("model", "api"),
        ("error", "signing"), ("error", "model"), ("error", "api"), ("error", "parse"),
        ("text", ""),
    ],
}


def strip_tests(code):
    """Drops a file's `#[cfg(test)] mod tests { … }`, which by convention ends the file: a test
    module is a leaf of its own that may use anything, not a part of the module it tests."""
    m = re.search(r"#\[cfg\(test\)\]\s*(#\[[^\]]*\]\s*)*mod \w+ \{", code)
    return code[: m.start()] if m else code


def strip_comments(code):
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    code = re.sub(r'r#*"(?:.|\n)*?"#*', '""', code)
    code = re.sub(r'"(?:\\.|[^"\\])*"', '""', code)
    return re.sub(r"//[^\n]*", "", code)


def modules(src):
    mods = {}
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] in ("lib", "main", "mod"):
            parts = parts[:-1]
        if path.name == "main.rs" and (src / "lib.rs").exists():
            continue  # a binary beside the library: a crate of its own, which uses the library
        mods[tuple(parts)] = path
    return mods


def resolve(name_parts, known):
    """The deepest known module that is a prefix of name_parts."""
    for n in range(len(name_parts), -1, -1):
        if tuple(name_parts[:n]) in known:
            return tuple(name_parts[:n])
    return None


def edges(src):
    mods = modules(src)
    graph = {m: set() for m in mods}
    for mod, path in mods.items():
        code = strip_tests(strip_comments(path.read_text()))
        children = {m[-1] for m in mods if len(m) == len(mod) + 1 and m[: len(mod)] == mod}
        refs = []
        for m in re.finditer(r"\bcrate((?:::\w+)+)", code):
            refs.append(m.group(1).split("::")[1:])
        for m in re.finditer(r"\b((?:super::)+)((?:\w+::)*\w+)", code):
            up = m.group(1).count("super::")
            base = list(mod[: max(len(mod) - up, 0)])
            refs.append(base + m.group(2).split("::"))
        for m in re.finditer(r"\bself((?:::\w+)+)", code):
            refs.append(list(mod) + m.group(1).split("::")[1:])
        # `use child::…`, `pub use child::{…}` and `child::item` in a parent.
        for m in re.finditer(r"(?<![:\w])(\w+)((?:::\w+)*)::[{\w*]", code):
            if m.group(1) in children:
                refs.append(list(mod) + [m.group(1)] + m.group(2).split("::")[1:])
        for ref in refs:
            target = resolve(ref, mods)
            if target is not None and target != mod:
                graph[mod].add(target)
    return graph


def name(mod):
    return "::".join(mod) or "crate"


def find_cycle(graph):
    state, stack = {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def main(args):
    show = "--show" in args
    failed = False
    for root in [a for a in args if a != "--show"]:
        src = Path(root)
        graph = edges(src)
        if show:
            print(f"{root}:")
            for mod in sorted(graph):
                uses = ", ".join(sorted(name(t) for t in graph[mod])) or "-"
                print(f"  {name(mod):28} uses {uses}")
        cycle = find_cycle(graph)
        if cycle:
            print(f"module-dag: {root}: circle: {' -> '.join(name(m) for m in cycle)}", file=sys.stderr)
            failed = True
        for frm, to in RULES.get(root.rstrip("/"), []):
            for mod, targets in graph.items():
                if name(mod).startswith(frm):
                    for t in targets:
                        if (to == "" or name(t).startswith(to)) and not name(t).startswith(frm):
                            print(f"module-dag: {root}: {name(mod)} must not use {name(t)}", file=sys.stderr)
                            failed = True
        if not failed:
            print(f"module-dag: {root}: {len(graph)} modules, no circle")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
