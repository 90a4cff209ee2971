"""Curating the schema SchemaGen infers, into the one the pipeline imports (schema/schema.pbtxt).

SchemaGen only describes the data it saw. Curating writes down what we know
about penguins: the classes that exist, that the label is not sent at serving
time, and that the measurements are numbers written as text (not categories).
"""

import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from proyecto2.features import ISLANDS, LABEL_KEY, NUMERIC_FEATURES, SPECIES

TRAINING, SERVING = "TRAINING", "SERVING"


def curate_schema(inferred: schema_pb2.Schema) -> schema_pb2.Schema:
    """Return a copy of `inferred` with the course's reviewed constraints."""
    schema = schema_pb2.Schema()
    schema.CopyFrom(inferred)
    # The label: exactly these three species, in every training example, absent at serving.
    _set_string_domain(schema, LABEL_KEY, SPECIES)
    tfdv.get_feature(schema, LABEL_KEY).presence.min_fraction = 1.0
    schema.default_environment[:] = [TRAINING, SERVING]
    label = tfdv.get_feature(schema, LABEL_KEY)
    if SERVING not in label.not_in_environment:
        label.not_in_environment.append(SERVING)
    _set_string_domain(schema, "island", ISLANDS)
    # Measurements are text only because of "NA": a list of the values seen
    # would flag every new measurement as an anomaly, so they get no domain.
    for name in NUMERIC_FEATURES:
        feature = tfdv.get_feature(schema, name)
        if feature.HasField("domain"):
            domains = [d for d in schema.string_domain if d.name != feature.domain]
            del schema.string_domain[:]
            schema.string_domain.extend(domains)
        feature.ClearField("domain")
        feature.ClearField("string_domain")
    return schema


def _set_string_domain(schema: schema_pb2.Schema, name: str, values) -> None:
    """Make `name` take exactly `values`, editing its schema-level domain in place (or adding one)."""
    feature = tfdv.get_feature(schema, name)
    domain_name = feature.domain if feature.HasField("domain") else name
    domain = next((d for d in schema.string_domain if d.name == domain_name), None)
    if domain is None:
        domain = schema.string_domain.add(name=domain_name)
    del domain.value[:]
    domain.value.extend(sorted(values))
    feature.domain = domain_name
