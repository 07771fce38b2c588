"""Return (退料), exchange (換料) and old part (舊件回收) on one part line: the questions asked, in one place
for the parts clerk's screen and the order screen. ``act(fn, *args, success=..., **kwargs)`` is the
screen's way to run a service as the signed-in member and show the outcome."""
from __future__ import annotations

from rich.text import Text

from screens.dialogs import ConfirmText
from workshop import parts
from workshop.i18n import _

fmt = parts.fmt


def ask_return(screen, line: parts.LineRow, act) -> None:
    """How many, and why; then the return to stock."""
    def reason_given(qty: str, reason: str | None) -> None:
        if reason:
            act(parts.return_part, line.id, qty, reason=reason,
                success=_("Returned {qty} {unit} {code} to bin {bin}.").format(
                    qty=qty, unit=line.unit, code=line.code, bin=line.bin or "—"))

    def qty_given(qty: str | None) -> None:
        if qty:
            screen.app.push_screen(ConfirmText(_("Why is it coming back?"), _("Reason"), value=_("not needed")),
                                   lambda reason: reason_given(qty, reason))
    screen.app.push_screen(ConfirmText(Text(_("Return how many {unit} of {code} to stock? ({out} out)").format(
        unit=line.unit, code=line.code, out=fmt(line.out))), _("Quantity"), value=fmt(line.out), max_length=10),
        qty_given)


def ask_exchange(screen, line: parts.LineRow, act) -> None:
    def done(code: str | None) -> None:
        if code:
            act(parts.exchange, line.id, code,
                success=_("{code} exchanged for {new} on RO {number}.").format(
                    code=line.code, new=code.strip().upper(), number=line.order_number))
    screen.app.push_screen(ConfirmText(Text(_("Exchange {code} {name} for which part code?").format(
        code=line.code, name=line.name)), _("Part code"), max_length=30), done)


def ask_old_part(screen, line: parts.LineRow, act) -> None:
    def done(answer: str | None) -> None:
        if answer:
            disposition, _sep, note = answer.strip().partition(" ")
            act(parts.record_old_part, line.id, disposition.lower(), note,
                success=_("Old {code} recorded: {disposition}.").format(code=line.code,
                                                                        disposition=disposition.lower()))
    screen.app.push_screen(ConfirmText(Text(_("Old {code} from RO {number} goes to: customer, warranty or scrap "
                                              "(then an optional note)").format(code=line.code,
                                                                                number=line.order_number)),
                                       "customer | warranty | scrap", max_length=200), done)
