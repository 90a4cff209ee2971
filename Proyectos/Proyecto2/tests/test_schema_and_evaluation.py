"""The curated schema and the evaluation config say what the course promises."""

import tensorflow_data_validation as tfdv

from proyecto2.evaluation import ACCURACY_LOWER_BOUND, eval_config
from proyecto2.features import SPECIES
from proyecto2.pipeline import SCHEMA_PATH
from proyecto2.schema import curate_schema


def test_curated_schema_is_stable_and_keeps_the_label_out_of_serving():
    """Curating the committed schema changes nothing; species has its three classes and is absent at serving."""
    schema = tfdv.load_schema_text(str(SCHEMA_PATH))
    assert curate_schema(schema) == schema, "schema/schema.pbtxt is not the output of curate_schema"
    assert list(tfdv.get_domain(schema, "species").value) == sorted(SPECIES)
    assert list(tfdv.get_feature(schema, "species").not_in_environment) == ["SERVING"]
    assert not tfdv.get_feature(schema, "body_mass_g").HasField("domain"), "measurements must not list their values"


def test_eval_config_slices_and_thresholds():
    """Overall + species + island slices; accuracy has an absolute and a change threshold."""
    config = eval_config()
    slices = [list(s.feature_keys) for s in config.slicing_specs]
    assert slices == [[], ["species"], ["island"]], slices
    threshold = config.metrics_specs[0].metrics[1].threshold
    assert threshold.value_threshold.lower_bound.value == ACCURACY_LOWER_BOUND
    assert threshold.change_threshold.absolute.value < 0, threshold
