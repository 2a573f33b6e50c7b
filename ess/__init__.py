"""Observatoire ESS de la MEL: the logic behind the dashboard."""
