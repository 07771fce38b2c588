"""Tools and equipment: the register, out and in against a job line, damage, loss, maintenance and
calibration, and dispatch told when a job's special tool is missing."""
import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.db import db
from models.events import Event
from models.orders import JobLine
from models.tools import Tool, ToolCheckout, ToolRecord
from workshop import clock, tools, trade_dispatch
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from workshop.tools import ToolForm


@pytest.fixture
def kit(shop):
    """A special tool the brake job needs, a scanner and a torque wrench due for calibration."""
    tools.register(ToolForm(code="sst-0901", name="Brake piston rewind tool", name_zh="制动分泵回位工具",
                            kind="special_tool", location="Cabinet A"), by=shop.manager)
    tools.register(ToolForm(code="SCN-1", name="Diagnostic scanner", kind="scanner", location="Office",
                            maintenance_due="2026-12-01"), by=shop.manager)
    tools.register(ToolForm(code="TW-200", name="Torque wrench 200 Nm", kind="measuring", location="Cabinet B",
                            calibration_due="2026-11-25"), by=shop.manager)
    tools.set_operation_tools("ME001", ["SST-0901"], by=shop.manager)
    return shop


def brake_job(shop, vehicle=None, bay=1):
    order = shop.dispatched(vehicle, bay=bay, codes=("ME001",))
    return order, JobLine.get(JobLine.order == order.id)


def test_a_special_tool_checked_out_against_a_line_is_missing_for_the_next_brake_job(kit):
    shop = kit
    xu, tang = shop.techs[0], shop.techs[2]
    order, line = brake_job(shop)
    tools.check_out("SST-0901", xu.id, by=xu, line_id=line.id)
    assert trade_dispatch.plan_view(order.id).tool_warnings == ()  # out for this very line: not missing
    other, _ = brake_job(shop, shop.car2, bay=4)
    warnings = trade_dispatch.plan_view(other.id).tool_warnings
    assert [w.text() for w in warnings] == [
        f"'Front brake pads' needs SST-0901 Brake piston rewind tool: out with Xu Gang for RO {order.number}."]
    assert [(r.code, r.holder, r.order_number, r.line_name) for r in tools.who_has_what()] == [
        ("SST-0901", "Xu Gang", order.number, "Front brake pads")]
    assert "SST-0901 checked out to Xu Gang for RO" in Event.get(Event.kind == "tool_out").summary

    out_count = ToolCheckout.select().count()
    with pytest.raises(IllegalTransition, match=r"SST-0901 is out with Xu Gang since 11-20 09:00 \(RO \d+\)"):
        tools.check_out("SST-0901", tang.id, by=tang, line_id=line.id)
    assert ToolCheckout.select().count() == out_count and Tool.get(Tool.code == "SST-0901").version == 2
    with pytest.raises(NotAllowed):  # a technician checks tools out for themself only
        tools.check_out("SCN-1", xu.id, by=tang)
    tools.check_in("SST-0901", by=xu)
    assert trade_dispatch.plan_view(other.id).tool_warnings == ()
    with pytest.raises(IllegalTransition, match="SST-0901 is not out: there is nothing to check in"):
        tools.check_in("SST-0901", by=xu)
    assert ToolCheckout.select().where(ToolCheckout.in_at.is_null()).count() == 0


def test_damage_loss_and_maintenance_move_a_tool_out_of_and_back_into_use(kit):
    shop = kit
    xu = shop.techs[0]
    order, line = brake_job(shop)
    tools.check_out("SST-0901", xu.id, by=xu, line_id=line.id)
    with pytest.raises(InvalidInput, match="Note is required"):
        tools.check_in("SST-0901", by=xu, damaged=True)
    tools.check_in("SST-0901", by=xu, damaged=True, note="tip bent")
    assert Tool.get(Tool.code == "SST-0901").state == "broken"
    assert [w.problem for w in trade_dispatch.plan_view(order.id).tool_warnings] == ["broken"]
    with pytest.raises(IllegalTransition, match="SST-0901 is broken: it cannot go out"):
        tools.check_out("SST-0901", xu.id, by=xu)
    with pytest.raises(NotAllowed):
        tools.record_maintenance("SST-0901", "repair", by=xu)
    with pytest.raises(InvalidInput, match="must come after the day it was done"):
        tools.record_maintenance("SST-0901", "repair", by=shop.manager, next_due="2026-11-01")
    tools.record_maintenance("SST-0901", "repair", by=shop.manager, note="tip replaced", cost="80")
    assert Tool.get(Tool.code == "SST-0901").state == "available"
    assert sorted(h.what for h in tools.history("SST-0901")) == ["damage", "in", "out", "repair"]

    tools.check_out("SCN-1", xu.id, by=xu)
    tools.report("SCN-1", "loss", "left in a customer's car", by=xu)
    assert Tool.get(Tool.code == "SCN-1").state == "lost" and not tools.who_has_what()
    with pytest.raises(IllegalTransition, match="SCN-1 is lost: it cannot go out"):
        tools.check_out("SCN-1", xu.id, by=xu)
    tools.report("SCN-1", "found", "customer brought it back", by=shop.manager)
    tools.record_maintenance("SCN-1", "maintenance", by=shop.manager, next_due="2027-06-01")
    assert Tool.get(Tool.code == "SCN-1").maintenance_due == dt.date(2027, 6, 1)
    assert [r.kind for r in ToolRecord.select().order_by(ToolRecord.id)] == [
        "damage", "repair", "loss", "found", "maintenance"]


