"""The penguin columns the pipeline uses, shared by Transform, Trainer, Evaluator and serving."""

LABEL_KEY = "species"
# The classes, in the order of the model's output probabilities.
SPECIES = ("Adelie", "Chinstrap", "Gentoo")
ISLANDS = ("Biscoe", "Dream", "Torgersen")
# Measurements. The CSV writes a missing measurement as "NA", so CsvExampleGen
# stores these columns as text; preprocessing_fn parses them into numbers.
NUMERIC_FEATURES = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
CATEGORICAL_FEATURES = ("island",)
FEATURE_KEYS = NUMERIC_FEATURES + CATEGORICAL_FEATURES
# Columns the evaluation slices its metrics by.
SLICE_FEATURES = ("species", "island")
MISSING = "NA"


def transformed_name(key: str) -> str:
    """The name Transform gives a feature's output, e.g. island -> island_xf."""
    return f"{key}_xf"
