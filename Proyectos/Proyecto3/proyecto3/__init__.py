"""Proyecto3: Entrenamiento continuo: un pipeline que reentrena por lotes."""
