"""The demo shop set up as a manager sets a real one up: its identity, customer classes, labour rates, bays,
the operations catalog (which series each operation is for) and maintenance packages all go through the
set-up services (workshop/settings.py, customer_classes.py, rates.py, bay_setup.py, catalog.py, packages.py),
with their validation and audit rows, as the demo's manager. The demo thereby proves those services."""
from __future__ import annotations

import math

from models.people import Staff
from seeds import chinese, reference
from workshop import settings
from workshop.bay_setup import BayForm, add_bay
from workshop.catalog import OperationForm, add_operation
from workshop.customer_classes import ClassForm, add_class
from workshop.packages import PackageForm, add_package
from workshop.rates import set_rate

CLASS_NAMES_ZH = {"General": "普通", "Platinum": "白金", "Diamond": "钻石", "VIP": "贵宾"}
PETROL = [series for _b, series, _m, _e, fuel in reference.VEHICLE_MODELS if fuel == "petrol"]
HYBRID = [series for _b, series, _m, _e, fuel in reference.VEHICLE_MODELS if fuel == "hybrid"]
# Work on an engine, its oil and what drives it: not for a battery EV (a bZ4X has no oil to change).
COMBUSTION = ("Oil and filter change", "km service", "Air filter", "Spark plug", "Transmission fluid", "Timing chain",
              "Water pump", "Engine mount", "Clutch", "Exhaust", "Engine diagnosis", "Alternator", "Starter motor")
# (code, name, 中文, price, operations by name): first service 首保 and regular services 定保, for petrol cars and
# (the "(hybrid)" operations) for hybrids.
PACKAGES = [
    ("FS", "First service", "首保", "199", ["5,000 km service"]),
    ("RS10", "10,000 km service package", "1万公里定保套餐", "680", ["10,000 km service", "Cabin filter replacement"]),
    ("RS20", "20,000 km service package", "2万公里定保套餐", "1280",
     ["20,000 km service", "Air filter replacement", "Cabin filter replacement", "Brake fluid change"]),
]


def applies_to(name: str) -> list[str]:
    """The series a demo operation is for ([]: every series)."""
    if "Hybrid system" in name or name.endswith("(hybrid)") and any(w in name for w in COMBUSTION):
        return HYBRID
    if any(w in name for w in COMBUSTION):
        return PETROL
    return []


def set_up(manager: Staff, size) -> None:
    """Identity, classes, rates, bays and the operations catalog, through the services."""
    from seeds.demo import DEMO_SETTINGS
    settings.put_many(DEMO_SETTINGS, by=manager)
    for name, labor, material, fee, points, vip in reference.CUSTOMER_CLASSES:
        add_class(ClassForm(name=name, name_zh=CLASS_NAMES_ZH.get(name, ""), labor_discount=labor,
                            material_discount=material, valid_months="12", fee=fee, points_needed=str(points),
                            is_vip=vip), by=manager)
    for trade, rate in reference.LABOR_RATES.items():
        set_rate(trade, "standard", rate, by=manager)
    copies = max(1, math.ceil(size.active_orders / 40))
    for copy in range(copies):
        for code, name, kind, capacity in reference.BAYS:
            suffix = "" if copy == 0 else f"-{copy + 1}"
            add_bay(BayForm(code=code + suffix, name=name + suffix,
                            name_zh=chinese.chinese_name(chinese.BAYS, name + suffix) or "", kind=kind,
                            capacity=str(capacity)), by=manager)
    for code, name, trade, hours, btype in reference.operations():
        add_operation(OperationForm(code=code, name=name, name_zh=chinese.chinese_name(chinese.OPERATIONS, name) or "",
                                    trade=trade, standard_hours=str(hours), business_type=btype,
                                    applies_to=applies_to(name)), by=manager)


def set_up_packages(manager: Staff) -> None:
    """Maintenance packages, once the catalog (and its kits) is there."""
    from models.shop import Operation
    codes = {name: code for code, name in Operation.select(Operation.code, Operation.name).tuples()}
    for code, name, name_zh, price, operations in PACKAGES:
        add_package(PackageForm(code=code, name=name, name_zh=name_zh, price=price,
                                operation_codes=[codes[op] for op in operations]), by=manager)
        add_package(PackageForm(code=code + "H", name=f"{name} (hybrid)", name_zh=f"{name_zh}（混动）",
                                price=str(int(price) + 80), operation_codes=[codes[f"{op} (hybrid)"] for op in operations]),
                    by=manager)
