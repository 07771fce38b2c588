"""Reference data of a realistic shop: classes, staff, bays, labor rates and the operations catalog."""
from __future__ import annotations

from decimal import Decimal

CUSTOMER_CLASSES = [
    # name, labor discount %, material discount %, fee, points, VIP
    ("General", "0", "0", "0", 0, False),
    ("Platinum", "5", "3", "300", 2000, False),
    ("Diamond", "10", "5", "800", 5000, False),
    ("VIP", "15", "8", "2000", 10000, True),
]

LABOR_RATES = {
    "quick_service": "120", "mechanical": "180", "electrical": "200", "body": "160",
    "paint": "170", "wash": "60", "alignment": "150",
}

BAYS = [
    # code, name, kind, capacity
    ("Q1", "Quick service 1", "quick_service", 1), ("Q2", "Quick service 2", "quick_service", 1),
    ("Q3", "Quick service 3", "quick_service", 1),
    ("M1", "Mechanical 1", "mechanical", 1), ("M2", "Mechanical 2", "mechanical", 1),
    ("M3", "Mechanical 3", "mechanical", 1), ("M4", "Mechanical 4", "mechanical", 1),
    ("B1", "Body 1", "body", 2), ("B2", "Body 2", "body", 2),
    ("P1", "Paint booth", "paint", 1),
    ("W1", "Wash", "wash", 2),
    ("A1", "Alignment", "alignment", 1),
]

DEMO_PIN = "1234"

# login, name, roles, trade
STAFF = [
    ("zhou.min", "Zhou Min", "manager", None),
    ("li.wei", "Li Wei", "advisor", None),
    ("wang.fang", "Wang Fang", "advisor", None),
    ("chen.jing", "Chen Jing", "advisor", None),
    ("zhang.lei", "Zhang Lei", "dispatcher", None),
    ("liu.yang", "Liu Yang", "supervisor,dispatcher", None),
    ("huang.bo", "Huang Bo", "parts_clerk", None),
    ("zhao.li", "Zhao Li", "parts_clerk", None),
    ("sun.hui", "Sun Hui", "qc_inspector", None),
    ("ma.jun", "Ma Jun", "qc_inspector", None),
    ("hu.xin", "Hu Xin", "cashier", None),
    ("guo.mei", "Guo Mei", "cashier", None),
    ("he.ping", "He Ping", "follow_up_agent", None),
    ("lin.na", "Lin Na", "follow_up_agent,care_supervisor", None),
    ("xu.gang", "Xu Gang", "technician", "mechanical"),
    ("gao.feng", "Gao Feng", "technician", "mechanical"),
    ("luo.qiang", "Luo Qiang", "technician", "mechanical"),
    ("zheng.tao", "Zheng Tao", "technician", "mechanical"),
    ("liang.hao", "Liang Hao", "technician", "electrical"),
    ("song.jie", "Song Jie", "technician", "quick_service"),
    ("xie.peng", "Xie Peng", "technician", "quick_service"),
    ("han.bin", "Han Bin", "technician", "quick_service"),
    ("tang.kai", "Tang Kai", "technician", "body"),
    ("feng.rui", "Feng Rui", "technician", "body"),
    ("deng.chao", "Deng Chao", "technician", "body"),
    ("cao.yu", "Cao Yu", "technician", "paint"),
    ("peng.fei", "Peng Fei", "technician", "paint"),
    ("zeng.hua", "Zeng Hua", "technician", "wash"),
    ("xiao.long", "Xiao Long", "technician", "alignment"),
]

SURNAMES = "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang".split()
GIVEN = ("Wei Fang Na Min Jing Li Qiang Lei Jun Yang Yong Yan Jie Tao Ming Chao Xiu Hua Ping Gang Hui Bo "
         "Xin Yu Hao Kai Rui Peng Fei Long Bin").split()
COMPANIES = ["Pearl River Logistics", "Greenway Taxi", "Huaxin Trading", "Sunrise Rentals",
             "Lingnan Foods", "Tianhe Property", "Bayview Couriers", "Jinlong Builders"]
PROVINCE_CITY = ["粤A", "粤B", "粤C", "粤E", "粤S", "粤T"]
INSURERS = ["PICC", "Ping An", "CPIC", "China Life P&C", "Sunshine"]

VEHICLE_MODELS = [
    # brand, series, model, engine prefix, fuel
    ("Toyota", "Camry", "Camry 2.0 CVT", "M20A", "petrol"),
    ("Toyota", "Corolla", "Corolla 1.8 HEV", "8ZR", "hybrid"),
    ("Toyota", "RAV4", "RAV4 2.0 CVT", "M20A", "petrol"),
    ("Toyota", "Highlander", "Highlander 2.5 HEV", "A25A", "hybrid"),
    ("Toyota", "bZ4X", "bZ4X FWD", "1XM", "electric"),
    ("Toyota", "Levin", "Levin 1.2T", "9NR", "petrol"),
    ("Toyota", "Crown", "Crown Kluger 2.5 HEV", "A25B", "hybrid"),
    ("Toyota", "Sienna", "Sienna 2.5 HEV", "A25A", "hybrid"),
]
COLOURS = ["white", "black", "silver", "grey", "red", "blue", "brown"]

