"""A small offline drawing of an ML Metadata lineage with matplotlib (no graphviz, no JavaScript).

The input is a lineage table, one row per (input artifact -> execution ->
output artifact), with columns entrada_id, entrada_tipo, ejecucion_id,
componente, salida_id, salida_tipo (as proyecto1.metadata.lineage returns).
Artifacts are drawn as blue boxes, executions as orange ones, left to right.
"""

import matplotlib.pyplot as plt
import pandas as pd

ARTIFACT_COLOR = "#cfe2f3"
EXECUTION_COLOR = "#fce5cd"


def lineage_graph(table: pd.DataFrame) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Nodes (id -> label) and directed edges of a lineage table."""
    nodes, edges = {}, []
    for row in table.itertuples(index=False):
        execution = f"e{row.ejecucion_id}"
        nodes[execution] = f"{row.componente}\n(ejecución {row.ejecucion_id})"
        output = f"a{row.salida_id}"
        nodes[output] = f"{row.salida_tipo}\n(artefacto {row.salida_id})"
        edges.append((execution, output))
        if not pd.isna(row.entrada_id):
            source = f"a{int(row.entrada_id)}"
            nodes[source] = f"{row.entrada_tipo}\n(artefacto {int(row.entrada_id)})"
            edges.append((source, execution))
    return nodes, sorted(set(edges))


def _layers(nodes: dict[str, str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Each node's column: the length of the longest path reaching it."""
    depth = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes)):
        changed = False
        for source, target in edges:
            if depth[target] < depth[source] + 1:
                depth[target] = depth[source] + 1
                changed = True
        if not changed:
            break
    return depth


def plot_lineage(table: pd.DataFrame, title: str = ""):
    """Draw the lineage table as a left-to-right graph; return the figure."""
    nodes, edges = lineage_graph(table)
    depth = _layers(nodes, edges)
    columns: dict[int, list[str]] = {}
    for node in sorted(nodes, key=lambda n: (depth[n], nodes[n])):
        columns.setdefault(depth[node], []).append(node)
    height = max((len(c) for c in columns.values()), default=1)
    position = {node: (x * 2.6, (len(column) - 1) / 2 - y)
                for x, column in columns.items() for y, node in enumerate(column)}
    fig, ax = plt.subplots(figsize=(2.6 * max(len(columns), 1) + 1, 1.3 * height + 1))
    for source, target in edges:
        ax.annotate("", xy=position[target], xytext=position[source],
                    arrowprops={"arrowstyle": "-|>", "color": "#666666", "shrinkA": 38, "shrinkB": 38})
    for node, (x, y) in position.items():
        color = EXECUTION_COLOR if node.startswith("e") else ARTIFACT_COLOR
        ax.text(x, y, nodes[node], ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": color, "edgecolor": "#444444"})
    xs = [x for x, _ in position.values()] or [0]
    ys = [y for _, y in position.values()] or [0]
    ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
