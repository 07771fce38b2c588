"""What the settlement documents say and how they look: the settlement form (结算单) on A4 as HTML and
PDF, the receipt for the cash desk's printer as text, the advisor's pre-settlement (预结算单).

Every field of the settlement documents: the shop's name, address, phone and tax number; owner,
settlement date, VIN, plate, model, engine no., invoice no., RO, date in, mileage, business type;
labour lines (code, name, hours, rate, receivable, charged); parts lines (code, name, qty, unit,
price, receivable, charged); labour and material receivable vs charged; management, auxiliary
material, sublet, rescue/towing and other fees; extra discount and VAT; total, who pays what,
already received, this payment, outstanding; the payment lines; a signature line.

Documents handed to a customer are in the shop's document language (setting ``document_language``),
whoever prints them; the cashier's on-screen bill is in the reader's language. Each function takes
the language explicitly (an ``i18n.Words``), so nothing global is switched while a document is made.

Public functions return the content; writing files is the settlement service's business:

    receipt_text(invoice_id, payment_id=None, reprint=False) -> str    the 42-cell receipt
    settlement_form_html(invoice_id, reprint=False) -> str               the A4 form as a web page
    settlement_form_pdf(invoice_id, reprint=False) -> bytes              the A4 form as PDF, CJK font embedded
    preview_text(order_id) -> str                                        the pre-settlement bill

Receipts are laid out in display cells (``rich.cells``): a Chinese character takes two columns on a
receipt printer as in a terminal, so a 42-column receipt stays 42 columns with Chinese names.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import threading
from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len, chop_cells

from models.db import db, is_sqlite
from models.orders import BUSINESS_TYPE_LABELS, PAYER_LABELS, RepairOrder
from models.parts import UNIT_LABELS, Part
from models.people import Customer, Staff, Vehicle
from models.settlement import FEE_KINDS, FEE_LABELS, METHOD_LABELS, Payment, Settlement
from models.shop import Operation
from workshop import clock, i18n, settings
from workshop.errors import DomainError, NotFound
from workshop.i18n import N_, Words
from workshop.pricing import cents
from workshop.settlement import bill_for

RECEIPT_WIDTH = 42

# Titles and field names of the documents, translated into the document's language where printed.
TITLES = {"invoice": N_("INVOICE"), "credit_note": N_("CREDIT NOTE"), "receipt": N_("RECEIPT"),
          "preview": N_("PRE-SETTLEMENT")}


class DocumentError(DomainError):
    """A document could not be made (e.g. no font with Chinese characters for the PDF)."""


def document_words() -> Words:
    """The language of documents handed to customers: the shop's setting."""
    return Words(str(settings.get("document_language") or "zh_CN"))


def reader_words() -> Words:
    """The language of whoever reads the screen now."""
    return Words(i18n.language())


# --- what a document says ----------------------------------------------------------------------------

def _line(x) -> dict:
    return {"section": x.section, "code": x.code, "name": x.name, "quantity": str(x.quantity), "unit": x.unit,
            "price": str(x.price), "receivable": str(x.receivable), "charged": str(x.charged), "payer": x.payer}


def _lines(invoice: Settlement) -> tuple[list[dict], list[dict]]:
    if invoice.lines_json:
        data = json.loads(invoice.lines_json)
        return data["lines"], data["fees"]
    bill = bill_for(invoice.order_id)  # bulk-seeded history: its lines are unchanged since settling
    return ([_line(x) for x in bill.lines],
            [{"kind": f.kind, "description": f.description, "amount": str(f.amount), "payer": f.payer}
             for f in bill.fees])


def _with_chinese_names(lines: list[dict]) -> list[dict]:
    """Each line with the Chinese name of its operation or part (two queries), for Chinese documents.
    The bill stored at settlement names lines in English; the catalog has both names."""
    ops = {x["code"] for x in lines if x["section"] == "labor"}
    parts = {x["code"] for x in lines if x["section"] == "parts"}
    names: dict[tuple[str, str], str] = {}
    if ops:
        names.update((("labor", c), n) for c, n in Operation.select(Operation.code, Operation.name_zh)
                     .where(Operation.code.in_(ops) & Operation.name_zh.is_null(False)).tuples())
    if parts:
        names.update((("parts", c), n) for c, n in Part.select(Part.code, Part.name_zh)
                     .where(Part.code.in_(parts) & Part.name_zh.is_null(False)).tuples())
    return [dict(x, name_zh=names.get((x["section"], x["code"]))) for x in lines]


