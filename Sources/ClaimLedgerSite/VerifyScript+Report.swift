extension VerifyScript {
    /// The report in `#self-check-result` and `#self-check-details`, and the script's start.
    static let report = #"""
  // ---- the report -------------------------------------------------------------------------------
  function item(list, text) {
    var li = document.createElement("li");
    li.textContent = text;
    list.appendChild(li);
  }

  async function check(report) {
    var doc = readDocument();
    var pin = readPin();
    var cp = await checkCheckpoint(doc, pin);
    var origin = display(doc.origin), n = doc.proofTreeSize;
    var keysById = {};
    doc.keys.forEach(function (key) { if (!keysById[key.keyId]) keysById[key.keyId] = key; });
    var c = doc.claims[0], lines = [];
    for (var i = 0; i < c.proofs.length; i++) {
      var l = await checkEntry(doc, c.proofs[i], keysById, lines);
      lines.push(l);
      report.entries.push("Verified: entry " + l.seq + " is in checkpoint " + n + " of " + origin + ", signed by " + display(l.key.name) + ".");
    }
    var content = checkContent(doc, lines);
    checkShownFields(doc, content);
    var signers = cp.signedBy.map(function (t) { return display(t.key.name) + " (key " + short(t.keyId) + ")"; }).join(" and ");
    var where = " in checkpoint " + n + " of " + origin + ", signed by " + signers + ".";
    var pinned = pin === null ? "" : " The checkpoint's key matches the pin in this page's address.";
    if (content.unproven.length === 0) {
      report.state = "verified";
      report.text = "Verified: " + (lines.length === 1 ? "the only entry of this claim is" : "all " + lines.length + " entries of this claim are") +
        where + pinned;
      return;
    }
    report.state = "partial";
    var fields = FIELDS.filter(function (f) { return content.unchecked.indexOf(f) >= 0; });
    report.text = "Partly verified: " + lines.length + " of the " + (lines.length + content.unproven.length) + " entries of this claim are" +
      where + pinned + " " + listSeqs(content.unproven).replace(/^e/, "E") + " came after that checkpoint and cannot be checked on this page yet" +
      (fields.length ? ", so the " + andList(fields) + " shown " + (fields.length === 1 ? "is" : "are") + " not checked." : ".");
    content.unproven.forEach(function (seq) {
      report.entries.push("Not checked: entry " + seq + " came after checkpoint " + n + " of " + origin + ".");
    });
  }

  var runs = 0;
  async function run() {
    var result = document.getElementById("self-check-result");
    var details = document.getElementById("self-check-details");
    if (!result) return;
    var ticket = ++runs;
    var report = { state: "failed", check: null, text: "", entries: [] };
    try {
      if (!(await ed25519Works())) {
        report.state = "unsupported";
        report.text = window.crypto && window.crypto.subtle
          ? "This browser cannot check this page: it does not verify Ed25519 signatures with the Web Cryptography API. Current versions of Chrome, Edge, Firefox and Safari do."
          : "This browser cannot check this page: it offers no Web Cryptography API here (browsers offer it only to pages opened from a file or over HTTPS).";
      } else {
        await check(report);
      }
    } catch (e) {
      report.state = "failed";
      if (e instanceof Failure) {
        report.check = e.check;
        report.text = "Not verified: " + e.message.charAt(0).toUpperCase() + e.message.slice(1);
      } else {
        report.check = "data";
        report.text = "Not verified: the check stopped with an error: " + (e && e.message ? e.message : String(e));
      }
      report.entries.push(report.text);
    }
    if (ticket !== runs) return;  // the address changed meanwhile: a newer check reports
    result.textContent = report.text;
    result.setAttribute("data-state", report.state);
    if (report.check) result.setAttribute("data-failed-check", report.check); else result.removeAttribute("data-failed-check");
    if (details) {
      while (details.firstChild) details.removeChild(details.firstChild);
      report.entries.forEach(function (t) { item(details, t); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
  // A pin typed into the address after the page loaded: check again.
  window.addEventListener("hashchange", function () {
    var result = document.getElementById("self-check-result");
    if (!result) return;
    result.setAttribute("data-state", "pending");
    result.removeAttribute("data-failed-check");
    result.textContent = "Checking again…";
    run();
  });
})();
"""#
}
