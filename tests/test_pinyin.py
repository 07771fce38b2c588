"""Finding people and things the Chinese way: by Chinese text and by pinyin initials (拼音首字母)."""
from decimal import Decimal

from models.parts import Part
from models.people import Customer
from models.shop import Operation
from workshop import clock, i18n, parts
from workshop.customers import find_customers
from workshop.pinyin import initials
from workshop.reception import find_operations


def test_initials_of_names_and_catalog_words():
    assert initials("陈小明", person=True) == "cxm"
    assert initials("曾小贤", person=True) == "zxx"      # the surname 曾 is Zeng, not ceng
    assert initials("机油 0W-20") == "jy02"  # 机油, then one letter per Latin word or number
    assert initials("Oil filter") == "of"
    assert initials("  ") is None


def test_cxm_finds_chen_xiaoming(shop):
    Customer.create(code="C100003", name="陈小明", mobile="13700000000", created_at=clock.now())
    Customer.create(code="C100004", name="陈晓梅", mobile="13700000001", created_at=clock.now())
    assert [c.name for c in find_customers("cxm")] == ["陈小明", "陈晓梅"]  # both are c-x-m
    assert [c.name for c in find_customers("CXM")] == ["陈小明", "陈晓梅"]
    assert [c.name for c in find_customers("陈小")] == ["陈小明"]
    assert [c.name for c in find_customers("wang")] == ["Wang Wei"]          # a romanised name, typed in lower case
    assert [c.name for c in find_customers("13700000001")] == ["陈晓梅"]
    assert find_customers("xyz") == []


def test_initials_follow_a_renamed_customer(shop):
    customer = Customer.get_by_id(shop.customer.id)
    customer.name = "王伟"
    customer.save()
    assert Customer.get_by_id(customer.id).initials == "ww"
    assert [c.code for c in find_customers("ww")] == [customer.code]


def test_jy_finds_engine_oil_in_the_parts_catalog_and_the_oil_change_operation(shop):
    Part.create(code="OIL-0W20", name="Engine oil 0W-20", name_zh="机油 0W-20", unit="L", sale_price=Decimal("78"))
    Part.create(code="OF-M20A", name="Oil filter M20A", name_zh="机油滤清器 M20A", sale_price=Decimal("58"))
    Part.create(code="SP-M20A", name="Spark plug M20A", name_zh="火花塞 M20A", sale_price=Decimal("95"))
    op = Operation.get(Operation.code == "QS001")
    op.name_zh = "更换机油机滤"
    op.save()
    assert [p.code for p in parts.catalog("jy")] == ["OF-M20A", "OIL-0W20"]
    assert [p.code for p in parts.catalog("机油")] == ["OF-M20A", "OIL-0W20"]
    assert [o.code for o in find_operations("jy")] == ["QS001"]
    before = i18n.language()
    try:
        i18n.set_language("zh_CN")
        assert find_operations("jy")[0].name == "更换机油机滤"      # named in the reader's language
        assert parts.catalog("hhs")[0].name == "火花塞 M20A"
        i18n.set_language("en")
        assert find_operations("jy")[0].name == "Oil and filter change"
    finally:
        i18n.set_language(before)


def test_the_migration_fills_initials_and_chinese_names_of_rows_written_before_it(tmp_path):
    from models.db import db, open_database
    from models.schema import migrate, runner
    open_database(tmp_path / "old.db")
    runner().up(target="0009_failed_inspections_index")
    db.execute_sql("INSERT INTO customer (code, name, kind, mobile, is_key, has_complained, unreachable, created_at) "
                   "VALUES ('C1', '陈小明', 'private', '13700000000', 0, 0, 0, '2026-01-01')")
    db.execute_sql("INSERT INTO part (code, name, unit, warehouse, unit_cost, sale_price, reorder_threshold, oem, "
                   "on_hand, reserved, active) VALUES ('OIL', 'Engine oil 0W-20', 'L', 'MAIN', 1, 2, 0, 1, 0, 0, 1)")
    migrate()
    assert [c.name for c in find_customers("cxm")] == ["陈小明"]
    assert Part.get(Part.code == "OIL").name_zh == "机油 0W-20"
    assert [p.code for p in parts.catalog("jy")] == ["OIL"]
    db.close()