def _payments(order_id: int, up_to_id: int | None = None) -> list[dict]:
    """The order's payment lines (refunds negative): when, how, how much, taken by whom."""
    query = (Payment.select(Payment.id, Payment.at, Payment.method, Payment.amount, Staff.name)
             .join(Staff, on=(Payment.by == Staff.id)).where(Payment.order == order_id))
    if up_to_id is not None:
        query = query.where(Payment.id <= up_to_id)
    return [{"id": pid, "at": at, "method": method, "amount": cents(Decimal(str(amount))), "by": by}
            for pid, at, method, amount, by in query.order_by(Payment.id).tuples()]


def _shop(shop_id: int | None = None) -> dict:
    """The identity heading a document: the order's shop's (workshop.shops.identity; shop 1's is the settings)."""
    from workshop.shops import identity
    own = identity(shop_id)
    return {"name": str(own["shop_name"] or ""), "address": str(own["shop_address"] or ""),
            "phone": str(own["shop_phone"] or ""), "tax_number": str(own["shop_tax_number"] or ""),
            "bank": str(settings.get("shop_bank", shop=shop_id if shop_id != 1 else None) or "")}


def _order_fields(order: RepairOrder) -> dict:
    car = Vehicle.get_by_id(order.vehicle_id)
    owner = Customer.get_by_id(order.customer_id)
    advisor = Staff.get_or_none(Staff.id == order.advisor_id)
    return {"owner": owner.name, "owner_code": owner.code, "mobile": owner.mobile or "", "vin": car.vin,
            "plate": car.plate, "model": f"{car.brand} {car.model}".strip(), "engine_no": car.engine_no or "",
            "ro": order.number, "date_in": order.time_in, "mileage": order.mileage_in,
            "business_type": order.business_type, "advisor": advisor.name if advisor else ""}


def invoice_data(invoice_id: int, payment_id: int | None = None, *, reprint: bool = False) -> dict:
    """Everything an invoice prints. As issued: what was received before this settlement and at the desk
    up to settling. With ``payment_id``: a receipt for that later payment (received before it, it,
    outstanding after it). ``reprint``: a copy printed later, with everything received to date."""
    invoice = Settlement.get_or_none(Settlement.id == invoice_id)
    if invoice is None:
        raise NotFound(i18n._("Invoice #{id} does not exist.").format(id=invoice_id))
    order = RepairOrder.get_by_id(invoice.order_id)
    cashier = Staff.get_or_none(Staff.id == invoice.by_id) if invoice.by_id else None
    lines, fees = _lines(invoice)
    due = cents(Decimal(invoice.customer_share))
    kind = "credit_note" if invoice.kind == "void" else "invoice"
    if payment_id is not None:
        payment = Payment.get_or_none((Payment.id == payment_id) & (Payment.order == order.id))
        if payment is None:
            raise NotFound(i18n._("Payment #{id} is not a payment of RO {number}.").format(id=payment_id,
                                                                                          number=order.number))
        this = cents(Decimal(payment.amount))
        payments = _payments(order.id, up_to_id=payment.id)
        before = sum((p["amount"] for p in payments[:-1]), Decimal("0.00"))
        kind = "receipt"
    elif reprint:
        payments = _payments(order.id)
        this, before = Decimal("0.00"), sum((p["amount"] for p in payments), Decimal("0.00"))
    else:
        payments = [p for p in _payments(order.id) if p["at"] <= invoice.at]
        this = cents(Decimal(invoice.this_payment))
        before = cents(Decimal(invoice.received_before))
    outstanding = max(Decimal("0.00"), due - before - this) if kind != "credit_note" else Decimal("0.00")
    return {
        "kind": kind, "reprint": reprint, "shop": _shop(order.shop_id),
        "invoice_no": invoice.number, "settled_at": invoice.at, "cashier": cashier.name if cashier else "",
        **_order_fields(order),
        "labor": _with_chinese_names([x for x in lines if x["section"] == "labor"]),
        "parts": _with_chinese_names([x for x in lines if x["section"] == "parts"]),
        "fees": fees,
        "labor_receivable": invoice.labor_receivable, "labor_charged": invoice.labor_charged,
        "parts_receivable": invoice.parts_receivable, "parts_charged": invoice.parts_charged,
        "fee_totals": {k: getattr(invoice, f"{k}_fee") for k in FEE_KINDS},
        "adjustment": invoice.adjustment, "tax": invoice.tax, "tax_rate": invoice.tax_rate,
        "prices_include_tax": invoice.prices_include_tax, "total": invoice.total,
        "insurer_share": invoice.insurer_share, "manufacturer_share": invoice.manufacturer_share,
        "internal_share": invoice.internal_share, "customer_share": due,
        "received": before, "this_payment": this, "outstanding": outstanding,
        "reason": invoice.reason or "", "adjustment_reason": "",
        "payments": payments, "printed_at": clock.now(),
    }


