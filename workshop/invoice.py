"""The invoice (結算單) as files: plain text for the receipt printer, HTML for an A4 page.

Every field the settlement documents list: owner, settlement date, VIN, plate, model, engine no.,
invoice no., date in, mileage; labor lines (code, name, hours, fee); parts lines (code, name, qty,
unit, amount); labor and material receivable vs charged; the fees; total, already received,
outstanding and this payment. The lines come from the bill stored at settlement, so a reprint
shows exactly what was settled.
"""
from __future__ import annotations

import html
import json
from decimal import Decimal
from pathlib import Path

from models.db import db, is_sqlite
from models.orders import RepairOrder
from models.people import Customer, Staff, Vehicle
from models.settlement import FEE_LABELS, METHOD_LABELS, Payment, Settlement
from workshop import clock, settings
from workshop.errors import NotFound
from workshop.pricing import cents
from workshop.settlement import bill_for, money, paid

RECEIPT_WIDTH = 42


def _lines(invoice: Settlement) -> tuple[list[dict], list[dict]]:
    if invoice.lines_json:
        data = json.loads(invoice.lines_json)
        return data["lines"], data["fees"]
    bill = bill_for(invoice.order_id)  # bulk-seeded history: its lines are unchanged since settling
    return ([{"section": x.section, "code": x.code, "name": x.name, "quantity": str(x.quantity), "unit": x.unit,
              "price": str(x.price), "receivable": str(x.receivable), "charged": str(x.charged), "payer": x.payer}
             for x in bill.lines],
            [{"kind": f.kind, "description": f.description, "amount": str(f.amount), "payer": f.payer}
             for f in bill.fees])


def invoice_data(invoice_id: int, payment_id: int | None = None) -> dict:
    """Everything the invoice prints; with ``payment_id``, a receipt for that later payment."""
    invoice = Settlement.get_or_none(Settlement.id == invoice_id)
    if invoice is None:
        raise NotFound(f"Invoice #{invoice_id} does not exist.")
    order = RepairOrder.get_by_id(invoice.order_id)
    car = Vehicle.get_by_id(order.vehicle_id)
    owner = Customer.get_by_id(order.customer_id)
    cashier = Staff.get_or_none(Staff.id == invoice.by_id) if invoice.by_id else None
    lines, fees = _lines(invoice)
    received_total = paid(order.id)
    if payment_id is not None:
        payment = Payment.get_by_id(payment_id)
        this = cents(Decimal(payment.amount))
        before = cents(Decimal(str(sum(Decimal(p.amount) for p in Payment.select().where(
            (Payment.order == order.id) & (Payment.id < payment.id))))))
    else:
        this = cents(Decimal(invoice.this_payment))
        before = cents(Decimal(invoice.received_before))
    due = cents(Decimal(invoice.customer_share))
    return {
        "shop": settings.get("shop_name"),
        "kind": "CREDIT NOTE" if invoice.kind == "void" else "INVOICE",
        "invoice_no": invoice.number, "settled_at": invoice.at, "cashier": cashier.name if cashier else "",
        "owner": owner.name, "owner_code": owner.code, "mobile": owner.mobile,
        "vin": car.vin, "plate": car.plate, "model": f"{car.brand} {car.model}".strip(),
        "engine_no": car.engine_no or "", "ro": order.number, "date_in": order.time_in,
        "mileage": order.mileage_in, "business_type": order.business_type.replace("_", " "),
        "labor": [x for x in lines if x["section"] == "labor"],
        "parts": [x for x in lines if x["section"] == "parts"],
        "fees": fees,
        "labor_receivable": invoice.labor_receivable, "labor_charged": invoice.labor_charged,
        "parts_receivable": invoice.parts_receivable, "parts_charged": invoice.parts_charged,
        "fee_totals": {k: getattr(invoice, f"{k}_fee") for k in FEE_LABELS},
        "adjustment": invoice.adjustment, "tax": invoice.tax, "tax_rate": invoice.tax_rate,
        "prices_include_tax": invoice.prices_include_tax, "total": invoice.total,
        "insurer_share": invoice.insurer_share, "manufacturer_share": invoice.manufacturer_share,
        "internal_share": invoice.internal_share, "customer_share": due,
        "received": before, "this_payment": this,
        "outstanding": max(Decimal("0"), due - received_total) if payment_id or invoice.kind == "invoice"
        else Decimal("0"),
        "reason": invoice.reason or "",
        "payments": [(METHOD_LABELS.get(p.method, p.method), cents(Decimal(p.amount)))
                     for p in Payment.select().where(Payment.order == order.id).order_by(Payment.id)],
    }


