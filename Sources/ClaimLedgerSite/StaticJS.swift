/// The script, served at /static/app.js. Pages work without it; it only enhances:
///
/// 1. On a source page, selecting text in `#source-text` shows "Record a claim with this quote", a link
///    to `/new-claim?source=ID&start=B&end=B`. THE OFFSET CONVENTION (shared with the write side, which
///    implements the form): `start` and `end` are BYTE offsets into the archived source's bytes, end
///    exclusive. The page renders the source's text as `<span data-b="OFFSET">` runs whose text is
///    exactly the UTF-8 bytes from OFFSET on (runs break at every CR and at every direction control,
///    which the page shows as a visible marker with `data-skip`), so the script computes a boundary as
///    the run's `data-b` plus the UTF-8 length of the run's text before the boundary. The server
///    (`GET /new-claim`) must still check everything: `0 <= start < end <= size`, both on UTF-8 character
///    boundaries, the quote's text allowed by the ledger's rules; it prefills the quote from the bytes.
/// 2. On the claims list, typing in the search box refreshes the results (live search) after a pause,
///    by fetching the same page and swapping `#results`; the URL is updated so that it stays shareable.
public enum StaticJS {
    public static let text = #"""
"use strict";
(function () {
  var encoder = new TextEncoder();
  function utf8Length(s) { return encoder.encode(s).length; }

  // The byte offset of a DOM boundary point (node, offset) inside the source text, or null.
  function byteOffset(container, node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      var run = node.parentElement && node.parentElement.closest("[data-b]");
      if (!run || !container.contains(run) || run.closest("[data-skip]")) return null;
      var before = 0, child = run.firstChild;
      while (child && child !== node) { before += utf8Length(child.textContent); child = child.nextSibling; }
      return parseInt(run.getAttribute("data-b"), 10) + before + utf8Length(node.data.slice(0, offset));
    }
    // An element boundary: the start of the next run, or the end of the previous one.
    var runs = container.querySelectorAll("[data-b]");
    var probe = document.createRange();
    probe.setStart(node, offset);
    for (var i = 0; i < runs.length; i++) {
      var r = document.createRange();
      r.selectNodeContents(runs[i]);
      if (probe.compareBoundaryPoints(Range.START_TO_START, r) <= 0) return parseInt(runs[i].getAttribute("data-b"), 10);
    }
    if (runs.length === 0) return null;
    var last = runs[runs.length - 1];
    return parseInt(last.getAttribute("data-b"), 10) + utf8Length(last.textContent);
  }

  function setUpSelection() {
    var container = document.getElementById("source-text");
    var action = document.getElementById("selection-action");
    if (!container || !action) return;
    var link = action.querySelector("a");
    var source = container.getAttribute("data-source");
    document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { action.hidden = true; return; }
      var range = sel.getRangeAt(0);
      if (!container.contains(range.commonAncestorContainer)) { action.hidden = true; return; }
      var start = byteOffset(container, range.startContainer, range.startOffset);
      var end = byteOffset(container, range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) { action.hidden = true; return; }
      link.href = "/new-claim?source=" + encodeURIComponent(source) + "&start=" + start + "&end=" + end;
      action.hidden = false;
    });
  }

  function setUpLiveSearch() {
    var form = document.getElementById("claim-filters");
    var box = document.getElementById("q");
    var results = document.getElementById("results");
    if (!form || !box || !results || !window.fetch) return;
    var timer = null, latest = 0;
    box.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () {
        var params = new URLSearchParams(new FormData(form));
        params.delete("page");
        for (var pair of Array.from(params.entries())) { if (pair[1] === "") params.delete(pair[0]); }
        var url = form.getAttribute("action") + (params.toString() ? "?" + params.toString() : "");
        var ticket = ++latest;
        fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (html === null || ticket !== latest) return;
            var doc = new DOMParser().parseFromString(html, "text/html");
            var fresh = doc.getElementById("results");
            var current = document.getElementById("results");
            if (!fresh || !current) return;
            current.replaceWith(document.importNode(fresh, true));
            history.replaceState(null, "", url);
          })
          .catch(function () {});
      }, 300);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUpSelection(); setUpLiveSearch(); });
})();
"""#
}
