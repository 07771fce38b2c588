"""Importing a catalog and opening stock from CSV: all or nothing, with a row-by-row report."""
from decimal import Decimal

from models.parts import Part, StockMovement
from workshop import parts
from tests.factories import stock
from workshop.parts_import import import_csv

HEADER = "code,name,brand,unit,bin,unit_cost,sale_price,reorder_threshold,opening_qty\n"


def test_a_clean_file_imports_every_part_with_its_opening_stock(shop, tmp_path):
    f = tmp_path / "parts.csv"
    f.write_text(HEADER + "of-001,Oil filter,Toyota,pc,a-01-1,20,45,5,12\n"
                          "OIL-0W20,Engine oil 0W-20,Toyota,L,F-01-1,30,68,20,55.5\n")
    report = import_csv(f, by=shop.clerk)
    assert report.ok and report.imported == 2
    oil = Part.get(Part.code == "OIL-0W20")
    assert stock(oil).on_hand == Decimal("55.5") and parts.ledger_balance(oil.id, 1) == stock(oil).on_hand
    assert Part.get(Part.code == "OF-001").bin == "A-01-1"


def test_a_file_with_bad_rows_imports_nothing_and_says_which_rows_and_why(shop, tmp_path):
    f = tmp_path / "parts.csv"
    f.write_text(HEADER + "OF-001,Oil filter,Toyota,pc,A-01-1,20,45,5,12\n"
                          "OF-002,,Toyota,pc,A-01-2,20,45,5,1\n"
                          "OF-003,Filter,Toyota,box,A-01-3,20,45,5,1\n"
                          "OF-004,Filter,Toyota,pc,A-01-4,20,-3,5,1\n"
                          "OF-005,Filter,Toyota,pc,A-01-4,20,45,5,1.5\n"
                          "OF-001,Again,Toyota,pc,A-01-1,20,45,5,1\n")
    report = import_csv(f, by=shop.clerk)
    assert not report.ok and report.imported == 0
    reasons = dict(report.rejected)
    assert "missing name" in reasons[3]
    assert "unit 'box'" in reasons[4]
    assert "negative" in reasons[5]
    assert "whole number" in reasons[6]
    assert "appears twice" in reasons[7]
    assert Part.select().count() == 0 and StockMovement.select().count() == 0
