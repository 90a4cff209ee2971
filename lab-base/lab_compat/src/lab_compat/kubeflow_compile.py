"""TFX's Kubeflow Pipelines v2 compiler without the Kubernetes client."""

import types


def without_infra_validator(step_builder) -> None:
    """Give the step builder a class no component is an instance of where InfraValidator would be.

    tfx.components.InfraValidator is None when the Kubernetes client is missing
    (the lab leaves it out), and the builder's isinstance() check then raises
    TypeError for every component. Pipelines without an InfraValidator compile.
    """
    if step_builder.components.InfraValidator is None:
        components = types.SimpleNamespace(**vars(step_builder.components))
        components.InfraValidator = type("InfraValidatorNotInstalled", (), {})
        step_builder.components = components
