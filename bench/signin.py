"""Everyone's writes while terminals sign in: 4 writer processes move a card every 50 ms (busy
terminals), with 0 and then 2 processes signing in one after the other as fast as they can (each
sign-in hashes a PIN with scrypt, ~50 ms). Reports the writers' p50 / p99 / max. A sign-in must not
hold the write lock while it hashes, so the two lines should read alike.

    .venv/bin/python -m bench.signin [--writes 200] [--code DIR]

``--code DIR`` runs the terminals from another checkout of the app (e.g. the main branch's, for a
before/after in the same run); the database is built by this one.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from bench.common import ROOT, pct
from bench.writers import WRITER, build

SIGNER = textwrap.dedent("""
    import json, os, sys, time
    from models.db import open_database
    from models.people import Staff
    from workshop import accounts
    path, login, pin, stop = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    open_database(path)
    staff_id = Staff.get(Staff.login == login).id
    print("ready", flush=True)
    count = 0
    while not os.path.exists(stop):
        accounts.sign_in(staff_id, pin)
        count += 1
    print(json.dumps({"sign_ins": count}))
""")


def run(signers: int, writes: int, code: Path) -> None:
    from tests.factories import TEST_PIN
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "signin.db"
        ids = build(path, 4)
        start, stop = Path(tmp) / "go", Path(tmp) / "stop"
        logins = ["hu.xin", "li.wei", "zhang.lei", "sun.hui"][:signers]
        signing = [subprocess.Popen([sys.executable, "-c", SIGNER, str(path), login, TEST_PIN, str(stop)], cwd=code,
                                    stdout=subprocess.PIPE, text=True) for login in logins]
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(i), str(writes), "0.05", str(start)],
                                  cwd=code, stdout=subprocess.PIPE, text=True) for i in ids]
        for proc in signing + procs:
            assert proc.stdout.readline().strip() == "ready"
        start.touch()
        times, errors = [], []
        for proc in procs:
            out, _ = proc.communicate()
            data = json.loads(out.strip().splitlines()[-1])
            times += data["times"]
            errors += data["errors"]
        stop.touch()
        sign_ins = sum(json.loads(p.communicate()[0].strip().splitlines()[-1])["sign_ins"] for p in signing)
    print(f"{signers} signing in ({sign_ins:>4} sign-ins), 4 writers 50 ms apart: n={len(times):<5} "
          f"p50 {pct(times, 50) * 1000:7.2f} ms   p99 {pct(times, 99) * 1000:7.2f} ms   "
          f"max {max(times) * 1000:7.2f} ms   errors {len(errors)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose code the terminals run")
    args = parser.parse_args()
    print(f"code: {args.code}")
    for signers in (0, 2):
        run(signers, args.writes, args.code)


if __name__ == "__main__":
    main()
