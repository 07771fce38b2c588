"""What the bays and dispatch screens say about a technician's moment: on which job, or idle since when.
(The dispatch form itself is per trade: screens/trade_dispatch.py.)"""
from __future__ import annotations

from workshop import clock
from workshop.dispatch import TechnicianLoad
from workshop.i18n import _


def idle_text(load: TechnicianLoad) -> str:
    if load.clocked_on:
        return _("on {work}").format(work=load.clocked_on)
    if load.idle_since is None:
        return _("idle")
    minutes = int((clock.now() - load.idle_since).total_seconds() // 60)
    if minutes >= 60:
        return _("idle {hours}h{minutes:02d}m").format(hours=minutes // 60, minutes=minutes % 60)
    return _("idle {minutes}m").format(minutes=minutes)
