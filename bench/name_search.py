"""Finding customers, operations and parts the Chinese way (Chinese text, pinyin initials), p50/p95.
Target p95 <= 20 ms on the large shop (100,000 customers).

    .venv/bin/python -m bench.name_search --shop large [--n 200]

Typed text is drawn from the shop itself: the first one or two characters of Chinese names (陈, 陈小),
the pinyin initials of a name (cxm), the start of a romanised name (Chen), the start of a mobile number,
and catalog words (机油, jy, 刹车).
"""
import argparse
import random
import time

from bench.common import add_db_option, open_db, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="large")
    add_db_option(parser)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    open_db(args.shop, args.db)
    from models.db import db
    from workshop import parts
    from workshop.customers import find_customers
    from workshop.reception import find_operations
    rng = random.Random(11)
    people = db.execute_sql("SELECT name, initials, mobile FROM customer WHERE kind = 'private' "
                            f"ORDER BY random() LIMIT {db.param}", (args.n,)).fetchall()
    chinese = [n for n, _, _ in people if not n.isascii()] or ["陈"]
    romanised = [n for n, _, _ in people if n.isascii()] or ["Chen"]
    cases = [
        ("customer by Chinese name (1-2 chars)", find_customers, [n[:rng.choice((1, 2))] for n in chinese]),
        ("customer by pinyin initials", find_customers, [i for _, i, _ in people if i][:args.n]),
        ("customer by romanised name start", find_customers, [n.split()[0].lower() for n in romanised]),
        ("customer by mobile (first 7 digits)", find_customers, [m[:7] for _, _, m in people]),
        ("operation by Chinese / initials", find_operations, ["机油", "jy", "刹车", "sc", "保养", "by", "喷漆"] * 20),
        ("part by Chinese / initials / code", parts.catalog, ["机油", "jy", "刹车片", "scp", "OF-", "lt", "轮胎"] * 20),
    ]
    for label, search, texts in cases:
        times, found = [], 0
        for text in texts:
            t = time.perf_counter()
            hits = search(text)
            times.append(time.perf_counter() - t)
            found += bool(hits)
        report(f"{label} ({found}/{len(texts)} found)", times, target_ms=20)


if __name__ == "__main__":
    main()
