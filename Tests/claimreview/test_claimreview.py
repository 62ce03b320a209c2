"""Offline checks of a `claimledger export --format claimreview` file (docs/AUDIT.md "Publishing as ClaimReview").

    CLAIMREVIEW_FILE=claimreview.json python3 -m pytest -q Tests/claimreview

The file must be an export made with --base-url (Google requires `url`). Each document is checked
  - against google-factcheck.schema.json: Google's documented ClaimReview rules (required and
    recommended properties), written for these tests, plus the rating bounds
    worstRating <= ratingValue <= bestRating, which JSON Schema cannot state;
  - by JSON-LD expansion with pyld, with no network: the document loader serves only the local
    schemaorg-context.jsonld for "https://schema.org" and refuses every other URL. That file is NOT
    schema.org's published context (no copy of it could be had offline here): it was written for these
    tests and defines exactly the terms the export uses, each mapped to its schema.org IRI in the
    http://schema.org/ namespace that schema.org's own context uses, with `url` coerced to an IRI as
    there. It has no @vocab, so a term the export used but the context lacked would be dropped by
    expansion: the tests check that every member survives, and that the expanded document has the
    ClaimReview, Claim and Rating types with the fields the export promises.
"""
import copy
import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from pyld import jsonld

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "google-factcheck.schema.json").read_text())
CONTEXT = json.loads((HERE / "schemaorg-context.jsonld").read_text())
CONTEXT_URLS = {"https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/"}
S = "http://schema.org/"


def local_loader(url, options=None):
    """Serves the local context for schema.org's context URLs; anything else is refused (no network)."""
    if url not in CONTEXT_URLS:
        raise jsonld.JsonLdError(f"offline test: no document for {url}", "jsonld.LoadDocumentError",
                                 code="loading document failed")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}


def expand(doc):
    return jsonld.expand(doc, {"documentLoader": local_loader})


def load_export():
    path = os.environ.get("CLAIMREVIEW_FILE")
    if not path:
        pytest.skip("set CLAIMREVIEW_FILE to a `claimledger export --format claimreview --base-url …` file")
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


@pytest.fixture(scope="module")
def export():
    return load_export()


def rating_problems(doc):
    r = doc.get("reviewRating", {})
    if all(k in r for k in ("worstRating", "ratingValue", "bestRating")):
        if not r["worstRating"] <= r["ratingValue"] <= r["bestRating"]:
            return [f"rating out of bounds: {r['worstRating']} <= {r['ratingValue']} <= {r['bestRating']} fails"]
    return []


def google_problems(docs):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(docs)]
    for i, doc in enumerate(docs):
        errors += [f"[{i}] {p}" for p in rating_problems(doc)]
    return errors


def dropped_members(compact, expanded, path="$"):
    """Members of the compact document that expansion lost (a term the context does not define)."""
    lost = []
    if isinstance(compact, list):
        items = expanded if isinstance(expanded, list) else [expanded]
        if len(items) != len(compact):
            return [f"{path}: {len(compact)} items became {len(items)}"]
        for i, (c, e) in enumerate(zip(compact, items)):
            lost += dropped_members(c, e, f"{path}[{i}]")
        return lost
    if not isinstance(compact, dict):
        return lost
    if isinstance(expanded, list) and len(expanded) == 1:
        expanded = expanded[0]
    for key, value in compact.items():
        if key == "@context":
            continue
        if key == "@type":
            if expanded.get("@type") != [S + value]:
                lost.append(f"{path}.@type: {value} expanded to {expanded.get('@type')}")
            continue
        iri = S + key
        if iri not in expanded:
            lost.append(f"{path}.{key}: dropped by expansion")
        elif isinstance(value, (dict, list)):
            lost += dropped_members(value, expanded[iri], f"{path}.{key}")
    return lost


def one(node, prop):
    values = node.get(S + prop, [])
    assert len(values) == 1, f"{prop}: {values}"
    return values[0]


def test_every_document_meets_googles_documented_rules(export):
    assert isinstance(export, list) and export, "the export has no ClaimReview"
    assert google_problems(export) == []


def test_every_document_expands_offline_with_every_field(export):
    for i, doc in enumerate(export):
        expanded = expand(doc)
        assert len(expanded) == 1, f"[{i}] expands to {len(expanded)} nodes"
        assert dropped_members(doc, expanded[0]) == [], f"[{i}]"
        review = expanded[0]
        assert review["@type"] == [S + "ClaimReview"]
        for prop in ("claimReviewed", "datePublished", "inLanguage"):
            assert one(review, prop)["@value"]
        assert one(review, "url")["@id"].startswith("http")
        author = one(review, "author")
        assert author["@type"] in ([S + "Organization"], [S + "Person"]) and one(author, "name")["@value"]
        rating = one(review, "reviewRating")
        assert rating["@type"] == [S + "Rating"]
        assert one(rating, "alternateName")["@value"]
        values = [one(rating, p)["@value"] for p in ("worstRating", "ratingValue", "bestRating")]
        assert values[0] <= values[1] <= values[2]
        claim = one(review, "itemReviewed")
        assert claim["@type"] == [S + "Claim"]
        assert one(one(claim, "author"), "name")["@value"] and one(claim, "datePublished")["@value"]
        assert claim.get(S + "appearance"), f"[{i}] no appearance"
        for work in claim[S + "appearance"]:
            assert work["@type"] == [S + "CreativeWork"]
        # The ledger provenance: the status and review entries' hashes, the claim entry's hash.
        ids = {one(v, "propertyID")["@value"]: one(v, "value")["@value"] for v in review[S + "identifier"]}
        assert len(ids["claimledger:status-entry"]) == 64 and len(ids["claimledger:review-entry"]) == 64
        claim_ids = {one(v, "propertyID")["@value"]: one(v, "value")["@value"] for v in claim[S + "identifier"]}
        assert len(claim_ids["claimledger:claim-entry"]) == 64


def test_the_checks_catch_what_they_are_for(export):
    doc = copy.deepcopy(export[0])
    bad = copy.deepcopy(doc)
    bad["reviewRating"]["ratingValue"] = bad["reviewRating"]["bestRating"] + 1
    assert any("out of bounds" in p for p in google_problems([bad]))
    for member in ("claimReviewed", "url", "reviewRating"):
        missing = copy.deepcopy(doc)
        del missing[member]
        assert google_problems([missing]), member
    unknown = copy.deepcopy(doc)
    unknown["reviewBody"] = "a term the local context does not define"
    assert dropped_members(unknown, expand(unknown)[0]) == ["$.reviewBody: dropped by expansion"]
    elsewhere = copy.deepcopy(doc)
    elsewhere["@context"] = "https://example.org/context.jsonld"
    with pytest.raises(jsonld.JsonLdError):
        expand(elsewhere)
