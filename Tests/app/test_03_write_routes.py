"""Who may write (issue 12, "Security"): every write route refuses anonymous users and the wrong role,
logged out nothing can be written, a cross-site form post without the CSRF token is refused, and no path
or id reaches a file outside the ledger. Each refusal is also checked to write nothing."""
from __future__ import annotations

import http.server
import json
import threading

import pytest
from selenium.webdriver.common.by import By

import browser
from browser import login, path_of, wait
from pages import afp_source, afp_source_id, cookie_header, csrf_token

DRONE = "kremlin-accuses-ukraine-drone-attack-putin-residence"
QUOTE = "Les pays européens alliés de l'Ukraine"

HTML_WRITES = ["/claims", f"/claims/{DRONE}/status", f"/claims/{DRONE}/position", f"/claims/{DRONE}/link",
               f"/claims/{DRONE}/correct", f"/claims/{DRONE}/retract", f"/claims/{DRONE}/review"]
HTML_FORMS = ["/new-claim", f"/claims/{DRONE}/status", f"/claims/{DRONE}/position", f"/claims/{DRONE}/link",
              f"/claims/{DRONE}/correct", f"/claims/{DRONE}/retract", "/review"]
JSON_WRITES = ["/api/v1/claims", f"/api/v1/claims/{DRONE}/statuses", f"/api/v1/claims/{DRONE}/positions",
               f"/api/v1/claims/{DRONE}/links", f"/api/v1/claims/{DRONE}/corrections",
               f"/api/v1/claims/{DRONE}/retraction", f"/api/v1/claims/{DRONE}/reviews"]
JOURNALIST_JSON_WRITES = [p for p in JSON_WRITES if not p.endswith("/reviews")]


def form_body(newsroom) -> dict:
    """A write that would be valid for a journalist, so that only the credentials are wrong."""
    return {"source": afp_source_id(newsroom), "quote": QUOTE, "statement": "Allies met in Paris.",
            "claimant": "AFP", "date": "2026-01-06", "lang": "en", "kind": "substance", "status": "disputed",
            "rationale": "Both sides are named.", "party": "AFP", "partyKind": "publication", "stance": "asserts",
            "to": DRONE, "relation": "context-for", "reason": "A test of the authorisation.", "decision": "approve",
            "note": "no"}


def json_body(newsroom) -> bytes:
    return json.dumps({"source": afp_source_id(newsroom), "quote": QUOTE,
                       "statement": "Allies met in Paris.", "claimant": "AFP", "date": "2026-01-06",
                       "lang": "en", "status": "disputed", "rationale": "Both sides are named.",
                       "decision": "approve", "reason": "A test of the authorisation."}).encode()


def refused_for_anonymous(answer) -> bool:
    if answer.status in (401, 403):
        return True
    return answer.status in (302, 303) and answer.header("Location").split("?")[0].endswith("/login")


@pytest.mark.parametrize("path", HTML_WRITES)
def test_anonymous_form_posts_are_refused(newsroom, path):
    before = newsroom.entry_count()
    answer = newsroom.request("POST", path, data=form_body(newsroom))
    assert refused_for_anonymous(answer), f"POST {path} anonymous: {answer.status} {answer.text[:200]}"
    assert newsroom.entry_count() == before


@pytest.mark.parametrize("path", JSON_WRITES)
def test_anonymous_and_bad_token_api_writes_are_refused(newsroom, path):
    before = newsroom.entry_count()
    for headers in ({}, {"Authorization": "Bearer clt_" + "A" * 43}, {"Authorization": "Basic YWxpY2U6eA=="}):
        answer = newsroom.request("POST", path, json_body=json_body(newsroom), headers=headers)
        assert answer.status == 401, f"POST {path} with {headers or 'no credentials'}: {answer.status}"
        assert answer.header("Content-Type").startswith("application/problem+json")
        problem = json.loads(answer.body)
        assert {"type", "title", "status", "detail", "code"} <= problem.keys()
    assert newsroom.entry_count() == before


def test_a_journalist_token_cannot_review(newsroom):
    before = newsroom.entry_count()
    answer = newsroom.request("POST", f"/api/v1/claims/{DRONE}/reviews",
                              json_body=json.dumps({"decision": "approve", "note": "mine"}).encode(),
                              headers={"Authorization": f"Bearer {newsroom.journalist.token}"})
    assert answer.status == 403, answer.text[:300]
    assert json.loads(answer.body).get("code")
    assert newsroom.entry_count() == before


def test_nobody_manages_keys_from_the_web(newsroom):
    before = newsroom.entry_count()
    for account in (newsroom.journalist, newsroom.editor):
        for path in ("/api/v1/keys", "/api/v1/keys/newsroom-root", "/api/v1/scale", "/api/v1/checkpoints"):
            for method in ("POST", "PUT", "DELETE"):
                answer = newsroom.request(method, path, json_body=b"{}",
                                          headers={"Authorization": f"Bearer {account.token}"})
                assert answer.status in (403, 404, 405), f"{method} {path} as {account.name}: {answer.status}"
    assert newsroom.entry_count() == before


