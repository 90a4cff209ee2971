"""The columns ProyectoN uses, shared by its Transform and its notebook.

The data is the penguins CSV the official TFX tutorials read
(/data/penguins-processed): four measurements already scaled to [0, 1] and the
species as a number, 0 = Adelie, 1 = Chinstrap, 2 = Gentoo.
"""

LABEL_KEY = "species"
FEATURE_KEYS = ("culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g")


def transformed_name(key: str) -> str:
    """The name Transform gives a feature's output, e.g. body_mass_g -> body_mass_g_xf."""
    return f"{key}_xf"