def test_a_tool_overdue_for_calibration_cannot_go_out_and_the_due_list_says_so(kit):
    shop = kit
    xu = shop.techs[0]
    assert [(r.code, r.calibration_due) for r in tools.due_list(within_days=7)] == [
        ("TW-200", dt.date(2026, 11, 25))]
    assert [r.code for r in tools.due_list(within_days=14)] == ["TW-200", "SCN-1"]
    clock.freeze(dt.datetime(2026, 11, 26, 9, 0))
    with pytest.raises(IllegalTransition, match="TW-200 was due for calibration on 2026-11-25"):
        tools.check_out("TW-200", xu.id, by=xu)
    tools.set_operation_tools("ME001", ["SST-0901", "TW-200"], by=shop.manager)
    order, _line = brake_job(shop)
    assert [(w.code, w.problem) for w in trade_dispatch.plan_view(order.id).tool_warnings] == [("TW-200", "overdue")]
    tools.record_maintenance("TW-200", "calibration", by=shop.manager, next_due="2027-11-26")
    tools.check_out("TW-200", xu.id, by=xu)


def test_bad_register_entries_are_refused_with_the_field(kit):
    shop = kit
    for form, field in ((ToolForm(code="SST-0901", name="Again"), "code"), (ToolForm(code="A B", name="x"), "code"),
                        (ToolForm(code="X1", name=""), "name"), (ToolForm(code="X1", name="x", kind="hammer"), "kind"),
                        (ToolForm(code="X1", name="x", calibration_due="next week"), "calibration_due")):
        with pytest.raises(InvalidInput) as refused:
            tools.register(form, by=shop.manager)
        assert refused.value.field == field
    with pytest.raises(NotAllowed):
        tools.register(ToolForm(code="X1", name="x"), by=shop.techs[0])
    assert Tool.select().count() == 3


TECH = textwrap.dedent("""
    import json, os, sys, time
    from models.db import open_database
    from models.people import Staff
    from workshop import tools
    from workshop.errors import DomainError
    path, login, start_file = sys.argv[1], sys.argv[2], sys.argv[3]
    open_database(path)
    me = Staff.get(Staff.login == login)
    while not os.path.exists(start_file):   # both terminals press the key at the same moment
        time.sleep(0.001)
    try:
        tools.check_out("SST-0901", me.id, by=me)
        print(json.dumps({"ok": True}))
    except DomainError as error:
        print(json.dumps({"ok": False, "message": str(error)}))
""")


def test_two_technicians_checking_out_the_same_tool_at_once_one_gets_it_the_other_is_told(kit, db_path, tmp_path):
    db.close()
    start = tmp_path / "go"
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", TECH, str(db_path), login, str(start)], cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for login in ("xu.gang", "tang.kai")]
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    db.connect(reuse_if_open=True)
    assert sorted(r["ok"] for r in results) == [False, True]
    assert "is out with" in next(r for r in results if not r["ok"])["message"]
    assert ToolCheckout.select().count() == 1 and Tool.get(Tool.code == "SST-0901").state == "out"


def test_the_tool_keeper_says_which_operations_need_a_tool_and_unknown_codes_write_nothing(kit):
    shop = kit
    assert tools.operations_needing("SST-0901") == ["ME001"]
    assert tools.set_tool_operations("tw-200", "me001, qs001；ME001", by=shop.manager) == ["ME001", "QS001"]
    assert tools.operations_needing("TW-200") == ["ME001", "QS001"]
    order, _line = brake_job(shop)
    clock.freeze(dt.datetime(2026, 11, 26, 9, 0))  # the torque wrench is overdue now
    assert sorted((w.code, w.problem) for w in trade_dispatch.plan_view(order.id).tool_warnings) == [
        ("TW-200", "overdue")]
    events = Event.select().count()
    with pytest.raises(InvalidInput, match="No operations with codes NOPE, ZZ9 in the catalog") as refused:
        tools.set_tool_operations("TW-200", "ME001 NOPE ZZ9", by=shop.manager)
    assert refused.value.field == "operations"
    with pytest.raises(NotAllowed):
        tools.set_tool_operations("TW-200", "", by=shop.techs[0])
    assert tools.operations_needing("TW-200") == ["ME001", "QS001"] and Event.select().count() == events
    assert tools.set_tool_operations("TW-200", "", by=shop.manager) == []
    assert trade_dispatch.plan_view(order.id).tool_warnings == ()
    first = Event.select().where(Event.kind == "tool_operations_set").order_by(Event.id).first()
    assert (json.loads(first.before), json.loads(first.after)) == ({"operations": []}, {"operations": ["ME001", "QS001"]})
