"""Moving a shop in: 10,000 customers with one vehicle each (every tenth with a second car) from a CSV in GBK
with Chinese headers, as a Chinese DMS export, through `workshop import customers` in a real process with its
progress bar: the dry run, then the import, into an empty shop with its customer classes set up.

    .venv/bin/python -m bench.import_customers [--rows 10000] [--keep FILE.csv]
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT

HEADER = ["客户名称", "客户类型", "手机", "家庭电话", "地址", "生日", "客户分类", "车牌号", "车架号", "品牌", "车系", "车型",
          "年款", "发动机号", "颜色", "燃油类型", "购车日期", "保险公司", "保险到期日", "保修到期日"]


def write_file(path: Path, rows: int, seed: int = 7) -> int:
    """The export: ``rows`` owners, every tenth with a second car; returns the number of lines written."""
    from seeds import chinese, reference
    from workshop.vins import with_check_digit
    rng = random.Random(seed)
    lines, plates = [",".join(HEADER)], set()
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    for i in range(rows):
        name = chinese.SURNAMES[rng.randrange(len(chinese.SURNAMES))] + chinese.GIVEN[rng.randrange(len(chinese.GIVEN))]
        mobile = f"13{rng.randint(0, 9)}{i:08d}"
        klass = rng.choices(["普通", "白金", "钻石", "贵宾"], [70, 18, 8, 4])[0]
        for car in range(2 if i % 10 == 0 else 1):
            brand, series, model, engine, fuel = rng.choice(reference.VEHICLE_MODELS)
            while True:
                plate = rng.choice(reference.PROVINCE_CITY) + ("D" if fuel == "electric" else "") + \
                    "".join(rng.choice(letters) for _ in range(5))
                if plate not in plates:
                    plates.add(plate)
                    break
            vin = with_check_digit(f"LFV3A2{rng.randint(0, 9)}C0{i * 2 + car:08d}")
            year = rng.randint(2015, 2025)
            fuel_zh = {"petrol": "汽油", "hybrid": "混动", "electric": "纯电"}[fuel]
            lines.append(",".join([
                name, "个人", f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}", "", f"广州市天河区{i % 200 + 1}号",
                f"{rng.randint(1960, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", klass, plate, vin,
                "丰田", series, model, str(year), f"{engine}-{rng.randint(100000, 999999)}", "白色", fuel_zh,
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", rng.choice(reference.INSURERS),
                f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", f"{year + 3}-06-30"]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return len(lines) - 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", help="also keep the generated CSV here")
    args = parser.parse_args()
    workshop = str(Path(sys.executable).with_name("workshop"))
    with tempfile.TemporaryDirectory() as folder:
        csv_path, db = Path(folder) / "customers-gbk.csv", Path(folder) / "shop.db"
        lines = write_file(csv_path, args.rows)
        if args.keep:
            Path(args.keep).write_bytes(csv_path.read_bytes())
        print(f"{csv_path.name}: {lines:,} rows, {csv_path.stat().st_size / 2**20:.1f} MB (GBK)")
        subprocess.run([workshop, "admin", "create-manager", "boss", "Boss", "--pin", "2468", "--db", str(db)],
                       check=True, capture_output=True, cwd=ROOT)
        setup = ("from models import open_database; open_database(%r); from models.people import Staff; "
                 "from workshop.customer_classes import ClassForm, add_class; b = Staff.get(Staff.login == 'boss'); "
                 "[add_class(ClassForm(name=n, name_zh=z, labor_discount=d), by=b) for n, z, d in "
                 "(('General', '普通', '0'), ('Platinum', '白金', '5'), ('Diamond', '钻石', '10'), ('VIP', '贵宾', '15'))]"
                 % str(db))
        subprocess.run([sys.executable, "-c", setup], check=True, cwd=ROOT)
        for dry in (True, False):
            started = time.perf_counter()
            done = subprocess.run([workshop, "import", "customers", str(csv_path), "--as", "boss", "--db", str(db)]
                                  + (["--dry-run"] if dry else []), capture_output=True, text=True, cwd=ROOT)
            seconds = time.perf_counter() - started
            print(f"{'dry run' if dry else 'import '}: {seconds:5.1f} s wall (process start to exit), exit {done.returncode}")
            print("   ", done.stdout.strip())
            if done.returncode:
                print(done.stderr[-2000:])
                return 1
        import sqlite3
        with sqlite3.connect(db) as check:
            counts = [check.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("customer", "vehicle", "event")]
        print(f"in the shop: {counts[0]:,} customers, {counts[1]:,} vehicles, {counts[2]:,} audit rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
