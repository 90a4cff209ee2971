"""The Chicago Taxi columns and the label of Proyecto1, shared by every stage.

The label is `big_tipper`: the passenger tipped more than 20 % of the fare.
`tips` defines it, so `tips` can never be a feature (leakage), and a trip being
served has no tip yet (it is absent in the SERVING environment).
"""

LABEL_KEY = "big_tipper"
LABEL_SOURCE = "tips"
TIP_SHARE = 0.2
# The schema's environments: training data carries `tips`, served trips do not.
TRAINING, SERVING = "TRAINING", "SERVING"
# Text columns, compared span to span (drift) and train to serving (skew).
CATEGORICAL_FEATURES = ("payment_type", "company")


def transformed_name(key: str) -> str:
    """The name Transform gives a feature's output, e.g. fare -> fare_xf."""
    return f"{key}_xf"
