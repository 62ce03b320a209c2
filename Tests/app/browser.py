"""Selenium helpers: a headless Chromium, logging in, filling and submitting the app's forms, selecting
text in a source page, and checking that a page ran no script that came from the ledger."""
from __future__ import annotations

import os
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WINDOW = (1280, 900)  # the screenshots' size
XSS_FLAG = "__claimledgerXSS"


def new_driver() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WINDOW[0]},{WINDOW[1]}", "--lang=en-GB", "--hide-scrollbars",
                "--force-device-scale-factor=1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_window_size(*WINDOW)
    # The viewport itself at the fixed size (the window's size includes the browser's frame).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})
    driver.set_page_load_timeout(60)
    return driver


def wait(driver, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def path_of(driver) -> str:
    return urllib.parse.urlsplit(driver.current_url).path


def login(driver, base: str, name: str, password: str) -> None:
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(password)
    submit(driver, driver.find_element(By.NAME, "password"))
    wait(driver).until(EC.presence_of_element_located((By.ID, "whoami")))


def logout(driver, base: str) -> None:
    driver.get(base + "/claims")
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/logout']")
    submit(driver, form)
    wait(driver).until(lambda d: not d.find_elements(By.ID, "whoami"))


def submit(driver, element) -> None:
    """Clicks the submit button of the form holding `element` (or `element` itself when it is a form)."""
    form = element if element.tag_name == "form" else element.find_element(By.XPATH, "./ancestor::form")
    buttons = form.find_elements(By.CSS_SELECTOR, "button:not([type=button]):not([type=reset]), input[type=submit]")
    old = driver.find_element(By.TAG_NAME, "html")
    if buttons:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", buttons[-1])
        buttons[-1].click()
    else:
        form.submit()
    wait(driver).until(lambda _: is_stale(old))


def is_stale(element) -> bool:
    """True once `element` left the document. Chromium's driver sometimes answers a lookup of such an
    element with "Node with given id does not belong to the document" rather than a stale-element error:
    both mean the page was replaced."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def expect_notice(driver, what: str):
    """After a write: no field error, and the page (the claim's) shows the success banner."""
    errors = [f"{e.get_attribute('id')}: {e.text}" for e in driver.find_elements(By.CSS_SELECTOR, ".field-error")]
    summary = driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert not errors and not summary, \
        f"{what}: refused: {errors or summary[0].text} ({driver.current_url})"
    try:
        return wait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".notice[role=status]")))
    except Exception:
        raise AssertionError(f"{what}: no .notice[role=status] banner at {driver.current_url}: "
                             f"{driver.find_element(By.TAG_NAME, 'body').text[:400]!r}") from None


def field(form, name: str):
    found = form.find_elements(By.NAME, name)
    if not found:
        raise NoSuchElementException(f"the form has no field named {name!r}")
    return found


def fill(driver, form, values: dict[str, str]) -> None:
    """Sets each named field: selects by value (or visible text), radios by value, other inputs by typing
    (dates and hidden or read-only fields are set by script, since typing into them depends on the locale)."""
    for name, value in values.items():
        elements = field(form, name)
        first = elements[0]
        kind = (first.get_attribute("type") or "").lower()
        if first.tag_name == "select":
            select = Select(first)
            try:
                select.select_by_value(value)
            except NoSuchElementException:
                select.select_by_visible_text(value)
        elif kind in ("radio", "checkbox"):
            for element in elements:
                if element.get_attribute("value") == value:
                    driver.execute_script("arguments[0].click()", element)
                    break
            else:
                raise NoSuchElementException(f"no {name}={value!r} choice in the form")
        elif kind in ("date", "hidden", "datetime-local") or first.get_attribute("readonly") is not None:
            driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", first, value)
        else:
            first.clear()
            # send_keys cannot type characters outside the BMP; set those by script.
            if all(ord(c) <= 0xFFFF for c in value):
                first.send_keys(value)
            else:
                driver.execute_script("arguments[0].value = arguments[1];", first, value)


def form_for(driver, action_suffix: str):
    """The form whose action ends with `action_suffix` (for example "/claims" or "/status")."""
    for form in driver.find_elements(By.TAG_NAME, "form"):
        action = urllib.parse.urlsplit(form.get_attribute("action") or driver.current_url).path
        if action.endswith(action_suffix):
            return form
    raise NoSuchElementException(f"no form posting to …{action_suffix} on {driver.current_url}")


