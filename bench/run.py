"""Measure the lab against its performance targets and write docs/benchmarks.md.

    uv run python bench/run.py                 # everything (about 30 min on 2 cores)
    uv run python bench/run.py --rows 100000   # a quicker throughput row

Works on a copy of the repository under a unique compose project name, so a
running lab is never touched. Not a test: the suite stays independent of timing.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.compose import Stack
from harness.repo import copy_repo, proyectos, service_of

REPO = Path(__file__).resolve().parents[1]
IMPORT_STACK = ("import time; t = time.monotonic(); import tensorflow, tfx.v1, tensorflow_data_validation, "
                "tensorflow_transform, apache_beam, pandas; print(time.monotonic() - t)")
TARGETS = {
    "image": 1.8e9, "all_images": 2.2e9, "extra_proyecto": 150e6, "rebuild": 10.0, "up": 15.0,
    "idle_memory": 250 * 2**20, "speedup": 1.7,
}


def timed(action) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def image_size(reference: str) -> int:
    return int(subprocess.run(["docker", "image", "inspect", "-f", "{{.Size}}", reference],
                              check=True, capture_output=True, text=True).stdout)


def layers(reference: str) -> list[str]:
    return json.loads(subprocess.run(["docker", "image", "inspect", "-f", "{{json .RootFS.Layers}}", reference],
                                     check=True, capture_output=True, text=True).stdout)


def idle_memory(stack, services: list[str]) -> dict[str, int]:
    """Each lab container's memory after it has idled (server up, no kernel)."""
    time.sleep(20)  # let the server settle after start-up; a measurement, not a test
    ids = {s: stack.compose("ps", "-q", s).stdout.strip() for s in services}
    result = {}
    for service, cid in ids.items():
        usage = subprocess.run(["docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", cid],
                               check=True, capture_output=True, text=True).stdout.split("/")[0].strip()
        number, unit = float(usage[:-3]), usage[-3:]
        result[service] = int(number * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit])
    return result


def throughput(stack, rows: int) -> dict:
    """Run bench/throughput.py in a one-off Proyecto1 container."""
    result = stack.compose(
        "run", "--rm", "-T", "--no-deps", "-v", f"{REPO / 'bench'}:/bench:ro",
        "-e", "PYTHONPATH=/opt/lab/lab-base/src:/home/lab/work", "proyecto1",
        "python", "/bench/throughput.py", "--rows", str(rows), timeout=7200)
    return json.loads(result.stdout.strip().splitlines()[-1])


def import_seconds(stack, bytecode: bool) -> float:
    """Seconds to import the TFX stack, with the image's bytecode or compiling from source."""
    env = [] if bytecode else ["-e", "PYTHONPYCACHEPREFIX=/tmp/no-bytecode"]
    out = stack.compose("run", "--rm", "-T", "--no-deps", *env, "proyecto1", "python", "-c", IMPORT_STACK).stdout
    return float(out.strip().splitlines()[-1])