def preview_data(order_id: int) -> dict:
    """The pre-settlement bill in the invoice's shape (no invoice number yet): what the advisor
    shows the customer and what the cashier sees before settling."""
    from workshop.settlement import account, current_adjustment
    order = RepairOrder.get_by_id(order_id)
    bill = bill_for(order_id)
    acc = account(order_id)
    adj = current_adjustment(order_id)
    return {
        "kind": "preview", "reprint": False, "shop": _shop(order.shop_id), "invoice_no": None, "settled_at": clock.now(),
        "cashier": "", **_order_fields(order),
        "labor": _with_chinese_names([_line(x) for x in bill.labor_lines]),
        "parts": _with_chinese_names([_line(x) for x in bill.part_lines]),
        "fees": [{"kind": f.kind, "description": f.description, "amount": str(f.amount), "payer": f.payer}
                 for f in bill.fees],
        "labor_receivable": bill.labor_receivable, "labor_charged": bill.labor_charged,
        "parts_receivable": bill.parts_receivable, "parts_charged": bill.parts_charged,
        "fee_totals": dict(bill.fees_by_kind), "adjustment": bill.adjustment, "tax": bill.tax,
        "tax_rate": bill.terms.tax_rate, "prices_include_tax": bill.terms.prices_include_tax, "total": bill.total,
        "insurer_share": bill.shares.get("insurer", 0), "manufacturer_share": bill.shares.get("manufacturer", 0),
        "internal_share": bill.shares.get("internal", 0), "customer_share": bill.customer_share,
        "received": acc.received, "this_payment": Decimal("0.00"), "outstanding": max(Decimal("0"), acc.outstanding),
        "reason": "", "adjustment_reason": adj.reason if adj else "",
        "payments": _payments(order_id), "printed_at": clock.now(),
    }


# --- pieces shared by every layout ---------------------------------------------------------------------

def _qty(value) -> str:
    d = Decimal(str(value))
    return f"{d.normalize():f}" if d == d.to_integral() else f"{d:.2f}".rstrip("0")


def _when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value.strftime("%Y-%m-%d")


def _number(d: dict) -> str:
    return f"{d['invoice_no']:06d}" if d["invoice_no"] is not None else "-"


def _title(d: dict, w: Words) -> str:
    title = w.label(TITLES, d["kind"])
    return title + (" (" + w._("copy") + ")" if d["reprint"] else "")


def _tax_line(d: dict, w: Words) -> str:
    rate = f"{Decimal(str(d['tax_rate'])).normalize():f}"
    if d["prices_include_tax"]:
        return w._("VAT {rate}% (included)").format(rate=rate)
    return w._("VAT {rate}% (added)").format(rate=rate)


def _amounts(d: dict, w: Words) -> list[tuple[str, Decimal, bool]]:
    """The amounts block, in the order of the settlement form: (label, amount, emphasised)."""
    rows = [(w._("Labor receivable"), d["labor_receivable"], False), (w._("Labor charged"), d["labor_charged"], False),
            (w._("Material receivable"), d["parts_receivable"], False),
            (w._("Material charged"), d["parts_charged"], False)]
    rows += [(w.label(FEE_LABELS, kind), d["fee_totals"].get(kind, 0), False) for kind in FEE_KINDS]
    if Decimal(str(d["adjustment"] or 0)):
        rows.append((w._("Extra discount"), -Decimal(str(d["adjustment"])), False))
    rows.append((_tax_line(d, w), d["tax"], False))
    rows.append((w._("Total"), d["total"], True))
    for key, label in (("insurer_share", N_("Insurer pays")), ("manufacturer_share", N_("Manufacturer pays")),
                       ("internal_share", N_("Workshop pays (internal)"))):
        if Decimal(str(d[key] or 0)):
            rows.append((w._(label), d[key], False))
    rows += [(w._("Customer pays"), d["customer_share"], True), (w._("Already received"), d["received"], False),
             (w._("This payment"), d["this_payment"], False), (w._("Outstanding"), d["outstanding"], True)]
    return rows


