"""Peewee models of the workshop, bound through one database proxy (see models/db.py).

Importing the package loads only the connection: a terminal's cold start imports the models its first
screen reads (each module imports the models it uses), not all twenty modules. Any other name asked of the
package (a model, ALL_MODELS) loads every model first (models/registered.py), as does ``load_all()``,
which the app calls once its first frame is out: a backref (``order.part_lines``) exists only once the
model that declares it is loaded.
"""
import importlib

from models.db import db, open_database, transaction  # noqa: F401


def load_all() -> list:
    """Every model, loaded and registered (their backrefs too); the list in dependency order."""
    return importlib.import_module("models.registered").ALL_MODELS


def __getattr__(name: str):
    # Models and ALL_MODELS are capitalised; a lower-case name is a submodule not imported yet (``from models
    # import people`` asks here first) or a dunder: not a reason to load every model.
    if name[:1].isupper():
        registered = importlib.import_module("models.registered")
        if hasattr(registered, name):
            return getattr(registered, name)
    raise AttributeError(f"module 'models' has no attribute {name!r}")
