"""Helpers shared by every Proyecto of the TFX lab: paths and offline displays."""
