"""Search by plate, phone, VIN and RO number (whole history), p50/p95. Target p95 <= 0.1 s.

    .venv/bin/python -m bench.search --shop large [--db FILE-or-postgresql://...] [--n 200]
"""
import argparse
import random
import time

from bench.common import add_db_option, open_db, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="large")
    parser.add_argument("--n", type=int, default=200)
    add_db_option(parser)
    args = parser.parse_args()
    open_db(args.shop, args.db)
    from models.db import db
    from workshop import search
    rng = random.Random(7)
    limit = f"ORDER BY random() LIMIT {db.param}"
    plates = [r[0] for r in db.execute_sql(f"SELECT plate FROM vehicle {limit}", (args.n,))]
    vins = [r[0] for r in db.execute_sql(f"SELECT vin FROM vehicle {limit}", (args.n,))]
    phones = [r[0] for r in db.execute_sql(f"SELECT mobile FROM customer {limit}", (args.n,))]
    top = db.execute_sql("SELECT MAX(number) FROM repair_order").fetchone()[0]
    numbers = [str(rng.randint(1001, top)) for _ in range(args.n)]
    for label, texts in (("plate (first 5 characters)", [p[:5] for p in plates]), ("plate (full)", plates),
                         ("phone (first 7 digits)", [p[:7] for p in phones]), ("VIN", vins),
                         ("RO number", numbers)):
        times, found = [], 0
        for text in texts:
            t = time.perf_counter()
            hits = search.search(text)
            times.append(time.perf_counter() - t)
            found += bool(hits)
        report(f"search by {label} ({found}/{len(texts)} found)", times, target_ms=100)


if __name__ == "__main__":
    main()
