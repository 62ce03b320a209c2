"""pytest fixtures for the static site's tests: the site built once per session with `claimledger site`
(or taken from $CLAIMLEDGER_SITE_DIR), a reviewed claim page of it, and a headless Chromium.

Environment:
- CLAIMLEDGER_SITE_DIR: an already built site to test instead of building one (nothing is written to it).
- CLAIMLEDGER_BIN: the tool (default: the repository's .build/debug/claimledger; it is not built here).
- CLAIMLEDGER_LEDGER: the ledger to publish (default: the repository's committed ledger/).
- CLAIMLEDGER_SITE_BASE_URL: the site's --base-url (default https://factuel.example/claimledger).
- CHROMIUM, CHROMEDRIVER: as in Tests/app (default /usr/bin/chromium, /usr/bin/chromedriver).
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
WINDOW = (1280, 900)
PROOF_BLOCK = re.compile(r'(<script\b[^>]*\bid="claim-proof"[^>]*>)(.*?)(</script>)', re.S)


def new_driver() -> webdriver.Chrome:
    """Headless Chromium with the options of Tests/app/browser.py."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WINDOW[0]},{WINDOW[1]}", "--lang=en-GB", "--hide-scrollbars",
                "--force-device-scale-factor=1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site under test: $CLAIMLEDGER_SITE_DIR, else `claimledger site` run once on the ledger. A
    failure to build fails the tests (it is never a skip)."""
    given = os.environ.get("CLAIMLEDGER_SITE_DIR")
    if given:
        path = Path(given)
        assert (path / "claims").is_dir(), f"CLAIMLEDGER_SITE_DIR={given} has no claims/ directory"
        return path
    binary = Path(os.environ.get("CLAIMLEDGER_BIN", REPO / ".build" / "debug" / "claimledger"))
    if not binary.is_absolute():
        binary = REPO / binary
    ledger = Path(os.environ.get("CLAIMLEDGER_LEDGER", REPO / "ledger"))
    out = tmp_path_factory.mktemp("site") / "out"
    base_url = os.environ.get("CLAIMLEDGER_SITE_BASE_URL", "https://factuel.example/claimledger")
    command = [str(binary), "site", "--ledger", str(ledger), "--out", str(out), "--publisher", "AFP Factuel",
               "--base-url", base_url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        pytest.fail(f"{binary} does not exist: build it (swift build) or set CLAIMLEDGER_BIN")
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-4000:]}")
    assert (out / "claims").is_dir(), f"{' '.join(command)} wrote no claims/ directory"
    return out


@dataclass
class ClaimPage:
    path: Path
    text: str  # the page's HTML

    @property
    def document(self) -> dict:
        return read_document(self.text)

    @property
    def claim(self) -> dict:
        return self.document["claims"][0]


def read_document(page: str) -> dict:
    match = PROOF_BLOCK.search(page)
    assert match, "the page has no <script type=application/json id=claim-proof> block"
    return json.loads(match.group(2))


def with_document(page: str, document: dict) -> str:
    """The page with its #claim-proof block replaced by `document`, written script-safe."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    match = PROOF_BLOCK.search(page)
    return page[:match.start(2)] + text + page[match.end(2):]


def claim_pages(site: Path) -> list[ClaimPage]:
    pages = [ClaimPage(p, p.read_text(encoding="utf-8")) for p in sorted((site / "claims").glob("*.html"))]
    return [p for p in pages if PROOF_BLOCK.search(p.text)]


@pytest.fixture(scope="session")
def claim_page(site_dir) -> ClaimPage:
    """A reviewed claim page with a verdict, all of whose entries are in the checkpoint; a corrected
    claim if there is one (its statement then comes from an amend entry)."""
    candidates = []
    for page in claim_pages(site_dir):
        doc = page.document
        claim = doc["claims"][0]
        if not claim.get("reviewed") or "verdict" not in claim or not claim.get("proofs"):
            continue
        if doc["proofTreeSize"] < doc.get("treeSize", doc["proofTreeSize"]) or "checkpoint" not in doc:
            continue
        if 'data-verify-field="statement"' not in page.text or 'data-verify-field="verdict"' not in page.text:
            continue
        candidates.append(page)
    assert candidates, f"no reviewed claim page with a verdict and a proof block in {site_dir / 'claims'}"
    corrected = [p for p in candidates if p.claim.get("corrected")]
    return (corrected or candidates)[0]


@pytest.fixture(scope="session")
def driver():
    d = new_driver()
    yield d
    d.quit()


@pytest.fixture
def workdir(tmp_path, site_dir) -> Path:
    """A place for tampered pages: `claims/` beside a copy of the site's `assets/`, so that a page's
    `../assets/verify.js` resolves."""
    shutil.copytree(site_dir / "assets", tmp_path / "assets")
    (tmp_path / "claims").mkdir()
    return tmp_path


def escape(text: str) -> str:
    return html.escape(text, quote=False)