# The operations catalog: (trade, name, standard hours, business type). Codes are assigned in order.
_OPERATION_BASES = [
    ("quick_service", "Oil and filter change", "0.5", "maintenance"),
    ("quick_service", "5,000 km service", "0.8", "maintenance"),
    ("quick_service", "10,000 km service", "1.2", "maintenance"),
    ("quick_service", "20,000 km service", "1.8", "maintenance"),
    ("quick_service", "40,000 km service", "2.5", "maintenance"),
    ("quick_service", "Air filter replacement", "0.2", "maintenance"),
    ("quick_service", "Cabin filter replacement", "0.3", "maintenance"),
    ("quick_service", "Wiper blade replacement", "0.2", "maintenance"),
    ("quick_service", "Battery test and replace", "0.4", "maintenance"),
    ("quick_service", "Tyre rotation", "0.5", "maintenance"),
    ("quick_service", "Tyre replacement (pair)", "0.6", "general_repair"),
    ("quick_service", "Brake fluid change", "0.8", "maintenance"),
    ("quick_service", "Coolant change", "0.9", "maintenance"),
    ("quick_service", "Spark plug replacement", "1.0", "maintenance"),
    ("quick_service", "Transmission fluid change", "1.2", "maintenance"),
    ("mechanical", "Front brake pads", "1.0", "general_repair"),
    ("mechanical", "Rear brake pads", "1.0", "general_repair"),
    ("mechanical", "Front brake discs and pads", "1.8", "general_repair"),
    ("mechanical", "Timing chain inspection", "2.0", "general_repair"),
    ("mechanical", "Water pump replacement", "2.5", "warranty"),  # (a warranty claim with a causal part)
    ("mechanical", "Front shock absorbers", "2.2", "general_repair"),
    ("mechanical", "Control arm bushing", "1.6", "general_repair"),
    ("mechanical", "CV joint boot", "1.4", "general_repair"),
    ("mechanical", "Engine mount replacement", "2.0", "general_repair"),
    ("mechanical", "Clutch replacement", "4.5", "general_repair"),
    ("mechanical", "Exhaust repair", "1.2", "general_repair"),
    ("mechanical", "Engine diagnosis", "1.0", "general_repair"),
    ("mechanical", "Oil leak repair", "2.4", "general_repair"),
    ("mechanical", "Steering rack replacement", "3.5", "general_repair"),
    ("mechanical", "Hybrid system inspection", "1.5", "warranty"),
    ("electrical", "A/C recharge", "0.8", "general_repair"),
    ("electrical", "A/C compressor replacement", "3.0", "general_repair"),
    ("electrical", "Alternator replacement", "1.8", "general_repair"),
    ("electrical", "Starter motor replacement", "1.6", "general_repair"),
    ("electrical", "Headlamp replacement", "0.7", "general_repair"),
    ("electrical", "ECU software update", "0.8", "warranty"),
    ("electrical", "Wiring harness repair", "2.5", "general_repair"),
    ("electrical", "Window regulator replacement", "1.3", "general_repair"),
    ("electrical", "Parking sensor replacement", "0.9", "general_repair"),
    ("electrical", "Infotainment diagnosis", "1.0", "warranty"),
    ("body", "Front bumper repair", "2.0", "body"),
    ("body", "Rear bumper repair", "2.0", "body"),
    ("body", "Door panel repair", "3.0", "body"),
    ("body", "Fender replacement", "2.5", "body"),
    ("body", "Bonnet replacement", "2.0", "body"),
    ("body", "Windscreen replacement", "1.5", "insurance"),
    ("body", "Mirror replacement", "0.6", "body"),
    ("body", "Dent removal (paintless)", "1.0", "body"),
    ("body", "Sill repair", "3.5", "insurance"),
    ("body", "Frame straightening", "6.0", "insurance"),
    ("paint", "Bumper respray", "3.0", "paint"),
    ("paint", "Door respray", "3.5", "paint"),
    ("paint", "Fender respray", "3.0", "paint"),
    ("paint", "Bonnet respray", "3.5", "paint"),
    ("paint", "Spot repair", "1.5", "paint"),
    ("paint", "Full side respray", "8.0", "insurance"),
    ("paint", "Polish and wax", "2.0", "paint"),
    ("wash", "Exterior wash", "0.3", "maintenance"),
    ("wash", "Interior cleaning", "0.8", "maintenance"),
    ("alignment", "Four-wheel alignment", "1.0", "general_repair"),
]
_VARIANTS = ["", " (hybrid)"]


def operations() -> list[tuple[str, str, str, Decimal, str]]:
    """120 catalog operations: (code, name, trade, standard hours, business type)."""
    result = []
    prefix = {"quick_service": "QS", "mechanical": "ME", "electrical": "EL", "body": "BD", "paint": "PT",
              "wash": "WA", "alignment": "AL"}
    counters: dict[str, int] = {}
    for variant in _VARIANTS:
        for trade, name, hours, btype in _OPERATION_BASES:
            counters[trade] = counters.get(trade, 0) + 1
            code = f"{prefix[trade]}{counters[trade]:03d}"
            extra = Decimal("0.3") if variant else Decimal("0")
            result.append((code, name + variant, trade, Decimal(hours) + extra, btype))
    return result