def _fields(d: dict, w: Words) -> list[tuple[str, str]]:
    """The header fields of the form, in the order a 结算单 lists them."""
    fields = [
        (w._("Invoice no."), _number(d)), (w._("Settlement date"), _when(d["settled_at"])),
        (w._("Owner"), f"{d['owner']} ({d['owner_code']})"), (w._("Phone"), d["mobile"]),
        (w._("Plate"), d["plate"]), (w._("VIN"), d["vin"]),
        (w._("Model"), d["model"]), (w._("Engine no."), d["engine_no"] or "-"),
        (w._("Repair order"), str(d["ro"])), (w._("Business type"), w.label(BUSINESS_TYPE_LABELS, d["business_type"])),
        (w._("Date in"), _when(d["date_in"])), (w._("Mileage in"), f"{w.number(d['mileage'])} km"),
        (w._("Service advisor"), d["advisor"]), (w._("Cashier"), d["cashier"] or "-"),
    ]
    if d["invoice_no"] is None:  # the pre-settlement has no number yet: its date is when it was printed
        fields = [(w._("Date"), _when(d["settled_at"]))] + fields[2:]
    return fields


def _shop_line(shop: dict, w: Words) -> list[str]:
    """Address, phone, tax number and bank: the line under the shop's name."""
    out = [shop["address"]] if shop["address"] else []
    if shop["phone"]:
        out.append(w._("Phone") + " " + shop["phone"])
    if shop["tax_number"]:
        out.append(w._("Tax no.") + " " + shop["tax_number"])
    if shop.get("bank"):
        out.append(w._("Bank") + " " + shop["bank"])
    return out


def _name(x: dict, w: Words) -> str:
    return w.local(x["name"], x.get("name_zh"))


def _unit(x: dict, w: Words) -> str:
    return w.label(UNIT_LABELS, x["unit"])


# --- the receipt: fixed width, in display cells -------------------------------------------------------

def _fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells (a wide character never split in half)."""
    if cell_len(text) <= width:
        return text
    return chop_cells(text, width)[0]


def _wrap(text: str, width: int) -> list[str]:
    return chop_cells(text, width) if text else [""]


def _pair(left: str, right: str, width: int) -> str:
    """``left`` and ``right`` on one line of exactly ``width`` cells (left cut short if need be)."""
    right = _fit(right, width)
    room = width - cell_len(right) - 1
    left = _fit(left, room) if room > 0 else ""
    return left + " " * (width - cell_len(left) - cell_len(right)) + right


def _centre(text: str, width: int) -> list[str]:
    out = []
    for part in _wrap(text, width):
        pad = (width - cell_len(part)) // 2
        out.append(" " * pad + part)
    return out


def render_text(d: dict, width: int = RECEIPT_WIDTH, words: Words | None = None) -> str:
    """The receipt printer's version: ``width`` cells (40-48), one field per line, long names wrapped."""
    w = words or document_words()
    m = lambda value: w.money(value, symbol=False)  # noqa: E731
    rule = "-" * width
    shop = d["shop"]
    out = _centre(shop["name"], width) if shop["name"] else []
    if shop["address"]:
        out += _centre(shop["address"], width)
    if shop["phone"]:
        out += _centre(w._("Phone") + " " + shop["phone"], width)
    if shop["tax_number"]:
        out += _centre(w._("Tax no.") + " " + shop["tax_number"], width)
    out += _centre(_title(d, w) + (" " + _number(d) if d["invoice_no"] is not None else ""), width)
    out.append(rule)
    for label, value in _fields(d, w):
        if cell_len(label) + cell_len(value) + 1 > width:
            out.append(_pair(label, "", width).rstrip())
            out += [_pair("", part, width) for part in _wrap(value, width - 2)]
        else:
            out.append(_pair(label, value, width))
    out += [rule, w._("Labor")]
    for x in d["labor"]:
        out += _wrap(f"{x['code']} {_name(x, w)}", width)
        out.append(_pair(f"  {_qty(x['quantity'])} h × {m(x['price'])}", m(x["charged"]), width))
    out.append(w._("Parts"))
    for x in d["parts"]:
        out += _wrap(f"{x['code']} {_name(x, w)}", width)
        out.append(_pair(f"  {_qty(x['quantity'])} {_unit(x, w)} × {m(x['price'])}", m(x["charged"]), width))
    out.append(rule)
    for label, amount, strong in _amounts(d, w):
        if label == w._("Total"):
            out.append(rule)
        out.append(_pair(label, w.money(amount) if strong else m(amount), width))
    if d["payments"]:
        out += [rule, w._("Payments")]
        for p in d["payments"]:
            out.append(_pair(f"  {_when(p['at'])[5:]} {w.label(METHOD_LABELS, p['method'])}", m(p["amount"]), width))
    if d["reason"]:
        out += _wrap(w._("Reason: {reason}").format(reason=d["reason"]), width)
    if d["adjustment_reason"]:
        out += _wrap(w._("Extra discount: {reason}").format(reason=d["adjustment_reason"]), width)
    out += [rule, _pair(w._("Printed"), _when(d["printed_at"]), width), "",
            _pair(w._("Customer's signature"), "", width).rstrip(), "", "_" * width, ""]
    return "\n".join(line.rstrip() for line in out)


