"""A claim page of the static site checks itself in the reader's browser (verify.js, VerifyScript.swift):
opened from disk (file://) in headless Chromium, an untouched page says "Verified", and each tampering
with what it shows or carries fails the check that should catch it (data-failed-check)."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import claim_pages, escape, new_driver, read_document, with_document

# -- the page ---------------------------------------------------------------------------------------


class _FieldFinder(HTMLParser):
    """Finds the content range (character offsets) of the first element with data-verify-field=FIELD."""

    def __init__(self, page: str, field: str):
        super().__init__(convert_charrefs=True)
        self.field, self.tag, self.depth, self.range = field, None, 0, None
        self.starts = [0]
        for line in page.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def position(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.range is not None:
            return
        if self.tag is None and dict(attrs).get("data-verify-field") == self.field:
            self.tag, self.depth = tag, 1
            self.begin = self.position() + len(self.get_starttag_text())
        elif self.tag == tag:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.range is None and self.tag == tag:
            self.depth -= 1
            if self.depth == 0:
                self.range = (self.begin, self.position())


def field_range(page: str, field: str) -> tuple[int, int]:
    finder = _FieldFinder(page, field)
    finder.feed(page)
    finder.close()
    assert finder.range, f'the page has no element with data-verify-field="{field}"'
    return finder.range


def set_field(page: str, field: str, text: str) -> str:
    start, end = field_range(page, field)
    return page[:start] + escape(text) + page[end:]


def prepend_to_field(page: str, field: str, text: str) -> str:
    start, _ = field_range(page, field)
    return page[:start] + escape(text) + page[start:]


def write_page(workdir: Path, name: str, page: str) -> Path:
    path = workdir / "claims" / name
    path.write_text(page, encoding="utf-8")
    return path


def check(driver, path: Path, fragment: str = "") -> dict:
    """Opens the page and waits for verify.js to report: {state, failed, text, details}."""
    driver.get("about:blank")  # so that a new fragment loads the page again
    driver.get_log("browser")
    driver.get(path.as_uri() + fragment)
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.ID, "self-check-result").get_attribute("data-state") != "pending")
    result = driver.find_element(By.ID, "self-check-result")
    return {
        "state": result.get_attribute("data-state"),
        "failed": result.get_attribute("data-failed-check"),
        "text": result.get_attribute("textContent"),
        "details": [li.get_attribute("textContent")
                    for li in driver.find_elements(By.CSS_SELECTOR, "#self-check-details > li")],
        "errors": [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"
                   and "verify.js" in e["message"]],
    }


def assert_failed(report: dict, check_name: str, *phrases: str) -> None:
    assert report["state"] == "failed" and report["failed"] == check_name, report
    assert report["text"].startswith("Not verified: "), report
    for phrase in phrases:
        assert phrase.lower() in report["text"].lower(), (phrase, report["text"])


# -- the data ---------------------------------------------------------------------------------------

def proof_of(claim: dict, seq: int) -> dict:
    return next(p for p in claim["proofs"] if p["seq"] == seq)


def entry_of(proof: dict) -> dict:
    return json.loads(proof["line"])["entry"]


def latest_status_proof(claim: dict) -> dict:
    return proof_of(claim, claim["history"][-1]["entry"]["seq"])


def jcs_string(s: str) -> str:
    """A string in RFC 8785 form (Python's escapes for the control characters are JCS's)."""
    return json.dumps(s, ensure_ascii=False)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def note_key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def resign_checkpoint(doc: dict, key: Ed25519PrivateKey) -> None:
    """Replaces the checkpoint by one with the same text signed by `key` only (a correct C2SP signature
    line for the origin) and adds that key's verifier key to verifierKeys."""
    origin, public = doc["origin"], raw_public(key)
    note = doc["checkpoint"]
    text = note[:note.rindex("\n\n") + 1]
    key_id = note_key_id(origin, public)
    doc["checkpoint"] = text + "\n" + f"\u2014 {origin} {b64(key_id + key.sign(text.encode()))}\n"
    doc["verifierKeys"] = doc["verifierKeys"] + [f"{origin}+{key_id.hex()}+{b64(bytes([1]) + public)}"]


