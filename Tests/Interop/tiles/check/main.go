// Command tiles-check reads a ClaimLedger published as tlog-tiles (docs/FORMAT.md 16) over HTTP with Go's
// reference implementation, golang.org/x/mod/sumdb/tlog and sumdb/note, and checks it:
//
//  1. GET <url>/checkpoint and open it with sumdb/note under the verifier keys of KEY_FILE (one per line);
//     its body is origin, tree size N and base64 root (c2sp.org/tlog-checkpoint).
//  2. Read the tree through tlog.TileHashReader over a TileReader that fetches <url>/tile/<L>/<N>[.p/<W>]
//     (tile height 8), recompute the root with tlog.TreeHash and compare it with the checkpoint's.
//  3. For every entry (or those of -entries), fetch its entry bundle tile/entries/<N>[.p/<W>], split the
//     uint16-length-prefixed records, hash each with tlog.RecordHash, prove it with tlog.ProveRecord
//     through the tiles and check the proof with tlog.CheckRecord against the checkpoint's root.
//  4. Fetch the signature bundle tile/signatures/<N>[.p/<W>] and verify each entry's 64-byte signature with
//     crypto/ed25519 under the public key whose key id (SHA-256 of the key) is the entry's signer, the keys
//     being those the genesis and key entries of the bundles add. Also: each entry's seq is its index and
//     its prev is the previous entry's record hash.
//
// It prints one summary line and exits 0 when everything holds, 1 on the first failure, 2 on usage errors.
//
// Build offline in GOPATH mode against Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o tiles-check .
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

var fetches int

func get(url string) ([]byte, error) {
	fetches++
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 32<<20))
}

// c2spPath is the tlog-tiles path of t: tlog's tile/<H>/<L>/<N>[.p/<W>] without the height element, with
// kind ("entries", "signatures") in place of the level for level-0 bundles.
func c2spPath(t tlog.Tile, kind string) string {
	p := strings.Replace(t.Path(), fmt.Sprintf("tile/%d/", height), "tile/", 1)
	if kind != "" {
		p = strings.Replace(p, "tile/0/", "tile/"+kind+"/", 1)
	}
	return p
}

// tileReader fetches hash tiles over HTTP; tlog.TileHashReader authenticates them against the tree.
type tileReader struct {
	base  string
	cache map[tlog.Tile][]byte
}

func (r *tileReader) Height() int { return height }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		if data, ok := r.cache[t]; ok {
			out[i] = data
			continue
		}
		data, err := get(r.base + c2spPath(t, ""))
		if err != nil {
			return nil, err
		}
		r.cache[t] = data
		out[i] = data
	}
	return out, nil
}

