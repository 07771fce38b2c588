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


def test_opening_an_older_file_upgrades_it_in_place_keeping_its_data(tmp_path):
    """A file made by the first release (only migration 0001) opens in today's app with its data."""
    from models.db import db, open_database
    from models.schema import runner
    from workshop.cli import prepare

    path = tmp_path / "old.db"
    open_database(path)
    first = runner().migrations()[0].name
    runner().up(target=first)
    db.execute_sql("INSERT INTO customer_class (name, labor_discount, material_discount, fee, points_needed, "
                   "valid_months, is_vip) VALUES ('General', 0, 0, 0, 0, 12, 0)")
    db.execute_sql("INSERT INTO staff (login, name, roles, failed_pins, active) "
                   "VALUES ('old.boss', 'Old Boss', 'manager', 0, 1)")
    db.close()

    prepare(path, demo=True, quiet=True)   # what `workshop --db old.db` does before the screen opens
    assert pending() == []
    assert not diff_models(models.db.obj, models.ALL_MODELS)
    assert models.Staff.get(models.Staff.login == "old.boss").name == "Old Boss"
    assert models.RepairOrder.select().count() == 0  # a shop with staff is never overwritten by the demo
    db.close()
