"""Dispatch per trade: the form the board's d opens. One section per trade with open work, in the order the
car goes through them: its bay (those that take the trade first, with their free places), its team (the
first picked leads) and, if the dispatcher wants, their own estimate of the hours; a reason when a bay of
another kind is used (supervisors); what the jobs' tools are missing, above the fields."""
from __future__ import annotations

from rich.text import Text

from models.people import TRADE_LABELS
from models.shop import BAY_KIND_LABELS
from screens import forms
from screens.forms import FormDialog
from screens.text import line, lines, pad
from workshop import trade_dispatch
from workshop.i18n import _, label
from workshop.trade_dispatch import DispatchPlan, TradePlan, field

HOURS_MAX = 200


def _bay_option(bay: trade_dispatch.BayChoice, trade: str) -> Text:
    other = "" if trade in bay.takes else "  " + _("({kind} bay)").format(kind=label(BAY_KIND_LABELS, bay.kind))
    return line((pad(bay.code, 6), "bold"), pad(bay.name, 16) + " ",
                _("{free}/{capacity} free").format(free=bay.free, capacity=bay.capacity), (other, "yellow"))


def _tech_option(tech: trade_dispatch.TechnicianChoice) -> Text:
    return line(pad(tech.name, 14) + " ", (pad(label(TRADE_LABELS, tech.trade), 13) + " ", "dim"),
                _("{count} open").format(count=tech.open_lines))


def dispatch_form(plan: DispatchPlan) -> FormDialog:
    """The form for one order's plan (workshop.trade_dispatch.plan_view)."""
    fields = []
    intro = [line((_("Promised {time}").format(time=plan.promised_at.strftime("%m-%d %H:%M")), "dim"))]
    open_trades = [t for t in plan.trades if not t.done]
    for trade in open_trades:
        name = label(TRADE_LABELS, trade.trade)
        bays = sorted(plan.bays, key=lambda b: (trade.trade not in b.takes, b.code))
        techs = sorted(plan.technicians, key=lambda t: (t.trade != trade.trade, t.name))
        jobs = ", ".join(_("{job} ({hours} h)").format(job=pl.name, hours=pl.standard_hours)
                         for pl in trade.lines if pl.status != "finished")
        intro.append(line((f"{name}: ", "bold"), jobs))
        fields.append(forms.choice(field("bay", trade.trade), _("{trade} bay").format(trade=name),
                                   [(_bay_option(b, trade.trade), b.id) for b in bays],
                                   value=trade.bay_id or trade.suggested_bay_id))
        fields.append(forms.choices(field("technicians", trade.trade), _("{trade} team").format(trade=name),
                                    [(_tech_option(t), t.id) for t in techs], value=list(trade.technicians),
                                    hint=_("space picks; the first picked leads")))
        fields.append(forms.number(field("hours", trade.trade), _("{trade} hours").format(trade=name),
                                   required=False, maximum=HOURS_MAX, places=2,
                                   hint=_("blank: {hours} h, the standard hours").format(hours=trade.open_hours)))
    fields.append(forms.text("reason", _("Reason for a bay of another kind"), required=False, max_length=200,
                             hint=_("supervisors only; kept on the audit trail")))
    for warning in plan.tool_warnings:
        intro.append(line(("⚠ " + warning.text(), "yellow")))
    # An order dispatched already: the cursor waits on the first trade's team (the bays are as they were).
    focus = field("technicians", open_trades[0].trade) if open_trades and open_trades[0].bay_id else None
    return FormDialog(_("Dispatch RO {number} · {plate}").format(number=plan.number, plate=plan.plate), fields,
                      intro=lines(intro), submit_label=_("Dispatch"), focus=focus)


def plans_from(plan: DispatchPlan, values: dict) -> list[TradePlan]:
    """What the form's values ask for, trade by trade in the order shown."""
    result = []
    for trade in plan.trades:
        if trade.done:
            continue
        picked = list(values.get(field("technicians", trade.trade)) or ())
        # Those already on the trade keep their order (the lead stays lead); newcomers follow as picked.
        team = tuple([t for t in trade.technicians if t in picked] + [t for t in picked if t not in trade.technicians])
        result.append(TradePlan(trade.trade, values.get(field("bay", trade.trade)) or 0, team,
                                hours=values.get(field("hours", trade.trade))))
    return result
