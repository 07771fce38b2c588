"""The Chinese names of the demo shop's reference data (operations, parts, checklist items, call
scripts, bays) and of its customers: what the generator writes beside the English names, and what
migration 0010 used to fill the Chinese names of shops generated before there were any.

Terms are those of the shop floor (DOMAIN.md), in simplified characters.
"""
from __future__ import annotations

OPERATIONS = {
    "Oil and filter change": "更换机油机滤", "5,000 km service": "5000公里保养", "10,000 km service": "1万公里保养",
    "20,000 km service": "2万公里保养", "40,000 km service": "4万公里保养",
    "Air filter replacement": "更换空气滤清器", "Cabin filter replacement": "更换空调滤清器",
    "Wiper blade replacement": "更换雨刮片", "Battery test and replace": "蓄电池检测及更换",
    "Tyre rotation": "轮胎换位", "Tyre replacement (pair)": "更换轮胎（一对）", "Brake fluid change": "更换刹车油",
    "Coolant change": "更换冷却液", "Spark plug replacement": "更换火花塞", "Transmission fluid change": "更换变速箱油",
    "Front brake pads": "更换前刹车片", "Rear brake pads": "更换后刹车片",
    "Front brake discs and pads": "更换前刹车盘及刹车片", "Timing chain inspection": "正时链条检查",
    "Water pump replacement": "更换水泵", "Front shock absorbers": "更换前减震器", "Control arm bushing": "更换摆臂衬套",
    "CV joint boot": "更换球笼防尘套", "Engine mount replacement": "更换发动机脚胶", "Clutch replacement": "更换离合器",
    "Exhaust repair": "排气管维修", "Engine diagnosis": "发动机故障诊断", "Oil leak repair": "漏油维修",
    "Steering rack replacement": "更换转向机", "Hybrid system inspection": "混合动力系统检查",
    "A/C recharge": "空调加注冷媒", "A/C compressor replacement": "更换空调压缩机", "Alternator replacement": "更换发电机",
    "Starter motor replacement": "更换起动机", "Headlamp replacement": "更换大灯", "ECU software update": "电脑软件升级",
    "Wiring harness repair": "线束维修", "Window regulator replacement": "更换玻璃升降器",
    "Parking sensor replacement": "更换倒车雷达", "Infotainment diagnosis": "多媒体系统诊断",
    "Front bumper repair": "前保险杠修复", "Rear bumper repair": "后保险杠修复", "Door panel repair": "车门钣金修复",
    "Fender replacement": "更换翼子板", "Bonnet replacement": "更换发动机盖", "Windscreen replacement": "更换前挡风玻璃",
    "Mirror replacement": "更换后视镜", "Dent removal (paintless)": "无痕凹陷修复", "Sill repair": "门槛修复",
    "Frame straightening": "车架校正", "Bumper respray": "保险杠喷漆", "Door respray": "车门喷漆",
    "Fender respray": "翼子板喷漆", "Bonnet respray": "发动机盖喷漆", "Spot repair": "局部补漆",
    "Full side respray": "整侧喷漆", "Polish and wax": "抛光打蜡", "Exterior wash": "外部清洗",
    "Interior cleaning": "内饰清洁", "Four-wheel alignment": "四轮定位",
}

PARTS = {
    "Oil filter": "机油滤清器", "Air filter": "空气滤清器", "Cabin filter": "空调滤清器", "Spark plug": "火花塞",
    "Front brake pads": "前刹车片", "Rear brake pads": "后刹车片", "Front brake disc": "前刹车盘",
    "Wiper blade set": "雨刮片", "Front shock absorber": "前减震器", "Headlamp assembly": "大灯总成",
    "Front bumper cover": "前保险杠皮", "Rear bumper cover": "后保险杠皮", "Door mirror": "车门后视镜",
    "Water pump": "水泵", "Engine mount": "发动机脚胶", "Drive belt": "传动皮带", "Timing chain kit": "正时链条套件",
    "Thermostat": "节温器", "Headlamp bulb": "大灯灯泡", "Brake light bulb": "刹车灯泡", "Radiator hose": "散热器水管",
    "Engine oil": "机油", "Transmission fluid": "变速箱油", "Coolant long life": "长效冷却液", "Brake fluid": "刹车油",
    "Battery": "蓄电池", "Tyre": "轮胎", "Refrigerant": "冷媒", "Paint base coat": "色漆", "Clear coat": "清漆",
    "Windscreen glass": "前挡风玻璃", "Washer fluid": "玻璃水", "Trim clip kit": "饰板卡扣套件",
}

