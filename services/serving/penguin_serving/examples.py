"""The request bodies /docs shows for POST /models/{name}/predict, one per Proyecto's model.

Plain literals, so the lab's static tests check them against each Proyecto's
features (tests/test_serving_examples_static.py) without importing the app.
GET /models/{name} lists a model's exact inputs.
"""

PREDICT_EXAMPLES = {
    "taxi": {"summary": "Un viaje en taxi (Proyecto3)", "value": {"instances": [{
        "fare": 12.25, "trip_miles": 2.1, "trip_seconds": 720, "trip_start_hour": 14, "trip_start_day": 3,
        "pickup_latitude": 41.88, "pickup_longitude": -87.63, "payment_type": "Credit Card",
        "company": "Flash Cab"}]}},
    "penguins": {"summary": "Un pingüino (Proyecto2)", "value": {"instances": [{
        "island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7, "flipper_length_mm": 181.0,
        "body_mass_g": 3750.0}]}},
}
