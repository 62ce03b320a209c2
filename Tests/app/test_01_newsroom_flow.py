"""The newsroom's day in a real browser (issue 12, "Tests"): read the seed, select a quote in a source and
record the claim, change its status with a verdict, an editor approves it, search finds it, the claim
page shows the verification panel. The tests run in file order and hand on the claim's id; the
screenshots in docs/screenshots/ are taken on the way."""
from __future__ import annotations

import json
import re
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import browser
from browser import fill, form_for, login, path_of, submit, wait
from pages import afp_source_id, cookie_header, csrf_token, source_bytes

DRONE = "kremlin-accuses-ukraine-drone-attack-putin-residence"
# A phrase of the AFP article no seed claim quotes, with letters outside ASCII, so that its byte
# offsets differ from its character offsets.
PHRASE = "Autre point à l'ordre du jour, selon la même source"
SEARCH_WORD = "quillwort"
STATEMENT = (f"The Paris summit's agenda included the operational arrangements of a multinational force "
             f"(app test {SEARCH_WORD}).")


@pytest.fixture(scope="module")
def journalist(newsroom):
    driver = browser.new_driver()
    login(driver, newsroom.url, newsroom.journalist.name, newsroom.journalist.password)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def editor(newsroom):
    driver = browser.new_driver()
    login(driver, newsroom.url, newsroom.editor.name, newsroom.editor.password)
    yield driver
    driver.quit()


def test_reader_sees_the_seed_without_logging_in(newsroom, open_browser, screenshots_dir):
    driver = open_browser()
    driver.get(newsroom.url + "/")
    assert path_of(driver) == "/claims", "GET / should redirect to /claims"
    listed = {urllib.parse.urlsplit(a.get_attribute("href")).path for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")}
    claims = [p for p in listed if re.fullmatch(r"/claims/[a-z][a-z0-9-]{2,63}", p)]
    assert len(claims) >= 20, f"the seed's claims are listed: {sorted(listed)[:40]}"
    assert driver.find_elements(By.TAG_NAME, "h1"), "the claims page has a heading"
    assert not driver.find_elements(By.ID, "whoami")
    driver.save_screenshot(str(screenshots_dir / "claims.png"))

    driver.get(f"{newsroom.url}/claims/{DRONE}")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Ukraine tried to strike a residence of Vladimir Putin" in body
    assert "disputed" in body and "unproven" in body
    quote = "ce que Kiev dément"
    assert driver.find_elements(By.XPATH, f"//mark[contains(., \"{quote}\")]"), "the quote is highlighted in context"
    assert "Peskov" in body and "Zelensky" in body, "the parties' positions are shown"
    assert driver.find_elements(By.ID, "verification")
    driver.save_screenshot(str(screenshots_dir / "drone-claim.png"))

    source = afp_source_id(newsroom)
    driver.get(f"{newsroom.url}/sources/{source}")
    text = driver.find_element(By.ID, "source-text")
    assert text.get_attribute("data-source") == source
    marks = text.find_elements(By.CSS_SELECTOR, "mark")
    assert len(marks) >= 10, f"the quoted spans are highlighted ({len(marks)} marks)"
    linked = text.find_elements(By.CSS_SELECTOR, "a[href*='/claims/'] mark, mark a[href*='/claims/'], mark[data-claim]")
    assert linked or text.find_elements(By.CSS_SELECTOR, "a[href*='/claims/']"), "the marks link to their claims"
    driver.save_screenshot(str(screenshots_dir / "source.png"))


def test_journalist_records_a_claim_from_a_selection(newsroom, journalist, shared):
    source = afp_source_id(newsroom)
    journalist.get(f"{newsroom.url}/sources/{source}")
    assert newsroom.journalist.name in journalist.find_element(By.ID, "whoami").text
    selected = browser.select_in_source(journalist, PHRASE)
    assert selected == PHRASE, f"the selection: {selected!r}"
    link = browser.record_claim_link(journalist)
    link.click()
    wait(journalist).until(lambda d: path_of(d) == "/new-claim")

    # The server turned the selection into byte offsets, which the journalist never types.
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(journalist.current_url).query)
    text = source_bytes(newsroom, source)
    start = text.index(PHRASE.encode())
    form = form_for(journalist, "/claims")
    assert form.find_element(By.NAME, "quote").get_attribute("value") == PHRASE
    offsets = form.find_elements(By.NAME, "offset")
    if offsets:
        assert offsets[0].get_attribute("value") == str(start), "the quote's byte offset"
    assert query.get("source") == [source]

    before = newsroom.entry_count()
    fill(journalist, form, {"statement": STATEMENT, "claimant": "Élysée (French presidency)",
                            "date": "2026-01-06", "lang": "en", "kind": "substance", "status": "unverified",
                            "rationale": "Reported by AFP from the French presidency; not yet checked."})
    submit(journalist, form)
    notice = browser.expect_notice(journalist, "the claim form")
    match = re.fullmatch(r"/claims/([^/]+)", path_of(journalist))
    assert match, f"after recording, the claim page: {journalist.current_url}"
    shared["claim"] = match.group(1)
    assert notice.text
    assert newsroom.entry_count() == before + 2, "the claim and its first status"
    body = journalist.find_element(By.TAG_NAME, "body").text
    assert STATEMENT in body and PHRASE in body