func (r *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

type entry struct {
	Payload struct {
		Keys []struct {
			PublicKey string `json:"publicKey"`
		} `json:"keys"`
		Action    string `json:"action"`
		PublicKey string `json:"publicKey"`
	} `json:"payload"`
	Prev   string `json:"prev"`
	Seq    int64  `json:"seq"`
	Signer string `json:"signer"`
	Type   string `json:"type"`
}

func splitRecords(bundle []byte) ([][]byte, error) {
	var records [][]byte
	for len(bundle) > 0 {
		if len(bundle) < 2 {
			return nil, errors.New("bundle ends inside a length")
		}
		n := int(bundle[0])<<8 | int(bundle[1])
		if len(bundle) < 2+n {
			return nil, fmt.Errorf("record %d of %d bytes runs past the end", len(records), n)
		}
		records = append(records, bundle[2:2+n])
		bundle = bundle[2+n:]
	}
	return records, nil
}

func run(base, keyFile, only string) (string, error) {
	keyText, err := os.ReadFile(keyFile)
	if err != nil {
		return "", err
	}
	var verifiers []note.Verifier
	for _, line := range strings.Split(strings.TrimSpace(string(keyText)), "\n") {
		v, err := note.NewVerifier(strings.TrimSpace(line))
		if err != nil {
			return "", fmt.Errorf("verifier key %q: %v", line, err)
		}
		verifiers = append(verifiers, v)
	}
	msg, err := get(base + "checkpoint")
	if err != nil {
		return "", err
	}
	n, err := note.Open(msg, note.VerifierList(verifiers...))
	if err != nil {
		return "", fmt.Errorf("checkpoint: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		return "", fmt.Errorf("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 1 {
		return "", fmt.Errorf("checkpoint tree size %q", lines[1])
	}
	rootBytes, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(rootBytes) != tlog.HashSize {
		return "", fmt.Errorf("checkpoint root %q", lines[2])
	}
	var root tlog.Hash
	copy(root[:], rootBytes)

	thr := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, &tileReader{base: base, cache: map[tlog.Tile][]byte{}})
	th, err := tlog.TreeHash(size, thr)
	if err != nil {
		return "", fmt.Errorf("tree hash from tiles: %v", err)
	}
	if th != root {
		return "", fmt.Errorf("tree hash from tiles %v, checkpoint root %v", th, root)
	}

	chosen := map[int64]bool{}
	if only != "all" {
		for _, s := range strings.Split(only, ",") {
			i, err := strconv.ParseInt(s, 10, 64)
			if err != nil || i < 0 || i >= size {
				return "", fmt.Errorf("-entries: %q is not an entry of the tree of %d", s, size)
			}
			chosen[i] = true
		}
	}
	keys := map[string]ed25519.PublicKey{}
	addKey := func(b64 string) {
		if raw, err := base64.StdEncoding.DecodeString(b64); err == nil && len(raw) == ed25519.PublicKeySize {
			id := sha256.Sum256(raw)
			keys[hex.EncodeToString(id[:])] = ed25519.PublicKey(raw)
		}
	}
	proved, signed := 0, 0
	var prev tlog.Hash
	for start := int64(0); start < size; start += 1 << height {
		w := int(size - start)
		if w > 1<<height {
			w = 1 << height
		}
		t := tlog.Tile{H: height, L: 0, N: start >> height, W: w}
		bundle, err := get(base + c2spPath(t, "entries"))
		if err != nil {
			return "", err
		}
		records, err := splitRecords(bundle)
		if err != nil || len(records) != w {
			return "", fmt.Errorf("%s: %d records (want %d): %v", c2spPath(t, "entries"), len(records), w, err)
		}
		sigs, err := get(base + c2spPath(t, "signatures"))
		if err != nil {
			return "", err
		}
		if len(sigs) != w*ed25519.SignatureSize {
			return "", fmt.Errorf("%s is %d bytes, want %d", c2spPath(t, "signatures"), len(sigs), w*ed25519.SignatureSize)
		}
		for i, rec := range records {
			seq := start + int64(i)
			h := tlog.RecordHash(rec)
			var e entry
			if err := json.Unmarshal(rec, &e); err != nil {
				return "", fmt.Errorf("entry %d: %v", seq, err)
			}
			if e.Seq != seq || (seq > 0 && e.Prev != hex.EncodeToString(prev[:])) {
				return "", fmt.Errorf("entry %d: seq %d, prev %s (want the record hash of entry %d, %v)", seq, e.Seq, e.Prev, seq-1, prev)
			}
			prev = h
			for _, k := range e.Payload.Keys {
				addKey(k.PublicKey)
			}
			if e.Type == "key" && e.Payload.Action == "add" {
				addKey(e.Payload.PublicKey)
			}
			if only != "all" && !chosen[seq] {
				continue
			}
			p, err := tlog.ProveRecord(size, seq, thr)
			if err != nil {
				return "", fmt.Errorf("entry %d: ProveRecord: %v", seq, err)
			}
			if err := tlog.CheckRecord(p, size, root, seq, h); err != nil {
				return "", fmt.Errorf("entry %d: CheckRecord: %v", seq, err)
			}
			proved++
			pub, ok := keys[e.Signer]
			if !ok {
				return "", fmt.Errorf("entry %d: signer %s is no key added so far", seq, e.Signer)
			}
			if !ed25519.Verify(pub, rec, sigs[i*ed25519.SignatureSize:(i+1)*ed25519.SignatureSize]) {
				return "", fmt.Errorf("entry %d: the signature in %s does not verify", seq, c2spPath(t, "signatures"))
			}
			signed++
		}
	}
	return fmt.Sprintf("ok: %s checkpoint %d, root %s = tlog.TreeHash over the tiles; %d entries proved (RecordHash, ProveRecord, CheckRecord), %d signatures verified (ed25519); %d fetches",
		lines[0], size, lines[2], proved, signed, fetches), nil
}

func main() {
	only := flag.String("entries", "all", "entries to prove and whose signatures to verify: all, or seqs separated by commas")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: tiles-check [-entries all|SEQ,SEQ...] URL KEY_FILE")
		os.Exit(2)
	}
	base := flag.Arg(0)
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	summary, err := run(base, flag.Arg(1), *only)
	if err != nil {
		fmt.Println("tiles-check: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println(summary)
}
