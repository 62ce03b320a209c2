"""A temporary newsroom for the app tests: a ledger, accounts, a token and a running `claimledger serve`.

The ledger is a practice copy of the seed ledger built by seeds/rebuild-ledger.sh with the test-only
keys of Tests/TestOnlyKeys (never ../shared): the same sources, claims and editorial record as the
committed ledger, other signers. Two accounts sign with those keys: `alice` (journalist, the desk key)
and `eddie` (editor, the editor key). The server listens on a free port (`--port 0`) and is stopped
with SIGTERM at the end.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEST_KEYS = REPO / "Tests" / "TestOnlyKeys"
SERVE_LINE = re.compile(r"claimledger: serving .* at (http://\S+?)/?\s*$")
TOKEN = re.compile(r"\bclt_[A-Za-z0-9_-]{20,}")


def claimledger_binary() -> Path:
    """$CLAIMLEDGER_BIN, else the package's debug build (built here when missing)."""
    env = os.environ.get("CLAIMLEDGER_BIN")
    if env:
        return Path(env)
    bin_dir = subprocess.run(["swift", "build", "--package-path", str(REPO), "--show-bin-path"],
                             check=True, capture_output=True, text=True).stdout.strip()
    binary = Path(bin_dir) / "claimledger"
    if not binary.exists():
        subprocess.run(["swift", "build", "--package-path", str(REPO), "--product", "claimledger"], check=True)
    return binary


@dataclass
class Account:
    name: str
    role: str
    password: str
    token: str | None = None


@dataclass
class Newsroom:
    binary: Path
    root: Path
    ledger: Path
    accounts_dir: Path
    keys: Path
    url: str = ""
    journalist: Account = field(default_factory=lambda: Account("alice", "journalist", "correct-horse-journal-42"))
    editor: Account = field(default_factory=lambda: Account("eddie", "editor", "battery-staple-editor-42"))
    process: subprocess.Popen | None = None
    server_log: list[str] = field(default_factory=list)

    # -- CLI ---------------------------------------------------------------------------------------

    def cli(self, *args: str, stdin: str | None = None, check: bool = True,
            env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = dict(os.environ, CLAIMLEDGER_KEYS="/nonexistent", **(env or {}))
        result = subprocess.run([str(self.binary), *args], input=stdin, capture_output=True, text=True,
                                env=full_env, timeout=300)
        if check and result.returncode != 0:
            raise RuntimeError(f"claimledger {' '.join(args)} exited {result.returncode}:\n"
                               f"{result.stdout}\n{result.stderr}")
        return result

    def entry_count(self) -> int:
        with open(self.ledger / "entries.jsonl", "rb") as entries:
            return sum(1 for _ in entries)

    # -- set-up ------------------------------------------------------------------------------------

    def build_ledger(self) -> None:
        self.keys.mkdir(mode=0o700)
        for name in ("root", "desk", "editor"):
            target = self.keys / f"{name}.pem"
            shutil.copyfile(TEST_KEYS / f"test-only-{name}.pem", target)
            os.chmod(target, 0o600)
        env = dict(os.environ, CLAIMLEDGER_BIN=str(self.binary), CLAIMLEDGER_KEYS="/nonexistent")
        subprocess.run([str(REPO / "seeds" / "rebuild-ledger.sh"),
                        "--root-key", str(self.keys / "root.pem"),
                        "--desk-key", str(self.keys / "desk.pem"),
                        "--editor-key", str(self.keys / "editor.pem"), str(self.ledger)],
                       check=True, env=env, capture_output=True, text=True, timeout=600)

    def add_accounts(self) -> None:
        for account, key in ((self.journalist, "desk"), (self.editor, "editor")):
            self.cli("user", "add", account.name, "--role", account.role, "--key", str(self.keys / f"{key}.pem"),
                     "--ledger", str(self.ledger), "--password-stdin", stdin=account.password + "\n")
            out = self.cli("user", "token", account.name, "--ledger", str(self.ledger), "--password-stdin",
                           stdin=account.password + "\n")
            match = TOKEN.search(out.stdout)
            if not match:
                raise RuntimeError(f"`claimledger user token {account.name}` printed no clt_ token:\n{out.stdout}")
            account.token = match.group(0)

    def start(self, timeout: float = 120) -> None:
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--ledger", str(self.ledger), "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env=dict(os.environ, CLAIMLEDGER_KEYS="/nonexistent"))
        found = threading.Event()

        def read() -> None:
            assert self.process and self.process.stdout
            for line in self.process.stdout:
                self.server_log.append(line.rstrip("\n"))
                match = SERVE_LINE.search(line)
                if match and not found.is_set():
                    self.url = match.group(1).rstrip("/")
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not found.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("claimledger serve printed no `claimledger: serving LEDGER at URL` line:\n"
                                   + "\n".join(self.server_log[-40:]))

    def stop(self) -> int | None:
        if not self.process:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    # -- HTTP --------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, data: dict | None = None, json_body: bytes | None = None,
                headers: dict | None = None, cookies: str | None = None) -> "Response":
        """One request, redirects NOT followed, so that a test sees 303s and their Location."""
        body = None
        all_headers = dict(headers or {})
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif json_body is not None:
            body = json_body
            all_headers.setdefault("Content-Type", "application/json")
        if cookies:
            all_headers["Cookie"] = cookies
        url = path if path.startswith("http") else self.url + path
        req = urllib.request.Request(url, data=body, method=method, headers=all_headers)
        opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar()))
        try:
            with opener.open(req, timeout=30) as resp:
                return Response(resp.status, dict(resp.headers.items()), resp.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, dict(err.headers.items()), err.read())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return ""


def make_newsroom() -> Newsroom:
    root = Path(tempfile.mkdtemp(prefix="claimledger-app-"))
    room = Newsroom(binary=claimledger_binary(), root=root, ledger=root / "ledger",
                    accounts_dir=root / "ledger.accounts", keys=root / "keys")
    room.build_ledger()
    room.add_accounts()
    room.start()
    return room