def test_a_form_error_is_shown_beside_the_field_and_nothing_is_recorded(newsroom, journalist, shared):
    claim = shared.get("claim") or pytest.skip("no claim recorded")
    journalist.get(f"{newsroom.url}/claims/{claim}/status")
    form = form_for(journalist, "/status")
    before = newsroom.entry_count()
    fill(journalist, form, {"status": "refuted", "rationale": ""})
    journalist.execute_script("for (const e of arguments[0].elements) e.removeAttribute('required')", form)
    submit(journalist, form)
    assert journalist.find_elements(By.CSS_SELECTOR, ".error-summary[role=alert]"), "an error summary"
    assert journalist.find_elements(By.CSS_SELECTOR, "p.field-error#rationale-error"), "the error beside the field"
    assert newsroom.entry_count() == before


def test_journalist_changes_the_status_with_a_verdict(newsroom, journalist, shared):
    claim = shared.get("claim") or pytest.skip("no claim recorded")
    source = afp_source_id(newsroom)
    journalist.get(f"{newsroom.url}/claims/{claim}/status")
    form = form_for(journalist, "/status")
    values = {"status": "corroborated", "verdict": "accurate",
              "rationale": "The AFP dispatch and the Elysee's own programme both list the force's arrangements."}
    before = newsroom.entry_count()
    fill(journalist, form, values)
    choose_evidence(journalist, form, source)
    submit(journalist, form)
    browser.expect_notice(journalist, "the status form")
    assert path_of(journalist) == f"/claims/{claim}"
    assert newsroom.entry_count() == before + 1
    body = journalist.find_element(By.TAG_NAME, "body").text
    assert "corroborated" in body and "accurate" in body


def choose_evidence(driver, form, source: str) -> None:
    """Evidence: a select, checkboxes or a text field of source ids; a verdict rests on evidence spans,
    rows of `spanSource` and `spanQuote` fields: the first row gets the AFP article and the phrase."""
    if form.find_elements(By.NAME, "evidence"):
        fill(driver, form, {"evidence": source})
    if form.find_elements(By.NAME, "spanQuote"):
        fill(driver, form, {"spanSource": source, "spanQuote": PHRASE})


def test_journalist_cannot_review(newsroom, journalist, shared):
    claim = shared.get("claim") or pytest.skip("no claim recorded")
    journalist.get(f"{newsroom.url}/claims/{claim}")
    assert not journalist.find_elements(By.CSS_SELECTOR, "form[action$='/review']"), "no review control"
    cookies = cookie_header(journalist)
    assert newsroom.request("GET", "/review", cookies=cookies).status == 403
    token = csrf_token(newsroom, f"/claims/{claim}/status", cookies)
    before = newsroom.entry_count()
    answer = newsroom.request("POST", f"/claims/{claim}/review", cookies=cookies,
                              data={"csrf": token, "decision": "approve", "note": "self-approval"})
    assert answer.status == 403, answer.text[:300]
    assert newsroom.entry_count() == before


