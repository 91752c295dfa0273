"""Synthetic Data Studio: template-driven record generation and a live character observatory."""
