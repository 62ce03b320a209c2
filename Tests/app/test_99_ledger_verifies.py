"""After every write of the run (browser, HTTP, schemathesis), the ledger verifies with the CLI: each
write was a ledger entry `claimledger verify` accepts, and the server kept the seed's checkpoints."""
from __future__ import annotations


def test_the_ledger_verifies_after_the_run(newsroom):
    checkpoints = sorted((newsroom.ledger / "checkpoints").iterdir(), key=lambda p: int(p.name))
    result = newsroom.cli("verify", "--ledger", str(newsroom.ledger), "--checkpoint", str(checkpoints[-1]),
                          check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: "), result.stdout
    count = int(result.stdout.split()[1])
    assert count == newsroom.entry_count() > 394, result.stdout