# Selects the text `phrase` inside #source-text with a DOM Range (across <mark> elements if need be) and
# fires the events a person's mouse would, so that the page's script offers to record a claim.
SELECT_PHRASE = r"""
const [phrase, occurrence] = arguments;
const root = document.getElementById('source-text');
if (!root) return 'no #source-text';
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const nodes = []; let text = '';
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (n.parentElement.closest('[data-skip]')) continue;  // markers and links the page adds to the text
  nodes.push([n, text.length]); text += n.data;
}
let at = -1;
for (let i = 0; i <= occurrence; i++) { at = text.indexOf(phrase, at + 1); if (at < 0) return 'phrase not found'; }
function point(offset, isEnd) {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const [node, start] = nodes[i];
    if (start < offset || (!isEnd && start === offset)) return [node, offset - start];
  }
  return [nodes[0][0], 0];
}
const [sn, so] = point(at, false), [en, eo] = point(at + phrase.length, true);
const range = document.createRange();
range.setStart(sn, so); range.setEnd(en, eo);
const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
const rect = range.getBoundingClientRect();
const opts = {bubbles: true, cancelable: true, clientX: rect.right, clientY: rect.bottom, view: window};
sn.parentElement.dispatchEvent(new MouseEvent('mousedown', opts));
en.parentElement.dispatchEvent(new MouseEvent('mouseup', opts));
document.dispatchEvent(new Event('selectionchange'));
en.parentElement.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'Shift'}));
return sel.toString();
"""


def select_in_source(driver, phrase: str, occurrence: int = 0) -> str:
    return driver.execute_script(SELECT_PHRASE, phrase, occurrence)


def record_claim_link(driver):
    """The link the page's script shows once text is selected: a visible link to /new-claim."""
    def visible_link(d):
        for link in d.find_elements(By.CSS_SELECTOR, "a[href*='/new-claim']"):
            if link.is_displayed() and "source=" in (link.get_attribute("href") or ""):
                return link
        return False
    return wait(driver).until(visible_link)


# -- stored-script checks ----------------------------------------------------------------------------

def visit(driver, url: str) -> None:
    """Loads `url` after draining the console log, so that assert_inert sees this page's messages only."""
    driver.get_log("browser")
    driver.get(url)


def assert_inert(driver, context: str) -> None:
    """No alert open, the payloads' flag unset, no inline script (data blocks aside) or event handler attribute in the DOM,
    no javascript: link, and no script or CSP error in the browser's console."""
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"{context}: an alert opened ({text!r})")
    except NoAlertPresentException:
        pass
    state = driver.execute_script(f"""
        const handlers = [];
        for (const el of document.querySelectorAll('*')) {{
          for (const a of el.attributes) if (/^on/i.test(a.name)) handlers.push(el.tagName + ' ' + a.name);
        }}
        return {{
          flag: window.{XSS_FLAG} === undefined ? null : String(window.{XSS_FLAG}),
          // Data blocks (the claim page's proofs and its ClaimReview) are not run by browsers; any
          // other script element without src is an inline script.
          inline: Array.from(document.scripts).filter(s => !s.src && !(
              (s.type === 'application/json' && s.id === 'claim-proof') || (s.type === 'application/ld+json' && !s.id)))
            .map(s => s.type + ': ' + s.textContent.slice(0, 80)),
          handlers: handlers,
          jsLinks: Array.from(document.querySelectorAll('[href],[src],[action],[formaction]'))
            .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction'))
            .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)),
        }};
    """)
    assert state["flag"] is None, f"{context}: a stored script ran (flag = {state['flag']})"
    assert state["inline"] == [], f"{context}: inline script elements in the DOM: {state['inline']}"
    assert state["handlers"] == [], f"{context}: event handler attributes in the DOM: {state['handlers']}"
    assert state["jsLinks"] == [], f"{context}: script URLs in the DOM: {state['jsLinks']}"
    problems = [entry["message"] for entry in driver.get_log("browser")
                if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
                or XSS_FLAG in entry["message"]]
    # A refused form answers 4xx, which Chromium logs as a failed resource load: not a script's doing.
    problems = [p for p in problems if "favicon.ico" not in p and "Failed to load resource" not in p]
    assert problems == [], f"{context}: the browser logged {problems}"
