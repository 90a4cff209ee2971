"""tuner_fn searches the small space on a tiny dataset and its best values reach run_fn's config."""

from conftest import fn_args
from proyecto2.model import TrainingConfig
from proyecto2.tuning import search_space, tuner_fn


def test_tuner_finds_hyperparameters_in_the_search_space(transformed, tmp_path):
    """Two random trials complete and the best hyperparameters are values of the search space."""
    args = fn_args(transformed, tmp_path, epochs=5, max_trials=2)
    args.working_dir = str(tmp_path / "tuner")
    args.transform_graph_path = args.transform_output
    result = tuner_fn(args)
    result.tuner.search(**result.fit_kwargs)
    best = result.tuner.get_best_hyperparameters()[0].get_config()
    space = {hp["config"]["name"]: hp["config"]["values"] for hp in search_space().get_config()["space"]}
    assert set(best["values"]) == set(space), best
    assert all(best["values"][k] in space[k] for k in space), (best, space)
    config = TrainingConfig().with_hyperparameters(best)
    assert (config.learning_rate, config.hidden_units) == (best["values"]["learning_rate"],
                                                           best["values"]["hidden_units"])
