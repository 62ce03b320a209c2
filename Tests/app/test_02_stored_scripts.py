"""Stored-script attempts in every text field of every form stay inert in the browser (issue 12,
"Security"): `<script>`, `<img onerror>`, `javascript:` links and markup in attributes are recorded as
text and shown as text; bidirectional overrides (U+202E) are refused beside the field, and a refused
form that shows the input again is inert too. A script that ran would set window.__claimledgerXSS, open
an alert, or (stopped by the Content-Security-Policy) log a CSP violation: browser.assert_inert checks
all three, and that no inline script, event-handler attribute or script URL is in the DOM."""
from __future__ import annotations

import itertools
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import browser
from browser import XSS_FLAG, assert_inert, fill, form_for, login, path_of, submit, visit, wait
from pages import afp_source_id, cookie_header, csrf_token

PHRASE = "L'entourage du président français Emmanuel Macron"
DRONE = "kremlin-accuses-ukraine-drone-attack-putin-residence"
PAYLOADS = [
    f'<script>window.{XSS_FLAG}="script"</script>',
    f'<img src=x onerror="window.{XSS_FLAG}=\'img\'">',
    f'javascript:window.{XSS_FLAG}="link"',
    f'<a href="javascript:window.{XSS_FLAG}=\'a\'">read more</a>',
    f'"><svg onload="window.{XSS_FLAG}=\'svg\'">',
    f"'><iframe src=\"javascript:window.top.{XSS_FLAG}='iframe'\"></iframe>",
    f'{{{{ {XSS_FLAG} }}}} <style>body{{display:none}}</style>',
]
BIDI = "Kyiv \u202Eseiled\u202C Moscow"
# Fields whose value the server checks against a set or a format: given valid values, not payloads.
STRUCTURED = {"csrf", "source", "quote", "offset", "start", "end", "date", "lang", "evidence", "to", "id",
              "claim", "kind", "status", "stance", "partyKind", "relation", "decision", "verdict", "spanSource",
              "spanQuote", "q"}
VALID = {"date": "2026-01-06", "lang": "en"}
QUOTE = "Les pays européens alliés de l'Ukraine"


def text_fields(form) -> list[str]:
    names = []
    for element in form.find_elements(By.CSS_SELECTOR, "textarea, input"):
        kind = (element.get_attribute("type") or "text").lower()
        name = element.get_attribute("name")
        if (name and name not in names and element.is_displayed() and element.get_attribute("readonly") is None
                and (element.tag_name == "textarea" or kind in ("text", "search", "url", "email", ""))):
            names.append(name)
    return names


def fill_present(driver, form, values: dict[str, str]) -> None:
    """Fills those of `values` the form has (the date and language fields are not on every form)."""
    fill(driver, form, {k: v for k, v in values.items() if form.find_elements(By.NAME, k)})


def fill_with_payloads(driver, form, fixed: dict[str, str], cycle) -> list[str]:
    """Fills `fixed`, then every other free text field with the next payload; returns the payload fields."""
    fill_present(driver, form, fixed)
    free = [name for name in text_fields(form) if name not in STRUCTURED and name not in fixed]
    fill(driver, form, {name: next(cycle) for name in free})
    return free


def submitted_ok(driver, what: str) -> None:
    browser.expect_notice(driver, what)
    assert_inert(driver, f"{what} (the page after the write)")


@pytest.fixture(scope="module")
def journalist(newsroom):
    driver = browser.new_driver()
    login(driver, newsroom.url, newsroom.journalist.name, newsroom.journalist.password)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def xss_claim(newsroom, journalist):
    """A claim whose every free text, in every form, is a stored-script attempt."""
    driver, cycle = journalist, itertools.cycle(PAYLOADS)
    source = afp_source_id(newsroom)
    visit(driver, f"{newsroom.url}/sources/{source}")
    assert browser.select_in_source(driver, PHRASE) == PHRASE
    browser.record_claim_link(driver).click()
    wait(driver).until(lambda d: path_of(d) == "/new-claim")
    form = form_for(driver, "/claims")
    fields = fill_with_payloads(driver, form, {**VALID, "kind": "attribution", "status": "unverified"}, cycle)
    assert {"statement", "claimant", "rationale"} <= set(fields), f"the claim form's text fields: {fields}"
    submit(driver, form)
    submitted_ok(driver, "claim form")
    claim = re.fullmatch(r"/claims/([^/]+)", path_of(driver)).group(1)

    steps = [("status", "/status", {"status": "disputed"}),
             ("position", "/position", {**VALID, "partyKind": "government", "stance": "asserts",
                                        "source": source, "quote": QUOTE}),
             ("link", "/link", {"relation": "context-for", "to": DRONE}),
             ("correct", "/correct", {"lang": "en"})]
    for step, action, fixed in steps:
        visit(driver, f"{newsroom.url}/claims/{claim}/{step}")
        assert_inert(driver, f"the {step} form")
        form = form_for(driver, action)
        fields = fill_with_payloads(driver, form, fixed, cycle)
        assert fields, f"the {step} form has no free text field"
        submit(driver, form)
        submitted_ok(driver, f"{step} form ({', '.join(fields)})")
    return claim


