"""The static site as a whole (docs/AUDIT.md "Publishing a site"): every link and script of every page
leads to a file of the site, the index filters work from disk, the feeds parse, nothing unpublished
leaks, and no page carries an inline script."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ATOM = "{http://www.w3.org/2005/Atom}"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src", "action"):
            if a.get(name):
                self.urls.append(a[name])
        if tag == "script" and "src" not in a and a.get("type") not in ("application/json", "application/ld+json"):
            self.inline_scripts += 1


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_link_of_every_page_leads_to_a_file_of_the_site(site_dir):
    missing = []
    for page in pages(site_dir):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.inline_scripts == 0, f"{page}: inline script"
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("#"):
                continue
            assert not parts.scheme and not url.startswith("/"), f"{page.relative_to(site_dir)}: not a relative link: {url}"
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or site_dir.resolve() not in target.parents:
                missing.append(f"{page.relative_to(site_dir)} -> {url}")
    assert not missing, "links to missing files:\n" + "\n".join(missing[:20])


def test_only_published_claims_have_pages_and_nothing_else_is_named(site_dir):
    export = json.loads((site_dir / "export.json").read_text(encoding="utf-8"))
    published = {c["id"] for c in export["claims"] if c.get("reviewed") and not c.get("retracted") and "verdict" in c}
    on_disk = {p.stem for p in (site_dir / "claims").glob("*.html")}
    assert on_disk == published
    for page in pages(site_dir):
        for href in re.findall(r'href="(?:\.\./)*claims/([a-z0-9-]+)\.html', page.read_text(encoding="utf-8")):
            assert href in published, f"{page}: links to unpublished claim {href}"


def test_feeds_list_every_published_verdict(site_dir):
    export = json.loads((site_dir / "export.json").read_text(encoding="utf-8"))
    published = [c for c in export["claims"] if c.get("reviewed") and not c.get("retracted") and "verdict" in c]
    atom = ET.parse(site_dir / "feed.atom").getroot()
    assert atom.tag == ATOM + "feed"
    entries = atom.findall(ATOM + "entry")
    assert len(entries) == len(published) > 0
    for e in entries:
        link = e.find(ATOM + "link").get("href")
        assert link.startswith("https://") and link.endswith(".html")
        assert (site_dir / "claims" / link.rsplit("/", 1)[1]).is_file()
        assert e.find(ATOM + "id").text.startswith(link + "#verdict-")
    feed = json.loads((site_dir / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["url"] for i in feed["items"]] == [e.find(ATOM + "link").get("href") for e in entries]


def test_index_filters_work_from_disk(site_dir, driver):
    export = json.loads((site_dir / "export.json").read_text(encoding="utf-8"))
    published = [c for c in export["claims"] if c.get("reviewed") and not c.get("retracted") and "verdict" in c]
    verdict = published[0]["verdict"]
    expected = sum(1 for c in published if c["verdict"] == verdict)
    driver.get((site_dir / "index.html").as_uri() + "?verdict=" + verdict)
    WebDriverWait(driver, 20).until(lambda d: "match" in d.find_element(By.ID, "results-heading").text)
    shown = [li for li in driver.find_elements(By.CSS_SELECTOR, "#claim-list > li") if li.is_displayed()]
    assert len(shown) == expected
    assert driver.find_element(By.ID, "verdict").get_attribute("value") == verdict
    # Words narrow further, as they are typed; clearing every filter shows every claim again.
    box = driver.find_element(By.ID, "q")
    box.send_keys("zzzz-no-such-word")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "no-match").is_displayed())
    box.clear()
    driver.get((site_dir / "index.html").as_uri())
    shown = [li for li in driver.find_elements(By.CSS_SELECTOR, "#claim-list > li") if li.is_displayed()]
    assert len(shown) == len(published)


def test_json_twins_and_export_match_the_export_schema(site_dir):
    """Each claims/<id>.json (FORMAT.md 11.3) and export.json validate against schemas/export.schema.json,
    with the cross-member rules of Tests/schema/validate.py; each twin is the page's own data block."""
    import subprocess
    import sys
    from conftest import REPO, read_document
    validator = REPO / "Tests" / "schema" / "validate.py"
    twins = sorted((site_dir / "claims").glob("*.json"))
    assert twins
    for path in twins + [site_dir / "export.json"]:
        done = subprocess.run([sys.executable, str(validator), "export", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, f"{path.name}: {done.stdout}{done.stderr}"
    for twin in twins[:5]:
        page = (site_dir / "claims" / (twin.stem + ".html")).read_text(encoding="utf-8")
        assert json.loads(twin.read_text(encoding="utf-8")) == read_document(page)