def test_editor_approves_it_in_the_review_queue(newsroom, editor, shared, screenshots_dir):
    claim = shared.get("claim") or pytest.skip("no claim recorded")
    editor.get(f"{newsroom.url}/review")
    assert "(editor)" in editor.find_element(By.ID, "whoami").text
    form = form_for(editor, f"/claims/{claim}/review")
    editor.save_screenshot(str(screenshots_dir / "review.png"))
    before = newsroom.entry_count()
    buttons = form.find_elements(By.CSS_SELECTOR, "button[name=decision][value=approve]")
    if buttons:
        fill_note(editor, form)
        old = editor.find_element(By.TAG_NAME, "html")
        buttons[0].click()
        wait(editor).until(lambda _: browser.is_stale(old))
    else:
        fill(editor, form, {"decision": "approve"})
        fill_note(editor, form)
        submit(editor, form)
    assert newsroom.entry_count() == before + 1
    editor.get(f"{newsroom.url}/review")
    assert not editor.find_elements(By.CSS_SELECTOR, f"form[action$='/claims/{claim}/review']"), \
        "an approved verdict leaves the queue"
    claim_json = newsroom.request("GET", f"/api/v1/claims/{claim}")
    assert claim_json.status == 200
    document = json.loads(claim_json.body)
    document = document.get("claim", document)
    assert document.get("reviewed") is True, f"the API says the verdict is reviewed: {claim_json.text[:400]}"


def fill_note(driver, form) -> None:
    if form.find_elements(By.NAME, "note"):
        fill(driver, form, {"note": "Checked against both sources."})


def test_search_finds_it(newsroom, open_browser, shared):
    claim = shared.get("claim") or pytest.skip("no claim recorded")
    driver = open_browser()

    def results():
        found = driver.find_elements(By.ID, "results")
        return found[0] if found else driver.find_element(By.TAG_NAME, "main")

    driver.get(f"{newsroom.url}/claims?q={SEARCH_WORD}")
    assert results().find_elements(By.CSS_SELECTOR, f"a[href$='/claims/{claim}']"), "the results link to the claim"
    assert not results().find_elements(By.CSS_SELECTOR, f"a[href$='/claims/{DRONE}']"), "and only matching claims"
    driver.get(f"{newsroom.url}/claims?q=ordre+du+jour+m%C3%AAme+source")  # the quote's words
    assert results().find_elements(By.CSS_SELECTOR, f"a[href$='/claims/{claim}']"), "search covers quotes"
    driver.get(f"{newsroom.url}/claims?verdict=accurate&reviewed=yes&q={SEARCH_WORD}")
    assert results().find_elements(By.CSS_SELECTOR, f"a[href$='/claims/{claim}']"), "filters combine with search"
    driver.get(f"{newsroom.url}/claims?verdict=false&q={SEARCH_WORD}")
    assert not results().find_elements(By.CSS_SELECTOR, f"a[href$='/claims/{claim}']"), "a filter excludes it"
    api = newsroom.request("GET", f"/api/v1/claims?q={SEARCH_WORD}")
    assert api.status == 200 and claim in api.text


def test_the_claim_page_shows_the_verification_panel(newsroom, open_browser, shared):
    claim = shared.get("claim") or pytest.skip("no claim recorded")
    driver = open_browser()
    driver.get(f"{newsroom.url}/claims/{claim}")
    panel = driver.find_element(By.ID, "verification")
    text = panel.text
    hashes = re.findall(r"[0-9a-f]{64}", panel.get_attribute("textContent"))
    assert hashes, f"the panel shows the entries' hashes: {text[:300]!r}"
    assert re.search(r"checkpoint", text, re.I), "the panel speaks of the latest checkpoint"
    assert "newsroom-root" in text, "and names the checkpoint's signer"
