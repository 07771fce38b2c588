"""Finding orders across the whole history by RO number, plate, phone or VIN."""
from workshop import search


def test_search_finds_orders_by_each_kind_of_text(shop):
    first = shop.order(shop.car)
    other = shop.order(shop.car2)
    assert [h.number for h in search.search(str(first.number))] == [first.number]
    assert [h.number for h in search.search("粤B123")] == [first.number]          # plate prefix
    assert [h.number for h in search.search("139 0000")] == [other.number]       # phone prefix, spaces ignored
    assert [h.number for h in search.search("lvgbm53k1rg000002")] == [other.number]  # VIN, any case
    assert search.search("粤Z") == [] and search.search("  ") == []


def test_kinds_of_text():
    assert [search.kind_of(t) for t in ("1042", "13812345678", "LVGBM53KXRG000001", "粤B12345")] == \
        ["order", "phone", "vin", "plate"]
