/// `filter.js`: the static site's index filters (SiteIndexPage.swift), without a server. It reads the
/// filters from the page's query (`?verdict=…&status=…&claimant=…&q=…`, which the GET form writes), puts
/// them back in the form, and hides every claim that does not match: verdict, status and claimant
/// exactly, and every word of `q` somewhere in the claim's statement, claimant or rationale (case
/// folded). Changing a filter applies it at once and updates the address where the browser allows it
/// (not from `file://`), so that a filtered view can be shared.
enum FilterScript {
    static let text = #"""
"use strict";
(function () {
  var form = document.getElementById("filters");
  var list = document.getElementById("claim-list");
  if (!form || !list) { return; }
  var heading = document.getElementById("results-heading");
  var none = document.getElementById("no-match");
  var names = ["verdict", "status", "claimant", "q"];

  function current() {
    var f = {};
    names.forEach(function (n) { f[n] = form.elements[n] ? form.elements[n].value : ""; });
    return f;
  }

  function apply() {
    var f = current();
    var words = f.q.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = 0;
    Array.prototype.forEach.call(list.children, function (li) {
      var ok = (!f.verdict || li.dataset.verdict === f.verdict) &&
               (!f.status || li.dataset.status === f.status) &&
               (!f.claimant || li.dataset.claimant === f.claimant) &&
               words.every(function (w) { return li.dataset.words.indexOf(w) >= 0; });
      li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var filtered = names.some(function (n) { return f[n] !== ""; });
    heading.textContent = shown + (shown === 1 ? " fact check" : " fact checks") + (filtered ? (shown === 1 ? " matches" : " match") : "");
    none.hidden = shown !== 0;
    return f;
  }

  function remember(f) {
    var params = new URLSearchParams();
    names.forEach(function (n) { if (f[n]) { params.set(n, f[n]); } });
    var query = params.toString();
    try { history.replaceState(null, "", query ? "?" + query : location.pathname); } catch (e) { /* file:// */ }
  }

  var query = new URLSearchParams(location.search);
  names.forEach(function (n) {
    var v = query.get(n);
    if (v !== null && form.elements[n]) { form.elements[n].value = v; }
  });
  apply();
  form.addEventListener("change", function () { remember(apply()); });
  form.addEventListener("input", function () { remember(apply()); });
  form.addEventListener("submit", function (e) { e.preventDefault(); remember(apply()); });
})();
"""#
}
