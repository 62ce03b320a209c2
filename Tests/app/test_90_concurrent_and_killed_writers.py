"""Robustness of the writes (issue 12, "Tests"): concurrent writers over HTTP and from the CLI together
lose no acknowledged entry and the ledger verifies; the server killed with SIGKILL under write load keeps
every write it acknowledged (answered 201) after a restart, and `claimledger verify` passes.

Each test has its own newsroom and server (this one is killed), not the session's shared one."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from newsroom import make_newsroom

DRONE = "kremlin-accuses-ukraine-drone-attack-putin-residence"


def post_status(room, rationale: str, timeout: float = 30) -> int:
    """POST one status with the journalist's token; the HTTP status, or 0 when no answer came."""
    body = json.dumps({"status": "disputed", "rationale": rationale}).encode()
    req = urllib.request.Request(f"{room.url}/api/v1/claims/{DRONE}/statuses", data=body, method="POST",
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {room.journalist.token}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0


def ledger_rationales(room) -> list[str]:
    """The rationale of every status entry, in ledger order (only complete lines)."""
    out = []
    with open(room.ledger / "entries.jsonl", "rb") as entries:
        for line in entries:
            if not line.endswith(b"\n"):
                break
            payload = json.loads(line)["entry"]["payload"]
            if "rationale" in payload and "status" in payload:
                out.append(payload["rationale"])
    return out


def writers(room, tag: str, threads: int, stop: threading.Event, acked: list[str], lock: threading.Lock,
            per_thread: int | None = None) -> list[threading.Thread]:
    """`threads` HTTP writers posting `tag-t-i` until `stop` (or `per_thread` each); 201s go to `acked`."""
    def run(t: int) -> None:
        i = 0
        while not stop.is_set() and (per_thread is None or i < per_thread):
            i += 1
            rationale = f"{tag}-{t}-{i}"
            if post_status(room, rationale) == 201:
                with lock:
                    acked.append(rationale)
    workers = [threading.Thread(target=run, args=(t,), daemon=True) for t in range(threads)]
    for w in workers:
        w.start()
    return workers


def finish(room) -> None:
    code = room.stop()
    if os.environ.get("CLAIMLEDGER_APP_KEEP") is None:
        shutil.rmtree(room.root, ignore_errors=True)
    else:
        print(f"kept {room.root} (server exit {code})")


def test_http_and_cli_writers_together_lose_nothing():
    room = make_newsroom()
    try:
        acked: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()
        http = writers(room, "http", threads=8, stop=stop, acked=acked, lock=lock, per_thread=15)
        cli_acked = []
        for i in range(12):
            rationale = f"cli-{i}"
            result = room.cli("claim", "status", DRONE, "refuted", "--rationale", rationale,
                              "--ledger", str(room.ledger), "--key", str(room.keys / "desk.pem"), check=False)
            assert result.returncode == 0, result.stderr
            cli_acked.append(rationale)
        for w in http:
            w.join(timeout=300)
        assert len(acked) == 8 * 15, f"only {len(acked)} of {8 * 15} HTTP writes were acknowledged"
        present = ledger_rationales(room)
        for rationale in acked + cli_acked:
            assert present.count(rationale) == 1, f"{rationale}: {present.count(rationale)} times in the ledger"
        # The server sees the CLI's appends at once: its claim shows the latest status.
        answer = json.loads(urllib.request.urlopen(f"{room.url}/api/v1/claims/{DRONE}", timeout=30).read())
        assert "cli-11" in json.dumps(answer, ensure_ascii=False), "the server's claim does not show the CLI's status"
        verify = room.cli("verify", "--ledger", str(room.ledger), "--json", check=False)
        assert verify.returncode == 0 and json.loads(verify.stdout)["ok"], verify.stdout + verify.stderr
    finally:
        finish(room)


@pytest.mark.parametrize("round_", range(3))
def test_sigkill_under_write_load_keeps_every_acknowledged_write(round_):
    room = make_newsroom()
    try:
        acked: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()
        http = writers(room, f"kill{round_}", threads=16, stop=stop, acked=acked, lock=lock)
        deadline = time.monotonic() + 60
        while len(acked) < 20 * (round_ + 1) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05 * round_)
        assert room.process is not None
        room.process.send_signal(signal.SIGKILL)
        room.process.wait()
        stop.set()
        for w in http:
            w.join(timeout=60)
        acknowledged = list(acked)   # every 201 was sent before the kill
        assert len(acknowledged) >= 20, "the writers got too few answers before the kill"

        # Restarted, the server settles an unfinished group (never acknowledged) and writes again.
        room.process = None
        room.server_log.clear()
        room.start()
        assert post_status(room, f"after-restart-{round_}") == 201
        present = ledger_rationales(room)
        missing = [r for r in acknowledged if present.count(r) != 1]
        assert not missing, f"{len(missing)} acknowledged writes missing or doubled after the restart: {missing[:5]}"
        assert f"after-restart-{round_}" in present
        room.stop()
        verify = room.cli("verify", "--ledger", str(room.ledger), "--json", check=False)
        assert verify.returncode == 0 and json.loads(verify.stdout)["ok"], verify.stdout + verify.stderr
        print(f"SIGKILL round {round_}: {len(acknowledged)} acknowledged before the kill, all present; "
              f"{len(present)} statuses in the ledger")
    finally:
        finish(room)
