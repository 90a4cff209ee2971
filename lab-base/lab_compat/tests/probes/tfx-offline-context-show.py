"""InteractiveContext.show of statistics and evaluations: the lab's views (fixed) or Facets/TFMA's (stock)?"""

from tfx.orchestration.experimental.interactive import standard_visualizations, visualizations

from _shell import verdict

standard_visualizations.register_standard_visualizations()
registry = visualizations.get_registry()
shown_by = {name: type(registry.get_visualization(name)).__module__
            for name in ("ExampleStatistics", "ModelEvaluation")}
verdict(set(shown_by.values()) == {"lab_helpers.offline_views"}, str(shown_by))
