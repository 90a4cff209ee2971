"""What happens to each batch: `omitido`, `rechazado` or `promovido`, and why, in words a student reads.

Pure Python (no TFX, no TFDV), so the policy is tested anywhere and read in one
place. Every threshold of the policy is a named constant here; the schema
(schema/schema.pbtxt, via proyecto3.schema) and the Evaluator
(proyecto3.evaluation) take theirs from this module.

The policy, in order:

1. A batch with anomalies against the curated schema (ExampleValidator) is
   `omitido`: it is never trained on. TFX does not stop on anomalies by
   itself; the DAG's branch does, with this decision.
2. With no champion yet (no blessed model), train: the first model.
3. With drift in any feature against the baseline (proyecto3.drift: the span
   the champion was trained on), train.
4. Without drift, train once MIN_ROWS_TO_RETRAIN rows have arrived since the
   last training (the champion ages even in a quiet world); otherwise
   `omitido`, e.g. "sin deriva y solo 1500 filas nuevas (< 3000)".
5. After training, only a candidate the Evaluator blessed is `promovido`
   (its value threshold, and its change threshold against the champion when
   there is one); any other is `rechazado`, with the numbers that sank it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

OMITTED, REJECTED, PROMOTED = "omitido", "rechazado", "promovido"

# Drift thresholds per feature, written into the curated schema's drift comparators (proyecto3.schema).
# Measured on the lab's 10 batches, each against batch 1 (full batches, TFDV 1.21):
#   payment_type L∞ 0.01 (batch 2) ... 0.08 (5) ... 0.18 (9, 10): card payments grow steadily;
#   company      L∞ 0.06 (2) ... 0.12 (10): new companies, a little every batch;
#   fare         JS 0.02-0.05 (2-9), 0.35 (10, which spans a whole year);
#   tips         JS 0.04-0.09 (2-8), 0.18 (9).
# Trip length, duration and coordinates are left without a comparator: their heavy tails and census-tract
# centres make TFDV's histogram-based Jensen-Shannon divergence jump between 0.01 and 0.7 from one batch to
# the next with no trend (trip_seconds 0.47 at batch 2, 0.01 at batch 3): a threshold there would be noise.
# The L-infinity distance: the largest change in any one value's share (0.05 = five percentage points).
DRIFT_L_INFINITY = {"payment_type": 0.05, "company": 0.10}
# The Jensen-Shannon divergence between two histograms (0 = same distribution, 1 = disjoint).
DRIFT_JENSEN_SHANNON = {"fare": 0.10, "tips": 0.10}
# Without drift, retrain once this many rows have arrived since the last training
# (two batches of the lab's data API, which serves 1,500 rows a batch).
MIN_ROWS_TO_RETRAIN = 3000
# The Evaluator's metric and thresholds (proyecto3.evaluation builds its EvalConfig from them):
METRIC = "binary_accuracy"
METRIC_LABEL = "accuracy"
# a candidate must reach this accuracy on the eval split to be blessed at all...
MIN_ACCURACY = 0.6
# ...and, when a champion exists, not lose more than this against it on the same eval split.
MAX_ACCURACY_DROP = 0.0

# Short names of TFDV's drift measures (anomalies_pb2.DriftSkewInfo.Measurement.Type) for the reason.
MEASURE_SYMBOLS = {"L_INFTY": "L∞", "JENSEN_SHANNON_DIVERGENCE": "JS", "NORMALIZED_ABSOLUTE_DIFFERENCE": "NAD"}


@dataclass(frozen=True)
class Drift:
    """One feature's distance between the new span and the baseline, as TFDV measured it."""

    feature: str
    measure: str  # TFDV's measurement type, e.g. L_INFTY or JENSEN_SHANNON_DIVERGENCE
    value: float
    threshold: float

    @property
    def drifted(self) -> bool:
        return self.value > self.threshold

    def __str__(self) -> str:
        symbol = MEASURE_SYMBOLS.get(self.measure, self.measure)
        return f"{self.feature}: {symbol} {self.value:.2f} > {self.threshold:.2f}"


