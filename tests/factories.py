"""A small shop for tests: just enough staff, bays, operations and cars to exercise a rule."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from models.orders import RepairOrder
from models.people import Customer, CustomerClass, Staff, Vehicle
from models.shop import Bay, LaborRate, Operation
from workshop import clock
from workshop.accounts import hash_pin
from workshop.reception import OrderForm, create_order
from workshop.vins import with_check_digit

TEST_PIN = "2468"
_PIN_HASH = None


def _pin_hash():
    global _PIN_HASH
    if _PIN_HASH is None:
        _PIN_HASH = hash_pin(TEST_PIN)
    return _PIN_HASH


def make_staff(login: str, name: str, roles: str, trade: str | None = None) -> Staff:
    return Staff.create(login=login, name=name, roles=roles, trade=trade, pin_hash=_pin_hash())


def make_customer(code: str, name: str, mobile: str, **fields) -> Customer:
    """A customer (its search keys are kept by Customer.save, workshop/lookup.py)."""
    fields.setdefault("created_at", clock.now())
    return Customer.create(code=code, name=name, mobile=mobile, **fields)


def make_vehicle(plate: str, vin: str, customer: Customer, *, series: str = "Camry",
                 model: str = "Camry 2.0") -> Vehicle:
    """A car on file; its VIN gets the right check digit (GB 16735), as every VIN a shop registers has."""
    return Vehicle.create(plate=plate, vin=with_check_digit(vin), customer=customer, brand="Toyota", series=series,
                          model=model, engine_no="M20A-123456")


@dataclass
class SmallShop:
    manager: Staff
    advisor: Staff
    dispatcher: Staff
    techs: list[Staff]
    clerk: Staff
    inspector: Staff
    cashier: Staff
    agent: Staff
    bays: list[Bay]
    vip: CustomerClass
    general: CustomerClass
    customer: Customer
    vip_customer: Customer
    car: Vehicle
    car2: Vehicle
    car3: Vehicle

    def order(self, vehicle: Vehicle | None = None, codes=("QS001",), business_type="maintenance",
              hours_ahead: int = 4, mileage: int = 20000) -> RepairOrder:
        form = OrderForm(vehicle_id=(vehicle or self.car).id, business_type=business_type,
                         mileage_in=str(mileage), fuel_level="1/2", statement="Service please",
                         promised_at=clock.now() + dt.timedelta(hours=hours_ahead), operation_codes=list(codes),
                         insurer="PICC" if business_type == "insurance" else "")
        return create_order(form, by=self.advisor)

    def dispatched(self, vehicle: Vehicle | None = None, bay: int | None = None, tech: int = 0, **kw) -> RepairOrder:
        """Dispatched to ``self.bays[bay]``, or (bay not given) to the first bay that takes all its trades, else
        trade by trade to the first bay that takes each (body in B1, then paint in P1)."""
        from models.orders import JobLine
        from workshop.dispatch import dispatch
        from workshop.trade_dispatch import TradePlan, dispatch_trades, fits
        order = self.order(vehicle, **kw)
        if bay is None:
            trades = list(dict.fromkeys(t for (t,) in JobLine.select(JobLine.trade).where(JobLine.order == order.id)
                                        .order_by(JobLine.id).tuples()))
            bay = next((i for i, b in enumerate(self.bays) if all(fits(b.kind, t) for t in trades)), None)
            if bay is None:
                plans = [TradePlan(t, next(b.id for b in self.bays if fits(b.kind, t)), (self.techs[tech].id,))
                         for t in trades]
                return dispatch_trades(order.id, plans, by=self.dispatcher)
        return dispatch(order.id, self.bays[bay].id, [self.techs[tech].id], by=self.dispatcher)

    def in_progress(self, vehicle: Vehicle | None = None, **kw) -> RepairOrder:
        from workshop.lifecycle import transition
        order = self.dispatched(vehicle, **kw)
        return transition(order.id, "start", by=self.dispatcher)

    def ready_for_qc(self, vehicle: Vehicle | None = None, **kw) -> RepairOrder:
        from models.orders import JobLine
        from workshop.dispatch import finish_line
        from workshop.lifecycle import transition
        order = self.in_progress(vehicle, **kw)
        for line in JobLine.select().where(JobLine.order == order.id):
            finish_line(line.id, by=self.dispatcher)
        return transition(order.id, "finish", by=self.dispatcher)

    def ready_for_settlement(self, vehicle: Vehicle | None = None, **kw) -> RepairOrder:
        from workshop.lifecycle import transition
        order = self.ready_for_qc(vehicle, **kw)
        return transition(order.id, "qc_pass", by=self.inspector)

    def settled(self, vehicle: Vehicle | None = None, **kw) -> RepairOrder:
        """An order paid in full by card and settled by the cashier (through the settlement service)."""
        from workshop.settlement import settle_fully
        order = self.ready_for_settlement(vehicle, **kw)
        settle_fully(order.id, self.cashier)
        return RepairOrder.get_by_id(order.id)

    def delivered(self, vehicle: Vehicle | None = None, **kw) -> RepairOrder:
        """An order settled, paid and released to the customer."""
        from workshop.settlement import release
        order = self.settled(vehicle, **kw)
        return release(order.id, by=self.cashier)


def build_small_shop() -> SmallShop:
    general = CustomerClass.create(name="General")
    vip = CustomerClass.create(name="VIP", labor_discount=Decimal("15"), material_discount=Decimal("8"),
                               is_vip=True)
    for trade, rate in (("quick_service", "120"), ("mechanical", "180"), ("body", "160"), ("paint", "170")):
        LaborRate.create(trade=trade, rate=Decimal(rate))
    for code, name, trade, hours in (("QS001", "Oil and filter change", "quick_service", "0.5"),
                                     ("QS002", "5,000 km service", "quick_service", "0.8"),
                                     ("ME001", "Front brake pads", "mechanical", "1.0"),
                                     ("BD001", "Front bumper repair", "body", "2.0"),
                                     ("PT001", "Bumper respray", "paint", "3.0")):
        Operation.create(code=code, name=name, trade=trade, standard_hours=Decimal(hours))
    bays = [Bay.create(code="Q1", name="Quick 1", kind="quick_service", capacity=1),
            Bay.create(code="M1", name="Mechanical 1", kind="mechanical", capacity=1),
            Bay.create(code="B1", name="Body 1", kind="body", capacity=2),
            Bay.create(code="P1", name="Paint booth", kind="paint", capacity=1),
            Bay.create(code="M2", name="Mechanical 2", kind="mechanical", capacity=1)]
    now = clock.now()
    customer = make_customer("C100001", "Wang Wei", "13812345678", customer_class=general, created_at=now)
    vip_customer = make_customer("C100002", "Pearl River Logistics", "13900001111", kind="company",
                                 customer_class=vip, created_at=now)
    shop = SmallShop(
        manager=make_staff("boss", "Zhou Min", "manager"),
        advisor=make_staff("li.wei", "Li Wei", "advisor"),
        dispatcher=make_staff("zhang.lei", "Zhang Lei", "dispatcher"),
        techs=[make_staff("xu.gang", "Xu Gang", "technician", "mechanical"),
               make_staff("song.jie", "Song Jie", "technician", "quick_service"),
               make_staff("tang.kai", "Tang Kai", "technician", "body")],
        clerk=make_staff("huang.bo", "Huang Bo", "parts_clerk"),
        inspector=make_staff("sun.hui", "Sun Hui", "qc_inspector"),
        cashier=make_staff("hu.xin", "Hu Xin", "cashier"),
        agent=make_staff("he.ping", "He Ping", "follow_up_agent"),
        bays=bays, vip=vip, general=general, customer=customer, vip_customer=vip_customer,
        car=make_vehicle("粤B12345", "LVGBM53KXRG000001", customer),
        car2=make_vehicle("粤A88888", "LVGBM53K1RG000002", vip_customer),
        car3=make_vehicle("粤BD12345", "LVGBM53K3RG000003", customer),
    )
    return shop


__all__ = ["SmallShop", "build_small_shop", "make_staff", "make_vehicle", "TEST_PIN", "SimpleNamespace"]


def stock(part, shop: int = 1):
    """A part's stock in a shop (shop 1 by default; ``part``: a code, an id or a Part), as it stands: its
    ``on_hand``, ``reserved``, ``available`` and ``bin`` (zeros where the shop never held it)."""
    from models.parts import Part
    from workshop.parts import stock_of
    if isinstance(part, str):
        part = Part.get(Part.code == part)
    return stock_of(part if isinstance(part, int) else part.id, shop)


def set_stock(part, on_hand, reserved=0, shop: int = 1) -> None:
    """Balances written by hand (no ledger row): for tests of the database's own guarantees."""
    from models.parts import PartStock
    PartStock.insert(part=part if isinstance(part, int) else part.id, shop=shop, on_hand=Decimal(on_hand),
                     reserved=Decimal(reserved)).execute()