# --- the A4 form as a web page ------------------------------------------------------------------------

def render_html(d: dict, words: Words | None = None) -> str:
    """The A4 version: a self-contained HTML page with every field."""
    w = words or document_words()
    e = html.escape
    m = lambda value: w.money(value, symbol=False)  # noqa: E731
    shop = d["shop"]

    def lines(items, parts: bool) -> str:
        head = [w._("Code"), w._("Name"), w._("Qty") if parts else w._("Hours"), w._("Unit") if parts else "",
                w._("Unit price") if parts else w._("Rate"), w._("Receivable"), w._("Charged"), w._("Payer")]
        if not parts:
            head.pop(3)
        rows = ["<tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
        for x in items:
            cells = [e(x["code"]), e(_name(x, w)), e(_qty(x["quantity"]))] + ([e(_unit(x, w))] if parts else []) + [
                m(x["price"]), m(x["receivable"]), m(x["charged"]), e(w.label(PAYER_LABELS, x["payer"]))]
            rows.append("<tr>" + "".join(f"<td class=n>{c}</td>" if i >= (4 if parts else 3) and i < len(cells) - 1
                                         else f"<td>{c}</td>" for i, c in enumerate(cells)) + "</tr>")
        return "<table>" + "".join(rows) + "</table>"

    fields = _fields(d, w)
    grid = "".join(f"<tr><th>{e(a)}</th><td>{e(b)}</td><th>{e(c)}</th><td>{e(v)}</td></tr>"
                   for (a, b), (c, v) in zip(fields[::2], fields[1::2]))
    amounts = "".join((f"<tr><th>{e(label)}</th><th class=n>{e(w.money(amount))}</th></tr>" if strong else
                       f"<tr><td>{e(label)}</td><td class=n>{e(m(amount))}</td></tr>")
                      for label, amount, strong in _amounts(d, w))
    payments = "".join(f"<tr><td>{e(_when(p['at']))}</td><td>{e(w.label(METHOD_LABELS, p['method']))}</td>"
                       f"<td class=n>{e(m(p['amount']))}</td><td>{e(p['by'])}</td></tr>" for p in d["payments"])
    shop_line = " · ".join(e(x) for x in _shop_line(shop, w))
    notes = "".join(f"<p>{e(t)}</p>" for t in (
        d["reason"] and w._("Reason: {reason}").format(reason=d["reason"]),
        d["adjustment_reason"] and w._("Extra discount: {reason}").format(reason=d["adjustment_reason"])) if t)
    t = {key: e(text) for key, text in (
        ("labor", w._("Labor")), ("parts", w._("Parts")), ("amounts", w._("Amounts")), ("payments", w._("Payments")),
        ("date", w._("Date")), ("method", w._("Method")), ("amount", w._("Amount")), ("by", w._("Taken by")),
        ("vat", w._("Prices include VAT.") if d["prices_include_tax"] else w._("Prices exclude VAT.")),
        ("printed", w._("Printed")), ("sign", w._("Customer's signature")), ("cashier", w._("Cashier")))}
    lang = "zh-CN" if w.language == "zh_CN" else "en"
    title = e(_title(d, w))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} {_number(d)}</title>