def checkpoint_key_id(doc: dict) -> str:
    """The id (hex SHA-256 of the raw public key) of the root key whose verifier key is in the page."""
    data = base64.b64decode(doc["verifierKeys"][0].split("+", 2)[2])
    key_id = hashlib.sha256(data[1:]).hexdigest()
    assert any(k["keyId"] == key_id and k["role"] == "root" for k in doc["keys"])
    return key_id


# -- tests ------------------------------------------------------------------------------------------

def test_untouched_page_verifies(driver, claim_page):
    doc = claim_page.document
    report = check(driver, claim_page.path)
    assert report["state"] == "verified", report
    assert report["failed"] is None
    assert report["text"].startswith("Verified: "), report["text"]
    assert f"checkpoint {doc['proofTreeSize']} of {doc['origin']}" in report["text"], report["text"]
    proofs = doc["claims"][0]["proofs"]
    assert f"all {len(proofs)} entries of this claim" in report["text"], report["text"]
    assert len(report["details"]) == len(proofs)
    for proof, line in zip(proofs, report["details"]):
        assert line.startswith(f"Verified: entry {proof['seq']} is in checkpoint {doc['proofTreeSize']} of {doc['origin']}, signed by ")
    assert report["errors"] == []


def test_every_claim_page_verifies(driver, site_dir):
    pages = claim_pages(site_dir)
    assert pages
    for page in pages:
        doc = page.document
        report = check(driver, page.path)
        expected = "verified" if doc["proofTreeSize"] == doc.get("treeSize", doc["proofTreeSize"]) else ("verified", "partial")
        assert report["state"] in expected, (page.path.name, report)


def test_statement_changed_in_heading(driver, claim_page, workdir):
    page = prepend_to_field(claim_page.text, "statement", "Not true: ")
    report = check(driver, write_page(workdir, claim_page.path.name, page))
    assert_failed(report, "content", "statement shown on this page differs from the one signed in entry")


def test_another_claims_genuine_data_on_this_page(driver, claim_page, site_dir, workdir):
    """Every line of another published claim verifies, but the page names this claim: the id shown
    is not the one signed."""
    other = next(p for p in claim_pages(site_dir) if p.claim["id"] != claim_page.claim["id"])
    page = with_document(claim_page.text, other.document)
    report = check(driver, write_page(workdir, claim_page.path.name, page))
    assert report["state"] == "failed" and report["failed"] == "content", report


def test_statement_changed_in_signed_claim_line(driver, claim_page, workdir):
    doc = claim_page.document
    claim = doc["claims"][0]
    proof = proof_of(claim, claim["entry"]["seq"])
    text = entry_of(proof)["payload"]["statement"]["text"]
    changed = proof["line"].replace(jcs_string(text), jcs_string(text + " (and more)"), 1)
    assert changed != proof["line"]
    proof["line"] = changed
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert_failed(report, "hash", f"entry {claim['entry']['seq']} has been changed")


def test_verdict_changed_in_signed_status_line(driver, claim_page, workdir):
    doc = claim_page.document
    claim = doc["claims"][0]
    proof = latest_status_proof(claim)
    verdict = entry_of(proof)["payload"]["verdict"]
    other = "false" if verdict != "false" else "accurate"
    proof["line"] = proof["line"].replace(f'"verdict":{jcs_string(verdict)}', f'"verdict":{jcs_string(other)}', 1)
    assert entry_of(proof)["payload"]["verdict"] == other
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert_failed(report, "hash", f"entry {proof['seq']} has been changed")