def pages_showing(newsroom, claim: str) -> list[str]:
    return [f"/claims/{claim}", "/claims", "/claims?q=window", f"/claims/{DRONE}",
            f"/sources/{afp_source_id(newsroom)}", "/audit", "/sources"]


def test_stored_scripts_stay_inert_for_readers(newsroom, xss_claim, open_browser):
    reader = open_browser()
    for path in pages_showing(newsroom, xss_claim):
        visit(reader, newsroom.url + path)
        assert_inert(reader, f"GET {path} (logged out)")
    visit(reader, f"{newsroom.url}/claims/{xss_claim}")
    shown = reader.find_element(By.TAG_NAME, "main" if reader.find_elements(By.TAG_NAME, "main") else "body").text
    assert "<script>" in shown or "onerror" in shown, "the payloads are shown as text, not dropped silently"


def test_stored_scripts_stay_inert_for_the_editor(newsroom, xss_claim, open_browser):
    editor = open_browser()
    login(editor, newsroom.url, newsroom.editor.name, newsroom.editor.password)
    # The editor sends the claim back with a note that is a payload too (the review's only text).
    cookies = cookie_header(editor)
    before = newsroom.entry_count()
    answer = newsroom.request("POST", f"/claims/{xss_claim}/review", cookies=cookies,
                              data={"csrf": csrf_token(newsroom, "/review", cookies), "decision": "return",
                                    "note": " ".join(PAYLOADS)})
    assert answer.status == 303, f"the editor's return: {answer.status} {answer.text[:300]}"
    assert newsroom.entry_count() == before + 1
    for path in [*pages_showing(newsroom, xss_claim), "/review"]:
        visit(editor, newsroom.url + path)
        assert_inert(editor, f"GET {path} (editor)")


def test_retraction_reason_stays_inert(newsroom, xss_claim, journalist, open_browser):
    visit(journalist, f"{newsroom.url}/claims/{xss_claim}/retract")
    form = form_for(journalist, "/retract")
    fields = fill_with_payloads(journalist, form, {}, itertools.cycle(PAYLOADS))
    assert fields, "the retraction form has a reason"
    submit(journalist, form)
    submitted_ok(journalist, "retract form")
    reader = open_browser()
    for path in (f"/claims/{xss_claim}", "/claims?retracted=yes", f"/claims/{DRONE}"):
        visit(reader, newsroom.url + path)
        assert_inert(reader, f"GET {path} after the retraction")


def test_refused_input_shown_again_is_inert(newsroom, journalist):
    """Every field, structured ones too, gets a payload: the form is refused and shows them again."""
    visit(journalist, f"{newsroom.url}/claims/{DRONE}/position")
    form = form_for(journalist, "/position")
    cycle = itertools.cycle(PAYLOADS)
    fill(journalist, form, {name: next(cycle) for name in text_fields(form)})
    before = newsroom.entry_count()
    submit(journalist, form)
    assert newsroom.entry_count() == before, "a refused form records nothing"
    assert journalist.find_elements(By.CSS_SELECTOR, ".error-summary[role=alert]")
    assert_inert(journalist, "the refused position form")


def test_bidi_overrides_are_refused_beside_the_field(newsroom, journalist):
    visit(journalist, f"{newsroom.url}/claims/{DRONE}/position")
    form = form_for(journalist, "/position")
    free = [name for name in text_fields(form) if name not in STRUCTURED]
    assert free
    fill_present(journalist, form, {**VALID, "partyKind": "government", "stance": "denies",
                            "source": afp_source_id(newsroom), "quote": QUOTE})
    fill(journalist, form, {name: "Kyiv (presidency)" for name in free})
    fill(journalist, form, {free[0]: BIDI})
    before = newsroom.entry_count()
    submit(journalist, form)
    assert newsroom.entry_count() == before, "text with U+202E is not recorded"
    assert journalist.find_elements(By.CSS_SELECTOR, f"p.field-error#{free[0]}-error"), \
        f"the refusal is shown beside the field {free[0]}"
    shown = journalist.execute_script("return document.body.innerText")
    assert "\u202E" not in shown, "the page's text holds no raw RIGHT-TO-LEFT OVERRIDE"
    assert_inert(journalist, "the refused bidi form")