<style>@page {{ size: A4; margin: 15mm }} body {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 4mm }} td, th {{ border: 1px solid #999;
padding: 2px 4px; text-align: left }} .n {{ text-align: right }} h1 {{ font-size: 16pt; text-align: center;
margin: 2mm 0 }} .shop {{ text-align: center }} .sign td {{ border: none; padding-top: 12mm }}</style></head><body>
<div class=shop><strong>{e(shop['name'])}</strong><br>{shop_line}</div>
<h1>{title}</h1>
<table>{grid}</table>
<h2>{t['labor']}</h2>{lines(d['labor'], False)}
<h2>{t['parts']}</h2>{lines(d['parts'], True)}
<h2>{t['amounts']}</h2><table>{amounts}</table>
<h2>{t['payments']}</h2><table><tr><th>{t['date']}</th><th>{t['method']}</th><th>{t['amount']}</th>
<th>{t['by']}</th></tr>{payments}</table>
{notes}<p>{t['vat']} {t['printed']} {e(_when(d['printed_at']))}</p>
<table class=sign><tr><td>{t['sign']}: ____________________</td><td>{t['date']}: ____________</td>
<td>{t['cashier']}: ____________</td></tr></table>
</body></html>
"""


# --- the A4 form as PDF ------------------------------------------------------------------------------

# Fonts with Chinese characters, in order of preference: Debian's fonts-noto-cjk (a collection; its
# Simplified Chinese face is picked by name), then WenQuanYi (fonts-wqy-microhei, fonts-wqy-zenhei).
# WORKSHOP_PDF_FONT names another TTF/OTF/TTC file. One weight only: loading and subsetting a CJK font
# is most of the time a PDF takes (about 1 s per face on this machine), so headings are set larger
# rather than in a second, bold font.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
_FACES: dict[str, int] = {}


def _face_index(path: str) -> int:
    """Which face of a font collection (.ttc) is the Simplified Chinese one (0 for a single font)."""
    if path not in _FACES:
        index = 0
        if path.lower().endswith(".ttc"):
            from fontTools.ttLib import TTCollection
            with TTCollection(path, lazy=True) as collection:
                for i, font in enumerate(collection.fonts):
                    family = font["name"].getDebugName(1) or ""
                    if family.endswith(" SC") or "SC " in family or "GB" in family:
                        index = i
                        break
        _FACES[path] = index
    return _FACES[path]


def pdf_font() -> str:
    """The font file the PDF embeds; DocumentError if none with Chinese characters is installed."""
    own = os.environ.get("WORKSHOP_PDF_FONT")
    if own:
        if not Path(own).is_file():
            raise DocumentError(i18n._("WORKSHOP_PDF_FONT names {path}, which is not a font file.").format(path=own))
        return own
    for path in FONT_CANDIDATES:
        if Path(path).is_file():
            return path
    raise DocumentError(i18n._("No font with Chinese characters is installed for PDF documents: install Debian's "
                               "fonts-noto-cjk (or fonts-wqy-microhei), or set WORKSHOP_PDF_FONT to a TTF/OTF/TTC "
                               "file."))


def render_pdf(d: dict, words: Words | None = None) -> bytes:
    """The A4 settlement form as PDF, with the Chinese font embedded (subset): prints and reads the same
    everywhere, and its text can be searched and copied (pdftotext shows the Chinese fields)."""
    from fpdf import FPDF
    from fpdf.enums import TableCellFillMode

    w = words or document_words()
    m = lambda value: w.money(value, symbol=False)  # noqa: E731
    font = pdf_font()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(f"{_title(d, w)} {_number(d)}")
    pdf.set_creator("workshop-terminal")
    pdf.set_lang("zh-CN" if w.language == "zh_CN" else "en")
    pdf.add_font("cjk", "", font, collection_font_number=_face_index(font))
    pdf.add_page()
    shop = d["shop"]

    pdf.set_font("cjk", "", 16)
    pdf.cell(0, 8, shop["name"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 9)
    line = "   ".join(_shop_line(shop, w))
    if line:
        pdf.cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 19)
    pdf.cell(0, 11, _title(d, w), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 9)
    pdf.cell(0, 5, w._("Invoice no.") + " " + _number(d) + "    " + w._("Printed") + " " + _when(d["printed_at"]),
             align="R",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)

    grey = (235, 235, 235)
    fields = _fields(d, w)
    with pdf.table(col_widths=(24, 36, 24, 36), line_height=5.5, first_row_as_headings=False,
                   borders_layout="ALL") as table:
        for (a, b), (c, v) in zip(fields[::2], fields[1::2]):
            row = table.row()
            for text, shade in ((a, True), (b, False), (c, True), (v, False)):
                row.cell(text, style=None if not shade else _style(fill=grey))

    def section(title: str) -> None:
        pdf.ln(2)
        pdf.set_font("cjk", "", 11.5)
        pdf.cell(0, 6.5, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", "", 9)

    def lines(items, parts: bool) -> None:
        head = [w._("Code"), w._("Name"), w._("Qty") if parts else w._("Hours")] + ([w._("Unit")] if parts else []) + \
               [w._("Unit price") if parts else w._("Rate"), w._("Receivable"), w._("Charged"), w._("Payer")]
        widths = (20, 58, 12, 10, 19, 19, 19, 18) if parts else (20, 68, 12, 19, 19, 19, 18)
        numeric = set(range(2, len(head) - 1)) - ({3} if parts else set())
        with pdf.table(col_widths=widths, line_height=5.2, headings_style=_style(fill=grey, bold=True),
                       cell_fill_mode=TableCellFillMode.NONE) as table:
            row = table.row()
            for h in head:
                row.cell(h)
            for x in items:
                row = table.row()
                cells = [x["code"], _name(x, w), _qty(x["quantity"])] + ([_unit(x, w)] if parts else []) + [
                    m(x["price"]), m(x["receivable"]), m(x["charged"]), w.label(PAYER_LABELS, x["payer"])]
                for i, text in enumerate(cells):
                    row.cell(text, align="R" if i in numeric else "L")

    section(w._("Labor"))
    lines(d["labor"], False)
    section(w._("Parts"))
    lines(d["parts"], True)

    section(w._("Amounts"))
    amounts = _amounts(d, w)
    half = (len(amounts) + 1) // 2
    with pdf.table(col_widths=(45, 45, 45, 45), line_height=5.5, first_row_as_headings=False) as table:
        for left, right in zip(amounts[:half], amounts[half:] + [None] * (2 * half - len(amounts))):
            row = table.row()
            for item in (left, right):
                if item is None:
                    row.cell("")
                    row.cell("")
                    continue
                label, amount, strong = item
                style = _style(bold=True) if strong else None
                row.cell(label, style=style)
                row.cell(w.money(amount) if strong else m(amount), align="R", style=style)

    if d["payments"]:
        section(w._("Payments"))
        with pdf.table(col_widths=(40, 40, 40, 40), line_height=5.2,
                       headings_style=_style(fill=grey, bold=True)) as table:
            row = table.row()
            for h in (w._("Date"), w._("Method"), w._("Amount"), w._("Taken by")):
                row.cell(h)
            for p in d["payments"]:
                row = table.row()
                row.cell(_when(p["at"]))
                row.cell(w.label(METHOD_LABELS, p["method"]))
                row.cell(m(p["amount"]), align="R")
                row.cell(p["by"])

    pdf.ln(2)
    for text in (d["reason"] and w._("Reason: {reason}").format(reason=d["reason"]),
                 d["adjustment_reason"] and w._("Extra discount: {reason}").format(reason=d["adjustment_reason"]),
                 w._("Prices include VAT.") if d["prices_include_tax"] else w._("Prices exclude VAT.")):
        if text:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.ln(12)
    pdf.set_font("cjk", "", 10)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 3
    for text in (w._("Customer's signature") + ": ", w._("Date") + ": ", w._("Cashier") + ": "):
        pdf.cell(width, 6, text)
    pdf.ln(6)
    y = pdf.get_y()
    for i in range(3):
        x0 = pdf.l_margin + i * width
        pdf.line(x0 + 2, y, x0 + width - 6, y)
    return bytes(pdf.output())


def _style(*, fill=None, bold: bool = False):
    """A table cell's look: grey for headings; "bold" is a darker ink (one font weight, see FONT_CANDIDATES)."""
    from fpdf.fonts import FontFace
    return FontFace(emphasis=None, fill_color=fill, color=(0, 0, 0) if bold else (40, 40, 40))