@dataclass(frozen=True)
class Batch:
    """What is known of a batch before training: its drift, its rows, its anomalies, whether a champion exists.

    `anomalies` maps each anomalous feature to TFDV's short description(s) of what is wrong.
    `rows_since_training` counts this batch's rows plus those of every batch omitted since the last training.
    """

    span: int
    rows: int
    rows_since_training: int
    drifts: Sequence[Drift] = ()
    anomalies: Mapping[str, Sequence[str]] = ()
    has_champion: bool = True


@dataclass(frozen=True)
class Evaluation:
    """What the Evaluator said of the candidate: its metric, the champion's (None without one), the blessing."""

    candidate: float
    champion: float | None
    blessed: bool


@dataclass(frozen=True)
class Decision:
    """One of OMITTED, REJECTED, PROMOTED, and the reason in Spanish."""

    outcome: str
    reason: str

    def __post_init__(self):
        if self.outcome not in (OMITTED, REJECTED, PROMOTED):
            raise ValueError(f"unknown outcome {self.outcome!r}")


def anomalies_reason(anomalies: Mapping[str, Sequence[str]]) -> str:
    described = "; ".join(f"{feature} ({', '.join(kinds) or 'anomalía'})"
                          for feature, kinds in sorted(dict(anomalies).items()))
    return f"anomalías en el lote: {described}"


def drift_reason(drifts: Sequence[Drift]) -> str:
    return "deriva en " + ", ".join(str(d) for d in sorted(drifts, key=lambda d: d.value - d.threshold, reverse=True))


def skip_or_train(batch: Batch) -> Decision | str:
    """Before training: the `omitido` decision, or (a str) why the batch is worth training on."""
    if batch.anomalies:
        return Decision(OMITTED, anomalies_reason(batch.anomalies))
    if not batch.has_champion:
        return "primer modelo: todavía no hay campeón"
    drifted = [d for d in batch.drifts if d.drifted]
    if drifted:
        return drift_reason(drifted)
    if batch.rows_since_training >= MIN_ROWS_TO_RETRAIN:
        return f"sin deriva, pero {batch.rows_since_training} filas nuevas desde el último entrenamiento " \
               f"(≥ {MIN_ROWS_TO_RETRAIN})"
    return Decision(OMITTED, f"sin deriva y solo {batch.rows_since_training} filas nuevas (< {MIN_ROWS_TO_RETRAIN})")


def _digits(*values: float) -> int:
    """2 decimals, or 3 when 2 would print two different values alike (0.925 vs 0.929: "0.93 < 0.93")."""
    return 2 if len({f"{v:.2f}" for v in values}) == len(set(values)) else 3


def judge(evaluation: Evaluation, why_trained: str) -> Decision:
    """After training: `promovido` only if the Evaluator blessed the candidate, else `rechazado`."""
    champion = evaluation.champion
    n = _digits(evaluation.candidate, *([] if champion is None else [champion]))
    candidate = f"{METRIC_LABEL} {evaluation.candidate:.{n}f}"
    if evaluation.blessed:
        versus = "" if champion is None else f" ≥ campeón {champion:.{n}f}"
        return Decision(PROMOTED, f"{candidate}{versus} ({why_trained})")
    if evaluation.candidate < MIN_ACCURACY:
        return Decision(REJECTED, f"{candidate} < mínimo {MIN_ACCURACY:.2f} ({why_trained})")
    if champion is not None and evaluation.candidate < champion - MAX_ACCURACY_DROP:
        return Decision(REJECTED, f"{candidate} < campeón {champion:.{n}f} ({why_trained})")
    # The Evaluator judges every slice and metric of its EvalConfig: it may fail one these numbers do not show.
    return Decision(REJECTED, f"{candidate}: el Evaluator no lo bendijo, mira su validación ({why_trained})")


def decide(batch: Batch, evaluation: Evaluation | None = None) -> Decision:
    """The batch's one outcome: omitted before training, or rejected/promoted once `evaluation` is given."""
    step = skip_or_train(batch)
    if isinstance(step, Decision):
        return step
    if evaluation is None:
        raise ValueError(f"span {batch.span} must be trained ({step}) before it can be judged: pass its evaluation")
    return judge(evaluation, step)
