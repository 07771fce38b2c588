# Written by hand on 2026-11-30 (issue 20, finish-20; numbered after main's 0017): an appointment's work may be a
# maintenance package (保養套餐), which the repair order sells at its price when the car arrives.
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column('appointment_line', 'package_code', CharField(max_length=20, null=True)))
