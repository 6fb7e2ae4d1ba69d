"""The README's architecture diagram is generated from its source and up to date: the committed SVG says exactly
what docs/architecture.dot says (clusters, nodes, edges, every label), compared by content so another Graphviz
version does not matter. Graphviz is installed by `make bootstrap` (Debian's graphviz)."""

from __future__ import annotations

import re
from pathlib import Path

from tenge import paths
from tenge.docs.diagram import IMAGE, SOURCE, graph_of_source, graph_of_svg, render

ROOT = paths.project_root()


def test_the_committed_svg_says_what_its_source_says() -> None:
    source, image = graph_of_source(ROOT / SOURCE), graph_of_svg(ROOT / IMAGE)
    assert source.differences(image) == [], "stale docs/architecture.svg: run `make diagram`"
    # The diagram names what the README's users meet: both chains, the bridges, validators and relayer, the roles.
    assert {"home_token", "bnb_token", "home_bridge", "bnb_bridge", "validators", "relayer"} <= source.nodes.keys()
    assert {"cluster_home", "cluster_bnb", "cluster_roles", "cluster_services"} <= source.clusters.keys()


def test_the_comparison_finds_a_node_an_edge_and_a_label_changed_in_the_source(tmp_path: Path) -> None:
    text = (ROOT / SOURCE).read_text()
    changed = text.replace('label="Relayer\\n', 'label="Relayers\\n')
    changed = changed.replace("  relayer    -> validators", "  relayer -> programmes;\n  extra_node;\n  relayer    -> validators")
    assert changed != text
    edited = tmp_path / "architecture.dot"
    edited.write_text(changed)
    found = graph_of_source(edited).differences(graph_of_svg(ROOT / IMAGE))
    assert any(line.startswith("node extra_node only in the first") for line in found), found
    assert any("('relayer', 'programmes', '')" in line for line in found), found
    assert any(line.startswith("node relayer: label") for line in found), found
    # Rendered again (whatever this Graphviz's layout), the edited source and its new image agree.
    render(edited, tmp_path / "architecture.svg")
    assert graph_of_source(edited).differences(graph_of_svg(tmp_path / "architecture.svg")) == []


def test_the_readme_shows_the_diagram() -> None:
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"!\[[^\]]*\]\(docs/architecture\.svg\)", readme)
