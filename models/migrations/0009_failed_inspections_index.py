# Written by hand on 2026-11-23: a partial index of the failed sign-offs (see models/qc.py). On the
# large shop the quality report for a month went from 1.7 s to 0.3 s: its "ever failed" subquery and
# its rework and penalty sums had been reading all million inspections to find the 18,000 failures.
from peewee import *


def up(migrator, db):
    db.execute_sql('CREATE INDEX "inspection_failed" ON "inspection" ("signed_at", "order_id") '
                   "WHERE (\"result\" = 'fail')")


def down(migrator, db):
    migrator.migrate(migrator.drop_index('inspection', 'inspection_failed'))
