"""TFMA imported before TFX (as some tutorials do): are the names of tfma.__all__ there?"""

import tensorflow_model_analysis as tfma

from _shell import verdict

missing = [name for name in tfma.__all__ if not hasattr(tfma, name)]
verdict(not missing and hasattr(tfma, "EvalConfig"), f"missing: {missing}")
