# Generated from a schema diff on 2026-11-23 01:24.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column('customer', 'last_visit_at', DateTimeField(index=True, null=True)))
    migrator.migrate(migrator.add_column('vehicle', 'last_visit_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('vehicle', 'last_mileage', IntegerField(null=True)))
    migrator.migrate(migrator.add_column('vehicle', 'next_service_due', DateField(index=True, null=True)))
    migrator.migrate(migrator.add_index('event', ('kind',)))
    # Fill the new visit columns from the history already in the file.
    from workshop.reminders import rebuild_visit_facts
    rebuild_visit_facts()


def down(migrator, db):
    migrator.migrate(migrator.drop_index('event', 'event_kind'))
    migrator.migrate(migrator.drop_index('vehicle', 'vehicle_next_service_due'))
    migrator.migrate(migrator.drop_index('customer', 'customer_last_visit_at'))
    migrator.migrate(migrator.drop_column('vehicle', 'next_service_due'))
    migrator.migrate(migrator.drop_column('vehicle', 'last_mileage'))
    migrator.migrate(migrator.drop_column('vehicle', 'last_visit_at'))
    migrator.migrate(migrator.drop_column('customer', 'last_visit_at'))