# --- the public functions: content for the settlement service to write -----------------------------------

def receipt_text(invoice_id: int, payment_id: int | None = None, *, reprint: bool = False,
                 width: int = RECEIPT_WIDTH) -> str:
    """The cash desk's receipt of an invoice (or of a later payment), in the shop's document language."""
    return render_text(invoice_data(invoice_id, payment_id, reprint=reprint), width)


def settlement_form_text(invoice_id: int, *, reprint: bool = False) -> str:
    """The settlement form as plain text (the receipt's layout, for a file beside the PDF)."""
    return receipt_text(invoice_id, reprint=reprint)


def settlement_form_html(invoice_id: int, *, reprint: bool = False) -> str:
    return render_html(invoice_data(invoice_id, reprint=reprint))


def settlement_form_pdf(invoice_id: int, *, reprint: bool = False) -> bytes:
    return render_pdf(invoice_data(invoice_id, reprint=reprint))


def preview_text(order_id: int, width: int = RECEIPT_WIDTH) -> str:
    """The advisor's pre-settlement bill, in the shop's document language."""
    return render_text(preview_data(order_id), width)


def bill_text(order_id: int, width: int = 48) -> str:
    """The bill of an order as the cashier's screen shows it, in the reader's language: the invoice once
    settled (with everything received to date), else the preview."""
    from workshop.settlement import current_invoice
    invoice = current_invoice(order_id)
    data = invoice_data(invoice.id, reprint=True) if invoice is not None else preview_data(order_id)
    data["reprint"] = False  # on screen it is the bill, not a printed copy
    return render_text(data, width, reader_words())


