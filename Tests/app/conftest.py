"""pytest fixtures for the app tests: one temporary newsroom (ledger, accounts, server) for the whole run,
and headless Chromium browsers driven by Selenium (Debian's chromium and chromium-driver)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from newsroom import Newsroom, make_newsroom  # noqa: E402
import browser  # noqa: E402


@pytest.fixture(scope="session")
def newsroom():
    room = make_newsroom()
    try:
        yield room
    finally:
        code = room.stop()
        log = room.root / "server.log"
        log.write_text("\n".join(room.server_log) + "\n")
        print(f"\napp tests: the server exited {code}; its log is {log}")
        if os.environ.get("CLAIMLEDGER_APP_KEEP") is None and code == 0:
            import shutil
            shutil.rmtree(room.root, ignore_errors=True)


@pytest.fixture(scope="session")
def shared():
    """State the ordered flow tests hand on (the recorded claim's id, ...)."""
    return {}


@pytest.fixture
def open_browser():
    """open_browser() -> a new headless Chromium (its own cookies); all are quit at the end of the test."""
    drivers = []

    def make():
        driver = browser.new_driver()
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    path = Path(os.environ.get("CLAIMLEDGER_SCREENSHOTS",
                               Path(__file__).resolve().parents[2] / "docs" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
