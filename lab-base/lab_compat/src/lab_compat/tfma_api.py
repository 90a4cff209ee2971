"""TFMA 0.52's public names that only exist once TFX has been imported."""


def complete_api(tfma) -> None:
    """Copy the config protos TFMA lists in `__all__` (EvalConfig, MetricThreshold...) onto the module.

    TFX does the same when it is imported; a tutorial that imports TFMA first
    would otherwise get AttributeError on `tfma.EvalConfig`.
    """
    from tensorflow_model_analysis.proto import config_pb2

    for name in getattr(tfma, "__all__", []):
        if not hasattr(tfma, name) and hasattr(config_pb2, name):
            setattr(tfma, name, getattr(config_pb2, name))
