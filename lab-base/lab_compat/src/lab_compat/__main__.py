"""`python -m lab_compat`: every patch, what it fixes, the versions it was written for and whether it applies.

Exit code 1 if any patch was written for other versions than those installed.
"""

import sys

from lab_compat import registry


def main() -> int:
    off = registry.switched_off()
    mismatched = registry.mismatches()
    for patch in registry.PATCHES:
        state = ("off (LAB_STOCK_LIBRARIES)" if patch.name in off else
                 "SKIPPED: version mismatch" if patch.name in mismatched else "applies")
        versions = ", ".join(f"{dist}=={version}" for dist, version in patch.written_for.items())
        print(f"{patch.name}  [{state}]\n    module: {patch.module}{'' if patch.on_import else ' (on request)'}\n"
              f"    fixes: {patch.fixes}\n    why: {patch.reason}\n    written for: {versions}")
    if mismatched:
        print("\n" + registry.mismatch_message(mismatched), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
