"""The invoice as files: plain text for a receipt printer (42 columns) and HTML for A4."""
from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from models.db import db
from models.orders import RepairOrder
from models.people import Customer, Vehicle
from models.settlement import Invoice, InvoiceLine, Payment

WIDTH = 42
SHOP_NAME = "Workshop Service Centre"


@dataclass
class InvoiceData:
    invoice: Invoice
    order: RepairOrder
    customer: Customer
    vehicle: Vehicle
    lines: list[InvoiceLine]
    payments: list[Payment]

    @property
    def last_payment(self) -> Payment | None:
        return self.payments[-1] if self.payments else None


def load(number: int) -> InvoiceData:
    invoice = Invoice.get(Invoice.number == number)
    order = RepairOrder.get_by_id(invoice.order_id)
    return InvoiceData(invoice, order, Customer.get_by_id(order.customer_id), Vehicle.get_by_id(order.vehicle_id),
                       list(InvoiceLine.select().where(InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.id)),
                       list(Payment.select().where(Payment.invoice == invoice.id).order_by(Payment.id)))


def _m(value) -> str:
    return f"{Decimal(value):,.2f}"


def _q(value) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def header_fields(d: InvoiceData) -> list[tuple[str, str]]:
    inv, o, v = d.invoice, d.order, d.vehicle
    return [("Invoice no.", str(inv.number)), ("Date", f"{inv.at:%Y-%m-%d %H:%M}"), ("Repair order", f"RO {o.number}"),
            ("Owner", d.customer.name), ("Plate", v.plate), ("VIN", v.vin), ("Model", f"{v.brand} {v.model}"),
            ("Engine no.", v.engine_no or "—"), ("Date in", f"{o.time_in:%Y-%m-%d %H:%M}"),
            ("Mileage", f"{o.mileage_in:,} km")]


def totals(d: InvoiceData) -> list[tuple[str, str]]:
    inv = d.invoice
    rows = [("Labor receivable", _m(inv.labor_receivable)), ("Labor charged", _m(inv.labor_charged)),
            ("Parts receivable", _m(inv.parts_receivable)), ("Parts charged", _m(inv.parts_charged)),
            ("Fees", _m(inv.fees))]
    if inv.discount:
        rows.append(("Extra discount", "-" + _m(inv.discount)))
    tax_word = "included" if inv.tax_included else "added"
    rows += [(f"VAT {_q(inv.tax_rate)}% ({tax_word})", _m(inv.tax)), ("TOTAL", _m(inv.total))]
    for label, amount in (("Insurer pays", inv.insurer_due), ("Manufacturer pays", inv.manufacturer_due),
                          ("Workshop (internal)", inv.internal_cost)):
        if amount:
            rows.append((label, _m(amount)))
    rows += [("Customer pays", _m(inv.customer_due)), ("Received", _m(inv.paid)),
             ("Outstanding", _m(inv.outstanding))]
    if d.last_payment:
        p = d.last_payment
        rows.append((f"This payment ({p.method})", _m(p.amount)))
        if p.change:
            rows.append(("Change", _m(p.change)))
    return rows


def as_text(d: InvoiceData) -> str:
    out = [SHOP_NAME.center(WIDTH), ("INVOICE" if d.invoice.kind == "invoice" else d.invoice.kind.upper()).center(WIDTH),
           "-" * WIDTH]
    out += [f"{k:<13}{v[:WIDTH - 13]}" for k, v in header_fields(d)]
    for section, title in (("labor", "LABOR"), ("parts", "PARTS"), ("fee", "FEES"), ("discount", "DISCOUNT")):
        lines = [l for l in d.lines if l.section == section]
        if not lines:
            continue
        out += ["-" * WIDTH, title]
        for l in lines:
            out.append(f"{l.code or ''} {l.description}"[:WIDTH])
            detail = f"  {_q(l.qty)} x {_m(l.unit_price)}" + (f" -{_q(l.discount_pct)}%" if l.discount_pct else "")
            if l.payer != "customer":
                detail += f" [{l.payer}]"
            amount = _m(l.charged)
            out.append(detail[:WIDTH - len(amount) - 1].ljust(WIDTH - len(amount)) + amount)
    out.append("-" * WIDTH)
    for label, value in totals(d):
        out.append(label.ljust(WIDTH - len(value)) + value)
    out += ["-" * WIDTH, "Thank you. Keep this receipt.".center(WIDTH)]
    return "\n".join(out) + "\n"


def as_html(d: InvoiceData) -> str:
    e = html.escape
    head = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in header_fields(d))
    body = "".join(
        f"<tr><td>{e(l.section)}</td><td>{e(l.code or '')}</td><td>{e(l.description)}</td><td>{_q(l.qty)}</td>"
        f"<td>{_m(l.unit_price)}</td><td>{_m(l.receivable)}</td><td>{_q(l.discount_pct)}%</td>"
        f"<td>{_m(l.charged)}</td><td>{e(l.payer)}</td></tr>" for l in d.lines)
    sums = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in totals(d))
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Invoice {d.invoice.number}</title>
<style>@page {{ size: A4; margin: 15mm; }} body {{ font-family: sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; margin-bottom: 8mm; }} td, th {{ border: 1px solid #999; padding: 2px 6px; }}
th {{ text-align: left; }} .sums td {{ text-align: right; }}</style></head>
<body><h1>{e(SHOP_NAME)} — {"Invoice" if d.invoice.kind == "invoice" else e(d.invoice.kind.title())} {d.invoice.number}</h1>
<table>{head}</table>
<table><tr><th>Section</th><th>Code</th><th>Item</th><th>Qty</th><th>Unit price</th><th>Receivable</th>
<th>Discount</th><th>Charged</th><th>Payer</th></tr>{body}</table>
<table class="sums">{sums}</table></body></html>
"""


def output_dir() -> Path:
    """Invoices are written beside the database file, in 'invoices/'."""
    database = getattr(db.obj, "database", None)
    base = Path(database).parent if database and database != ":memory:" else Path.cwd()
    return base / "invoices"


def write(number: int) -> tuple[Path, Path]:
    """Write the invoice's text and HTML files; returns their paths."""
    d = load(number)
    folder = output_dir()
    folder.mkdir(parents=True, exist_ok=True)
    text_path, html_path = folder / f"invoice-{number}.txt", folder / f"invoice-{number}.html"
    text_path.write_text(as_text(d), encoding="utf-8")
    html_path.write_text(as_html(d), encoding="utf-8")
    return text_path, html_path


__all__ = ["write", "as_text", "as_html", "load"]
