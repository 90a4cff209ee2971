"""Read the Trainer's TensorBoard logs (Keras' TensorBoard callback) into a table, offline."""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import tensorflow as tf


def history(model_run_dir: str | Path) -> pd.DataFrame:
    """One row per epoch and split (train/validation) with every epoch_* scalar Keras logged."""
    rows = {}
    for events in sorted(Path(model_run_dir).glob("*/events.out.tfevents.*")):
        split = events.parent.name
        for event in tf.compat.v1.train.summary_iterator(str(events)):
            for value in event.summary.value:
                if value.tag.startswith("epoch_"):
                    row = rows.setdefault((split, event.step), {"split": split, "epoch": event.step + 1})
                    row[value.tag.removeprefix("epoch_")] = float(tf.make_ndarray(value.tensor))
    return pd.DataFrame(rows.values()).sort_values(["split", "epoch"]).reset_index(drop=True)


def plot_history(table: pd.DataFrame, metric: str = "loss"):
    """`metric` per epoch, one line per split."""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for split, rows in table.groupby("split"):
        ax.plot(rows["epoch"], rows[metric], marker=".", label=split)
    ax.set_xlabel("época")
    ax.set_ylabel(metric)
    ax.legend()
    fig.tight_layout()
    return fig