def mark(value: float, target: float, higher_is_better: bool = False) -> str:
    met = value >= target if higher_is_better else value <= target
    return "✅" if met else "❌"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    engine = subprocess.run(["docker", "version", "-f", "{{.Server.Version}}"], capture_output=True,
                            text=True).stdout.strip()
    compose = subprocess.run(["docker", "compose", "version", "--short"], capture_output=True, text=True).stdout
    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Docker Engine {engine}, "
            f"Compose {compose.strip()}, {platform.platform()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000],
                        help="row counts for the Beam throughput row (default: 1000000)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tfxlab-bench-") as tmp:
        copy = copy_repo(Path(tmp))
        services = [service_of(p) for p in proyectos(copy)]
        stack = Stack(project=f"tfxlab-bench-{secrets.token_hex(4)}", token=secrets.token_hex(16), root=copy)
        try:
            stack.compose("build", timeout=3600)
            images = {s: f"{stack.project}-{s}" for s in services}
            base_image = f"{stack.project}-lab-base"
            base = image_size(base_image)
            sizes = {s: image_size(i) for s, i in images.items()}
            shared = all(layers(i)[:len(layers(base_image))] == layers(base_image) for i in images.values())
            own = {s: size - base for s, size in sizes.items()}

            notebook = copy / "Proyectos" / "Proyecto1" / "Proyecto1.ipynb"
            module = copy / "Proyectos" / "Proyecto1" / "proyecto1" / "pipeline.py"
            notebook.write_text(notebook.read_text() + "\n")
            rebuild_notebook = timed(lambda: stack.compose("build", "proyecto1"))
            module.write_text(module.read_text() + "\n# edited by bench/run.py\n")
            rebuild_module = timed(lambda: stack.compose("build", "proyecto1"))

            up = timed(lambda: stack.up(build=False))
            memory = idle_memory(stack, services)
            imports = {"with": import_seconds(stack, True), "without": import_seconds(stack, False)}
            beam = [throughput(stack, rows) for rows in args.rows]
        finally:
            stack.down(volumes=True, remove_images=True)

    gb = 1e9
    total = base + sum(own.values())
    rows = [
        ("one lab image", f"≤ {TARGETS['image'] / gb:.1f} GB",
         ", ".join(f"{s}: {v / gb:.2f} GB" for s, v in sizes.items()), mark(max(sizes.values()), TARGETS["image"])),
        ("all lab images, unique layers", f"≤ {TARGETS['all_images'] / gb:.1f} GB",
         f"{total / gb:.2f} GB (base {base / gb:.2f} GB shared: {'yes' if shared else 'NO'})",
         mark(total, TARGETS["all_images"])),
        ("each extra Proyecto adds", f"≤ {TARGETS['extra_proyecto'] / 1e6:.0f} MB",
         ", ".join(f"{s}: {v / 1e6:.0f} MB" for s, v in own.items()),
         mark(max(own.values()), TARGETS["extra_proyecto"])),
        ("rebuild after editing the notebook", f"≤ {TARGETS['rebuild']:.0f} s", f"{rebuild_notebook:.1f} s",
         mark(rebuild_notebook, TARGETS["rebuild"])),
        ("rebuild after editing a Python module", f"≤ {TARGETS['rebuild']:.0f} s", f"{rebuild_module:.1f} s",
         mark(rebuild_module, TARGETS["rebuild"])),
        ("`up -d` (built images) to every service healthy", f"≤ {TARGETS['up']:.0f} s", f"{up:.1f} s",
         mark(up, TARGETS["up"])),
        ("idle lab container memory", "≤ 250 MB", ", ".join(f"{s}: {v / 2**20:.0f} MiB" for s, v in memory.items()),
         mark(max(memory.values()), TARGETS["idle_memory"])),
    ]
    for result in beam:
        rows.append((
            f"StatisticsGen + Transform, {result['rows']:,} rows: multi-process vs in-process",
            f"≥ {TARGETS['speedup']}x, same outputs",
            f"{result['seconds']['in_process']:.0f} s → {result['seconds']['multi_process']:.0f} s = "
            f"{result['speedup']:.2f}x, same outputs: {'yes' if result['same_outputs'] else 'NO'}",
            mark(result["speedup"], TARGETS["speedup"], higher_is_better=True) if result["same_outputs"] else "❌"))
        print(json.dumps(result), file=sys.stderr)
    beam_details = "\n".join(
        f"- {r['rows']:,} rows (ingested once in {r['ingest_seconds']:.0f} s): "
        + ", ".join(f"{mode} {r['seconds'][mode]:.0f} s using {r['cores'][mode]:.2f} cores on average"
                    for mode in r["seconds"]) for r in beam)

    table = "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(f"""# Benchmarks

Generated by `uv run python bench/run.py` on {datetime.date.today().isoformat()}.
Machine: {machine()}.

| metric | target | measured | |
|---|---|---|---|
{table}

StatisticsGen + Transform by Beam DirectRunner mode (CPU seconds / wall-clock seconds = cores kept busy):
{beam_details}

Importing the TFX stack in a new Python process (a kernel, a pipeline run, each Beam worker):
{imports['with']:.1f} s with the bytecode the base image ships, {imports['without']:.1f} s compiling from source.

{Path(__file__).with_name('NOTES.md').read_text()}""")
    print(args.output.read_text())


if __name__ == "__main__":
    main()
