"""What a terminal imports before the board's first frame: only what the board shows. A cold start pays for
every module it imports; the reception's checks (phonenumbers), prices and quotes, the appointments
screen and the PostgreSQL driver are loaded when first used (bench/first_frame.py measures the start)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NOT_ON_THE_COLD_PATH = ["phonenumbers", "babel.numbers", "workshop.reception", "workshop.quotes", "workshop.pricing",
                        "workshop.approvals", "screens.appointments", "openpyxl", "fpdf", "psycopg",
                        # a dialog's widgets, booking rules, stock, and the models the board does not read
                        "screens.forms", "screens.dialogs", "workshop.appointments", "workshop.capacity",
                        "workshop.parts", "models.settlement", "models.followup", "models.warranty",
                        "models.insurance", "models.purchasing", "models.registered"]

PROBE = """
import sys
sys.modules["psycopg"] = None  # as workshop.cli does for a terminal on a SQLite file
import workshop.cli, screens.app, screens.board, screens.expected, workshop.sshmap
loaded = [name for name in NAMES if sys.modules.get(name) is not None]
print(",".join(loaded))
"""


def test_the_board_s_first_frame_imports_only_what_the_board_shows():
    done = subprocess.run([sys.executable, "-c", f"NAMES = {NOT_ON_THE_COLD_PATH!r}\n{PROBE}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported on the cold path: {done.stdout.strip()}"