CHECKLIST = {
    "No warning lamps on the dashboard": "仪表盘无故障灯", "All lights and indicators work": "所有灯光及指示灯正常",
    "Cleanliness: seats, floor, wheel": "清洁：座椅、地板、方向盘", "Old parts bagged and labelled": "旧件已装袋并标识",
    "Customer's items left as found": "客户物品原样保留", "Engine oil level and no leaks": "机油液位正常、无渗漏",
    "Coolant, brake and washer fluid levels": "冷却液、刹车油、玻璃水液位正常",
    "Torque marks on drain plug and wheel nuts": "放油螺栓及轮胎螺母已做扭力标记", "Tyre pressures set": "胎压已调整",
    "Service reminder reset": "保养提示已归零", "Fault in the customer's statement fixed": "客户所述故障已排除",
    "Torque marks on fasteners touched": "紧固件已做扭力标记", "No fluid leaks": "无油液渗漏",
    "Road test: no noise or vibration": "路试：无异响、无抖动", "No new fault codes": "无新增故障码",
    "Panel gaps even": "钣件缝隙均匀", "Doors, bonnet and boot close properly": "车门、发动机盖、后备箱开关正常",
    "No sealer or glue residue": "无密封胶、胶水残留", "Glass and mirrors clean": "玻璃及后视镜清洁",
    "Colour match in daylight": "日光下颜色一致", "No runs, dust or orange peel": "无流挂、尘点、橘皮",
    "Masking removed, no overspray": "遮蔽已去除、无飞漆", "Polished to finish": "已抛光",
    "All assessed items repaired": "定损项目均已修复", "Photos of the finished repair taken": "已拍摄完工照片",
    "Warranty operation done as the manufacturer prescribes": "已按厂家规定完成保修作业",
    "Replaced part tagged for return": "更换件已挂签待返厂", "Road test": "路试",
}

QUESTIONS = {
    "Was the car ready when promised?": "车辆是否按承诺时间交车？",
    "Was the problem fixed the first time?": "问题是否一次修复？",
    "How was the advisor's explanation of the work and the bill?": "服务顾问对维修项目和费用的解释您是否满意？",
    "How satisfied are you overall?": "您对本次服务的总体满意度如何？",
    "Was the car clean when you picked it up?": "取车时车辆是否干净？",
    "Did the advisor remind you of the next service?": "服务顾问是否提醒了您下次保养？",
    "Was the claim handled without trouble for you?": "理赔办理是否顺利？",
    "Is the repair as good as before the accident?": "修复质量是否恢复到事故前的状态？",
}

BAYS = {"Quick service": "快修工位", "Mechanical": "机修工位", "Body": "钣金工位", "Paint booth": "烤漆房",
        "Wash": "洗车位", "Alignment": "四轮定位工位"}

# Words a name can end with: the catalog's variants of one part or operation.
SUFFIXES = {" (aftermarket)": "（副厂件）", " (hybrid)": "（混动）"}

# Customers: surnames and given names in the order of seeds.reference.SURNAMES / GIVEN, so the
# generator picks a romanised or a Chinese spelling of the same name with the same random draws.
SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁".split()
GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 秀 华 平 刚 辉 波 鑫 宇 浩 凯 瑞 鹏 飞 龙 斌".split()
COMPANIES = ["珠江物流有限公司", "绿途出租汽车有限公司", "华信贸易有限公司", "旭日汽车租赁有限公司", "岭南食品有限公司",
             "天河物业管理有限公司", "海湾快递有限公司", "金龙建筑工程有限公司"]
# The name every demonstration of pinyin search starts with: ``cxm`` finds him.
FIRST_CUSTOMER = "陈小明"


def chinese_name(table: dict[str, str], english: str | None) -> str | None:
    """The Chinese name of a catalog entry: the whole English name, or its longest known beginning
    followed by what remains (a model, an engine code, a grade: "Oil filter M20A" -> "机油滤清器 M20A");
    None when the name is not one of the demo catalog's."""
    if not english:
        return None
    for suffix, chinese in SUFFIXES.items():
        if english.endswith(suffix):
            base = chinese_name(table, english[:-len(suffix)])
            return base + chinese if base else None
    if english in table:
        return table[english]
    words = english.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head = " ".join(words[:cut])
        if head in table:
            return f"{table[head]} {' '.join(words[cut:])}"
    return None
