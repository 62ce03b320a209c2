/// The synthetic data of a run: one article (UTF-8, many distinct sentences) and an import file of N
/// claims, each quoting one sentence of the article with an explicit byte `offset` (so the import need
/// not search the source), about half with a first status and some with later `status` lines.
struct Workload {
    /// Sentences in the article: claim i quotes sentence i % sentenceCount.
    static let sentenceCount = 2_000

    struct Sentence {
        let text: String
        let offset: Int
    }

    let article: [UInt8]
    let sentences: [Sentence]

    init() {
        let subjects = ["Le ministre des Affaires étrangères", "La porte-parole du gouvernement", "Le négociateur en chef",
                        "La délégation ukrainienne", "Le président de la Commission", "L'émissaire américain",
                        "La coalition des volontaires", "Le chef d'état-major"]
        let verbs = ["a déclaré", "a confirmé", "a démenti", "a précisé", "a rappelé", "a annoncé", "a laissé entendre"]
        let objects = ["que les garanties de sécurité seraient signées avant l'été",
                       "que le cessez-le-feu serait surveillé par des drones",
                       "que l'aide militaire augmenterait de 12 % l'an prochain",
                       "que la réunion reprendrait à Genève après la trêve",
                       "que le budget de défense doublerait d'ici à 2030",
                       "que les négociations se poursuivraient à huis clos"]
        var bytes = [UInt8]()
        var sentences = [Sentence]()
        sentences.reserveCapacity(Self.sentenceCount)
        let heading = "Dépêche synthétique pour le banc d'essai de claimledger — Zürich, São Paulo, Kyïv\n\n"
        bytes += heading.utf8
        for k in 0..<Self.sentenceCount {
            let text = "\(subjects[k % subjects.count]) \(verbs[(k / 8) % verbs.count]) \(objects[(k / 56) % objects.count])"
                + " (dépêche n°\(k), « source \(k % 97) »)."
            sentences.append(Sentence(text: text, offset: bytes.count))
            bytes += text.utf8
            bytes += (k % 10 == 9 ? "\n\n" : " ").utf8
        }
        article = bytes
        self.sentences = sentences
    }

    /// What an import file holds, for reporting and for choosing ids to query.
    struct ImportSummary {
        var claims = 0
        var entries = 0
        var disputed: [String] = []
        var bytes = 0
    }

    static func claimID(_ i: Int) -> String { "bench-claim-\(i)" }

    /// Writes the lines of claims `claims` (and their statuses) citing `sourceID`.
    /// Claim i: a first status when i is even (cycling unverified, corroborated, refuted, unverifiable);
    /// a later status line `corroborated` when i % 10 == 5, and `disputed` when i % 1000 == 7.
    /// Without `offsets`, the quotes carry no `offset` (every sentence occurs once in the article).
    func writeImport(to path: String, claims: Range<Int>, sourceID: String, offsets: Bool = true) throws -> ImportSummary {
        let out = try BufferedWriter(path: path)
        var summary = ImportSummary()
        let firstStatuses = ["unverified", "corroborated", "refuted", "unverifiable"]
        for i in claims {
            let s = sentences[i % sentences.count]
            var line = "{\"type\":\"claim\",\"id\":\"\(Self.claimID(i))\","
                + "\"statement\":\"Benchmark claim \(i): the dispatch reports statement \(i % sentences.count).\","
                + "\"lang\":\"en\",\"claimant\":\"Agence de test \(i % 13)\","
                + "\"quotes\":[{\"source\":\"\(sourceID)\",\"text\":\"\(jsonEscaped(s.text))\"" + (offsets ? ",\"offset\":\(s.offset)" : "") + "}]"
            summary.claims += 1
            summary.entries += 1
            if i % 2 == 0 {
                line += ",\"status\":\"\(firstStatuses[(i / 2) % firstStatuses.count])\",\"rationale\":\"First assessment of claim \(i).\""
                summary.entries += 1
            }
            try out.append(line + "}\n")
            if i % 10 == 5 {
                try out.append("{\"type\":\"status\",\"claim\":\"\(Self.claimID(i))\",\"status\":\"corroborated\","
                               + "\"rationale\":\"Checked against a second source, round \(i).\"}\n")
                summary.entries += 1
            }
            if i % 1000 == 7 {
                try out.append("{\"type\":\"status\",\"claim\":\"\(Self.claimID(i))\",\"status\":\"disputed\","
                               + "\"rationale\":\"A later report contradicts claim \(i).\",\"evidence\":[\"\(sourceID)\"]}\n")
                summary.entries += 1
                summary.disputed.append(Self.claimID(i))
            }
        }
        try out.close()
        summary.bytes = out.bytesWritten
        return summary
    }
}

/// A JSON string body (RFC 8259): quotes, backslashes and control characters escaped; UTF-8 kept as is.
func jsonEscaped(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case _ where u.value < 0x20:
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(u)
        }
    }
    return out
}

/// The integer value of `"name":` in a JSON text (the CLI's canonical `--json` output), if any.
func jsonInteger(_ name: String, in text: String) -> Int? {
    guard let r = text.range(of: "\"\(name)\":") else { return nil }
    return Int(String(text[r.upperBound...].prefix { $0.isNumber }))
}

extension String {
    /// First range of `needle` (Foundation-free).
    func range(of needle: String) -> Range<String.Index>? {
        guard !needle.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
