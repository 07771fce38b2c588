# Written by hand on 2026-12-01 (issue 19, several shops): each shop's own reorder threshold (临界值) of a part.
# A nullable column on part_stock: NULL is "the catalogue's part.reorder_threshold applies", so every existing
# database behaves as before with no data step; adding a nullable column is instant on SQLite and PostgreSQL and
# a terminal of the previous release still writes part_stock rows (without it).
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('part_stock', 'reorder_threshold',
                                         DecimalField(max_digits=12, decimal_places=3, auto_round=False, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('part_stock', 'reorder_threshold'))
