"""preprocessing_fn parses text measurements, imputes "NA" with the mean and indexes the label."""

import numpy as np

from proyecto2.features import SPECIES


def test_measurements_are_standardized_and_missing_imputed(transformed):
    """Every measurement has mean ~0 and std ~1, and an "NA" becomes exactly the mean (0)."""
    _, _, rows = transformed
    for key in ("bill_length_mm_xf", "bill_depth_mm_xf", "flipper_length_mm_xf", "body_mass_g_xf"):
        values = np.array([row[key] for row in rows], dtype=float).ravel()
        assert np.isfinite(values).all(), f"{key} has NaN or inf: {values}"
        assert abs(values.mean()) < 0.1, f"{key} mean {values.mean()}"
    # The first row of each species had bill_length_mm = "NA".
    missing = [row["bill_length_mm_xf"] for i, row in enumerate(rows) if i % 12 == 0]
    assert np.allclose(missing, 0.0, atol=1e-6), f"imputed NA should be the mean (0 after z-score): {missing}"


def test_label_is_the_index_in_species(transformed):
    """species_xf is 0, 1, 2 in the order of SPECIES."""
    _, _, rows = transformed
    labels = [int(np.ravel(row["species_xf"])[0]) for row in rows]
    assert labels == [i for i in range(len(SPECIES)) for _ in range(12)], labels
