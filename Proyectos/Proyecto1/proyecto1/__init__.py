"""Proyecto1: data ingestion and validation with TFX on the Chicago Taxi sample."""
