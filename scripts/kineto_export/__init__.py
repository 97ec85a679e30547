"""Kineto's model exporter: a diffusers-format folder → a Kineto model package (see ../export-model.py)."""
