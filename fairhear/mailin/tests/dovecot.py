"""A real IMAP server for tests: Debian's dovecot, started as its own instance with a config in
a temporary folder (a free loopback port, users from a passwd-file, maildirs in the folder).
Run by root (as CI is), its login and mail processes use dovecot's own unprivileged users.

XOAUTH2 is checked by dovecot's oauth2 passdb against a small token-introspection endpoint
that the test runs on loopback, as a Microsoft or Google token service would answer it.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def dovecot_available() -> bool:
    return Path(DOVECOT).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Introspection(BaseHTTPRequestHandler):
    tokens: dict[str, str] = {}

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        token = (form.get("token") or [""])[0]
        user = self.tokens.get(token)
        body = json.dumps({"active": True, "username": user} if user else {"active": False})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Dovecot:
    root: Path
    port: int
    user: str
    password: str
    token: str
    process_pid: int = 0
    http: ThreadingHTTPServer | None = None

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            subprocess.run(  # noqa: S603
                [DOVECOT, "-c", str(self.root / "dovecot.conf"), "stop"], check=False
            )
        if self.http is not None:
            self.http.shutdown()
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot() -> Dovecot:
    """A running dovecot with one mailbox user who signs in with a password or a token."""
    root = Path(tempfile.mkdtemp(prefix="fairhear-dovecot-"))
    root.chmod(0o755)  # the login processes run as another user and must reach the sockets
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir()
    if os.geteuid() == 0:
        internal, login = "dovecot", "dovenull"
        mail_uid, mail_gid = pwd.getpwnam("dovecot").pw_uid, pwd.getpwnam("dovecot").pw_gid
        os.chown(root / "mail", mail_uid, mail_gid)
    else:
        internal = login = pwd.getpwuid(os.getuid()).pw_name
        mail_uid, mail_gid = os.getuid(), os.getgid()
    group = internal if os.geteuid() == 0 else _group_name()
    port = _free_port()
    server = Dovecot(root, port, "complaints@provider.example", "mailbox-pass-1", "imap-token-1")
    _Introspection.tokens = {server.token: server.user}
    server.http = ThreadingHTTPServer(("127.0.0.1", 0), _Introspection)
    threading.Thread(target=server.http.serve_forever, daemon=True).start()
    (root / "passwd").write_text(
        f"{server.user}:{{PLAIN}}{server.password}:{mail_uid}:{mail_gid}::{root}/mail/home::\n"
    )
    (root / "oauth2.conf").write_text(
        "introspection_mode = post\n"
        f"introspection_url = http://127.0.0.1:{server.http.server_address[1]}/introspect\n"
        "username_attribute = username\n"
        "active_attribute = active\n"
        "active_value = true\n"
    )
    (root / "dovecot.conf").write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = {root}/passwd
  mechanisms = plain login
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {root}/oauth2.conf
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
    )
    subprocess.run([DOVECOT, "-c", str(root / "dovecot.conf")], check=True)  # noqa: S603
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(100).startswith(b"* OK"):
                    return server
        except OSError:
            pass
        time.sleep(0.1)
    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
    server.stop()
    raise RuntimeError(f"dovecot did not start: {log[-2000:]}")


def _group_name() -> str:
    import grp

    return grp.getgrgid(os.getgid()).gr_name