@pytest.mark.parametrize("path", HTML_FORMS)
def test_logged_out_forms_redirect_to_login(newsroom, path, open_browser):
    driver = open_browser()
    driver.get(newsroom.url + path)
    assert path_of(driver) == "/login", f"GET {path} logged out went to {driver.current_url}"
    assert driver.find_elements(By.NAME, "password")


def test_logged_out_pages_offer_no_write_control(newsroom, open_browser):
    driver = open_browser()
    for path in ("/claims", f"/claims/{DRONE}", f"/sources/{afp_source_id(newsroom)}"):
        driver.get(newsroom.url + path)
        forms = [f.get_attribute("action") for f in driver.find_elements(By.CSS_SELECTOR, "form[method=post i]")]
        assert all(a.rstrip("/").endswith("/login") for a in forms), f"{path} logged out has write forms: {forms}"


@pytest.fixture(scope="module")
def journalist_session(newsroom):
    driver = browser.new_driver()
    login(driver, newsroom.url, newsroom.journalist.name, newsroom.journalist.password)
    yield driver
    driver.quit()


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(newsroom, journalist_session):
    cookies = cookie_header(journalist_session)
    good = csrf_token(newsroom, f"/claims/{DRONE}/status", cookies)
    body = {"status": "disputed", "rationale": "A CSRF test: must not be recorded."}
    before = newsroom.entry_count()
    for token in (None, "", good[:-1] + ("A" if good[-1] != "A" else "B")):
        data = dict(body) if token is None else {**body, "csrf": token}
        answer = newsroom.request("POST", f"/claims/{DRONE}/status", data=data, cookies=cookies)
        assert answer.status == 403, f"csrf={token!r}: {answer.status}"
    assert newsroom.entry_count() == before
    # The same session with the right token is accepted: the refusals above were the token's doing.
    answer = newsroom.request("POST", f"/claims/{DRONE}/status", data={**body, "csrf": good, "rationale":
                              "Both sides named: the Kremlin asserts, Kyiv denies (CSRF control write)."},
                              cookies=cookies)
    assert answer.status == 303, answer.text[:300]
    assert newsroom.entry_count() == before + 1


def test_a_cross_site_form_post_is_refused(newsroom, journalist_session):
    """A page on another origin posts a form to the app in the journalist's browser, without the token."""
    target = f"{newsroom.url}/claims/{DRONE}/status"
    page = (f'<!doctype html><title>elsewhere</title><form id="f" method="post" action="{target}">'
            '<input name="status" value="refuted"><input name="rationale" value="cross-site write">'
            '<button>go</button></form>').encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        before = newsroom.entry_count()
        driver = journalist_session
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/")
        old = driver.find_element(By.TAG_NAME, "html")
        driver.find_element(By.TAG_NAME, "button").click()
        from selenium.webdriver.support import expected_conditions as EC
        wait(driver).until(lambda _: browser.is_stale(old))
        assert newsroom.entry_count() == before, "the cross-site post wrote an entry"
        assert not driver.find_elements(By.CSS_SELECTOR, ".notice[role=status]")
    finally:
        server.shutdown()


TRAVERSALS = ["/sources/..%2F..%2F..%2Fetc%2Fpasswd", "/sources/../../etc/passwd", "/static/../entries.jsonl",
              "/static/..%2F..%2Fledger%2Fentries.jsonl", "/static/%2e%2e/%2e%2e/etc/passwd",
              "/api/v1/sources/..%2Fentries.jsonl/text", "/api/v1/sources/%2e%2e%2f%2e%2e%2fetc%2fpasswd/text",
              "/claims/..%2F..%2Fentries.jsonl", "/api/v1/claims/..%2F..%2Fetc%2Fpasswd",
              "/api/v1/checkpoints/..%2F..%2Fentries.jsonl", "/api/v1/checkpoints/-1",
              "/static/%00", "/sources/" + "a" * 5000, "/static//etc/passwd"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_and_ids_cannot_reach_files_outside_the_ledger(newsroom, path):
    answer = newsroom.request("GET", path)
    assert 400 <= answer.status < 500, f"GET {path}: {answer.status}"
    assert b"root:x:" not in answer.body and b'"prev"' not in answer.body, f"GET {path} leaked a file"


def test_source_text_is_served_from_the_archive(newsroom):
    source = afp_source(newsroom)
    answer = newsroom.request("GET", f"/api/v1/sources/{source['id']}/text")
    assert answer.status == 200
    assert answer.body == (newsroom.ledger / source["archive"]).read_bytes()
