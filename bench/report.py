"""Write docs/benchmarks.md from one run's measurements (docs/benchmarks.json), table and prose alike.

    uv run python bench/report.py     # re-render docs/benchmarks.md from docs/benchmarks.json, measuring nothing

bench/run.py measures, stores what it measured in docs/benchmarks.json and calls
this. Every figure of the generated page comes from that one run: the prose
(bench/NOTES.md) is a template filled from the same values as the table; the
few figures no run of the script measures say where they come from.
"""

import argparse
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "docs" / "benchmarks.md"
NOTES = Path(__file__).with_name("NOTES.md")
BEAM_NAMES = {"in_process": "in-process", "multi_process": "multi-process",
              "portable_1_worker": "portable, 1 worker container",
              "portable_2_workers": "portable, 2 worker containers"}
TARGETS = {
    "image": 1.8e9, "all_images": 2.2e9, "extra_proyecto": 150e6, "rebuild": 10.0, "up": 15.0,
    "idle_memory": 250 * 2**20, "speedup": 1.7,
}
GB = 1e9
# Sections of the page that other scripts measure on their own (bench/serving_load.py, bench/idle_stack.py), in
# the page's order: each is kept when this script writes the page.
KEPT_SECTIONS = ("serving-load", "idle-stack", "proyecto3-batch")


def files(count: int) -> str:
    return f"{count} file{'s' if count > 1 else ''}"


def mark(value: float, target: float, higher_is_better: bool = False) -> str:
    met = value >= target if higher_is_better else value <= target
    return "✅" if met else "❌"


def beam_rows(result: dict) -> list[tuple[str, str, str, str]]:
    """A table row per Beam run: its speed-up over the baseline (in-process), the cores it used, same outputs."""
    runs, baseline = result["runs"], result["runs"][result["baseline"]]
    rows = []
    for name, run in runs.items():
        if name == result["baseline"]:
            continue
        differences = result["compared"]["differences"].get(name, ["not compared"])
        speedup = baseline["seconds"] / run["seconds"]
        target = run["files"] > 1 and run["setup"] in ("multi_process", "portable_2_workers")
        rows.append((
            f"StatisticsGen + Transform, {result['rows']:,} rows, {files(run['files'])} per split: "
            f"{BEAM_NAMES[run['setup']]} vs in-process",
            f"≥ {TARGETS['speedup']}x, same outputs" if target else "same outputs (for comparison)",
            f"{baseline['seconds']:.0f} s → {run['seconds']:.0f} s = {speedup:.2f}x, {run['cores']:.2f} cores busy, "
            f"same outputs: {'yes' if not differences else 'NO'}",
            (mark(speedup, TARGETS["speedup"], higher_is_better=True) if target else "")
            if not differences else "❌"))
    return rows


def beam_detail(result: dict) -> str:
    """The Beam runs of one row count, one line each, and the ingestion."""
    prepared = result["prepared"]
    lines = [f"- {result['rows']:,} rows, ingested once for each number of files per split "
             "(CsvExampleGen + StatisticsGen + SchemaGen; in-process for 1 file, one worker process per file "
             "otherwise): " + ", ".join(f"{files(int(n))} in {prepared['ingest_seconds'][n]:.0f} s"
                                        for n in prepared["ingest_seconds"])]
    for run in result["runs"].values():
        lines.append(
            f"  - {BEAM_NAMES[run['setup']]}, {files(run['files'])} per split: {run['seconds']:.0f} s "
            f"(attempts: {', '.join(f'{s:.0f} s' for s in run['attempts'])}; "
            + ", ".join(f"{c} {s:.0f} s" for c, s in run["components"].items()) + "), "
            f"CPU {run['container_cpu_seconds']:.0f} s in the runner's container + "
            f"{run['worker_cpu_seconds']:.0f} s in the worker containers = {run['cores']:.2f} cores; "
            f"load {run['load_before']:.1f} → {run['load_after']:.1f}")
    lines.append(f"  - outputs compared with {result['baseline']} ({result['compared']['compared']} statistics, "
                 "schemas, vocabularies and row counts each): "
                 + ", ".join(f"{name} {'same' if not d else 'DIFFERENT: ' + '; '.join(d[:3])}"
                             for name, d in result["compared"]["differences"].items()))
    return "\n".join(lines)


