"""Run in a new interpreter by test_patches.py: import TFMA before TFX, print the names of tfma.__all__ missing."""

import json

import tensorflow_model_analysis as tfma

print(json.dumps([name for name in tfma.__all__ if not hasattr(tfma, name)]))
