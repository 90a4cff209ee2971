"""Proyecto2: train, evaluate and push a penguin classifier with a full TFX pipeline."""
