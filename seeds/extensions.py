"""Capabilities that add their own demo data register with seeds.demo when imported here."""
import importlib

EXTENSION_MODULES = ["seeds.parts", "seeds.qc", "seeds.settlement", "seeds.followup", "seeds.claims",
                     "seeds.appointments", "seeds.shopfloor"]


def load_all() -> None:
    for name in EXTENSION_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
