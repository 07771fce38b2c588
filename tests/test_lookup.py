"""Finding customers, cars and orders by what people type: the keys, and every search that uses them."""
import datetime as dt
from decimal import Decimal as D

from models.events import Event
from models.people import Customer
from models.settlement import OpenBalance
from tests.factories import make_customer, make_vehicle
from workshop import audit, board, callbacks, clock, followup_figures, lookup, reminders, search, settings
from workshop import settlement as service
from workshop.reception import CustomerForm, VehicleForm, register_vehicle


def test_typed_text_is_folded_as_the_keys_are():
    assert lookup.name_key("Pearl River Logistics, Ltd.") == "pearlriverlogisticsltd"
    assert lookup.name_key("  ＷＡＮＧ  wei ") == "wangwei"   # full-width letters, case, spaces
    assert lookup.name_key("张 伟") == "张伟"
    assert lookup.plate_key("粵b·123 45") == "粤B12345"           # traditional province, separators
    assert [lookup.order_number(t) for t in ("1042", "RO 1042", "ro1042", "#1042", "粤B1", "")] == \
        [1042, 1042, 1042, 1042, None, None]
    assert lookup.after_prefix("zhang") == "zhanh" and lookup.after_prefix("\ud7ff") == "\ue000"
    assert lookup.birthday_key(dt.date(1980, 2, 29)) == "02-29" and lookup.birthday_key("1975-12-03") == "12-03"


def test_a_customer_registered_at_reception_is_found_by_name(shop):
    register_vehicle(CustomerForm(name="Chen Xiao Ming", mobile="13700001234"),
                     VehicleForm(plate="粤C54321", vin="LVGBM53K4RG000009", brand="Toyota", model="Corolla"),
                     by=shop.advisor)
    owner = Customer.get(Customer.mobile == "13700001234")
    assert owner.name_key == "chenxiaoming"
    assert lookup.customers_by_name("chen xiao", 10) == [owner.id]
    assert lookup.customers_by_name("xiao", 10) == []   # the start of the name, not any part of it


def test_the_palette_finds_active_orders_by_part_of_plate_name_or_number_and_never_closed_ones(shop):
    active = shop.order(shop.car)
    closed = shop.delivered(shop.car2)
    assert [c.id for c in board.search_active("12345")] == [active.id]          # any part of the plate
    assert [c.id for c in board.search_active("wang W")] == [active.id]         # name, any case and spacing
    assert [c.id for c in board.search_active(f"ro {active.number}")] == [active.id]
    assert board.search_active("A88888") == [] and board.search_active(str(closed.number)) == []
    assert board.search_active("%") == [] and board.search_active("_") == []   # wildcards are plain text


def test_the_history_is_searched_by_the_start_of_a_name_too(shop):
    first = shop.delivered(shop.car2)
    assert [h.order_id for h in search.search("pearl riv")] == [first.id]
    assert [h.order_id for h in search.search("PEARLRIVER")] == [first.id]
    assert search.search("river") == []


def test_the_cashier_finds_the_queue_by_any_part_of_a_plate_and_the_history_by_number_or_plate_start(shop):
    waiting = shop.ready_for_settlement(shop.car)
    old = shop.delivered(shop.car2)
    assert [r.order_id for r in service.cashier_queue("2345")] == [waiting.id]
    assert [r.order_id for r in service.cashier_queue(f"RO {old.number}")] == [old.id]
    assert [r.order_id for r in service.cashier_queue("粤A88")] == [old.id]
    assert service.cashier_queue("8888") == []   # a delivered car: by the start of its plate only
    newer = shop.ready_for_settlement(shop.car2)
    assert [r.order_id for r in service.cashier_queue("粤A")] == [newer.id, old.id]   # the queue first


def _owing(shop, vehicle):
    order = shop.ready_for_settlement(vehicle)
    service.take_payment(order.id, "cash", "10", by=shop.cashier)
    service.settle(order.id, by=shop.cashier)
    return order


def test_receivables_carry_the_keys_and_are_searched_by_name_plate_or_number(shop):
    wang = _owing(shop, shop.car)
    pearl = _owing(shop, shop.car2)
    balance = OpenBalance.get(OpenBalance.order == pearl.id)
    assert (balance.name_key, balance.plate) == ("pearlriverlogistics", "粤A88888")
    assert [r.order_id for r in service.receivables("Pearl")] == [pearl.id]
    assert [r.order_id for r in service.receivables("粤B1")] == [wang.id]
    assert [r.order_id for r in service.receivables(str(wang.number))] == [wang.id]
    assert [r.amount for r in service.receivables("wang wei")] == [D("50.00")]
    assert service.receivables("Logistics") == []


def test_audit_pages_by_time_within_a_date_range_without_gaps_or_repeats(shop):
    order = shop.order()
    start = dt.datetime(2026, 11, 1)
    for i in range(25):   # out of id order: the trail is newest first by time
        Event.create(at=start + dt.timedelta(hours=(i * 7) % 25), kind="note", entity="repair_order",
                     entity_id=order.id, summary=f"n{i}")
    window = dict(since=start, until=start + dt.timedelta(days=2), kind="note")
    pages, before = [], None
    while True:
        rows = audit.search(**window, before=before, limit=10)
        if not rows:
            break
        pages.append(rows)
        before = audit.next_page(rows)
    seen = [r for page in pages for r in page]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [(r.at, r.id) for r in seen] == sorted(((r.at, r.id) for r in seen), reverse=True)
    assert len({r.id for r in seen}) == 25