def test_verdict_changed_on_page_only(driver, claim_page, workdir):
    verdict = claim_page.claim["verdict"]
    page = set_field(claim_page.text, "verdict", "false" if verdict != "false" else "accurate")
    report = check(driver, write_page(workdir, claim_page.path.name, page))
    seq = claim_page.claim["history"][-1]["entry"]["seq"]
    assert_failed(report, "content", f"verdict shown on this page differs from the one signed in entry {seq}")


def test_proof_hash_changed(driver, claim_page, workdir):
    doc = claim_page.document
    claim = doc["claims"][0]
    proof = proof_of(claim, claim["entry"]["seq"])
    path = proof["inclusion"]["proof"]
    assert path, "the claim entry's inclusion proof is empty"
    path[0] = ("0" if path[0][0] != "0" else "1") + path[0][1:]
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert_failed(report, "inclusion", f"entry {proof['seq']} is not shown to be in checkpoint {doc['proofTreeSize']}")


def test_entry_signature_replaced(driver, claim_page, workdir):
    """A valid-looking signature: a real Ed25519 signature over the same bytes, by another key."""
    doc = claim_page.document
    proof = latest_status_proof(doc["claims"][0])
    line = proof["line"]
    canonical = line.encode()[9:-178]
    forged = b64(Ed25519PrivateKey.generate().sign(canonical))
    assert len(forged) == 88
    proof["line"] = line[:-90] + forged + line[-2:]
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert_failed(report, "signature", f"signature of entry {proof['seq']}", "does not verify")


def test_checkpoint_signed_by_another_key(driver, claim_page, workdir):
    doc = claim_page.document
    resign_checkpoint(doc, Ed25519PrivateKey.generate())
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert_failed(report, "checkpoint", "no signature by a root key of this ledger")


def test_witness_cosignature_is_ignored(driver, claim_page, workdir):
    """A signature line by a key the page does not trust (a witness's cosignature) is kept and ignored."""
    doc = claim_page.document
    witness = Ed25519PrivateKey.generate()
    name = "witness.example/w1"
    cosignature = note_key_id(name, raw_public(witness)) + bytes(8) + witness.sign(b"anything")
    doc["checkpoint"] += f"\u2014 {name} {b64(cosignature)}\n"
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert report["state"] == "verified", report


def test_pin_of_the_real_key(driver, claim_page):
    key_id = checkpoint_key_id(claim_page.document)
    for pin in (key_id, key_id[:16], key_id.upper()):
        report = check(driver, claim_page.path, "#pin=" + pin)
        assert report["state"] == "verified", (pin, report)
        assert "matches the pin" in report["text"]


def test_pin_of_another_key(driver, claim_page):
    other = hashlib.sha256(raw_public(Ed25519PrivateKey.generate())).hexdigest()
    report = check(driver, claim_page.path, "#pin=" + other)
    assert_failed(report, "checkpoint", "not signed by the key pinned in this page's address")


def test_pin_added_after_loading(driver, claim_page):
    """A reader who types #pin=… into the address of an open page gets the page checked again."""
    assert check(driver, claim_page.path)["state"] == "verified"
    other = hashlib.sha256(raw_public(Ed25519PrivateKey.generate())).hexdigest()
    driver.execute_script("location.hash = arguments[0]", "pin=" + other)
    result = driver.find_element(By.ID, "self-check-result")
    WebDriverWait(driver, 30).until(lambda d: result.get_attribute("data-state") == "failed")
    assert result.get_attribute("data-failed-check") == "checkpoint"
    driver.execute_script("location.hash = arguments[0]", "pin=" + checkpoint_key_id(claim_page.document))
    WebDriverWait(driver, 30).until(lambda d: result.get_attribute("data-state") == "verified")


def test_malformed_pin(driver, claim_page):
    report = check(driver, claim_page.path, "#pin=0123")
    assert_failed(report, "checkpoint", "pin in this page's address")


