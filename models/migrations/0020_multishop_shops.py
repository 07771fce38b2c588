# Written by hand on 2026-11-30 (issue 19 item 5; renumbered 0020 after main's 0019_event_messages): several shops
# in one database.
# A shop (workshop location) record; shop 1 is made from the identity settings, and every existing bay, order,
# appointment, invoice, counter and staff member belongs to it (the columns' SQL default, so a terminal of the
# previous release still inserts rows: into shop 1). Numbers are unique within a shop: each shop numbers its
# own orders, invoices and credit notes (one counter row per shop and series). Customers and vehicles stay
# the group's.
import json

from peewee import *


def _setting(db, key, default=""):
    row = db.execute_sql("SELECT value FROM setting WHERE key = %s" % ("?" if _sqlite(db) else "%s"),
                         (key,)).fetchone()
    try:
        value = json.loads(row[0]) if row else default
    except ValueError:
        value = default
    return str(value or default)


def _sqlite(db):
    return isinstance(db, SqliteDatabase) or type(db).__name__.lower().startswith("sqlite")


def up(migrator, db):
    class Shop(Model):
        code = CharField(max_length=10, unique=True)
        name = CharField(max_length=100)
        name_zh = CharField(max_length=100, null=True)
        address = CharField(max_length=200, default='')
        phone = CharField(max_length=40, default='')
        tax_number = CharField(max_length=30, default='')
        active = BooleanField(default=True, constraints=[SQL('DEFAULT TRUE')])

        class Meta:
            database = db
            table_name = 'shop'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class ShopSetting(Model):
        shop = ForeignKeyField(Shop, index=False)
        key = CharField(max_length=60)
        value = TextField()

        class Meta:
            database = db
            table_name = 'shop_setting'
            indexes = ((('shop', 'key'), True),)

    class StaffShop(Model):
        staff = ForeignKeyField(Staff, on_delete='CASCADE', index=False)
        shop = ForeignKeyField(Shop, on_delete='CASCADE', index=False)

        class Meta:
            database = db
            table_name = 'staff_shop'
            indexes = ((('staff', 'shop'), True),)

    db.create_tables([Shop, ShopSetting, StaffShop])
    # Shop 1 is the shop this database held so far, named as its documents were.
    Shop.insert(id=1, code='MAIN', name=_setting(db, 'shop_name', 'Riverside Motors Service')[:100],
                address=_setting(db, 'shop_address')[:200], phone=_setting(db, 'shop_phone')[:40],
                tax_number=_setting(db, 'shop_tax_number')[:30]).execute()
    if not _sqlite(db):  # the id given explicitly: the sequence continues after it
        db.execute_sql("SELECT setval(pg_get_serial_sequence('shop', 'id'), (SELECT MAX(id) FROM shop))")

    # NOT NULL DEFAULT 1 columns added in place. SQLite refuses a REFERENCES column with a non-NULL default while
    # foreign keys are on, and the migrator's way round it (rebuilding the table) breaks the settled-order
    # triggers: on SQLite the column is a plain integer, on PostgreSQL a foreign key (no rewrite either way).
    reference = '' if _sqlite(db) else ' REFERENCES "shop" ("id")'
    for table, column in (('bay', 'shop_id'), ('staff', 'home_shop_id'), ('repair_order', 'shop_id'),
                          ('appointment', 'shop_id'), ('settlement', 'shop_id'), ('order_counter', 'shop_id')):
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" INTEGER NOT NULL DEFAULT 1{reference}')
    # Numbers and codes unique within a shop, the shop last: an index led by the shop would tempt a planner to
    # read a whole shop's history for "this shop's active orders" (3 s on the large shop) instead of the
    # (state, promised_at) index, which finds the few hundred active orders of the group.
    migrator.migrate(
        migrator.drop_index('bay', 'bay_code'),
        migrator.add_index('bay', ('code', 'shop_id'), True),
        migrator.drop_index('repair_order', 'repairorder_number'),
        migrator.add_index('repair_order', ('number', 'shop_id'), True),
        migrator.drop_index('settlement', 'settlement_kind_number'),
        migrator.add_index('settlement', ('kind', 'number', 'shop_id'), True),
        migrator.drop_index('order_counter', 'ordercounter_name'),
        migrator.add_index('order_counter', ('name', 'shop_id'), True),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('order_counter', 'order_counter_name_shop_id'),
        migrator.drop_column('order_counter', 'shop_id'),
        migrator.add_index('order_counter', ('name',), True),
        migrator.drop_index('settlement', 'settlement_kind_number_shop_id'),
        migrator.drop_column('settlement', 'shop_id'),
        migrator.add_index('settlement', ('kind', 'number'), True),
        migrator.drop_column('appointment', 'shop_id'),
        migrator.drop_index('repair_order', 'repair_order_number_shop_id'),
        migrator.drop_column('repair_order', 'shop_id'),
        migrator.add_index('repair_order', ('number',), True),
        migrator.drop_column('staff', 'home_shop_id'),
        migrator.drop_index('bay', 'bay_code_shop_id'),
        migrator.drop_column('bay', 'shop_id'),
        migrator.add_index('bay', ('code',), True),
    )
    for table in ('staff_shop', 'shop_setting', 'shop'):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
