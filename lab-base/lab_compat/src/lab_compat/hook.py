"""The import hook: each patch of the registry runs right after the module it patches is first imported.

A process that never imports TFDV, TFMA or Beam pays nothing but this finder.
It also stops `import tensorflow` with the Spanish explanation when the CPU has
no AVX (lab_compat.avx): a clean message in a notebook or a terminal instead of
a dead kernel. That check is on even with LAB_STOCK_LIBRARIES.
"""

import importlib.abc
import importlib.util

from lab_compat import avx, registry


class PatchAfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds a patched module with the other finders, runs it, then applies its patch (if applicable)."""

    def __init__(self):
        self._finding: set[str] = set()
        self._loaders: dict[str, importlib.abc.Loader] = {}

    def find_spec(self, fullname, path, target=None):
        if fullname == "tensorflow" and not avx.has_avx():
            raise SystemExit(avx.MESSAGE)
        patch = registry.BY_MODULE.get(fullname)
        if patch is None or fullname in self._finding or not registry.applicable(patch):
            return None
        self._finding.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._finding.discard(fullname)
        if spec is None or spec.loader is None:
            return None
        self._loaders[fullname] = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self._loaders[spec.name].create_module(spec)

    def exec_module(self, module):
        self._loaders[module.__name__].exec_module(module)
        registry.BY_MODULE[module.__name__].apply(module)
