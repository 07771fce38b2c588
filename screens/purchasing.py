"""Purchase orders (采购订单) at the parts counter: what to order (short reservations and low stock, per
supplier), the POs awaiting goods with their lines and the orders they serve, goods received (到货)
against a PO, and the suppliers (供应商). The parts screen (screens/parts.py) shows them on its tabs 5
and 6; the rules are workshop/purchasing.py's.
"""
from __future__ import annotations

from decimal import Decimal
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from screens import forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.text import literal
from workshop import clock, i18n, parts
from workshop.errors import DomainError, InvalidInput
from workshop import purchasing as service
from workshop.i18n import N_, _, join

QTY_MAX = 9999  # as workshop.parts.quantity allows
FORM_LINES = 30  # parts one PO form offers at most (the rest: the next PO)

fmt = parts.fmt


# --- rows ------------------------------------------------------------------------------------------------

def cut(value: str, width: int) -> Text:
    """A stored name cut to ``width`` cells (…), so the figures after it stay on an 80-column screen."""
    text = literal(value)
    text.truncate(width, overflow="ellipsis")
    return text


def suggestion_row(row: service.Suggestion):
    return (row.part_code, cut(row.part_name, 20), literal(fmt(row.qty), "bold"),
            literal(fmt(row.short), "bold red") if row.short else "·", fmt(row.available),
            cut(row.supplier, 16) if row.supplier else literal(_("no supplier"), "dim"), parts.unit(row),
            fmt(row.threshold) if row.threshold else "·", fmt(row.on_order) if row.on_order else "·")


def when_due(expected, today) -> Text:
    days = (expected - today).days
    if days < 0:
        return literal(_("{days} d late").format(days=-days), "bold white on red")
    if days == 0:
        return literal(_("today"), "bold")
    return literal(_("in {days} d").format(days=days))


def po_row(row: service.PORow):
    return (service.po_label(row.number), i18n.date(row.expected_on), when_due(row.expected_on, clock.today()),
            cut(row.supplier, 22), row.lines, fmt(row.ordered), fmt(row.received), i18n.date(row.ordered_at))


def po_line_row(row: service.POLineRow):
    return (row.part_code, row.part_name, fmt(row.qty), fmt(row.received), literal(fmt(row.due), "bold" if row.due
                                                                                    else "dim"),
            parts.unit(row), join(row.orders) or "—")


def supplier_row(row: service.SupplierRow):
    return (row.name, row.contact or "—", row.phone or "—", _("{days} d").format(days=row.lead_days),
            literal(_("yes"), "green") if row.active else literal(_("no"), "dim"))


def suggestions_sorted(supplier_id: int | None = None, *, shop: int) -> list[service.Suggestion]:
    """What a shop should order: parts short for repair orders first (a car waits for them), then by supplier
    (those without a supplier record last)."""
    rows = service.suggestions(supplier_id=supplier_id, shop=shop)
    return sorted(rows, key=lambda s: (not s.short, s.supplier_id is None, s.supplier.lower(), s.part_code))


# --- forms ------------------------------------------------------------------------------------------------

def supplier_options() -> list[tuple[str, int]]:
    return [(row.name, row.id) for row in service.suppliers(limit=500)]


def po_form(supplier_id: int | None, rows: list[service.Suggestion], title: str) -> FormDialog:
    """A PO to one supplier: its expected date and note, and a quantity for each part (0 leaves it out)."""
    fields = [forms.choice("supplier", _("Supplier"), supplier_options(), value=supplier_id),
              forms.text("expected_on", _("Expected date"), required=False, max_length=10,
                         hint=_("YYYY-MM-DD; blank: the supplier's lead time")),
              forms.text("note", _("Note"), required=False, max_length=200)]
    for index, row in enumerate(rows[:FORM_LINES]):
        why = [row.part_name]
        if row.short:
            why.append(_("{qty} short for orders").format(qty=fmt(row.short)))
        if row.threshold and row.available < row.threshold:
            why.append(_("{qty} available, threshold {threshold}").format(qty=fmt(row.available),
                                                                        threshold=fmt(row.threshold)))
        fields.append(forms.number(f"qty_{index}", f"{row.part_code} ({parts.unit(row)})", value=fmt(row.qty),
                                   maximum=QTY_MAX, places=3, also=("qty", "part") if index == 0 else (),
                                   hint=" · ".join(why)))
    return FormDialog(title, fields, submit_label=_("Place order"), focus="expected_on" if supplier_id else "supplier")


def po_call(rows: list[service.Suggestion], values: dict) -> partial:
    lines = [service.POLine(row.part_code, str(values[f"qty_{index}"]), list(row.part_line_ids))
             for index, row in enumerate(rows[:FORM_LINES]) if values.get(f"qty_{index}")]
    return partial(service.create_po, values["supplier"], lines, expected_on=values["expected_on"] or None,
                   note=values["note"] or "")


def ordered_message(po) -> str:
    return _("{po} ordered: expected {date}.").format(po=service.po_label(po.number), date=i18n.date(po.expected_on))