# --- files (until the settlement service writes them: harden-rules) --------------------------------------

def invoice_dir() -> Path:
    """Where invoice files go: the 'invoice_dir' setting, else an 'invoices' folder beside the database."""
    configured = settings.get("invoice_dir")
    if configured:
        return Path(configured).expanduser()
    if is_sqlite() and db.obj.database not in (":memory:", ""):
        return Path(db.obj.database).resolve().parent / "invoices"
    return Path.home() / "workshop-invoices"


def write_invoice(invoice_id: int, *, payment_id: int | None = None, reprint: bool = False,
                  directory: Path | None = None, pdf: bool = True) -> tuple[Path, Path]:
    """Write the invoice (or a later payment's receipt) as .txt and .html, and (``pdf``) the A4 form as
    .pdf beside them; returns the .txt and .html paths. The PDF takes a second or two (loading and
    subsetting the CJK font), so it is made in a thread from what was read here and appears shortly
    after; the cashier is not kept waiting."""
    data = invoice_data(invoice_id, payment_id, reprint=reprint)
    folder = Path(directory) if directory else invoice_dir()
    folder.mkdir(parents=True, exist_ok=True)
    prefix = "credit-note" if data["kind"] == "credit_note" else "invoice"
    stem = f"{prefix}-{data['invoice_no']:06d}" + (f"-payment-{payment_id}" if payment_id else "")
    txt, page = folder / f"{stem}.txt", folder / f"{stem}.html"
    txt.write_text(render_text(data), encoding="utf-8")
    page.write_text(render_html(data), encoding="utf-8")
    if pdf and payment_id is None:
        words = document_words()  # read here: the thread does not touch the database
        threading.Thread(target=_write_pdf, args=(data, words, folder / f"{stem}.pdf"), name="invoice-pdf").start()
    return txt, page


def _write_pdf(data: dict, words: Words, path: Path) -> None:
    """Render and write the PDF whole or not at all (a temporary file renamed into place)."""
    try:
        content = render_pdf(data, words)
        partial = path.with_suffix(".pdf.part")
        partial.write_bytes(content)
        os.replace(partial, path)
    except (DocumentError, OSError):
        pass  # no CJK font, or the folder went away: the .txt and .html are the invoice; the PDF a copy


def write_preview(order_id: int, *, directory: Path | None = None) -> Path:
    """Write the pre-settlement bill the advisor hands the customer as preview-RO<number>.txt in the
    invoice folder (or ``directory``); returns its path."""
    folder = Path(directory) if directory else invoice_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = preview_data(order_id)
    path = folder / f"preview-RO{data['ro']}.txt"
    path.write_text(render_text(data), encoding="utf-8")
    return path
