/// The self-check script of a published claim page, served as `verify.js` (static site:
/// `assets/verify.js`, loaded by claim pages as `../assets/verify.js`; server: `/static/verify.js`). It
/// only ever runs as an external file (the pages' CSP forbids inline scripts), uses nothing but the Web
/// Cryptography API (SHA-256, Ed25519) and the DOM, fetches nothing, and writes to the page with
/// `textContent` and `createElement` only (never `innerHTML` nor `eval`). It works from `file://`.
///
/// THE PAGE CONTRACT. The page holds `#self-check-result` (`data-state="pending"`), `#self-check-details`
/// (an `<ol>`), `<script type="application/json" id="claim-proof">` with an export document
/// (docs/FORMAT.md 11) whose `claims` is exactly one claim object with its `proofs`, together with `keys`,
/// `origin`, `checkpoint`, `verifierKeys`, `proofTreeSize` and `proofRootHash`; and any number of elements
/// with `data-verify-field` = `statement`, `claimant`, `date`, `status`, `verdict` or `rationale` whose
/// `textContent` is that value in display form (each direction control U+202A-U+202E, U+2066-U+2069,
/// U+200E, U+200F, U+061C, U+2028, U+2029 written `[U+XXXX]`, NUL as U+FFFD).
///
/// WHAT IT CHECKS, in this order, stopping at the first failure (`data-state="failed"`, and
/// `data-failed-check` names the check):
/// 1. `data`: the embedded JSON parses; `format` is `claimledger-export/1`; one claim; the members it
///    needs are present and well formed (hex digests, canonical base64, integers).
/// 2. `checkpoint`: `checkpoint` is a c2sp.org/signed-note (FORMAT.md 14.2: text, blank line, signature
///    lines `— <name> <base64(key id || signature)>`) whose text is a tlog-checkpoint body. A verifier key
///    of `verifierKeys` is trusted only if its name is `origin`, its key id is the first 4 bytes of
///    SHA-256(name || LF || 0x01 || public key), and its public key is that of a `root` key of `keys`
///    active at the checkpoint's size (7.2, 14.2). At least one signature line is by a trusted key and
///    every one by a trusted key verifies (Ed25519 over the note text, the acceptance rule of 7.6). The
///    body's origin is `origin`, its size `proofTreeSize`, its root `proofRootHash`. With `#pin=HEX` in
///    the page's address (a root key id, 16 to 64 hex digits of SHA-256 of the raw public key), a key
///    whose id starts with HEX must be one of the keys whose signature verified.
/// 3. For each item of `proofs`, by ascending seq: the line is in canonical form (RFC 8785, checked by
///    re-serialising) and of the form `{"entry":…,"hash":"<64 hex>","signature":"<88 base64>"}`, its
///    `seq` is the item's, and SHA-256(0x00 || canonical bytes) is its `hash` (`hash`); its signer is a
///    key of `keys` whose id recomputes from its public key, active at that seq (7.2) and of a role that
///    may sign the entry's type (7.5) (`key`); its Ed25519 signature over the canonical bytes verifies
///    under the acceptance rule of 7.6 (`signature`); its inclusion proof is for that seq in the tree of
///    `proofTreeSize` entries, names the line's hash and `proofRootHash`, and recomputes that root by
///    RFC 9162 section 2.1.3.2 (`inclusion`).
/// 4. `content`: from the verified lines alone it derives the claim's current statement, language,
///    claimant, date and kind (the claim entry with every `correct` amend applied in seq order),
///    corrected, retracted, status, verdict and rationale (latest status entry), and reviewed (the latest
///    review of that status entry approves). Every entry the claim object names (claim entry, history,
///    reviews, amends, positions, links both ways, sources) with seq < `proofTreeSize` must have a proof
///    and the same hash, and be of the right type for the claim; every status, amend and review line of
///    the claim among the proofs must be in the claim object. The claim object's members and every
///    `[data-verify-field]` element must equal the derived values.
/// 5. Entries the claim object names with seq ≥ `proofTreeSize` came after the checkpoint: they cannot
///    be checked; the fields they may change are compared with the claim object only
///    (`data-state="partial"`, and the page says which entries and fields).
/// Otherwise `data-state="verified"`. Without Ed25519 in the browser's Web Cryptography:
/// `data-state="unsupported"`. Any unexpected error: `failed`, `data-failed-check="data"`.
///
/// WHAT IT CANNOT CHECK. It trusts the root keys shipped in the page (`keys`, `verifierKeys`): whoever
/// can rewrite the whole page can make a consistent one with their own keys; only a reader's pin
/// (`#pin=`, a key id obtained elsewhere) or a check against a ledger detects that. It cannot show that
/// no entry about the claim was left out of `proofs` (a later status, correction or retraction, or a
/// review that returned the verdict), nor that none came after the checkpoint: only a full verification
/// of the ledger (`claimledger verify`) can. It does not check the archived sources' bytes or the quotes
/// against them, the page's other text (history, quotes, positions, source pages), that the checkpoint
/// is consistent with earlier ones, or the entries' times.
enum VerifyScript {
    static let text = #"""
"use strict";
(function () {
  var encoder = new TextEncoder();
  var HEX64 = /^[0-9a-f]{64}$/;
  var BASE64 = /^(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=)?$/;
  var FIELDS = ["statement", "claimant", "date", "status", "verdict", "rationale"];
  var NOTE_MAX_BYTES = 1 << 20, NOTE_MAX_SIGNATURES = 100, NOTE_MAX_NAME_BYTES = 256, NOTE_MAX_SIG_BYTES = 8192;

  // A failed check: `check` is the value of data-failed-check, `message` what failed, with numbers.
  function Failure(check, message) { this.check = check; this.message = message; }
  function fail(check, message) { throw new Failure(check, message); }

  // ---- bytes, hex, base64 ----------------------------------------------------------------------
  function toHex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return s;
  }
  function fromHex(s) {
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
    return out;
  }
  // Canonical base64 (FORMAT.md 1.5) or null: padding, alphabet, and zero unused bits.
  function fromBase64(s) {
    if (typeof s !== "string" || !BASE64.test(s)) return null;
    var bin = atob(s);
    if (btoa(bin) !== s) return null;
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function concat(parts) {
    var n = 0, i;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n), at = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].length; }
    return out;
  }
  function sameBytes(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }
  function isHex64(v) { return typeof v === "string" && HEX64.test(v); }
  function isCount(v) { return typeof v === "number" && Number.isSafeInteger(v) && v >= 0; }
  function isWellFormed(s) { return typeof s.isWellFormed === "function" ? s.isWellFormed() : !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "")); }
  function short(hex) { return hex.slice(0, 8) + "…"; }

  // ---- display ---------------------------------------------------------------------------------
  // The display form of ledger text (the renderer's): direction controls as [U+XXXX], NUL as U+FFFD.
  function display(s) {
    return String(s).replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u2028\u2029]/g, function (c) {
      var h = c.charCodeAt(0).toString(16).toUpperCase();
      while (h.length < 4) h = "0" + h;
      return "[U+" + h + "]";
    }).replace(/\u0000/g, "\uFFFD");
  }
  function quoted(s) {
    var t = display(s);
    var chars = Array.from(t);
    return "“" + (chars.length > 80 ? chars.slice(0, 80).join("") + "…" : t) + "”";
  }
  // Two texts in display form, cut around their first difference so that the reader sees it.
  function contrast(a, b) {
    var x = Array.from(a), y = Array.from(b), i = 0;
    while (i < x.length && i < y.length && x[i] === y[i]) i++;
    var from = i > 40 ? i - 30 : 0;
    var cut = function (cs) {
      return "“" + (from > 0 ? "…" : "") + cs.slice(from, from + 80).join("") + (from + 80 < cs.length ? "…" : "") + "”";
    };
    return [cut(x), cut(y)];
  }
  function aKey(role) { return (/^[aeiou]/.test(role) ? "an " : "a ") + role + " key"; }
  function andList(items) {
    return items.length < 2 ? items.join("") : items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }
  function listSeqs(seqs) {
    return (seqs.length === 1 ? "entry " : "entries ") + andList(seqs.map(String));
  }

  // ---- Ed25519 under the acceptance rule of FORMAT.md 7.6 ----------------------------------------
  var P = (1n << 255n) - 19n;
  var L = (1n << 252n) + 27742317777372353535851937790883648493n;
  function littleEndian(bytes) {
    var n = 0n;
    for (var i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
    return n;
  }
  function yOf(encoding) { return littleEndian(encoding) & ((1n << 255n) - 1n); }
  var SMALL_ORDER_Y = [0n, 1n, P - 1n,
    littleEndian(fromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")),
    littleEndian(fromHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")),
    P, P + 1n];
  function isSmallOrder(encoding) { var y = yOf(encoding); return SMALL_ORDER_Y.some(function (s) { return s === y; }); }

  // null when `signature` is valid for `message` under the 32-byte `publicKey`, else the reason.
  async function ed25519Reject(publicKey, signature, message) {
    if (signature.length !== 64) return "the signature is " + signature.length + " bytes, not 64";
    if (publicKey.length !== 32) return "the public key is " + publicKey.length + " bytes, not 32";
    if (yOf(publicKey) >= P) return "the public key is not a canonical point encoding";
    if (isSmallOrder(publicKey)) return "the public key is a small-order point";
    var r = signature.subarray(0, 32), s = signature.subarray(32);
    if (yOf(r) >= P) return "its R is not a canonical point encoding";
    if (isSmallOrder(r)) return "its R is a small-order point";
    if (littleEndian(s) >= L) return "its S is not reduced modulo the group order";
    var ok;
    try {
      var key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
      ok = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch (e) {
      ok = false;
    }
    return ok ? null : "it does not verify";
  }

  // RFC 8032 section 7.1, test 1: whether this browser verifies Ed25519 at all.
  async function ed25519Works() {
    if (!window.crypto || !window.crypto.subtle) return false;
    try {
      var key = await crypto.subtle.importKey("raw",
        fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
        { name: "Ed25519" }, false, ["verify"]);
      return await crypto.subtle.verify({ name: "Ed25519" }, key,
        fromHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        new Uint8Array(0));
    } catch (e) {
      return false;
    }
  }

  // ---- RFC 8785 (JCS) -------------------------------------------------------------------------
  // ECMAScript's own JSON.stringify of strings and numbers is the JCS form; members sort by UTF-16 code units.
  function canonical(v) {
    if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
    if (v !== null && typeof v === "object") {
      return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(v[k]); }).join(",") + "}";
    }
    return JSON.stringify(v);
  }

  // ---- Merkle tree (RFC 9162 section 2.1.3.2) ---------------------------------------------------
  async function rootFromInclusion(index, size, leaf, path) {
    if (index >= size) return null;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < path.length; i++) {
      if (sn === 0) return null;
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(concat([[1], path[i], r]));
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await sha256(concat([[1], r, path[i]]));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 ? r : null;
  }

  // ---- 1. data ----------------------------------------------------------------------------------
  function need(ok, what) { if (!ok) fail("data", "the page's embedded data is not a valid export document: " + what + "."); }
  function isEntryRef(ref) {
    return ref !== null && typeof ref === "object" && isCount(ref.seq) && isHex64(ref.hash);
  }

  function readDocument() {
    var holder = document.getElementById("claim-proof");
    need(holder !== null, "the page has no #claim-proof element");
    var doc;
    try { doc = JSON.parse(holder.textContent); } catch (e) { need(false, "its JSON does not parse (" + e.message + ")"); }
    need(doc !== null && typeof doc === "object" && !Array.isArray(doc), "it is not a JSON object");
    need(doc.format === "claimledger-export/1", "format is not claimledger-export/1");
    need(typeof doc.origin === "string" && doc.origin.length > 0, "origin is missing");
    need(Array.isArray(doc.keys), "keys is missing");
    need(Array.isArray(doc.claims), "claims is missing");
    need(doc.claims.length === 1, "it holds " + doc.claims.length + " claims, not exactly one");
    need(typeof doc.checkpoint === "string", "checkpoint is missing");
    need(Array.isArray(doc.verifierKeys), "verifierKeys is missing");
    need(isCount(doc.proofTreeSize), "proofTreeSize is missing or not an integer");
    need(isHex64(doc.proofRootHash), "proofRootHash is missing or not 64 lower-case hex digits");
    doc.keys.forEach(function (k, i) {
      need(k !== null && typeof k === "object" && isHex64(k.keyId) && typeof k.name === "string" &&
        typeof k.role === "string" && typeof k.publicKey === "string" && isCount(k.added) &&
        (k.revoked === undefined || isCount(k.revoked)), "keys[" + i + "] is malformed");
      var raw = fromBase64(k.publicKey);
      need(raw !== null && raw.length === 32, "keys[" + i + "].publicKey is not the canonical base64 of 32 bytes");
      k.raw = raw;
    });
    var c = doc.claims[0];
    need(c !== null && typeof c === "object", "the claim is not an object");
    ["id", "statement", "lang", "claimant", "date", "status"].forEach(function (m) {
      need(typeof c[m] === "string", "the claim's " + m + " is missing");
    });
    ["corrected", "retracted", "reviewed"].forEach(function (m) {
      need(typeof c[m] === "boolean", "the claim's " + m + " is missing");
    });
    ["history", "amends", "positions", "links", "linkedFrom", "sources", "proofs"].forEach(function (m) {
      need(Array.isArray(c[m]), "the claim's " + m + " is missing");
    });
    need(isEntryRef(c.entry), "the claim's entry reference is malformed");
    var last = -1;
    c.proofs.forEach(function (p, i) {
      var where = "proofs[" + i + "]";
      need(p !== null && typeof p === "object" && isCount(p.seq) && typeof p.line === "string", where + " is malformed");
      need(p.seq > last, where + " (entry " + p.seq + ") is not in ascending seq order");
      last = p.seq;
      var inc = p.inclusion;
      need(inc !== null && typeof inc === "object" && isCount(inc.index) && isCount(inc.treeSize) &&
        isHex64(inc.leafHash) && isHex64(inc.rootHash) && Array.isArray(inc.proof) && inc.proof.length <= 128 &&
        inc.proof.every(isHex64), "the inclusion proof of entry " + p.seq + " is malformed");
    });
    return doc;
  }

  // ---- 2. checkpoint ----------------------------------------------------------------------------
  // The reader's pin from the address: `#pin=HEX` (16 to 64 hex digits), or null.
  function readPin() {
    var fragment = (location.hash || "").replace(/^#/, "");
    var pin = null;
    fragment.split("&").forEach(function (part) {
      if (part.slice(0, 4) !== "pin=") return;
      try { pin = decodeURIComponent(part.slice(4)).toLowerCase(); } catch (e) { pin = part.slice(4); }
    });
    if (pin !== null && !/^[0-9a-f]{16,64}$/.test(pin)) {
      fail("checkpoint", "the pin in this page's address (" + display(pin) + ") is not a key id of 16 to 64 hex digits.");
    }
    return pin;
  }

  function utf8Length(s) { return encoder.encode(s).length; }
  function checkKeyName(name) {
    var n = utf8Length(name);
    if (n === 0 || n > NOTE_MAX_NAME_BYTES) return "a key name of " + n + " bytes";
    if (/[\p{White_Space}+\u0000-\u001F]/u.test(name)) return "a key name with a space, a plus or a control character";
    return null;
  }

  // c2sp.org/signed-note, strictly (FORMAT.md 14.2; the reference parser's limits).
  function parseNote(note) {
    var bad = function (what) { fail("checkpoint", "the checkpoint is not a well-formed signed note: " + what + "."); };
    if (!isWellFormed(note)) bad("it is not valid Unicode");
    var size = utf8Length(note);
    if (size > NOTE_MAX_BYTES) bad("it is " + size + " bytes, more than " + NOTE_MAX_BYTES);
    var control = /[\u0000-\u0009\u000B-\u001F]/.exec(note);
    if (control) bad("it holds control character U+00" + toHex([control[0].charCodeAt(0)]).toUpperCase());
    var split = note.lastIndexOf("\n\n");
    if (split < 0) bad("there is no blank line before the signatures");
    var text = note.slice(0, split + 1), block = note.slice(split + 2);
    if (block.length === 0) bad("there is no signature line");
    if (block[block.length - 1] !== "\n") bad("the last signature line does not end with a newline");
    var lines = block.slice(0, -1).split("\n");
    if (lines.length > NOTE_MAX_SIGNATURES) bad(lines.length + " signature lines, more than " + NOTE_MAX_SIGNATURES);
    var signatures = lines.map(function (line, i) {
      var where = "signature line " + (i + 1);
      if (line.slice(0, 2) !== "\u2014 ") bad(where + " does not start with an em dash and a space");
      var rest = line.slice(2), space = rest.indexOf(" ");
      if (space < 0) bad(where + " has no space after the key name");
      var name = rest.slice(0, space), nameProblem = checkKeyName(name);
      if (nameProblem) bad(where + " has " + nameProblem);
      var raw = fromBase64(rest.slice(space + 1));
      if (raw === null) bad(where + " is not canonical base64");
      if (raw.length < 5 || raw.length - 4 > NOTE_MAX_SIG_BYTES) bad(where + " decodes to " + raw.length + " bytes");
      return { name: name, keyId: toHex(raw.subarray(0, 4)), signature: raw.subarray(4), line: i + 1 };
    });
    signatures.forEach(function (s, i) {
      for (var j = 0; j < i; j++) {
        if (signatures[j].name === s.name && signatures[j].keyId === s.keyId) {
          bad("signature lines " + (j + 1) + " and " + (i + 1) + " are by the same key " + display(s.name) + "+" + s.keyId);
        }
      }
    });
    return { text: text, signatures: signatures };
  }

  // A tlog-checkpoint body: origin, size, base64 root, extension lines.
  function parseBody(text) {
    var bad = function (what) { fail("checkpoint", "the checkpoint's text is not a checkpoint: " + what + "."); };
    var lines = text.slice(0, -1).split("\n");
    if (lines.length < 3) bad("it has " + lines.length + " lines, not at least 3");
    lines.forEach(function (l, i) { if (l.length === 0) bad("line " + (i + 1) + " is empty"); });
    if (!/^(0|[1-9][0-9]*)$/.test(lines[1]) || !Number.isSafeInteger(Number(lines[1]))) {
      bad("its tree size " + quoted(lines[1]) + " is not a decimal number without leading zeros");
    }
    var root = fromBase64(lines[2]);
    if (root === null || root.length !== 32) bad("its root hash is not the canonical base64 of 32 bytes");
    return { origin: lines[0], size: Number(lines[1]), root: toHex(root) };
  }

  // FORMAT.md 7.2: a key may sign entry n if it was added by an entry before n (a genesis key, added 0,
  // also signs entry 0 itself) and not revoked by an entry before n.
  function activeForEntry(key, n) {
    return (key.added < n || (key.added === 0 && n === 0)) && (key.revoked === undefined || key.revoked >= n);
  }
  // FORMAT.md 14.2: a checkpoint of n entries is checked with the root keys added by an entry before n
  // and not revoked by an entry before n (none for n = 0).
  function activeForCheckpoint(key, n) {
    return key.added < n && (key.revoked === undefined || key.revoked >= n);
  }

  async function checkCheckpoint(doc, pin) {
    var origin = doc.origin, n = doc.proofTreeSize;
    var note = parseNote(doc.checkpoint);
    var body = parseBody(note.text);
    // Trusted verifier keys: `<origin>+<8 hex>+<base64(0x01 || key)>` of a root key active at n.
    var trusted = [];
    for (var i = 0; i < doc.verifierKeys.length; i++) {
      var vk = doc.verifierKeys[i];
      if (typeof vk !== "string") continue;
      var plus1 = vk.indexOf("+"), plus2 = plus1 < 0 ? -1 : vk.indexOf("+", plus1 + 1);
      if (plus2 < 0) continue;
      var name = vk.slice(0, plus1), id = vk.slice(plus1 + 1, plus2), data = fromBase64(vk.slice(plus2 + 1));
      if (name !== origin || !/^[0-9a-f]{8}$/.test(id) || data === null || data.length !== 33 || data[0] !== 1) continue;
      var pub = data.subarray(1);
      var computed = toHex((await sha256(concat([encoder.encode(name), [0x0A, 0x01], pub]))).subarray(0, 4));
      if (computed !== id) continue;
      var key = doc.keys.find(function (k) { return k.role === "root" && sameBytes(k.raw, pub) && activeForCheckpoint(k, n); });
      if (!key) continue;
      if (trusted.some(function (t) { return t.id === id && sameBytes(t.pub, pub); })) continue;
      trusted.push({ name: name, id: id, pub: pub, key: key, keyId: toHex(await sha256(pub)) });
    }
    if (trusted.length === 0) {
      fail("checkpoint", "none of the page's " + doc.verifierKeys.length + " verifier keys is a root key of this ledger " +
        "active at entry " + n + ", so no signature on the checkpoint can be trusted.");
    }
    var message = encoder.encode(note.text), signedBy = [];
    for (var s = 0; s < note.signatures.length; s++) {
      var sig = note.signatures[s];
      var t = trusted.find(function (k) { return k.name === sig.name && k.id === sig.keyId; });
      if (!t) continue;  // another log's key or a witness: kept, ignored
      var reason = await ed25519Reject(t.pub, sig.signature, message);
      if (reason) {
        fail("checkpoint", "the checkpoint's signature by " + display(t.key.name) + " (key " + short(t.keyId) +
          ", signature line " + sig.line + ") is not valid: " + reason + ".");
      }
      if (signedBy.indexOf(t) < 0) signedBy.push(t);
    }
    if (signedBy.length === 0) {
      fail("checkpoint", "the checkpoint has no signature by a root key of this ledger: its " + note.signatures.length +
        " signature line(s) are by " + note.signatures.map(function (x) { return display(x.name) + "+" + x.keyId; }).join(", ") +
        ", the trusted keys are " + trusted.map(function (x) { return display(x.name) + "+" + x.id; }).join(", ") + ".");
    }
    if (body.origin !== origin) {
      fail("checkpoint", "the checkpoint is for the log " + quoted(body.origin) + ", not " + quoted(origin) + ".");
    }
    if (body.size !== n) {
      fail("checkpoint", "the checkpoint covers " + body.size + " entries, but the page's proofs are for " + n + ".");
    }
    if (body.root !== doc.proofRootHash) {
      fail("checkpoint", "the checkpoint's root hash is " + short(body.root) + ", but the page's proofs lead to " +
        short(doc.proofRootHash) + ".");
    }
    if (pin !== null && !signedBy.some(function (k) { return k.keyId.slice(0, pin.length) === pin; })) {
      fail("checkpoint", "the checkpoint is not signed by the key pinned in this page's address (" + short(pin) +
        "): it is signed by " + signedBy.map(function (k) { return display(k.key.name) + " (key " + short(k.keyId) + ")"; }).join(" and ") + ".");
    }
    return { size: body.size, signedBy: signedBy };
  }

  // ---- 3. entries -------------------------------------------------------------------------------
  var PREFIX = encoder.encode('{"entry":'), HASH_AT = encoder.encode(',"hash":"'), SIG_AT = encoder.encode('","signature":"');
  var END = encoder.encode('"}');
  function bytesAt(bytes, at, what) { return sameBytes(bytes.subarray(at, at + what.length), what); }

  var ROLES = { genesis: ["root"], key: ["root"], scale: ["root"], review: ["editor"] };

  async function checkEntry(doc, item, keysById, lines) {
    var seq = item.seq, line = item.line, n = doc.proofTreeSize;
    var bad = function (what) { fail("hash", "entry " + seq + " is not a well-formed ledger line: " + what + "."); };
    if (seq >= n) {
      fail("data", "the page's data has a proof for entry " + seq + ", which is beyond the checkpoint of " + n + " entries.");
    }
    if (!isWellFormed(line)) bad("it is not valid Unicode");
    var bytes = encoder.encode(line), size = bytes.length;
    if (size < PREFIX.length + 178 + 2) bad("it is only " + size + " bytes");
    if (!bytesAt(bytes, 0, PREFIX) || !bytesAt(bytes, size - 178, HASH_AT) || !bytesAt(bytes, size - 105, SIG_AT) ||
        !bytesAt(bytes, size - 2, END)) {
      bad("it does not have the form {\"entry\":…,\"hash\":…,\"signature\":…}");
    }
    var ascii = function (from, to) { return String.fromCharCode.apply(null, bytes.subarray(from, to)); };
    var hashText = ascii(size - 169, size - 105), sigText = ascii(size - 90, size - 2);
    if (!isHex64(hashText)) bad("its hash is not 64 lower-case hex digits");
    var signature = fromBase64(sigText);
    if (signature === null || signature.length !== 64) bad("its signature is not the canonical base64 of 64 bytes");
    var parsed;
    try { parsed = JSON.parse(line); } catch (e) { bad("it is not JSON (" + e.message + ")"); }
    if (canonical(parsed) !== line) bad("it is not in canonical (RFC 8785) form");
    var entry = parsed.entry;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry) || !isCount(entry.seq) ||
        typeof entry.type !== "string" || !isHex64(entry.signer) || entry.payload === null || typeof entry.payload !== "object") {
      bad("its entry object lacks seq, type, signer or payload");
    }
    if (entry.seq !== seq) bad("it is entry " + entry.seq + ", but the page gives it as entry " + seq);
    var canonicalBytes = bytes.subarray(PREFIX.length, size - 178);

    var hash = toHex(await sha256(concat([[0], canonicalBytes])));
    if (hash !== hashText) {
      fail("hash", "entry " + seq + " has been changed: its content hashes to " + short(hash) + ", not to the hash " +
        short(hashText) + " that its line gives.");
    }

    var key = keysById[entry.signer];
    if (!key) fail("key", "entry " + seq + " is signed by key " + short(entry.signer) + ", which is not among the page's keys.");
    var computed = toHex(await sha256(key.raw));
    if (computed !== entry.signer) {
      fail("key", "entry " + seq + " is signed by key " + short(entry.signer) + ", but the public key the page gives for " +
        display(key.name) + " has the id " + short(computed) + ".");
    }
    if (!activeForEntry(key, seq)) {
      fail("key", "entry " + seq + " is signed by " + display(key.name) + " (key " + short(key.keyId) + "), which was not active at entry " +
        seq + " (added at entry " + key.added + (key.revoked === undefined ? "" : ", revoked at entry " + key.revoked) + ").");
    }
    // FORMAT.md 7.5: who may sign what.
    var roles = ROLES[entry.type], refusal = null;
    if (roles && roles.indexOf(key.role) < 0) refusal = "only " + aKey(andList(roles)) + " may sign " + (entry.type === "review" ? "a review" : "a " + entry.type + " entry");
    else if (entry.type === "genesis" && key.added !== 0) refusal = "the genesis entry is signed by one of its own keys";
    else if (entry.type === "amend" && key.role !== "editor") {
      var claimed = lines.find(function (l) { return l.entry.type === "claim" && l.entry.payload.id === entry.payload.claim; });
      if (claimed && claimed.entry.signer !== entry.signer) refusal = "an amend is signed by the claim's own signer or an editor key";
    } else if (entry.type === "review") {
      var reviewed = lines.find(function (l) { return l.hash === entry.payload.status; });
      if (reviewed && reviewed.entry.signer === entry.signer) refusal = "a review is signed by another key than the status entry it reviews (entry " + reviewed.seq + ")";
    }
    if (refusal) {
      fail("key", "entry " + seq + " (" + display(entry.type) + ") is signed by " + display(key.name) + ", " + aKey(display(key.role)) +
        ", which may not sign it: " + refusal + ".");
    }

    var reason = await ed25519Reject(key.raw, signature, canonicalBytes);
    if (reason) fail("signature", "the signature of entry " + seq + " by " + display(key.name) + " (key " + short(key.keyId) + ") is not valid: " + reason + ".");

    var inc = item.inclusion;
    var problem = null;
    if (inc.index !== seq) problem = "it is for entry " + inc.index;
    else if (inc.treeSize !== n) problem = "it is for a tree of " + inc.treeSize + " entries, not " + n;
    else if (inc.leafHash !== hash) problem = "it names the leaf " + short(inc.leafHash) + ", not the entry's hash " + short(hash);
    else if (inc.rootHash !== doc.proofRootHash) problem = "it names the root " + short(inc.rootHash) + ", not the checkpoint's " + short(doc.proofRootHash);
    else {
      var root = await rootFromInclusion(seq, n, fromHex(hash), inc.proof.map(fromHex));
      if (root === null) problem = "its " + inc.proof.length + " hashes are not a path from leaf " + seq + " in a tree of " + n + " entries";
      else if (toHex(root) !== doc.proofRootHash) problem = "its " + inc.proof.length + " hashes lead to the root " + short(toHex(root)) + ", not the checkpoint's " + short(doc.proofRootHash);
    }
    if (problem) fail("inclusion", "entry " + seq + " is not shown to be in checkpoint " + n + ": " + problem + ".");
    return { seq: seq, hash: hash, entry: entry, key: key };
  }

  // ---- 4. content -------------------------------------------------------------------------------
  // The claim's values derived from the verified lines, each with the seq of the entry that set it.
  function derive(c, lines) {
    var claimLine = lines.find(function (l) { return l.seq === c.entry.seq; });
    var p = claimLine.entry.payload;
    var v = {
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
