# Written by hand on 2026-12-01 (issue 18; numbered 0014 after main's 0013): what a manager sets up and a customer's file holds.
# - operations: a price class and retirement; the vehicle series they apply to; parts kits per series
#   (operation_part.series, "" = every series without its own kit);
# - labour rates per trade and price class (the unique key becomes the pair);
# - maintenance packages (保養套餐) and, on orders, the packages sold with the job and part lines they cover;
# - customer classes: a Chinese name and retirement; a customer's class expiry; a vehicle's model code and insurer;
#   a version on customer and vehicle files (an edit based on an older one is refused).
# Every new NOT NULL column has a SQL default, so terminals of the previous release can still insert rows.
from peewee import *


def up(migrator, db):
    class Operation(Model):
        class Meta:
            database = db
            table_name = 'operation'

    class RepairOrder(Model):
        class Meta:
            database = db
            table_name = 'repair_order'

    class Customer(Model):
        class Meta:
            database = db
            table_name = 'customer'

    class OperationSeries(Model):
        operation = ForeignKeyField(Operation, on_delete='CASCADE')
        series = CharField(max_length=40)

        class Meta:
            database = db
            table_name = 'operation_series'
            indexes = ((('operation', 'series'), True),)

    class MaintenancePackage(Model):
        code = CharField(max_length=20, unique=True)
        name = CharField(max_length=100)
        name_zh = CharField(max_length=100, null=True)
        price = DecimalField(max_digits=14, decimal_places=2, auto_round=False, default=0)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = 'maintenance_package'

    class PackageOperation(Model):
        package = ForeignKeyField(MaintenancePackage, on_delete='CASCADE')
        operation = ForeignKeyField(Operation)
        position = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'package_operation'
            indexes = ((('package', 'operation'), True),)

    class OrderPackage(Model):
        order = ForeignKeyField(RepairOrder, index=True, on_delete='CASCADE')
        package = ForeignKeyField(MaintenancePackage, null=True)
        code = CharField(max_length=20)
        name = CharField(max_length=100)
        name_zh = CharField(max_length=100, null=True)
        price = DecimalField(max_digits=14, decimal_places=2, auto_round=False, default=0)
        payer = CharField(max_length=12, default='customer')

        class Meta:
            database = db
            table_name = 'order_package'

    db.create_tables([OperationSeries, MaintenancePackage, PackageOperation, OrderPackage])

    migrator.migrate(
        migrator.add_column('operation', 'price_class',
                            CharField(max_length=20, default='standard', constraints=[SQL("DEFAULT 'standard'")])),
        migrator.add_column('operation', 'active', BooleanField(default=True, constraints=[SQL('DEFAULT TRUE')])),
        migrator.add_column('operation_part', 'series',
                            CharField(max_length=40, default='', constraints=[SQL("DEFAULT ''")])),
        migrator.drop_index('operation_part', 'operationpart_operation_id_part_id'),
        migrator.add_index('operation_part', ('operation_id', 'series', 'part_id'), True),
        migrator.add_column('labor_rate', 'price_class',
                            CharField(max_length=20, default='standard', constraints=[SQL("DEFAULT 'standard'")])),
        migrator.drop_index('labor_rate', 'laborrate_trade'),
        migrator.add_index('labor_rate', ('trade', 'price_class'), True),
        migrator.add_column('customer_class', 'name_zh', CharField(max_length=40, null=True)),
        migrator.add_column('customer_class', 'active', BooleanField(default=True, constraints=[SQL('DEFAULT TRUE')])),
        migrator.add_column('customer', 'class_until', DateField(null=True)),
        migrator.add_column('vehicle', 'model_code', CharField(max_length=30, null=True)),
        migrator.add_column('vehicle', 'insurer', CharField(max_length=60, null=True)),
        migrator.add_column('customer', 'version', IntegerField(default=1, constraints=[SQL('DEFAULT 1')])),
        migrator.add_column('customer', 'merged_into_id', ForeignKeyField(Customer, null=True, index=False,
                                                                          field=Customer.id)),
        # Members of a class still holding it are counted from this index alone (the set-up's classes tab).
        migrator.drop_index('customer', 'customer_customer_class_id'),
        migrator.add_index('customer', ('customer_class_id', 'class_until'), False),
        migrator.add_column('vehicle', 'version', IntegerField(default=1, constraints=[SQL('DEFAULT 1')])),
        # No index on these: they are read only through the order (each index is one more b-tree to write).
        migrator.add_column('job_line', 'package_id', ForeignKeyField(OrderPackage, null=True, index=False,
                                                                      field=OrderPackage.id)),
        migrator.add_column('part_line', 'package_id', ForeignKeyField(OrderPackage, null=True, index=False,
                                                                       field=OrderPackage.id)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('part_line', 'package_id'),
        migrator.drop_column('job_line', 'package_id'),
        migrator.drop_column('vehicle', 'version'),
        migrator.drop_index('customer', 'customer_customer_class_id_class_until'),
        migrator.add_index('customer', ('customer_class_id',), False),
        migrator.drop_column('customer', 'merged_into_id'),
        migrator.drop_column('customer', 'version'),
        migrator.drop_column('vehicle', 'insurer'),
        migrator.drop_column('vehicle', 'model_code'),
        migrator.drop_column('customer', 'class_until'),
        migrator.drop_column('customer_class', 'active'),
        migrator.drop_column('customer_class', 'name_zh'),
        migrator.drop_index('labor_rate', 'labor_rate_trade_price_class'),
        migrator.drop_column('labor_rate', 'price_class'),
        migrator.add_index('labor_rate', ('trade',), True),
        migrator.drop_index('operation_part', 'operation_part_operation_id_series_part_id'),
        migrator.drop_column('operation_part', 'series'),
        migrator.add_index('operation_part', ('operation_id', 'part_id'), True),
        migrator.drop_column('operation', 'active'),
        migrator.drop_column('operation', 'price_class'),
    )
    for table in ('order_package', 'package_operation', 'maintenance_package', 'operation_series'):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