def _qty(value: str) -> str:
    d = Decimal(value)
    return f"{d.normalize():f}" if d == d.to_integral() else f"{d:.2f}".rstrip("0")


def render_text(d: dict, width: int = RECEIPT_WIDTH) -> str:
    """The receipt printer's version: fixed width (40-48 columns), one field per line."""
    def pair(left, right):
        left, right = str(left), str(right)
        room = width - len(right) - 1
        return f"{left[:room]:<{room}} {right}"

    rule = "-" * width
    out = [d["shop"].center(width)[:width].rstrip(), f"{d['kind']} {d['invoice_no']}".center(width).rstrip(), rule,
           pair("Invoice no.", d["invoice_no"]), pair("Date", f"{d['settled_at']:%Y-%m-%d %H:%M}"),
           pair("RO", d["ro"]), pair("Owner", d["owner"]), pair("Plate", d["plate"]), pair("VIN", d["vin"]),
           pair("Model", d["model"]), pair("Engine no.", d["engine_no"] or "-"),
           pair("Date in", f"{d['date_in']:%Y-%m-%d %H:%M}"), pair("Mileage", f"{d['mileage']:,} km"), rule,
           "LABOR"]
    for x in d["labor"]:
        out.append(f"{x['code']} {x['name']}"[:width])
        out.append(pair(f"  {_qty(x['quantity'])} h x {money(x['price'])}", money(x["charged"])))
    out.append("PARTS")
    for x in d["parts"]:
        out.append(f"{x['code']} {x['name']}"[:width])
        out.append(pair(f"  {_qty(x['quantity'])} {x['unit']} x {money(x['price'])}", money(x["charged"])))
    out += [rule, pair("Labor receivable", money(d["labor_receivable"])),
            pair("Labor charged", money(d["labor_charged"])),
            pair("Material receivable", money(d["parts_receivable"])),
            pair("Material charged", money(d["parts_charged"]))]
    for kind, label in FEE_LABELS.items():
        out.append(pair(label, money(d["fee_totals"][kind])))
    if Decimal(d["adjustment"] or 0):
        out.append(pair("Extra discount", "-" + money(d["adjustment"])))
    tax_word = "incl." if d["prices_include_tax"] else "added"
    out.append(pair(f"VAT {Decimal(d['tax_rate']).normalize():f}% ({tax_word})", money(d["tax"])))
    out += [rule, pair("TOTAL", money(d["total"]))]
    for key, label in (("insurer_share", "Insurer pays"), ("manufacturer_share", "Manufacturer pays"),
                       ("internal_share", "Workshop (internal)")):
        if Decimal(d[key] or 0):
            out.append(pair(label, money(d[key])))
    out += [pair("Customer pays", money(d["customer_share"])), pair("Already received", money(d["received"])),
            pair("This payment", money(d["this_payment"])), pair("Outstanding", money(d["outstanding"]))]
    for method, amount in d["payments"]:
        out.append(pair(f"  {method}", money(amount)))
    if d["reason"]:
        out.append(f"Reason: {d['reason']}"[:width])
    out += [rule, pair("Cashier", d["cashier"]), "Prices " + ("include" if d["prices_include_tax"] else
                                                                "exclude") + " VAT.", ""]
    return "\n".join(out)


