"""Front desk over SSH: a real sshd on loopback, a real ssh client in a pseudo-terminal, and the
advisor lands signed in on the board of the shared database."""
import getpass
import os
import pty
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import fcntl
import time
from pathlib import Path

import pytest

from models.db import db
from tests.terminal import read_until, wait_for

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
SSH = shutil.which("ssh")
pytestmark = pytest.mark.skipif(not (Path(SSHD).exists() and SSH), reason="OpenSSH server/client not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_front_desk_logins_open_the_board_signed_in_the_second_one_warm(shop, db_path, tmp_path):
    order = shop.order()
    db.close()
    root = Path(__file__).resolve().parents[1]
    user = getpass.getuser()
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / name)], check=True)
    ssh_map = tmp_path / "ssh-map"
    ssh_map.write_text(f"{user} = li.wei\n")
    warm = tmp_path / "warm"  # this test's own warm server (workshop/warm.py), not the user's
    warm.mkdir(mode=0o700)
    command = (f"cd {root} && TERM=xterm-256color WORKSHOP_WARM_DIR={warm} WORKSHOP_WARM_DELAY=0 "
               f"{sys.executable} -m workshop.cli --db {db_path} --ssh-map {ssh_map}")
    (tmp_path / "authorized_keys").write_text(
        f'command="{command}",no-port-forwarding,no-agent-forwarding {(tmp_path / "client_key.pub").read_text()}')
    port = _free_port()
    config = tmp_path / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {tmp_path / 'host_key'}
PidFile {tmp_path / 'sshd.pid'}
AuthorizedKeysFile {tmp_path / 'authorized_keys'}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
""")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)
    os.chmod(tmp_path, 0o755)
    sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        # A login that has not opted in to warm starts: the app starts in the SSH session, launching nothing.
        _login_and_see_board(tmp_path, port, user, order.number)
        assert not (warm / "warm.sock").exists()
        # The login opts in (`workshop warm`, e.g. from its crontab at boot), with the settings its SSH
        # sessions have (no LANG or TEXTUAL_* here: a server of other settings is refused and replaced).
        from workshop.warm import BAKED_ENV
        session_like = {k: v for k, v in os.environ.items() if not (k.startswith("TEXTUAL") or k in BAKED_ENV)}
        subprocess.run([sys.executable, "-m", "workshop.cli", "warm"], cwd=root, check=True, timeout=60,
                       env={**session_like, "WORKSHOP_WARM": "1", "WORKSHOP_WARM_DIR": str(warm),
                            "WORKSHOP_WARM_DELAY": "0"}, capture_output=True)
        wait_for(lambda: (warm / "warm.sock").exists(), "the warm server")
        # The next login is served by the warm server: the board runs in a child of it.
        _login_and_see_board(tmp_path, port, user, order.number)
        assert " runs workshop " in (warm / "warm.log").read_text()
    finally:
        sshd.terminate()
        sshd.wait(timeout=10)
        if (warm / "warm.pid").exists():
            try:
                os.kill(int((warm / "warm.pid").read_text()), signal.SIGTERM)
            except ProcessLookupError:
                pass


def _login_and_see_board(tmp_path: Path, port: int, user: str, number: int) -> None:
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(SSH, [SSH, "-tt", "-i", str(tmp_path / "client_key"), "-p", str(port),
                        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                        "-o", "LogLevel=ERROR", f"{user}@127.0.0.1"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        screen = read_until(fd, f"RO {number}".encode(), 60)
        assert f"RO {number}".encode() in screen, screen[-2000:]
        assert b"Li Wei" in screen
        os.write(fd, b"\x11")  # Ctrl+Q quits the app; the SSH session ends with it
        read_until(fd, b"\x00never", 3)
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)

