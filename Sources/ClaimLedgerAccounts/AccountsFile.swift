import CanonicalJSON

/// One user as stored: the account, the scrypt password hash, the signing key as encrypted PKCS#8 PEM
/// under the password, and the API tokens.
struct UserRecord: Sendable {
    var account: Account
    var passwordHash: String
    var encryptedKey: String
    var tokens: [TokenRecord]
}

/// One API token as stored: the SHA-256 of the token (hex), and a second copy of the user's signing key
/// encrypted under the token itself (see AccountStore), so a bearer request can sign without the password.
struct TokenRecord: Sendable {
    var info: TokenInfo
    var sha256: String
    var encryptedKey: String
}

/// The accounts file, `accounts.json`: one canonical JSON document (RFC 8785), written atomically.
///
///     {"format":"claimledger-accounts","version":1,"users":[{"name","role","keyId","created",
///      "passwordHash","key","tokens":[{"id","label","created","sha256","key"}]}]}
///
/// Read strictly: unknown or missing members, another version, or a bad value refuse the whole file.
struct AccountsFile: Sendable {
    static let format = "claimledger-accounts"
    static let version = 1
    static let maxBytes = 16 << 20
    static let limits = JSONLimits(maxBytes: maxBytes, maxDepth: 8, maxStringBytes: 16 << 10, maxContainerCount: 100_000)

    var users: [UserRecord] = []

    func user(named name: String) -> UserRecord? { users.first { $0.account.name == name } }

    func encoded() -> [UInt8] {
        let users: [JSONValue] = users.map { u in
            .object([
                "name": .string(u.account.name), "role": .string(u.account.role.rawValue), "keyId": .string(u.account.keyID),
                "created": .string(u.account.created), "passwordHash": .string(u.passwordHash), "key": .string(u.encryptedKey),
                "tokens": .array(u.tokens.map { t in
                    .object(["id": .string(t.info.id), "label": .string(t.info.label), "created": .string(t.info.created),
                             "sha256": .string(t.sha256), "key": .string(t.encryptedKey)])
                }),
            ])
        }
        let document: JSONValue = ["format": .string(Self.format), "version": .number(Double(Self.version)), "users": .array(users)]
        // Every value above is a string, an array or a small integer: canonicalization cannot fail.
        return ((try? JCS.canonicalize(document)) ?? []) + [0x0A]
    }

    static func decode(_ bytes: [UInt8], path: String) throws(AccountError) -> AccountsFile {
        func bad(_ why: String) -> AccountError { AccountError(.storage, "\(path) is not a valid accounts file: \(why)") }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes, limits: limits) } catch { throw bad("\(error)") }
        let top = try StrictMembers(root, ["format", "version", "users"], "the document", bad)
        guard try top.string("format") == format else { throw bad("format is not \"\(format)\"") }
        guard top.value("version").integerValue == version else { throw bad("version must be \(version)") }
        guard let list = top.value("users").arrayValue else { throw bad("users must be an array") }
        var file = AccountsFile()
        var names = Set<String>()
        for (i, item) in list.enumerated() {
            let u = try StrictMembers(item, ["name", "role", "keyId", "created", "passwordHash", "key", "tokens"], "users[\(i)]", bad)
            let name = try u.string("name")
            do { try AccountRules.checkName(name) } catch { throw bad("users[\(i)]: \(error.message)") }
            guard names.insert(name).inserted else { throw bad("user \(name) appears twice") }
            guard let role = NewsroomRole(rawValue: try u.string("role")) else { throw bad("users[\(i)].role must be journalist or editor") }
            let keyID = try u.string("keyId")
            guard isHex(keyID, count: 64) else { throw bad("users[\(i)].keyId must be 64 lowercase hex digits") }
            guard let tokenList = u.value("tokens").arrayValue else { throw bad("users[\(i)].tokens must be an array") }
            var tokens: [TokenRecord] = []
            for (j, t) in tokenList.enumerated() {
                let m = try StrictMembers(t, ["id", "label", "created", "sha256", "key"], "users[\(i)].tokens[\(j)]", bad)
                let id = try m.string("id"), sha = try m.string("sha256")
                guard isHex(id, count: 16), isHex(sha, count: 64) else { throw bad("users[\(i)].tokens[\(j)]: id or sha256 is not hex") }
                tokens.append(TokenRecord(info: TokenInfo(id: id, label: try m.string("label"), created: try m.string("created")),
                                          sha256: sha, encryptedKey: try m.string("key")))
            }
            file.users.append(UserRecord(
                account: Account(name: name, role: role, keyID: keyID, created: try u.string("created")),
                passwordHash: try u.string("passwordHash"), encryptedKey: try u.string("key"), tokens: tokens))
        }
        return file
    }

    static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// An object whose members must be exactly `names`.
private struct StrictMembers {
    let members: [String: JSONValue]
    let context: String
    let bad: (String) -> AccountError

    init(_ value: JSONValue, _ names: Set<String>, _ context: String, _ bad: @escaping (String) -> AccountError) throws(AccountError) {
        guard let members = value.objectValue else { throw bad("\(context) must be an object") }
        guard Set(members.keys) == names else {
            throw bad("\(context) must have exactly the members \(names.sorted().joined(separator: ", "))")
        }
        self.members = members
        self.context = context
        self.bad = bad
    }

    func value(_ name: String) -> JSONValue { members[name] ?? .null }

    func string(_ name: String) throws(AccountError) -> String {
        guard let s = members[name]?.stringValue else { throw bad("\(context).\(name) must be a string") }
        return s
    }
}
