"""The follow-up screen's forms: a callback, an incoming call or walk-in, a win-back call, a campaign and its
invitation. Each asks what its service checks (workshop/call_register.check_outcome and the like) and
names its fields as the service does, so a refusal stands beside the field it is about."""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from screens import forms
from screens.forms import FormDialog
from screens.text import cut, line, lines
from workshop import call_register, callbacks, clock, i18n
from workshop.i18n import _, join, label
from models.campaigns import CAMPAIGN_RULE_LABELS, CAMPAIGN_RULES
from models.followup import CALL_CHANNEL_LABELS, CALLBACK_KIND_LABELS


def _options(labels: dict[str, str], codes=None) -> list[tuple[str, str]]:
    return [(label(labels, code), code) for code in (codes or labels)]


def _results(topic: str) -> list[tuple[str, str]]:
    return _options(call_register.RESULTS[topic])


def _outcome_fields(topic: str, *, channel: str = "phone", result: str | None = None) -> list[forms.Field]:
    """What every call records: how the customer was reached, what it came to, notes, a complaint."""
    return [
        forms.choice("channel", _("How"), _options(CALL_CHANNEL_LABELS, call_register.CHANNELS[topic]), value=channel),
        forms.choice("result", _("Result"), _results(topic), value=result, placeholder=_("What did it come to?")),
        forms.text("notes", _("Notes"), required=False, max_length=500),
        forms.text("complaint", _("Complaint"), required=False, max_length=500, hint=_("leave empty if none")),
        forms.choice("department", _("About"), _options(call_register.DEPARTMENT_LABELS), value="service",
                     hint=_("the department a complaint is about")),
    ]


def outcome_values(values: dict) -> dict:
    return dict(channel=values["channel"], result=values["result"], notes=values["notes"] or "",
                complaint=values["complaint"] or "", department=values["department"] or "service")


def call_form(c: callbacks.CallContext) -> FormDialog:
    """One follow-up call: who and why, what was done; reached or not, a score 1-5 per question, notes, a
    complaint."""
    intro = [line((c.customer, "bold"), f"  {c.mobile}  · ",
                  _("{kind} call").format(kind=label(CALLBACK_KIND_LABELS, c.kind)),
                  " · " + callbacks.reason_text(c.reason) if c.reason else "")]
    if c.lines:
        intro.append(line(_("Done: {lines}").format(lines=join(c.lines))))
    if c.advisor:
        intro.append(line(_("Advisor {advisor} · technicians {technicians}").format(
            advisor=c.advisor, technicians=join(c.technicians) or "—")))
    fields = [forms.choice("reached", _("Reached"), [(_("Reached"), True), (_("Not reached"), False)], value=True)]
    fields += [forms.number(f"q{index}", question, minimum=1, maximum=5, places=0, required=False,
                            placeholder=_("score 1-5"), also=("scores",) if index == 0 else ())
               for index, question in enumerate(c.question_texts or c.questions)]
    fields += [forms.text("notes", _("Notes"), required=False, max_length=500),
               forms.text("complaint", _("Complaint"), required=False, max_length=500,
                          hint=_("leave empty if none")),
               forms.choice("department", _("About"), _options(call_register.DEPARTMENT_LABELS), value="service",
                            hint=_("the department a complaint is about"))]
    return FormDialog(_("Follow-up call"), fields, intro=lines(intro), submit_label=_("Save call"))


def incoming_form(*, customer: str = "", walk_in: bool = False) -> FormDialog:
    """An incoming call, or a customer at the desk: who (a mobile number, a plate or a name) and the outcome."""
    title = _("Customer at the desk") if walk_in else _("Incoming call")
    fields = [forms.text("customer", _("Customer"), value=customer, max_length=60,
                         hint=_("mobile, plate or name"))]
    fields += _outcome_fields("incoming", channel="walk_in" if walk_in else "phone",
                              result="complaint" if walk_in else None)
    return FormDialog(title, fields, submit_label=_("Save"), focus="customer")


def incoming_form_of(name: str, mobile: str, cars: Sequence[tuple[str, int]], *, car: int | None = None,
                     walk_in: bool = False) -> FormDialog:
    """An incoming call or a customer at the desk, from their file: who it is is known (said above the
    fields); which of their cars it is about, if any (``cars``: (plate, id); ``car``: the one chosen)."""
    title = _("Customer at the desk") if walk_in else _("Incoming call")
    fields = []
    if cars:
        fields.append(forms.choice("vehicle", _("Car"), cars, value=car, required=False,
                                   placeholder=_("none in particular")))
    fields += _outcome_fields("incoming", channel="walk_in" if walk_in else "phone",
                              result="complaint" if walk_in else None)
    return FormDialog(title, fields, intro=lines([line((name, "bold"), f"  {mobile}")]), submit_label=_("Save"),
                      focus="result")


def winback_form(name: str, mobile: str, last_visit: dt.date, months: int, plates: tuple[str, ...]) -> FormDialog:
    intro = lines([line((name, "bold"), f"  {mobile}  ", " ".join(plates)),
                   line(_("Last visit {date}, {months} months ago").format(date=i18n.date(last_visit), months=months))])
    return FormDialog(_("Win-back call"), _outcome_fields("winback"), intro=intro, submit_label=_("Save call"),
                      focus="result")


def invitation_form(campaign: str, starts_on: dt.date, name: str, mobile: str, plate: str) -> FormDialog:
    intro = lines([line((campaign, "bold"), "  ", i18n.date(starts_on)),
                   line((name, "bold"), f"  {mobile}  {plate}")])
    return FormDialog(_("Campaign invitation"), _outcome_fields("campaign"), intro=intro, submit_label=_("Save"),
                      focus="result")


def hand_form(number: int, description: str, handlers: list[callbacks.Handler]) -> FormDialog:
    return FormDialog(_("Complaint #{number}: {what}").format(number=number, what=cut(description, 60)), [
        forms.choice("handler", _("Hand to"), [(h.name, h.id) for h in handlers])], submit_label=_("Hand on"))


def campaign_form() -> FormDialog:
    """A new campaign: a name, its days, whom it invites."""
    start = clock.today() + dt.timedelta(days=21)
    return FormDialog(_("New campaign"), [
        forms.text("name", _("Name"), max_length=100),
        forms.text("starts_on", _("First day"), value=start.isoformat(), max_length=10, hint=_("e.g. {date}").format(
            date=start.isoformat())),
        forms.text("ends_on", _("Last day"), required=False, max_length=10, hint=_("empty: one day")),
        forms.choice("rule", _("Invite"), _options(CAMPAIGN_RULE_LABELS, CAMPAIGN_RULES), value="service_due"),
        forms.text("rule_value", _("Narrow to"), required=False, max_length=60,
                   hint=_("cars: a brand or model · lost: at most so many months")),
        forms.text("notes", _("Notes"), required=False, max_length=500),
    ], submit_label=_("Plan it"))


__all__ = ["call_form", "incoming_form", "incoming_form_of", "winback_form", "invitation_form", "hand_form", "campaign_form",
           "outcome_values"]