def receive_form(po: service.PORow, lines: list[service.POLineRow]) -> FormDialog:
    """到货: what came of each line still due. One line: what is due, to change if less came; several:
    blank, the clerk types what came, or ticks that everything due arrived."""
    due = [row for row in lines if row.due > 0]
    fields = []
    if len(due) > 1:
        fields.append(forms.check("all", _("Everything due arrived"),
                                  hint=_("or type below what came of each line")))
    for row in due:
        fields.append(forms.number(f"line_{row.id}", f"{row.part_code} ({parts.unit(row)})",
                                   value=fmt(row.due) if len(due) == 1 else None, required=False, minimum=0,
                                   maximum=QTY_MAX, places=3, also=("qty",) if row is due[0] else (),
                                   hint=row.part_name + " · " + _("{due} due of {ordered}").format(
                                       due=fmt(row.due), ordered=fmt(row.qty))
                                   + (" · " + ", ".join(row.orders) if row.orders else "")))
    fields.append(forms.text("reference", _("Delivery note"), required=False, max_length=60))
    return FormDialog(_("Goods received on {po} from {supplier}").format(po=service.po_label(po.number),
                                                                         supplier=po.supplier),
                      fields, submit_label=_("Receive"))


def _refused(error: DomainError, **_acting) -> None:
    raise error


def receive_call(po: service.PORow, lines: list[service.POLineRow], values: dict) -> partial:
    typed = [row for row in lines if values.get(f"line_{row.id}") not in (None, "")]
    if values.get("all") and any(Decimal(str(values[f"line_{row.id}"])) != row.due for row in typed):
        # Both said: receiving everything would ignore what was typed, and goods in cannot be taken back.
        return partial(_refused, InvalidInput(_("Either tick that everything due arrived or type what came of "
                                                "each line, not both."), "all"))
    if values.get("all"):
        receipts = {row.id: str(row.due) for row in lines if row.due > 0}
    else:
        receipts = {row.id: str(values[f"line_{row.id}"]) for row in lines
                    if values.get(f"line_{row.id}") and Decimal(str(values[f"line_{row.id}"])) > 0}
    return partial(service.receive, po.id, receipts, reference=values["reference"] or "")


def received_message(po: service.PORow, complete: list[str]) -> str:
    text = _("Goods received on {po}.").format(po=service.po_label(po.number))
    if complete:
        text += " " + _("Parts now complete for {orders}").format(orders=", ".join(complete))
    return text


def supplier_form(row: service.SupplierRow | None) -> FormDialog:
    fields = [forms.text("name", _("Supplier name"), value=row.name if row else "", max_length=60),
              forms.text("contact", _("Contact"), value=row.contact if row else "", required=False, max_length=60),
              forms.text("phone", _("Phone"), value=row.phone if row else "", required=False, max_length=20),
              forms.text("email", _("Email"), value=row.email if row else "", required=False, max_length=120),
              forms.number("lead_days", _("Lead time (days)"), value=row.lead_days if row else 3, maximum=365,
                           places=0, hint=_("days from ordering to delivery"))]
    if row is not None:
        fields.append(forms.check("active", _("Still buying from them"), value=row.active))
    return FormDialog(_("Change supplier {name}").format(name=row.name) if row else _("New supplier"), fields,
                      submit_label=_("Save"))


def supplier_values(values: dict) -> service.SupplierForm:
    return service.SupplierForm(name=values["name"] or "", contact=values["contact"] or "",
                                phone=values["phone"] or "", email=values["email"] or "",
                                lead_days=str(values["lead_days"] if values["lead_days"] is not None else ""))


class SuppliersScreen(Acting, ModalScreen[None]):
    """The supplier list: a to add one, e (or Enter) to change one."""

    BINDINGS = [Binding("escape", "dismiss", N_("Close")), Binding("a", "add", N_("Add supplier")),
                Binding("e", "edit", N_("Change"))]
    PERMISSIONS = {"add": "manage_suppliers", "edit": "manage_suppliers"}
    DEFAULT_CSS = """
    SuppliersScreen { align: center middle; }
    SuppliersScreen > Vertical { width: 100; max-width: 100%; height: 100%; border: thick $accent;
                                 background: $panel; }
    SuppliersScreen PagedTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(_("Suppliers (供应商)"), "bold"))
            yield PagedTable((_("Supplier"), _("Contact"), _("Phone"), _("Lead time"), _("Active")), supplier_row,
                             id="suppliers")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#suppliers").focus()

    def reload(self) -> None:
        self.query_one("#suppliers", PagedTable).load(
            lambda n, o: service.suppliers(include_inactive=True, limit=n, offset=o))

    def after_acting(self) -> None:
        if self.is_attached:
            self.query_one("#suppliers", PagedTable).load()

    def action_add(self) -> None:
        self.ask(supplier_form(None), lambda v: partial(service.add_supplier, supplier_values(v)),
                 success=lambda supplier: _("Supplier {name} added.").format(name=supplier.name))

    def action_edit(self) -> None:
        row = self.query_one("#suppliers", PagedTable).selected
        if row is None:
            self.notify(_("No supplier selected."), severity="warning")
            return
        self.ask(supplier_form(row),
                 lambda v: partial(service.update_supplier, row.id, supplier_values(v), active=bool(v["active"])),
                 success=lambda supplier: _("Supplier {name} saved.").format(name=supplier.name))

    def on_data_table_row_selected(self) -> None:
        if self.check_action("edit", ()):
            self.action_edit()



ZERO, ONE = Decimal("0"), Decimal("1")
