"""The lab's compatibility layer: every patch to third-party code, and the start-up checks.

lab_compat.pth (in the TFX venv's site-packages) calls install() in every
Python process of a lab image. Each patch is listed in lab_compat.registry
with what it fixes, why, and the library versions it was written for; it is
applied right after its module is imported, and only if those versions are
the installed ones. `python -m lab_compat` prints the table.

Imports go one way: the course's helpers (lab_helpers) never import this
package; the patches that show the helpers' views import them when first used.
"""

import importlib
import sys

from lab_compat import registry
from lab_compat.hook import PatchAfterImport


def install() -> None:
    """Put the import hook first in sys.meta_path, once per process."""
    if not any(isinstance(finder, PatchAfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, PatchAfterImport())


def apply(name: str) -> bool:
    """Apply an on-request patch (its module imported now); True if it applies, False if off or mismatched."""
    patch = registry.BY_NAME[name]
    if not registry.applicable(patch):
        return False
    patch.apply(importlib.import_module(patch.module))
    return True