def table_rows(results: dict) -> list[tuple[str, str, str, str]]:
    sizes, base, memory, staged = results["sizes"], results["base"], results["memory"], results["staged"]
    own = {s: size - base for s, size in sizes.items()}
    total = base + sum(own.values())
    rebuild = results["rebuild"]
    rows = [
        ("one lab image", f"≤ {TARGETS['image'] / GB:.1f} GB",
         ", ".join(f"{s}: {v / GB:.2f} GB" for s, v in sizes.items()), mark(max(sizes.values()), TARGETS["image"])),
        ("all lab images, unique layers", f"≤ {TARGETS['all_images'] / GB:.1f} GB",
         f"{total / GB:.2f} GB (base {base / GB:.2f} GB shared: {'yes' if results['shared'] else 'NO'})",
         mark(total, TARGETS["all_images"])),
        ("each extra Proyecto adds", f"≤ {TARGETS['extra_proyecto'] / 1e6:.0f} MB",
         ", ".join(f"{s}: {v / 1e6:.0f} MB" for s, v in own.items()),
         mark(max(own.values()), TARGETS["extra_proyecto"])),
        ("rebuild after editing the notebook", f"≤ {TARGETS['rebuild']:.0f} s", f"{rebuild['notebook']:.1f} s",
         mark(rebuild["notebook"], TARGETS["rebuild"])),
        ("rebuild after editing a Python module", f"≤ {TARGETS['rebuild']:.0f} s", f"{rebuild['module']:.1f} s",
         mark(rebuild["module"], TARGETS["rebuild"])),
        ("`up -d` (built images) to every service healthy", f"≤ {TARGETS['up']:.0f} s", f"{results['up']:.1f} s",
         mark(results["up"], TARGETS["up"])),
        ("idle lab container memory", "≤ 250 MB", ", ".join(f"{s}: {v / 2**20:.0f} MiB" for s, v in memory.items()),
         mark(max(memory.values()), TARGETS["idle_memory"])),
        (f"Proyecto1's pipeline (10,000 rows, {staged['beam_components']} Beam components), in-process: "
         "the lab's --sdk_container_image vs TFX staging itself",
         "faster, /tmp stays clean",
         f"{staged['seconds']['tfx_stages_itself']:.0f} s → {staged['seconds']['lab']:.0f} s; /tmp grows by "
         f"{staged['tmp_bytes']['tfx_stages_itself'] / 1e6:.0f} MB → {staged['tmp_bytes']['lab'] / 1e6:.0f} MB "
         "per run", mark(staged["seconds"]["lab"], staged["seconds"]["tfx_stages_itself"])),
    ]
    for result in results["beam"]:
        rows.extend(beam_rows(result))
    return rows


def figures(results: dict) -> dict[str, str]:
    """The values bench/NOTES.md quotes, each from this run (its first Beam row count), formatted for the prose."""
    sizes, base = results["sizes"], results["base"]
    image = max(sizes.values())
    beam = results["beam"][0]
    runs = {(r["setup"], r["files"]): r for r in beam["runs"].values()}
    baseline = beam["runs"][beam["baseline"]]

    def speedup(setup: str, files_per_split: int = 2) -> float:
        return baseline["seconds"] / runs[(setup, files_per_split)]["seconds"]

    multi, portable_1, portable_2 = (runs[("multi_process", 2)], runs[("portable_1_worker", 2)],
                                     runs[("portable_2_workers", 2)])
    best = max(speedup("multi_process"), speedup("portable_2_workers"))
    loads = [r[k] for r in beam["runs"].values() for k in ("load_before", "load_after")]
    spread = max(max(r["attempts"]) / min(r["attempts"]) for r in beam["runs"].values())
    staged, memory = results["staged"], results["memory"]
    return {
        "date": results["date"],
        "image_verdict": (f"target missed by {(image - TARGETS['image']) / GB:.2f} GB"
                          if image > TARGETS["image"] else "target met"),
        "image_gb": f"{image / GB:.2f}",
        "own_mb": f"{max(s - base for s in sizes.values()) / 1e6:.0f}",
        "python_base_mb": f"{results['python_base'] / 1e6:.0f}",
        "import_extra_s": f"{results['imports']['without'] - results['imports']['with']:.0f}",
        "rows": f"{beam['rows']:,}",
        "speedup_target": f"{TARGETS['speedup']}",
        "portable_2_x": f"{speedup('portable_2_workers'):.2f}",
        "portable_1_x": f"{speedup('portable_1_worker'):.2f}",
        "multi_x": f"{speedup('multi_process'):.2f}",
        "multi_1_file_x": f"{speedup('multi_process', 1):.2f}",
        "multi_cpu_s": f"{multi['container_cpu_seconds']:.0f}",
        "baseline_cpu_s": f"{baseline['container_cpu_seconds']:.0f}",
        "multi_cores": f"{multi['cores']:.2f}",
        "portable_2_cores": f"{portable_2['cores']:.2f}",
        "portable_runner_cpu_s": "–".join(f"{s:.0f}" for s in sorted(
            r["container_cpu_seconds"] for r in (portable_1, portable_2))),
        "transform_share": f"{baseline['components'].get('Transform', 0) / baseline['seconds']:.0%}",
        "speedup_verdict": (f"{TARGETS['speedup']}x is missed by {TARGETS['speedup'] - best:.2f}x"
                            if best < TARGETS["speedup"] else f"{TARGETS['speedup']}x is reached"),
        "load_min": f"{min(loads):.1f}", "load_max": f"{max(loads):.1f}",
        "attempt_spread": f"{spread:.1f}",
        "staging_slow_s": f"{staged['seconds']['tfx_stages_itself']:.0f}",
        "staging_lab_s": f"{staged['seconds']['lab']:.0f}",
        "staging_tmp_mb": f"{staged['tmp_bytes']['tfx_stages_itself'] / 1e6:.0f}",
        "beam_components": f"{staged['beam_components']}",
        "rebuild_s": f"{max(results['rebuild'].values()):.1f}",
        "up_s": f"{results['up']:.0f}",
        "idle_mib": f"{max(memory.values()) / 2**20:.0f}",
    }


