"""Measure what each service image costs: disk (its own layers), idle memory and start time; print JSON.

    uv run python bench/services.py [--repo PATH]   # PATH: a checkout to measure (default: this one)

Disk: every image built for the lab (the base, each Proyecto, every service) is
counted once with the layers it shares: an image whose layers start with another
image's layers (the lab's base, or python:3.13-slim-trixie) adds only its size
minus that image's size. Start: `docker compose up -d --wait --no-deps <service>`
on built images, from the call to the service healthy (healthchecks probe every
second while starting), the best of two starts. Memory: `docker stats` of the
service after it has idled 20 s. Works on a copy under a unique compose project
name, so a running lab is never touched.
"""

import argparse
import json
import secrets
import subprocess
import tempfile
from pathlib import Path

from run import PYTHON_BASE, idle_memory, image_size, layers, timed

from harness.compose import Stack
from harness.repo import copy_repo

SERVICES = ["serving", "tensorboard", "mlflow"]
STARTS = 2


def parent_of(image: str, candidates: list[str]) -> str | None:
    """The largest candidate whose layers are the first layers of `image` (the image it was built FROM)."""
    own = layers(image)
    parents = [c for c in candidates if c != image and own[:len(layers(c))] == layers(c)]
    return max(parents, key=image_size, default=None)


def disk(images: dict[str, str]) -> dict:
    """Each image's size and what it adds over its parent; the unique disk of them all, the Python base included."""
    candidates = [PYTHON_BASE, *images.values()]
    result = {"images": {}, "unique_bytes": image_size(PYTHON_BASE)}
    for service, image in images.items():
        parent = parent_of(image, candidates)
        own = image_size(image) - (image_size(parent) if parent else 0)
        parent_name = next((s for s, i in images.items() if i == parent), parent)
        result["images"][service] = {"size": image_size(image), "parent": parent_name, "adds": own}
        result["unique_bytes"] += own
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfxlab-bench-services-") as tmp:
        copy = copy_repo(Path(tmp), root=args.repo)
        stack = Stack(project=f"tfxlab-bench-{secrets.token_hex(4)}", token=secrets.token_hex(16), root=copy)
        try:
            stack.compose("build", timeout=3600)
            built = stack.compose("config", "--services").stdout.split()
            images = {s: f"{stack.project}-{s}" for s in built
                      if subprocess.run(["docker", "image", "inspect", f"{stack.project}-{s}"],
                                        capture_output=True).returncode == 0}
            result = {"disk": disk(images), "start_seconds": {}, "idle_memory_bytes": {}}
            for service in SERVICES:
                starts = []
                for _ in range(STARTS):
                    starts.append(timed(lambda s=service: stack.compose("up", "-d", "--wait", "--no-deps", s)))
                    if len(starts) < STARTS:
                        stack.compose("rm", "-sf", service)
                result["start_seconds"][service] = min(starts)
                result["idle_memory_bytes"] |= idle_memory(stack, [service])
                stack.compose("rm", "-sf", service)
        finally:
            stack.down(volumes=True, remove_images=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
