"""Orders that end in money from others: a warranty job with a replaced part, an accident repair."""
from decimal import Decimal

from models.orders import JobLine, RepairOrder
from models.parts import Part
from workshop import parts
from workshop.dispatch import finish_line
from workshop.lifecycle import transition


def stock(shop, code="BP-100", name="Front brake pads", qty="5", cost="260", price="520"):
    if Part.get_or_none(Part.code == code) is None:
        Part.create(code=code, name=name, unit="pc", bin="A-01-1", unit_cost=Decimal(cost), sale_price=Decimal(price))
    parts.receive(code, qty, by=shop.clerk, reference="opening")


def worked(shop, vehicle=None, *, business_type="warranty", codes=("ME001",), part="BP-100", bay=None,
           old_part=True) -> RepairOrder:
    """An order whose work is done and passed QC: its job lines finished, one part picked (and the old one
    kept for the manufacturer on warranty jobs)."""
    order = shop.in_progress(vehicle, codes=codes, business_type=business_type, bay=bay)
    if part:
        line = parts.add_part_line(order.id, part, "1", by=shop.dispatcher)
        parts.pick(line.id, by=shop.clerk)
        if old_part and business_type == "warranty":
            parts.record_old_part(line.id, "warranty", "tagged for return", by=shop.clerk)
    for job in JobLine.select().where(JobLine.order == order.id):
        finish_line(job.id, by=shop.dispatcher)
    transition(order.id, "finish", by=shop.dispatcher)
    return transition(order.id, "qc_pass", by=shop.inspector)
