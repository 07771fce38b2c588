"""Return (退料), exchange (換料) and old part (舊件回收) on one part line: the forms asked, in one place for
the parts clerk's screen and the order screen (both ``Acting`` screens: the form's submit runs the service)."""
from __future__ import annotations

from functools import partial

from screens import forms
from screens.dialogs import quantity_field, reason_form
from screens.forms import FormDialog
from workshop import parts
from workshop.i18n import N_, _, label

fmt = parts.fmt
QTY_MAX = 9999  # as workshop.parts.quantity allows
OLD_PART_LABELS = {"customer": N_("back to the customer"), "warranty": N_("kept for the warranty claim"),
                   "scrap": N_("scrapped")}


def ask_return(screen, line: parts.LineRow) -> None:
    """How many, and why; then the return to stock."""
    form = FormDialog(_("Return {code} {name} to stock").format(code=line.code, name=line.name), [
        quantity_field("qty", _("Quantity ({unit})").format(unit=parts.unit(line)), value=fmt(line.out), maximum=QTY_MAX,
                       places=3, hint=_("{qty} out").format(qty=fmt(line.out))),
        forms.text("reason", _("Why it comes back"), value=_("not needed")),
    ], submit_label=_("Return"))
    chosen: dict = {}

    def call(values: dict) -> partial:
        chosen.update(values)
        return partial(parts.return_part, line.id, values["qty"], reason=values["reason"])

    screen.ask(form, call, about=line.order_id, success=lambda _r: _(
        "Returned {qty} {unit} {code} to bin {bin}.").format(qty=fmt(chosen["qty"]), unit=parts.unit(line), code=line.code,
                                                             bin=line.bin or "—"))


def ask_exchange(screen, line: parts.LineRow) -> None:
    form = reason_form(_("Exchange {code} {name} on RO {number} for").format(
        code=line.code, name=line.name, number=line.order_number), name="part", label=_("Part code"), max_length=30)
    screen.ask(form, lambda v: partial(parts.exchange, line.id, v["part"]),
               success=lambda _r: _("{code} exchanged on RO {number}.").format(code=line.code,
                                                                              number=line.order_number),
               about=line.order_id)


def ask_old_part(screen, line: parts.LineRow) -> None:
    form = FormDialog(_("Old {code} from RO {number}").format(code=line.code, number=line.order_number), [
        forms.choice("disposition", _("Goes"), [(label(OLD_PART_LABELS, d), d) for d in parts.OLD_PART_DISPOSITIONS]),
        forms.text("note", _("Note"), required=False),
    ], submit_label=_("Record"))
    screen.ask(form, lambda v: partial(parts.record_old_part, line.id, v["disposition"], v["note"] or ""),
               success=lambda _r: _("Old {code} recorded.").format(code=line.code))
