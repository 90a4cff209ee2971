"""Run by bench/run.py in a lab container: print how many seconds importing the TFX stack takes."""

import time

started = time.monotonic()
import apache_beam  # noqa: E402, F401
import pandas  # noqa: E402, F401
import tensorflow  # noqa: E402, F401
import tensorflow_data_validation  # noqa: E402, F401
import tensorflow_transform  # noqa: E402, F401
import tfx.v1  # noqa: E402, F401

print(time.monotonic() - started)
