"""Filter the board by bay, technician or advisor: a form of three choices, any of them left open."""
from __future__ import annotations

from screens import forms
from screens.forms import FormDialog
from workshop.board import filter_choices
from workshop.i18n import _


def filter_form(current, shop: int | None = None) -> FormDialog:
    choices = filter_choices(shop)
    return FormDialog(_("Show only the cards of"), [
        forms.choice("bay_id", _("Bay"), [(f"{code} {name}", bay_id) for bay_id, code, name in choices.bays],
                     value=current.bay_id, required=False, placeholder=_("any bay")),
        forms.choice("technician", _("Technician"), [(name, name) for name in choices.technicians],
                     value=current.technician, required=False, placeholder=_("any technician")),
        forms.choice("advisor_id", _("Advisor"), [(name, staff_id) for staff_id, name in choices.advisors],
                     value=current.advisor_id, required=False, placeholder=_("any advisor")),
    ], submit_label=_("Apply"))
