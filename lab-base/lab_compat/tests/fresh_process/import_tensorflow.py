"""Run in a new interpreter by test_cpu.py: import TensorFlow, as every notebook and pipeline does first."""

import tensorflow

print("TensorFlow", tensorflow.__version__)