def test_foreign_root_key_is_caught_only_by_a_pin(driver, claim_page, workdir):
    """What the page cannot see: a checkpoint re-signed by a key that the page itself lists as a root key
    verifies; the reader's pin of the real key catches it."""
    doc = claim_page.document
    real = checkpoint_key_id(doc)
    key = Ed25519PrivateKey.generate()
    public = raw_public(key)
    resign_checkpoint(doc, key)
    doc["keys"].append({"keyId": hashlib.sha256(public).hexdigest(), "name": "impostor-root", "role": "root",
                        "publicKey": b64(public), "added": 0})
    path = write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc))
    report = check(driver, path)
    assert report["state"] == "verified" and "impostor-root" in report["text"], report
    report = check(driver, path, "#pin=" + real)
    assert_failed(report, "checkpoint", "not signed by the key pinned", "impostor-root")


def test_claim_data_status_changed(driver, claim_page, workdir):
    """The unsigned claim object must agree with the signed lines too."""
    doc = claim_page.document
    claim = doc["claims"][0]
    claim["status"] = "refuted" if claim["status"] != "refuted" else "corroborated"
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert_failed(report, "content", "status in this page's data differs")


def test_latest_status_left_out_of_proofs(driver, claim_page, workdir):
    doc = claim_page.document
    claim = doc["claims"][0]
    seq = claim["history"][-1]["entry"]["seq"]
    claim["proofs"] = [p for p in claim["proofs"] if p["seq"] != seq]
    report = check(driver, write_page(workdir, claim_page.path.name, with_document(claim_page.text, doc)))
    assert_failed(report, "content", f"names entry {seq} (status) but carries no proof for it")


def test_entry_after_the_checkpoint_is_partial(driver, claim_page, workdir):
    """A status entry newer than the checkpoint has no proof: the page says which entry and which fields
    it could not check (and still requires the page to agree with its own data)."""
    doc = claim_page.document
    claim = doc["claims"][0]
    later = doc["proofTreeSize"] + 1
    history = copy.deepcopy(claim["history"][-1])
    history.update(status="refuted", rationale="A later finding.", reviews=[], reviewed=False)
    history["verdict"]["label"] = "false"
    history["entry"] = dict(history["entry"], seq=later, hash="ab" * 32)
    claim["history"].append(history)
    claim.update(status="refuted", rationale="A later finding.", verdict="false", reviewed=False)
    page = with_document(claim_page.text, doc)
    page = set_field(page, "status", "refuted")
    page = set_field(page, "verdict", "false")
    page = set_field(page, "rationale", "A later finding.")
    path = write_page(workdir, claim_page.path.name, page)
    report = check(driver, path)
    assert report["state"] == "partial" and report["failed"] is None, report
    assert report["text"].startswith("Partly verified: "), report["text"]
    assert f"Entry {later} came after that checkpoint" in report["text"], report["text"]
    assert "status, verdict and rationale shown are not checked" in report["text"], report["text"]
    assert f"Not checked: entry {later} came after checkpoint {doc['proofTreeSize']} of {doc['origin']}." in report["details"]
    # The unproven fields must still agree with the page's own data.
    report = check(driver, write_page(workdir, "mismatch.html", set_field(page, "status", "corroborated")))
    assert_failed(report, "content", "status shown on this page differs from the one in its own data")


def test_browser_without_ed25519(claim_page):
    driver = new_driver()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
            const importKey = SubtleCrypto.prototype.importKey;
            SubtleCrypto.prototype.importKey = function (format, data, algorithm, ...rest) {
              const name = typeof algorithm === 'string' ? algorithm : algorithm && algorithm.name;
              if (String(name).toLowerCase() === 'ed25519')
                return Promise.reject(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError'));
              return importKey.call(this, format, data, algorithm, ...rest);
            };"""})
        report = check(driver, claim_page.path)
        assert report["state"] == "unsupported", report
        assert "Ed25519" in report["text"]
    finally:
        driver.quit()


def test_script_writes_no_markup(site_dir):
    script = (site_dir / "assets" / "verify.js").read_text(encoding="utf-8")
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "fetch("):
        assert banned not in script, banned
