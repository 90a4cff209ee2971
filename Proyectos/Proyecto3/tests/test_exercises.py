"""The exercise's check: pending while unanswered, right for train's mean within two decimals, wrong otherwise."""

import pandas as pd
import pytest
import tensorflow_data_validation as tfdv
from tfx.types import standard_artifacts

from lab_helpers.exercises import PENDING, RIGHT, WRONG
from proyecto3 import exercises


@pytest.fixture
def statistics(tmp_path):
    """A Statistics artifact as StatisticsGen writes it: train's body_mass_g has mean 0.5, eval's 0.9."""
    artifact = standard_artifacts.ExampleStatistics()
    artifact.uri = str(tmp_path)
    artifact.split_names = '["train", "eval"]'
    for split, values in (("train", [0.25, 0.5, 0.75]), ("eval", [0.9, 0.9])):
        stats = tfdv.generate_statistics_from_dataframe(pd.DataFrame({exercises.FEATURE: values}))
        (tmp_path / f"Split-{split}").mkdir()
        (tmp_path / f"Split-{split}" / "FeatureStats.pb").write_bytes(stats.SerializeToString())
    return artifact


def test_the_mean_is_trains_as_tfdv_computes_it(statistics):
    assert exercises.train_mean(statistics) == pytest.approx(0.5)


def test_zscore_mean_three_states(statistics):
    """Pending without an answer; train's mean to two decimals is right; eval's mean is not."""
    pending = exercises.zscore_mean(statistics, None)
    assert pending.state == PENDING and not pending and "media_train" in pending.message, pending
    right = exercises.zscore_mean(statistics, 0.50)
    assert right.state == RIGHT and right and "0.5000" in right.message, right
    wrong = exercises.zscore_mean(statistics, 0.9)
    assert wrong.state == WRONG and not wrong and "0.5000" in wrong.message, wrong
