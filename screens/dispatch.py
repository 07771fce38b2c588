"""Dispatch a car: the form with the bays (and their free places) and the technicians (with their load)."""
from __future__ import annotations

from rich.text import Text

from models.people import TRADE_LABELS

from screens import forms
from screens.forms import FormDialog
from screens.text import line, pad
from workshop import clock
from workshop.board import Card
from workshop.dispatch import BayLoad, TechnicianLoad, bay_loads, technician_loads
from workshop.i18n import _, label


def idle_text(load: TechnicianLoad) -> str:
    if load.clocked_on:
        return _("on {work}").format(work=load.clocked_on)
    if load.idle_since is None:
        return _("idle")
    minutes = int((clock.now() - load.idle_since).total_seconds() // 60)
    if minutes >= 60:
        return _("idle {hours}h{minutes:02d}m").format(hours=minutes // 60, minutes=minutes % 60)
    return _("idle {minutes}m").format(minutes=minutes)


def bay_option(load: BayLoad) -> Text:
    orders = ", ".join(map(str, load.orders))
    return line((pad(load.code, 5) + " ", "bold"), pad(load.name, 18) + " ",
                _("{free}/{capacity} free").format(free=load.free, capacity=load.capacity),
                (f"  ({orders})" if orders else "", "dim"))


def technician_option(load: TechnicianLoad) -> Text:
    trade = label(TRADE_LABELS, load.trade)
    return line(pad(load.name, 14) + " ", (pad(trade, 13) + " ", "dim"),
                _("{count} open").format(count=load.open_lines), " · ", idle_text(load))


def dispatch_form(card: Card) -> FormDialog:
    """Bay and technicians for a card; the first technician picked leads (dispatch.dispatch keeps an
    existing lead first)."""
    bays = bay_loads()
    techs = technician_loads()
    return FormDialog(
        _("Dispatch RO {number} · {plate} · {model}").format(number=card.number, plate=card.plate, model=card.model),
        [forms.choice("bay", _("Bay"), [(bay_option(b), b.id) for b in bays],
                      value=card.bay_id if card.bay_id in {b.id for b in bays} else None),
         forms.choices("technicians", _("Technicians"), [(technician_option(t), t.id) for t in techs],
                       value=[t.id for t in techs if t.name in card.technicians],
                       hint=_("space picks; the first picked leads; load = open job lines"))],
        submit_label=_("Dispatch"), focus="technicians" if card.bay_id else "bay")
