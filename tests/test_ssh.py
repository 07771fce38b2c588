"""Front desk over SSH: a real sshd on loopback, a real ssh client in a pseudo-terminal, and the
advisor lands signed in on the board of the shared database."""
import getpass
import grp
import os
import pwd
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



# --- many Unix logins, as the README sets the front desk up ---------------------------------------------------

IS_ROOT = os.geteuid() == 0
TOOLS = all(shutil.which(t) for t in ("useradd", "groupadd", "userdel", "groupdel", "runuser"))


def _interpreter_for(user: str) -> str:
    """This Python if ``user`` may run it, else the system's of the same version (this one may live under
    /root): the code and packages are read from this checkout either way."""
    for candidate in (sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"):
        if subprocess.run(["runuser", "-u", user, "--", candidate, "-c", "import peewee, textual"],
                          capture_output=True, env={**os.environ, "PYTHONPATH": _python_path()}).returncode == 0:
            return candidate
    pytest.skip(f"no Python that {user} may run with this checkout's packages")


def _python_path() -> str:
    import site
    return ":".join([str(Path(__file__).resolve().parents[1]), *site.getsitepackages()])


@pytest.fixture
def front_desk():
    """A group and two Unix logins in it (each with its own primary group, as useradd makes them), and the
    shop's folder set up as the README says: owned by root and the group, group-writable, setgid."""
    import tempfile
    tag = f"{os.getpid() % 100000}"
    group, users = f"wsdesk{tag}", [f"wsa{tag}", f"wsb{tag}"]
    subprocess.run(["groupadd", group], check=True)
    created = []
    try:
        for user in users:
            subprocess.run(["useradd", "-m", "-G", group, "-s", "/bin/sh", user], check=True)
            created.append(user)
            subprocess.run(["usermod", "-p", "*", user], check=True)  # no password, but not locked
        base = Path(tempfile.mkdtemp(prefix="workshop-ssh-", dir="/tmp"))
        os.chmod(base, 0o755)
        srv = base / "srv"
        srv.mkdir()
        shutil.chown(srv, "root", group)
        os.chmod(srv, 0o2775)  # README: chgrp frontdesk, chmod 2775
        yield {"group": group, "users": users, "srv": srv, "base": base}
    finally:
        for user in created:
            subprocess.run(["userdel", "-f", "-r", user], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        if "base" in locals():
            shutil.rmtree(base, ignore_errors=True)


@pytest.mark.sqlite_only  # (the lock files of a SQLite folder)
@pytest.mark.skipif(not (IS_ROOT and TOOLS), reason="needs root to create Unix users")
def test_two_unix_logins_share_the_shop_with_the_default_umask(shop, db_path, front_desk):
    """The first login creates the lock files under umask 022; the second one must still be able to write
    (today it died with PermissionError on workshop.db.write-lock). A session without a terminal ends at once."""
    import sqlite3
    order = shop.order()
    db.close()
    srv, group, (first, second) = front_desk["srv"], front_desk["group"], front_desk["users"]
    database = srv / "workshop.db"  # README: the shop's database, created once, then given to the group
    source, target = sqlite3.connect(db_path), sqlite3.connect(database)
    source.backup(target)
    source.close()
    target.close()
    shutil.chown(database, "root", group)
    os.chmod(database, 0o664)
    ssh_map = srv / "ssh-map"
    ssh_map.write_text(f"{first} = li.wei\n{second} = zhang.lei\n")
    os.chmod(ssh_map, 0o644)
    keys = front_desk["base"] / "keys"
    keys.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "host_key")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "client_key")], check=True)
    for user in (first, second):
        (keys / user).write_text((keys / "client_key.pub").read_text())
    python = _interpreter_for(first)
    command = (f"cd / && TERM=xterm-256color WORKSHOP_WARM=0 PYTHONPATH={_python_path()} "
               f"{python} -m workshop.cli --db {database} --ssh-map {ssh_map}")
    port = _free_port()
    config = keys / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {keys / 'host_key'}
