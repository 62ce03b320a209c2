extension VerifyScript {
    /// The prologue and the primitives: bytes, hex and base64, display form, Ed25519 under the
/// acceptance rule of FORMAT.md 7.6 (on top of WebCrypto), RFC 8785, RFC 9162 inclusion.
    static let primitives = #"""
"use strict";
(function () {
  var encoder = new TextEncoder();
  var HEX64 = /^[0-9a-f]{64}$/;
  var BASE64 = /^(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=)?$/;
  var FIELDS = ["id", "statement", "claimant", "date", "status", "verdict", "rationale"];
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

"""#
}
