"""Shop settings: every number a rule uses, with its default, changeable by a manager."""
from __future__ import annotations

import json

from models.db import transaction
from models.people import Staff
from models.shop import Setting
from workshop import audit
from workshop.permissions import require

DEFAULTS: dict[str, object] = {
    "shop_name": "Riverside Motors Service",
    # What the settlement form (结算单) and receipts are headed with, until a set-up screen edits them.
    "shop_address": "",
    "shop_phone": "",
    "shop_tax_number": "",
    # The language of documents handed to customers (zh_CN or en), whoever prints them.
    "document_language": "zh_CN",
    # Plates: mainland China (incl. 8-character new-energy plates) unless the shop sets its own.
    "plate_pattern": r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]"
                     r"[A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[挂学警港澳])$",
    "phone_pattern": r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\+?\d{7,15})$",
    "idle_signout_minutes": 15,
    "pin_max_failures": 5,
    "pin_lockout_minutes": 5,
    "qc_forbid_own_work": True,
    "comeback_days": 30,
    "vat_rate": "13",
    "prices_include_tax": True,
    "callback_first_days": 3,
    "callback_window_days": 7,
    "callback_second_days": 7,
    "callback_retry_hours": 24,
    "callback_max_tries": 3,
    "callback_major_repair_amount": "5000",
    "callback_other_share_pct": 100,
    "callback_assignment": "advisor_agent",  # or round_robin
    "complaint_escalate_days": 2,
    "lost_customer_months": 6,
    "maintenance_interval_km": 5000,
    "maintenance_interval_months": 6,
    "insurance_notice_days": 45,
    "discount_limit_advisor_pct": "5",
    "discount_limit_manager_pct": "100",
}

_cache: dict[str, object] = {}


def get(key: str):
    """The setting's value (the shop's own, or the default)."""
    if key in _cache:
        return _cache[key]
    row = Setting.get_or_none(Setting.key == key)
    value = json.loads(row.value) if row else DEFAULTS[key]
    _cache[key] = value
    return value


def put(key: str, value, *, by: Staff) -> None:
    """Change a setting (managers only); recorded on the audit trail."""
    if key not in DEFAULTS:
        raise KeyError(key)
    with transaction():
        by = require(by, "manage_settings")
        old = get(key)
        Setting.insert(key=key, value=json.dumps(value)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: json.dumps(value)}).execute()
        from workshop.i18n import N_
        from workshop.phrase import Phrase
        audit.record(by, "setting_changed", "setting", 0, Phrase(N_("Setting {key} changed"), key=key),
                     before={key: old}, after={key: value})
    _cache.pop(key, None)


def forget_cache() -> None:
    _cache.clear()
