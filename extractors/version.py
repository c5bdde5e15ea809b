"""The release, in one place: pyproject.toml reads it, outputs record it."""
__version__ = "0.2.0"