PidFile {keys / 'sshd.pid'}
AuthorizedKeysFile {keys}/%u
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
ForceCommand {command}
""")
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)
    sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE,
                            preexec_fn=lambda: os.umask(0o022))  # the default umask of every session
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        first_session = _open_session(keys, port, first)
        try:
            _see_board(first_session, order.number, "Li Wei")
            lock = Path(f"{database}.write-lock")
            assert lock.exists() and lock.stat().st_uid == pwd.getpwnam(first).pw_uid  # the first login made it
            second_session = _open_session(keys, port, second)
            try:
                _see_board(second_session, order.number, "Zhang Lei")
            finally:
                _quit(second_session)
        finally:
            _quit(first_session)
        assert lock.stat().st_gid == grp.getgrnam(group).gr_gid and lock.stat().st_mode & 0o060 == 0o060
        from models.db import open_database
        open_database(database)
        from models.events import Event
        signed = [e.summary for e in Event.select().where(Event.kind == "signed_in").order_by(Event.id)]
        assert signed[-2:] == [f"Li Wei signed in as {first} from 127.0.0.1",
                               f"Zhang Lei signed in as {second} from 127.0.0.1"]
        db.close()
        # ssh -T (no terminal), as an sftp or scp client opens a session: a message and the end, at once.
        no_tty = subprocess.run([SSH, "-T", "-i", str(keys / "client_key"), "-p", str(port), "-o",
                                 "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
                                 "LogLevel=ERROR", f"{first}@127.0.0.1"], stdin=subprocess.PIPE,
                                capture_output=True, text=True, timeout=60)
        assert no_tty.returncode == 2 and "needs a terminal" in no_tty.stderr, (no_tty.returncode, no_tty.stderr)
    finally:
        sshd.terminate()
        sshd.wait(timeout=10)


def _open_session(keys: Path, port: int, user: str) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(SSH, [SSH, "-tt", "-i", str(keys / "client_key"), "-p", str(port), "-o",
                        "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                        f"{user}@127.0.0.1"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd


def _see_board(session: tuple[int, int], number: int, name: str) -> None:
    screen = read_until(session[1], f"RO {number}".encode(), 60)
    assert f"RO {number}".encode() in screen and name.encode() in screen, screen[-1500:]


def _quit(session: tuple[int, int]) -> None:
    pid, fd = session
    try:
        os.write(fd, b"\x11")  # Ctrl+Q
        read_until(fd, b"\x00never", 3)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


# --- the map -----------------------------------------------------------------------------------------------

def test_the_login_comes_from_the_uid_not_from_logname(shop, tmp_path, monkeypatch):
    from workshop import sshmap
    me = pwd.getpwuid(os.getuid()).pw_name
    ssh_map = tmp_path / "ssh-map"
    ssh_map.write_text(f"{me} = li.wei\nintruder = boss\n")
    os.chmod(ssh_map, 0o644)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "intruder")
    assert sshmap.signed_in_staff(str(ssh_map)).login == "li.wei"


@pytest.mark.parametrize("mode", [0o664, 0o666, 0o646])
def test_a_map_others_can_write_is_refused(shop, tmp_path, mode):
    from workshop import sshmap
    ssh_map = tmp_path / "ssh-map"
    ssh_map.write_text(f"{pwd.getpwuid(os.getuid()).pw_name} = boss\n")
    os.chmod(ssh_map, mode)
    with pytest.raises(sshmap.UnsafeMap, match="can be changed by other logins"):
        sshmap.signed_in_staff(str(ssh_map))


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_a_map_owned_by_another_login_is_refused(shop, tmp_path):
    from workshop import sshmap
    ssh_map = tmp_path / "ssh-map"
    ssh_map.write_text("root = boss\n")
    os.chmod(ssh_map, 0o644)
    os.chown(ssh_map, pwd.getpwnam("nobody").pw_uid, -1)
    with pytest.raises(sshmap.UnsafeMap, match="belongs to nobody"):
        sshmap.signed_in_staff(str(ssh_map))