def render_html(d: dict) -> str:
    """The A4 version: a self-contained HTML page with every field."""
    e = html.escape

    def rows(items, unit_col):
        return "".join(
            f"<tr><td>{e(x['code'])}</td><td>{e(x['name'])}</td><td class=n>{e(_qty(x['quantity']))}"
            f"{' ' + e(x['unit']) if unit_col else ''}</td><td class=n>{money(x['price'])}</td>"
            f"<td class=n>{money(x['receivable'])}</td><td class=n>{money(x['charged'])}</td>"
            f"<td>{e(x['payer'])}</td></tr>" for x in items)

    head = ("<tr><th>Code</th><th>Name</th><th>{q}</th><th>{p}</th><th>Receivable</th><th>Charged</th>"
            "<th>Payer</th></tr>")
    fees = "".join(f"<tr><td>{e(label)}</td><td class=n>{money(d['fee_totals'][k])}</td></tr>"
                   for k, label in FEE_LABELS.items())
    shares = "".join(f"<tr><td>{label}</td><td class=n>{money(d[k])}</td></tr>"
                     for k, label in (("insurer_share", "Insurer pays"), ("manufacturer_share", "Manufacturer pays"),
                                      ("internal_share", "Workshop (internal)")) if Decimal(d[k] or 0))
    tax_word = "included in the prices" if d["prices_include_tax"] else "added to the prices"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{d['kind']} {d['invoice_no']}</title>