def test_audit_kinds_lists_each_kind_once_in_order(shop):
    shop.dispatched()
    kinds = audit.kinds()
    assert kinds == sorted(set(kinds)) and {"order_created", "dispatch"} <= set(kinds)


def test_birthdays_of_the_coming_week_run_over_the_new_year_in_date_order(shop):
    clock.freeze(dt.datetime(2026, 12, 28, 9))
    for code, day in (("C9", dt.date(1980, 1, 2)), ("C8", dt.date(1990, 12, 30)), ("C7", dt.date(1985, 1, 9)),
                      ("C6", dt.date(1970, 12, 28))):
        make_customer(code, f"Birthday {code}", f"1360000000{code[1]}", birthday=day)
    due = [r.due for r in reminders.due("birthday")]
    assert due == [dt.date(1970, 12, 28), dt.date(1990, 12, 30), dt.date(1980, 1, 2)]
    assert [r.due for r in reminders.due("birthday", limit=1, offset=2)] == [dt.date(1980, 1, 2)]


def test_churn_counts_each_month_as_its_definition_says(shop):
    today = clock.today()
    for i in range(14):
        visited = dt.datetime.combine(today, dt.time()) - dt.timedelta(days=31 * i + 3)
        make_customer(f"V{i}", f"Visitor {i}", f"1350000{i:04d}", last_visit_at=visited)
    months = int(settings.get("lost_after_months"))
    for month, lost, base, _ in followup_figures.churn():
        first = dt.date.fromisoformat(month + "-01")
        lost_from = followup_figures._add_months(first, -months)
        lost_to = followup_figures._add_months(first, -months + 1)
        visits = [c.last_visit_at for c in Customer.select() if c.last_visit_at]
        assert lost == sum(dt.datetime.combine(lost_from, dt.time()) <= v < dt.datetime.combine(lost_to, dt.time())
                           for v in visits)
        assert base == sum(v >= dt.datetime.combine(lost_from, dt.time()) for v in visits)


def test_follow_up_calls_are_searched_by_the_start_of_a_name_phone_or_plate(shop):
    lin = make_customer("C100003", "Lin Feng", "13611112222")
    shop.delivered(make_vehicle("粤A11111", "LVGBM53K5RG000011", lin))
    shop.delivered(shop.car)
    assert {c.customer for c in callbacks.queue(view="all", search="lin f")} == {"Lin Feng"}
    assert {c.customer for c in callbacks.queue(view="all", search="1381234")} == {"Wang Wei"}
    assert {c.customer for c in callbacks.queue(view="all", search="粤A11")} == {"Lin Feng"}
    assert callbacks.queue(view="all", search="nobody") == []


def test_pinyin_initials_find_a_customer_in_every_search(shop):
    chen = make_customer("C100009", "陈小明", "13711112222")
    owing = _owing(shop, make_vehicle("粤C77777", "LVGBM53K5RG000077", chen))
    active = shop.order(make_vehicle("粤C77778", "LVGBM53K5RG000078", chen))
    assert chen.initials == "cxm" and OpenBalance.get(OpenBalance.order == owing.id).initials == "cxm"
    assert {c.id for c in board.search_active("CXM")} == {owing.id, active.id}   # settled, checked in
    assert board.search_active("xm") == []                               # initials match from their start
    assert {h.order_id for h in search.search("cxm")} == {owing.id, active.id}   # the history
    assert [r.order_id for r in service.receivables("cx")] == [owing.id]
    assert [r.order_id for r in service.receivables("陈小")] == [owing.id]  # the name itself


def _pages(fetch, size: int) -> list:
    """Every row of a list read ``size`` at a time, each page after the last row of the one before."""
    rows, after = [], None
    while True:
        page = fetch(limit=size, after=after)
        rows += page
        if len(page) < size:
            return rows
        after = page[-1]


def test_reminder_lists_page_by_keyset_as_they_would_by_offset(shop):
    clock.freeze(dt.datetime(2026, 12, 28, 9))   # birthdays: the week runs into January
    today = clock.today()
    for i in range(7):   # two rows per day: ties on the date are broken by the id
        owner = make_customer(f"K{i}", f"Keyset {i}", f"1370000{i:04d}",
                              last_visit_at=dt.datetime.combine(today, dt.time()) - dt.timedelta(days=200 + i // 2),
                              birthday=dt.date(1980, 12, 30) + dt.timedelta(days=i // 2))
        car = make_vehicle(f"粤K{i:05d}", f"LVGBM53K5RG1000{i:02d}", owner)
        car.insurance_expiry = today + dt.timedelta(days=3 + i // 2)
        car.save()
    for kind in ("insurance", "lost", "birthday"):
        everything = reminders.due(kind, limit=100)
        assert len(everything) >= 5, kind
        assert _pages(lambda kind=kind, **kw: reminders.due(kind, **kw), 3) == everything, kind   # pages split ties


def test_follow_up_calls_page_by_keyset(shop):
    from models.followup import Callback
    for i in range(6):
        owner = make_customer(f"Q{i}", f"Caller {i}", f"1360000{i:04d}")
        shop.delivered(make_vehicle(f"粤Q{i:05d}", f"LVGBM53K5RG2000{i:02d}", owner))
    for n, call in enumerate(Callback.select().order_by(Callback.id)):   # due dates against id order, in pairs
        Callback.update(due=clock.today() + dt.timedelta(days=5 - n // 2)).where(Callback.id == call.id).execute()
    everything = callbacks.queue(view="all", limit=100)
    assert len(everything) >= 6 and [c.id for c in everything] != sorted(c.id for c in everything)
    assert _pages(lambda **kw: callbacks.queue(view="all", **kw), 3) == everything
