# Generated from a schema diff on 2026-11-23 15:52, then the partial index written by hand.
# Fewer indexes to write on every change: a move updates one order and adds one event, and each index
# is another b-tree. repairorder_state is covered by (state, promised_at); event (order_id, id) by the
# order index itself (SQLite ends every index with the rowid); op_id is unique only where it is given.
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.drop_index('repair_order', 'repairorder_state'))
    migrator.migrate(migrator.drop_index('event', 'event_op_id'))
    migrator.migrate(migrator.drop_index('event', 'event_order_id_id'))
    db.execute_sql('CREATE UNIQUE INDEX "event_op_id_given" ON "event" ("op_id") WHERE "op_id" IS NOT NULL')


def down(migrator, db):
    migrator.migrate(migrator.drop_index('event', 'event_op_id_given'))
    migrator.migrate(migrator.add_index('event', ('order_id', 'id')))
    migrator.migrate(migrator.add_index('event', ('op_id',), unique=True))
    migrator.migrate(migrator.add_index('repair_order', ('state',), name='repairorder_state'))