<style>@page {{ size: A4; margin: 15mm }} body {{ font-family: sans-serif; font-size: 10pt }}
table {{ border-collapse: collapse; width: 100% }} td, th {{ border: 1px solid #999; padding: 2px 4px }}
.n {{ text-align: right }} h1 {{ font-size: 14pt }}</style></head><body>
<h1>{e(d['shop'])} &mdash; {d['kind']} No. {d['invoice_no']}</h1>
<table>
<tr><th>Invoice no.</th><td>{d['invoice_no']}</td><th>Settlement date</th><td>{d['settled_at']:%Y-%m-%d %H:%M}</td></tr>
<tr><th>Owner</th><td>{e(d['owner'])} ({e(d['owner_code'])})</td><th>Repair order</th><td>RO {d['ro']}</td></tr>
<tr><th>Plate</th><td>{e(d['plate'])}</td><th>VIN</th><td>{e(d['vin'])}</td></tr>
<tr><th>Model</th><td>{e(d['model'])}</td><th>Engine no.</th><td>{e(d['engine_no'])}</td></tr>
<tr><th>Date in</th><td>{d['date_in']:%Y-%m-%d %H:%M}</td><th>Mileage</th><td>{d['mileage']:,} km</td></tr>
</table>
<h2>Labor</h2><table>{head.format(q='Hours', p='Rate')}{rows(d['labor'], False)}</table>
<h2>Parts</h2><table>{head.format(q='Qty', p='Unit price')}{rows(d['parts'], True)}</table>
<h2>Amounts</h2><table>
<tr><td>Labor receivable</td><td class=n>{money(d['labor_receivable'])}</td></tr>
<tr><td>Labor charged</td><td class=n>{money(d['labor_charged'])}</td></tr>
<tr><td>Material receivable</td><td class=n>{money(d['parts_receivable'])}</td></tr>
<tr><td>Material charged</td><td class=n>{money(d['parts_charged'])}</td></tr>
{fees}<tr><td>Extra discount</td><td class=n>-{money(d['adjustment'])}</td></tr>
<tr><td>VAT {Decimal(d['tax_rate']).normalize():f}% ({tax_word})</td><td class=n>{money(d['tax'])}</td></tr>
<tr><th>Total</th><th class=n>{money(d['total'])}</th></tr>{shares}
<tr><td>Customer pays</td><td class=n>{money(d['customer_share'])}</td></tr>
<tr><td>Already received</td><td class=n>{money(d['received'])}</td></tr>
<tr><td>This payment</td><td class=n>{money(d['this_payment'])}</td></tr>
<tr><th>Outstanding</th><th class=n>{money(d['outstanding'])}</th></tr>
</table>
{f"<p>Reason: {e(d['reason'])}</p>" if d['reason'] else ''}
<p>Cashier: {e(d['cashier'])}. Prices {'include' if d['prices_include_tax'] else 'exclude'} VAT.</p>
</body></html>
"""


def invoice_dir() -> Path:
    """Where invoice files go: the 'invoice_dir' setting, else an 'invoices' folder beside the database."""
    configured = settings.get("invoice_dir")
    if configured:
        return Path(configured).expanduser()
    if is_sqlite() and db.obj.database not in (":memory:", ""):
        return Path(db.obj.database).resolve().parent / "invoices"
    return Path.home() / "workshop-invoices"


def write_invoice(invoice_id: int, *, payment_id: int | None = None,
                  directory: Path | None = None) -> tuple[Path, Path]:
    """Write the invoice (or a later payment's receipt) as .txt and .html; returns both paths."""
    data = invoice_data(invoice_id, payment_id)
    folder = Path(directory) if directory else invoice_dir()
    folder.mkdir(parents=True, exist_ok=True)
    prefix = "credit-note" if data["kind"] == "CREDIT NOTE" else "invoice"
    stem = f"{prefix}-{data['invoice_no']:06d}" + (f"-payment-{payment_id}" if payment_id else "")
    txt, page = folder / f"{stem}.txt", folder / f"{stem}.html"
    txt.write_text(render_text(data), encoding="utf-8")
    page.write_text(render_html(data), encoding="utf-8")
    return txt, page


def preview_data(order_id: int) -> dict:
    """The pre-settlement bill in the invoice's shape (no invoice number yet): what the advisor
    shows the customer and what the cashier sees before settling."""
    from models.settlement import Adjustment  # noqa: F401  (the bill reads it)
    from workshop.settlement import account, bill_for, current_adjustment
    order = RepairOrder.get_by_id(order_id)
    car = Vehicle.get_by_id(order.vehicle_id)
    owner = Customer.get_by_id(order.customer_id)
    bill = bill_for(order_id)
    acc = account(order_id)
    adj = current_adjustment(order_id)

    def line(x):
        return {"section": x.section, "code": x.code, "name": x.name, "quantity": str(x.quantity), "unit": x.unit,
                "price": str(x.price), "receivable": str(x.receivable), "charged": str(x.charged), "payer": x.payer}
    return {
        "shop": settings.get("shop_name"), "kind": "PRE-SETTLEMENT", "invoice_no": "-",
        "settled_at": clock.now(), "cashier": "",
        "owner": owner.name, "owner_code": owner.code, "mobile": owner.mobile, "vin": car.vin, "plate": car.plate,
        "model": f"{car.brand} {car.model}".strip(), "engine_no": car.engine_no or "", "ro": order.number,
        "date_in": order.time_in, "mileage": order.mileage_in, "business_type": order.business_type,
        "labor": [line(x) for x in bill.labor_lines], "parts": [line(x) for x in bill.part_lines],
        "fees": [{"kind": f.kind, "description": f.description, "amount": str(f.amount), "payer": f.payer}
                 for f in bill.fees],
        "labor_receivable": bill.labor_receivable, "labor_charged": bill.labor_charged,
        "parts_receivable": bill.parts_receivable, "parts_charged": bill.parts_charged,
        "fee_totals": dict(bill.fees_by_kind), "adjustment": bill.adjustment, "tax": bill.tax,
        "tax_rate": bill.terms.tax_rate, "prices_include_tax": bill.terms.prices_include_tax, "total": bill.total,
        "insurer_share": bill.shares.get("insurer", 0), "manufacturer_share": bill.shares.get("manufacturer", 0),
        "internal_share": bill.shares.get("internal", 0), "customer_share": bill.customer_share,
        "received": acc.received, "this_payment": Decimal("0"), "outstanding": max(Decimal("0"), acc.outstanding),
        "reason": f"extra discount: {adj.reason}" if adj else "",
        "payments": [(METHOD_LABELS.get(p.method, p.method), cents(Decimal(p.amount)))
                     for p in Payment.select().where(Payment.order == order.id).order_by(Payment.id)],
    }


def write_preview(order_id: int, *, directory: Path | None = None) -> Path:
    """Write the pre-settlement bill the advisor hands the customer as preview-RO<number>.txt in the
    invoice folder (or ``directory``); returns its path."""
    folder = Path(directory) if directory else invoice_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = preview_data(order_id)
    path = folder / f"preview-RO{data['ro']}.txt"
    path.write_text(render_text(data), encoding="utf-8")
    return path


def bill_text(order_id: int, width: int = 48) -> str:
    """The bill of an order as the cashier's screen shows it: the invoice once settled, else the preview."""
    from workshop.settlement import current_invoice
    invoice = current_invoice(order_id)
    data = invoice_data(invoice.id) if invoice is not None else preview_data(order_id)
    if invoice is not None:
        acc_paid = paid(order_id)
        data["received"] = acc_paid
        data["this_payment"] = Decimal("0")
        data["outstanding"] = max(Decimal("0"), cents(Decimal(invoice.customer_share)) - acc_paid)
    return render_text(data, width)
