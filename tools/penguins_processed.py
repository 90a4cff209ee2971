"""Write shared-data/penguins-processed/penguins_processed.csv from shared-data/penguins/penguins.csv.

    uv run python tools/penguins_processed.py           # rewrite the file
    uv run python tools/penguins_processed.py --check   # exit 1 if the committed file differs

The official TFX penguin tutorials (penguin_simple, penguin_tfdv, penguin_tfma,
mlmd_tutorial) read a "processed" penguins CSV: the four measurements renamed
as the tutorials name them (culmen_* for bill_*), min-max scaled to [0, 1], the
species as 0 (Adelie), 1 (Chinstrap), 2 (Gentoo), rows with a missing
measurement dropped. The lab makes that file from its own data, with the
standard library only, so the tutorials run offline.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "shared-data" / "penguins" / "penguins.csv"
TARGET = ROOT / "shared-data" / "penguins-processed" / "penguins_processed.csv"
SPECIES = ("Adelie", "Chinstrap", "Gentoo")
# The tutorials' column -> the lab's raw column.
MEASUREMENTS = {"culmen_length_mm": "bill_length_mm", "culmen_depth_mm": "bill_depth_mm",
                "flipper_length_mm": "flipper_length_mm", "body_mass_g": "body_mass_g"}


def processed(source: Path = SOURCE) -> str:
    """The processed CSV's text."""
    with source.open(newline="") as file:
        rows = [r for r in csv.DictReader(file) if all(r[raw] != "NA" for raw in MEASUREMENTS.values())]
    bounds = {raw: (min(float(r[raw]) for r in rows), max(float(r[raw]) for r in rows))
              for raw in MEASUREMENTS.values()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["species", *MEASUREMENTS])
    for row in rows:
        scaled = [(float(row[raw]) - low) / (high - low) for raw, (low, high) in
                  ((raw, bounds[raw]) for raw in MEASUREMENTS.values())]
        writer.writerow([SPECIES.index(row["species"]), *(f"{value:.6f}" for value in scaled)])
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args(argv)
    text = processed()
    if args.check:
        sys.exit(0 if TARGET.read_text() == text else f"{TARGET} is out of date: run tools/penguins_processed.py")
    TARGET.write_text(text)
    print(f"{TARGET.relative_to(ROOT)}: {text.count(chr(10)) - 1} filas")


if __name__ == "__main__":
    main()
