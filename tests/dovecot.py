"""A real IMAP server for the e-mail worker's tests: Debian's Dovecot, run from a temporary
directory on a free loopback port with one static test user and a maildir the test fills."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "viewer-mail", "imap-test-pass"


@dataclass
class Imap:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port)
        conn.login(self.user, self.password)
        return conn

    def append(self, *messages: bytes, mailbox: str = "INBOX") -> None:
        with self.client() as conn:
            for raw in messages:
                typ, _ = conn.append(mailbox, None, None, raw)
                assert typ == "OK"

    def recreate(self, mailbox: str) -> None:
        """DELETE and CREATE: the mailbox comes back empty with a new UIDVALIDITY."""
        with self.client() as conn:
            conn.delete(mailbox)
            assert conn.create(mailbox)[0] == "OK"


def available() -> bool:
    return os.path.exists(DOVECOT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _config(root: Path, port: int) -> str:
    if os.geteuid() == 0:  # Dovecot refuses to give root's uid to mail processes: use its own users
        login, internal, mail = "dovenull", "dovecot", pwd.getpwnam("dovecot")
    else:
        login = internal = pwd.getpwuid(os.geteuid()).pw_name
        mail = pwd.getpwuid(os.geteuid())
    return (
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = efir-test-{port}
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
default_login_user = {login}
default_internal_user = {internal}
first_valid_uid = {mail.pw_uid}
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""",
        mail,
    )


@contextmanager
def running() -> Iterator[Imap]:
    root = Path(tempfile.mkdtemp(prefix="efir-dovecot-"))
    root.chmod(0o755)
    port = _free_port()
    text, mail = _config(root, port)
    (root / "mail").mkdir()
    os.chown(root / "mail", mail.pw_uid, mail.pw_gid)
    conf = root / "dovecot.conf"
    conf.write_text(text)
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_for(port, proc, root)
        yield Imap("127.0.0.1", port, USER, PASSWORD, root)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(port: int, proc: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited: {proc.stdout.read() if proc.stdout else b''!r} {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("dovecot did not start listening")
