"""The architecture diagram: ``docs/architecture.dot`` (the source) rendered by Graphviz to ``docs/architecture.svg``
(committed, shown by the README).

``python -m tenge.docs.diagram`` re-renders it; ``--check`` compares the committed SVG with the source by what
they say - clusters, nodes, edges and every label - not by bytes, so another Graphviz version (other coordinates,
other ids) does not make it stale, while a node, an edge or a label changed in one and not the other does.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from tenge import paths
from tenge.errors import ToolchainMissing

SOURCE = Path("docs") / "architecture.dot"
IMAGE = Path("docs") / "architecture.svg"
SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Graph:
    """What a diagram says: cluster and node names with their label lines, and edges with their labels."""

    clusters: dict[str, tuple[str, ...]]
    nodes: dict[str, tuple[str, ...]]
    edges: frozenset[tuple[str, str, str]]

    def differences(self, other: "Graph") -> list[str]:
        found = []
        for kind, mine, theirs in (("cluster", self.clusters, other.clusters), ("node", self.nodes, other.nodes)):
            for name in sorted(mine.keys() - theirs.keys()):
                found.append(f"{kind} {name} only in the first")
            for name in sorted(theirs.keys() - mine.keys()):
                found.append(f"{kind} {name} only in the second")
            for name in sorted(mine.keys() & theirs.keys()):
                if mine[name] != theirs[name]:
                    found.append(f"{kind} {name}: label {list(mine[name])} against {list(theirs[name])}")
        found += [f"edge {e} only in the first" for e in sorted(self.edges - other.edges)]
        found += [f"edge {e} only in the second" for e in sorted(other.edges - self.edges)]
        return found


def dot_binary() -> str:
    found = shutil.which("dot")
    if found is None:
        raise ToolchainMissing("Graphviz `dot` is missing: run `make bootstrap` (installs Debian's graphviz)")
    return found


def _lines(label: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in re.split(r"\\n|\n", label) if line.strip())


def graph_of_source(source: Path) -> Graph:
    """The source as Graphviz itself reads it (``dot -Tjson0``: no layout-dependent field is used)."""
    done = subprocess.run([dot_binary(), "-Tjson0", str(source)], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise ToolchainMissing(f"dot could not read {source}: {done.stderr.strip()}")
    data = json.loads(done.stdout)
    objects = data.get("objects", [])
    clusters = {o["name"]: _lines(o.get("label", "")) for o in objects if "nodes" in o or "subgraphs" in o}
    # A node without a label of its own shows its name (Graphviz's default label "\\N").
    nodes = {o["name"]: _lines(o.get("label", "\\N").replace("\\N", o["name"])) for o in objects
             if "nodes" not in o and "subgraphs" not in o}  # fmt: skip
    names = {o["_gvid"]: o["name"] for o in objects}
    edges = frozenset((names[e["tail"]], names[e["head"]], " ".join(_lines(e.get("label", "")))) for e in data.get("edges", []))
    return Graph(clusters, nodes, edges)


def _texts(group: ET.Element) -> tuple[str, ...]:
    return tuple(t.text.strip() for t in group.iter(f"{SVG}text") if t.text and t.text.strip())


def graph_of_svg(image: Path) -> Graph:
    """The rendered SVG: each ``<g class="cluster|node|edge">`` with its ``<title>`` and ``<text>`` lines."""
    root = ET.parse(image).getroot()
    clusters: dict[str, tuple[str, ...]] = {}
    nodes: dict[str, tuple[str, ...]] = {}
    edges: set[tuple[str, str, str]] = set()
    for group in root.iter(f"{SVG}g"):
        kind, title = group.get("class"), group.find(f"{SVG}title")
        if title is None or title.text is None:
            continue
        if kind == "cluster":
            clusters[title.text] = _texts(group)
        elif kind == "node":
            nodes[title.text] = _texts(group)
        elif kind == "edge":
            tail, head = title.text.split("->", 1)
            edges.add((tail, head, " ".join(_texts(group))))
    return Graph(clusters, nodes, frozenset(edges))


def render(source: Path, image: Path) -> None:
    done = subprocess.run([dot_binary(), "-Tsvg", str(source), "-o", str(image)], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise ToolchainMissing(f"dot could not render {source}: {done.stderr.strip()}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tenge.docs.diagram", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the SVG differs from the source")
    args = parser.parse_args(argv)
    root = paths.project_root()
    source, image = root / SOURCE, root / IMAGE
    try:
        if args.check:
            differences = graph_of_source(source).differences(graph_of_svg(image))
            for line in differences:
                print(f"stale {IMAGE}: {line} (regenerate: make diagram)")
            return 1 if differences else 0
        render(source, image)
    except ToolchainMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {image}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
