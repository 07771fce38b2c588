"""The estimate (估价单) handed to the customer before work starts, and again when work found in the bay waits
for their approval: every job line with what it comes to and where it stands (approved, waiting for the
customer's approval, declined), the totals of each, and a line for the customer's signature.

In the shop's document language (setting ``document_language``), like the settlement documents; as text laid out
in display cells (a Chinese character takes two columns) for the receipt printer or a message, and as a
self-contained A4 web page. Writing the files is document_files' business (``write_estimate``).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal

from rich.cells import cell_len, chop_cells

from models.approvals import APPROVAL_LABELS
from models.orders import BUSINESS_TYPE_LABELS, JobLine, RepairOrder
from models.people import Customer, Staff, Vehicle
from models.shop import Operation
from workshop import approvals, clock, settings
from workshop.i18n import N_, Words

WIDTH = 42
TITLE = N_("ESTIMATE")


@dataclass(frozen=True)
class EstimateLine:
    code: str
    name: str
    name_zh: str | None
    hours: Decimal
    amount: Decimal
    approval: str


def estimate_data(order_id: int) -> dict:
    """What the estimate says: the shop, the order, the car, the owner, each line and the totals."""
    order = RepairOrder.get_by_id(order_id)
    car = Vehicle.get_by_id(order.vehicle_id)
    owner = Customer.get_by_id(order.customer_id)
    advisor = Staff.get_or_none(Staff.id == order.advisor_id)
    quotes = approvals.order_quotes(order_id)
    chinese = dict(Operation.select(Operation.code, Operation.name_zh).join(JobLine, on=(JobLine.operation == Operation.id))
                   .where(JobLine.order == order_id).tuples())
    lines = [EstimateLine(q.code, q.name, chinese.get(q.code), q.hours, q.amount, q.approval) for q in quotes]
    totals = {state: sum((x.amount for x in lines if x.approval == state), Decimal("0.00"))
              for state in ("approved", "pending", "declined")}
    return {"shop": {k: str(settings.get(f"shop_{k}") or "") for k in ("name", "address", "phone")},
            "ro": order.number, "date_in": order.time_in, "promised_at": order.promised_at, "plate": car.plate,
            "model": f"{car.brand} {car.model}".strip(), "vin": car.vin, "mileage": order.mileage_in,
            "owner": owner.name, "mobile": owner.mobile or "", "advisor": advisor.name if advisor else "",
            "business_type": order.business_type, "lines": lines, "totals": totals, "printed_at": clock.now()}


def document_words() -> Words:
    return Words(str(settings.get("document_language") or "zh_CN"))


def _fit(text: str, width: int) -> str:
    return text if cell_len(text) <= width else chop_cells(text, width)[0]


def _pair(left: str, right: str, width: int) -> str:
    right = _fit(right, width)
    left = _fit(left, max(0, width - cell_len(right) - 1))
    return left + " " * (width - cell_len(left) - cell_len(right)) + right


def _centre(text: str, width: int) -> list[str]:
    return [" " * ((width - cell_len(part)) // 2) + part for part in (chop_cells(text, width) if text else [])]


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def render_text(d: dict, width: int = WIDTH, words: Words | None = None) -> str:
    """The estimate in ``width`` display cells."""
    w = words or document_words()
    m = lambda value: w.money(value, symbol=False)  # noqa: E731
    rule = "-" * width
    out = _centre(d["shop"]["name"], width) + _centre(d["shop"]["address"], width)
    if d["shop"]["phone"]:
        out += _centre(w._("Phone") + " " + d["shop"]["phone"], width)
    out += _centre(w._(TITLE), width) + [rule]
    for label, value in ((w._("Repair order"), str(d["ro"])), (w._("Date in"), _when(d["date_in"])),
                         (w._("Owner"), d["owner"]), (w._("Phone"), d["mobile"]), (w._("Plate"), d["plate"]),
                         (w._("Model"), d["model"]), (w._("Mileage in"), f"{w.number(d['mileage'])} km"),
                         (w._("Business type"), w.label(BUSINESS_TYPE_LABELS, d["business_type"])),
                         (w._("Service advisor"), d["advisor"]), (w._("Promised"), _when(d["promised_at"]))):
        out.append(_pair(label, value, width))
    out.append(rule)
    for state in ("approved", "pending", "declined"):
        lines = [x for x in d["lines"] if x.approval == state]
        if not lines:
            continue
        out.append(w.label(APPROVAL_LABELS, state))
        for x in lines:
            out += chop_cells(f"{x.code} {w.local(x.name, x.name_zh)}", width)
            out.append(_pair(f"  {x.hours.normalize():f} h", m(x.amount), width))
        out.append(_pair(w._("Subtotal"), m(d["totals"][state]), width))
        out.append(rule)
    out.append(_pair(w._("Approved work"), w.money(d["totals"]["approved"]), width))
    if d["totals"]["pending"]:
        out.append(_pair(w._("Waiting for your approval"), w.money(d["totals"]["pending"]), width))
    out += [_pair(w._("Printed"), _when(d["printed_at"]), width), "", w._("Approved by the customer"), "",
            "_" * width, ""]
    return "\n".join(line.rstrip() for line in out)


def render_html(d: dict, words: Words | None = None) -> str:
    """The estimate as a self-contained A4 web page."""
    w = words or document_words()
    e = html.escape
    m = lambda value: w.money(value, symbol=False)  # noqa: E731
    rows = []
    for x in d["lines"]:
        rows.append(f"<tr><td>{e(x.code)}</td><td>{e(w.local(x.name, x.name_zh))}</td>"
                    f"<td class=n>{x.hours.normalize():f}</td><td class=n>{e(m(x.amount))}</td>"
                    f"<td>{e(w.label(APPROVAL_LABELS, x.approval))}</td></tr>")
    fields = "".join(f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in (
        (w._("Repair order"), str(d["ro"])), (w._("Date in"), _when(d["date_in"])), (w._("Owner"), d["owner"]),
        (w._("Phone"), d["mobile"]), (w._("Plate"), d["plate"]), (w._("VIN"), d["vin"]), (w._("Model"), d["model"]),
        (w._("Mileage in"), f"{w.number(d['mileage'])} km"), (w._("Service advisor"), d["advisor"]),
        (w._("Promised"), _when(d["promised_at"]))))
    pending = (f"<p>{e(w._('Waiting for your approval'))}: <b>{e(w.money(d['totals']['pending']))}</b></p>"
               if d["totals"]["pending"] else "")
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if w.language == 'zh_CN' else 'en'}"><head><meta charset="utf-8">
<title>{e(w._(TITLE))} {d['ro']}</title>
<style>@page {{ size: A4; margin: 15mm }} body {{ font-family: sans-serif; font-size: 10pt }}
table {{ border-collapse: collapse; width: 100% }} td, th {{ border: 1px solid #999; padding: 2px 4px; text-align: left }}
.n {{ text-align: right }} .sign {{ margin-top: 20mm; border-top: 1px solid #000; width: 70mm }}</style></head>
<body><h2>{e(d['shop']['name'])}</h2><p>{e(d['shop']['address'])} {e(d['shop']['phone'])}</p>
<h1>{e(w._(TITLE))}</h1><table>{fields}</table><br>
<table><tr><th>{e(w._('Code'))}</th><th>{e(w._('Work'))}</th><th class=n>{e(w._('Hours'))}</th>
<th class=n>{e(w._('Amount'))}</th><th>{e(w._('Status'))}</th></tr>{''.join(rows)}</table>
<p>{e(w._('Approved work'))}: <b>{e(w.money(d['totals']['approved']))}</b></p>{pending}
<p>{e(w._('Printed'))}: {e(_when(d['printed_at']))}</p>
<div class=sign>{e(w._('Approved by the customer'))}</div></body></html>
"""


def estimate_text(order_id: int, width: int = WIDTH) -> str:
    return render_text(estimate_data(order_id), width)


def estimate_html(order_id: int) -> str:
    return render_html(estimate_data(order_id))