def render(results: dict) -> str:
    table = "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in table_rows(results))
    beam_details = "\n".join(beam_detail(r) for r in results["beam"])
    imports = results["imports"]
    return f"""# Benchmarks

Generated by `uv run python bench/run.py` on {results['date']} (its measurements: `docs/benchmarks.json`).
Machine: {results['machine']}.

| metric | target | measured | |
|---|---|---|---|
{table}

StatisticsGen + Transform by how Beam runs, each setup run twice, interleaved, the faster attempt kept (cores = CPU
seconds of the runner's container and of the worker containers, from their cgroups, over wall-clock seconds, for the
attempt kept; load = the machine's 1-minute load average before → after it, other jobs' included: the 2-core machine
was shared):
{beam_details}

Importing the TFX stack in a new Python process (a kernel, a pipeline run, each Beam worker):
{imports['with']:.1f} s with the bytecode the base image ships, {imports['without']:.1f} s compiling from source.

{NOTES.read_text().format(**figures(results))}"""


def markers(name: str) -> tuple[str, str]:
    """The HTML comments around a kept section of the page."""
    return f"<!-- {name}: start -->", f"<!-- {name}: end -->"


def kept_section(path: Path, name: str) -> str:
    """Section `name` of the page at `path` as it is now, markers included ("" if it has none)."""
    start, end = markers(name)
    text = path.read_text() if path.exists() else ""
    return start + text.split(start, 1)[1].split(end, 1)[0] + end if start in text else ""


def write_section(name: str, text: str, path: Path = OUTPUT) -> None:
    """Replace section `name` of the page with `text` (its markers added), or add it at the end."""
    start, end = markers(name)
    section = f"{start}\n{text.strip()}\n{end}"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    if start in current:
        head, rest = current.split(start, 1)
        current = head + section + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(current)


def publish_section(name: str, results: dict, text: str, raw: Path | None = None) -> None:
    """What a script that measures a section of its own ends with: its raw results kept at `raw` (if given), its
    section written into the page, and printed."""
    if raw:
        raw.write_text(json.dumps(results, indent=2))
    write_section(name, text)
    print(text)


def page(results: dict, output: Path = OUTPUT) -> str:
    """The page: this script's rendering of `results`, then the kept sections the page already has."""
    kept = [section for name in KEPT_SECTIONS if (section := kept_section(output, name))]
    return render(results) + "".join(f"\n{section}\n" for section in kept)


def write(results: dict, output: Path = OUTPUT) -> str:
    """Store the run's measurements (next to the page, .json) and write the page from them; the page's text."""
    output.with_suffix(".json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    text = page(results, output)
    output.write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the page; its values are read from .json")
    args = parser.parse_args()
    args.output.write_text(page(json.loads(args.output.with_suffix(".json").read_text()), args.output))
    print(args.output.read_text())


if __name__ == "__main__":
    main()
