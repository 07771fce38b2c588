# Written by hand on 2026-11-30 (issue 19 item 5, stock per warehouse): each shop of a group keeps its own stock.
# The catalogue (part) stays the group's; on-hand and reserved move to part_stock, one row per (part, shop), with
# the shop's own bin (NULL: the catalogue's). Every part's balances become shop 1's row; the ledger rows and the
# purchase orders get a shop (existing ones: shop 1). part.on_hand / part.reserved are dropped, so nothing can
# read a group figure by mistake; the never-negative guarantee of 0013 (SQLite triggers, a PostgreSQL CHECK on
# part) moves to part_stock as CHECKs on both engines.
from peewee import *


def _sqlite(db):
    return isinstance(db, SqliteDatabase) or type(db).__name__.lower().startswith("sqlite")


def up(migrator, db):
    class Shop(Model):
        class Meta:
            database = db
            table_name = 'shop'

    class Part(Model):
        class Meta:
            database = db
            table_name = 'part'

    class PartStock(Model):
        part = ForeignKeyField(Part, index=False, on_delete='CASCADE')
        shop = ForeignKeyField(Shop, index=False)
        on_hand = DecimalField(max_digits=12, decimal_places=3, auto_round=False, default=0,
                               constraints=[Check('on_hand >= 0')])
        reserved = DecimalField(max_digits=12, decimal_places=3, auto_round=False, default=0,
                                constraints=[Check('reserved >= 0')])
        bin = CharField(max_length=20, null=True)

        class Meta:
            database = db
            table_name = 'part_stock'
            indexes = ((('part', 'shop'), True),)

    db.create_tables([PartStock])
    # Shop 1 holds what the database held so far (a part never stocked gets its row on its first movement).
    db.execute_sql('INSERT INTO part_stock (part_id, shop_id, on_hand, reserved) '
                   'SELECT id, 1, on_hand, reserved FROM part WHERE on_hand <> 0 OR reserved <> 0')

    reference = '' if _sqlite(db) else ' REFERENCES "shop" ("id")'  # as in 0020: no table rebuild on SQLite
    for table in ('stock_movement', 'purchase_order'):
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "shop_id" INTEGER NOT NULL DEFAULT 1{reference}')

    if _sqlite(db):
        for event in ('insert', 'update'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS part_on_hand_not_negative_{event}')
    else:
        db.execute_sql('ALTER TABLE part DROP CONSTRAINT IF EXISTS part_on_hand_not_negative')
    for column in ('on_hand', 'reserved'):
        db.execute_sql(f'ALTER TABLE part DROP COLUMN {column}')


def down(migrator, db):
    for column in ('on_hand', 'reserved'):
        db.execute_sql(f'ALTER TABLE part ADD COLUMN {column} DECIMAL(12, 3) NOT NULL DEFAULT 0')
    db.execute_sql('UPDATE part SET on_hand = COALESCE((SELECT SUM(s.on_hand) FROM part_stock s '
                   'WHERE s.part_id = part.id), 0), reserved = COALESCE((SELECT SUM(s.reserved) FROM part_stock s '
                   'WHERE s.part_id = part.id), 0)')
    if _sqlite(db):
        for event in ('INSERT', 'UPDATE'):
            db.execute_sql(f'CREATE TRIGGER IF NOT EXISTS part_on_hand_not_negative_{event.lower()} BEFORE {event} '
                           "ON part WHEN NEW.on_hand < 0 BEGIN SELECT RAISE(ABORT, 'stock on hand can never be "
                           "negative'); END")
    else:
        db.execute_sql('ALTER TABLE part ADD CONSTRAINT part_on_hand_not_negative CHECK (on_hand >= 0)')
    for table in ('purchase_order', 'stock_movement'):
        migrator.migrate(migrator.drop_column(table, 'shop_id'))
    db.execute_sql('DROP TABLE IF EXISTS part_stock')
