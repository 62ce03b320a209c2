extension VerifyScript {
    /// Check 4: what the verified lines say against the claim object and the page.
    static let contentChecks = #"""
  // ---- 4. content -------------------------------------------------------------------------------
  // The claim's values derived from the verified lines, each with the seq of the entry that set it.
  function derive(c, lines) {
    var claimLine = lines.find(function (l) { return l.seq === c.entry.seq; });
    var p = claimLine.entry.payload;
    var v = {
      id: { value: p.id, seq: claimLine.seq },
      statement: { value: p.statement && p.statement.text, seq: claimLine.seq },
      lang: { value: p.statement && p.statement.lang, seq: claimLine.seq },
      claimant: { value: p.claimant, seq: claimLine.seq },
      date: { value: p.date, seq: claimLine.seq },
      kind: { value: p.kind, seq: claimLine.seq },
      corrected: { value: false, seq: claimLine.seq },
      retracted: { value: false, seq: claimLine.seq },
    };
    lines.forEach(function (l) {
      var e = l.entry;
      if (e.type !== "amend" || e.payload.claim !== c.id) return;
      if (e.payload.action === "retract") { v.retracted = { value: true, seq: l.seq }; return; }
      var ch = e.payload.changes || {};
      if (ch.statement) { v.statement = { value: ch.statement.text, seq: l.seq }; v.lang = { value: ch.statement.lang, seq: l.seq }; }
      if (ch.claimant !== undefined) v.claimant = { value: ch.claimant, seq: l.seq };
      if (ch.date !== undefined) v.date = { value: ch.date, seq: l.seq };
      if (ch.kind !== undefined) v.kind = { value: ch.kind, seq: l.seq };
      if (ch.statement || ch.claimant !== undefined || ch.date !== undefined || ch.quotes !== undefined) v.corrected = { value: true, seq: l.seq };
    });
    var statuses = lines.filter(function (l) { return l.entry.type === "status" && l.entry.payload.claim === c.id; });
    var latest = statuses.length ? statuses[statuses.length - 1] : null;
    v.status = { value: latest ? latest.entry.payload.status : "unverified", seq: latest ? latest.seq : null };
    v.verdict = { value: latest ? latest.entry.payload.verdict : undefined, seq: latest ? latest.seq : null };
    v.rationale = { value: latest ? latest.entry.payload.rationale : undefined, seq: latest ? latest.seq : null };
    var reviews = latest ? lines.filter(function (l) {
      return l.entry.type === "review" && l.entry.payload.claim === c.id && l.entry.payload.status === latest.hash;
    }) : [];
    var lastReview = reviews.length ? reviews[reviews.length - 1] : null;
    v.reviewed = { value: lastReview !== null && lastReview.entry.payload.decision === "approve", seq: lastReview ? lastReview.seq : null };
    return v;
  }

  function signedIn(d) {
    return d.seq === null ? "given by the signed entries of this claim" : "signed in entry " + d.seq;
  }
  function same(a, b) { return a === b || (a === undefined && b === null) || (a === null && b === undefined); }

  function checkContent(doc, lines) {
    var c = doc.claims[0], n = doc.proofTreeSize;
    var bySeq = {};
    lines.forEach(function (l) { bySeq[l.seq] = l; });
    var unproven = [];
    // Every entry the claim object names: proven (same hash, right type) or after the checkpoint.
    var refs = [];
    function ref(r, what, test) {
      if (!isEntryRef(r)) fail("data", "the page's data names a " + what + " entry with a malformed reference.");
      refs.push({ ref: r, what: what, test: test });
    }
    var id = c.id;
    ref(c.entry, "claim", function (e) { return e.type === "claim" && e.payload.id === id; });
    c.history.forEach(function (h) {
      ref(h.entry, "status", function (e) {
        return e.type === "status" && e.payload.claim === id && e.payload.status === h.status && e.payload.rationale === h.rationale &&
          same(e.payload.verdict, h.verdict && h.verdict.label);
      });
      (h.reviews || []).forEach(function (r) {
        ref(r.entry, "review", function (e) {
          return e.type === "review" && e.payload.claim === id && e.payload.status === h.entry.hash && e.payload.decision === r.decision;
        });
      });
    });
    c.amends.forEach(function (a) {
      ref(a.entry, "amend", function (e) { return e.type === "amend" && e.payload.claim === id && e.payload.action === a.action && e.payload.reason === a.reason; });
    });
    c.positions.forEach(function (p) { ref(p.entry, "position", function (e) { return e.type === "position" && e.payload.claim === id; }); });
    c.links.forEach(function (k) { ref(k.entry, "link", function (e) { return e.type === "link" && e.payload.from === id && e.payload.to === k.to && e.payload.relation === k.relation; }); });
    c.linkedFrom.forEach(function (k) { ref(k.entry, "link", function (e) { return e.type === "link" && e.payload.to === id && e.payload.from === k.from && e.payload.relation === k.relation; }); });
    c.sources.forEach(function (s) { ref(s.entry, "source", function (e) { return e.type === "source" && e.payload.sha256 === s.sha256; }); });
    refs.forEach(function (r) {
      var seq = r.ref.seq;
      if (seq >= n) { if (unproven.indexOf(seq) < 0) unproven.push(seq); return; }
      var l = bySeq[seq];
      if (!l) fail("content", "this page names entry " + seq + " (" + r.what + ") but carries no proof for it.");
      if (l.hash !== r.ref.hash) fail("content", "this page names entry " + seq + " with the hash " + short(r.ref.hash) + ", but the signed entry " + seq + " has the hash " + short(l.hash) + ".");
      if (!r.test(l.entry)) fail("content", "this page's data describes entry " + seq + " as a " + r.what + " entry of this claim, which the signed entry " + seq + " is not (or not as described).");
    });
    unproven.sort(function (a, b) { return a - b; });
    // Every status, amend and review of the claim among the proofs is in the claim object.
    var named = {};
    refs.forEach(function (r) { named[r.ref.seq] = true; });
    lines.forEach(function (l) {
      var e = l.entry;
      if ((e.type === "status" || e.type === "amend" || e.type === "review") && e.payload.claim === id && !named[l.seq]) {
        fail("content", "entry " + l.seq + " is a signed " + e.type + " entry of this claim that this page leaves out.");
      }
    });
    if (c.entry.seq >= n) {
      return { unproven: unproven, unchecked: ["statement", "claimant", "date", "status", "verdict", "rationale"], derived: null };
    }

    var derived = derive(c, lines);
    // Fields that entries after the checkpoint may change: compared with the claim object only.
    var unchecked = [];
    var lateAmends = c.amends.filter(function (a) { return a.entry.seq >= n; });
    lateAmends.forEach(function (a) {
      var ch = a.changes || {};
      if (ch.statement) unchecked.push("statement", "lang");
      if (ch.claimant !== undefined) unchecked.push("claimant");
      if (ch.date !== undefined) unchecked.push("date");
      if (ch.kind !== undefined) unchecked.push("kind");
      unchecked.push("corrected", "retracted");
    });
    if (c.history.some(function (h) { return h.entry.seq >= n; })) unchecked.push("status", "verdict", "rationale", "reviewed");
    var last = c.history.length ? c.history[c.history.length - 1] : null;
    if (last && (last.reviews || []).some(function (r) { return r.entry.seq >= n; })) unchecked.push("reviewed");

    var labels = { statement: "statement", lang: "statement's language", claimant: "claimant", date: "date", kind: "kind",
      corrected: "corrected mark", retracted: "retracted mark", status: "status", verdict: "verdict", rationale: "rationale", reviewed: "reviewed mark" };
    // (The claim's id was matched with its claim entry's above.)
    ["statement", "lang", "claimant", "date", "kind", "corrected", "retracted", "status", "verdict", "rationale", "reviewed"].forEach(function (m) {
      if (unchecked.indexOf(m) >= 0) return;
      var d = derived[m];
      if (!same(c[m], d.value)) {
        var pair = contrast(display(c[m] === undefined ? "" : c[m]), display(d.value === undefined ? "" : d.value));
        fail("content", "the " + labels[m] + " in this page's data differs from the one " + signedIn(d) + ": the data says " +
          (c[m] === undefined ? "nothing" : pair[0]) + ", the entries say " + (d.value === undefined ? "nothing" : pair[1]) + ".");
      }
    });
    return { unproven: unproven, unchecked: unchecked, derived: derived };
  }

  function checkShownFields(doc, content) {
    var c = doc.claims[0];
    var shown = document.querySelectorAll("[data-verify-field]");
    for (var i = 0; i < shown.length; i++) {
      var field = shown[i].getAttribute("data-verify-field");
      if (FIELDS.indexOf(field) < 0) fail("content", "this page marks an element as the field " + quoted(field) + ", which this check does not know.");
      var text = shown[i].textContent;
      if (content.unchecked.indexOf(field) >= 0) {
        // Set by an entry after the checkpoint: at least the page must agree with its own data.
        if (c[field] === undefined || text !== display(c[field])) {
          var own = contrast(display(text), c[field] === undefined ? "" : display(c[field]));
          fail("content", "the " + field + " shown on this page differs from the one in its own data: the page shows " + own[0] +
            ", the data says " + (c[field] === undefined ? "nothing" : own[1]) + ".");
        }
        continue;
      }
      var d = content.derived[field];
      if (d.value === undefined) {
        fail("content", "this page shows a " + field + " (" + quoted(text) + "), but the signed entries of this claim give none.");
      }
      if (text !== display(d.value)) {
        var shownPair = contrast(display(text), display(d.value));
        fail("content", "the " + field + " shown on this page differs from the one " + signedIn(d) + ": the page shows " + shownPair[0] +
          ", the entry says " + shownPair[1] + ".");
      }
    }
  }

"""#
}
