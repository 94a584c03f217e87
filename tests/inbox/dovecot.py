"""A throwaway Dovecot IMAP server for the tests (Debian's dovecot-imapd): its own config in a
temporary folder, listening on 127.0.0.1 on a free port, one passwd-file user, maildir storage,
plaintext login allowed (localhost only). Run as root (CI), mail is kept by the unprivileged
`dovenull` user; otherwise everything runs as the current user."""

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER = "amends"
PASSWORD = "inbound-test"


@dataclass(frozen=True)
class Imap:
    host: str
    port: int
    user: str
    password: str

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@{self.host}:{self.port}/INBOX"


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (shutil.which("dovecot", path="/usr/sbin:/sbin"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(root: Path, port: int, login: pwd.struct_passwd, mail: pwd.struct_passwd, as_root: bool) -> str:
    no_chroot = "" if as_root else "  chroot =\n"
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login.pw_name}
default_internal_user = {login.pw_name}
default_internal_group = {grp.getgrgid(login.pw_gid).gr_name}
first_valid_uid = {mail.pw_uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
{no_chroot}}}
service anvil {{
{no_chroot}}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
"""


def start(binary: str) -> tuple[Imap, subprocess.Popen, Path]:
    as_root = os.geteuid() == 0
    me = pwd.getpwuid(os.geteuid())
    if as_root:
        mail_user = pwd.getpwnam("dovenull")
        login_user = mail_user
    else:
        mail_user = login_user = me
    root = Path(tempfile.mkdtemp(prefix="amends-dovecot-"))
    root.chmod(0o755)
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    if as_root:
        for folder in ("mail", "home"):
            os.chown(root / folder, mail_user.pw_uid, mail_user.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(_config(root, port, login_user, mail_user, as_root))
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"dovecot stopped: {output}\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                if connection.recv(100).startswith(b"* OK"):
                    return Imap("127.0.0.1", port, USER, PASSWORD), process, root
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("dovecot did not answer within 15 seconds")


def stop(process: subprocess.Popen, root: Path) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    shutil.rmtree(root, ignore_errors=True)
