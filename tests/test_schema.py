"""The schema is versioned: migrations build exactly what the models describe, and upgrade in place."""
from playhouse.schema_diff import diff_models

import models
from models.schema import current_version, migrate, pending


def test_migrations_build_the_schema_the_models_describe(db_path):
    assert pending() == []
    diff = diff_models(models.db.obj, models.ALL_MODELS)
    assert not diff, f"models and migrations disagree; generate a migration:\n{diff}"


def test_migrating_twice_changes_nothing(db_path):
    version = current_version()
    assert migrate() == []
    assert current_version() == version >= 1
