"""Small helpers shared by the app tests: the seed's AFP source, session cookies and CSRF tokens."""
from __future__ import annotations

import functools
import html
import json
import re

AFP_TITLE = "Sommet de la Coalition des volontaires à Paris sur les garanties de sécurité pour l'Ukraine"
CSRF_FIELD = re.compile(r"<input\b[^>]*\bname=\"csrf\"[^>]*>", re.I)
VALUE = re.compile(r"\bvalue=\"([^\"]*)\"", re.I)


@functools.cache
def _sources(ledger: str, binary: str) -> list[dict]:
    import subprocess
    out = subprocess.run([binary, "source", "list", "--json", "--ledger", ledger],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def sources(newsroom) -> list[dict]:
    return _sources(str(newsroom.ledger), str(newsroom.binary))


def afp_source(newsroom) -> dict:
    for source in sources(newsroom):
        if source["title"] == AFP_TITLE:
            return source
    raise AssertionError("the seed's AFP article is not in the ledger")


def afp_source_id(newsroom) -> str:
    return afp_source(newsroom)["id"]


def source_bytes(newsroom, source_id: str) -> bytes:
    for source in sources(newsroom):
        if source["id"] == source_id:
            return (newsroom.ledger / source["archive"]).read_bytes()
    raise AssertionError(f"no source {source_id}")


def cookie_header(driver) -> str:
    """The browser's cookies for the app, as a Cookie header (to replay its session with urllib)."""
    return "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())


def csrf_from(page: str) -> str | None:
    field = CSRF_FIELD.search(page)
    if not field:
        return None
    value = VALUE.search(field.group(0))
    return html.unescape(value.group(1)) if value else None


def csrf_token(newsroom, path: str, cookies: str) -> str:
    """The CSRF token the server puts in the form at `path` for the session in `cookies`."""
    page = newsroom.request("GET", path, cookies=cookies)
    assert page.status == 200, f"GET {path}: {page.status}"
    token = csrf_from(page.text)
    assert token, f"the form at {path} carries no hidden csrf field"
    return token
