import ClaimLedgerCore
import Glibc

/// Files a user names as input: sources to archive and import files. Read-only, size-limited.
public enum InputFiles {
    /// The bytes of a regular file, refused beyond `limit`.
    public static func read(_ path: String, limit: Int, what: String) throws(StoreError) -> [UInt8] {
        let file: PosixFile
        do { file = try PosixFile(path: path, flags: O_RDONLY | O_NONBLOCK) } catch {
            throw StoreError(.io, "cannot read \(what) \(path): \(String(cString: strerror(errno)))")
        }
        guard try file.mode().regular else { throw StoreError(.io, "\(what) \(path) is not a regular file") }
        let size = try file.size()
        guard size <= limit else { throw StoreError(.fileTooLarge, "\(what) \(path) is \(size) bytes, limit \(limit)") }
        return try file.read(at: 0, count: size)
    }

    /// Refuses a source path that symbolic links lead out of the import file's folder: resolved, it must
    /// still lie below the folder, resolved. (A link that stays inside is followed.)
    static func ensureInside(_ folder: String, _ path: String, line: Int, file: String) throws(StoreError) {
        guard let base = realPath(folder), let target = realPath(path) else {
            throw StoreError(.io, "cannot read source file (line \(line)) \(path): \(String(cString: strerror(errno)))")
        }
        guard target.hasPrefix(base == "/" ? "/" : base + "/") else {
            throw StoreError(.unsafePath, "line \(line): source file \"\(file)\" is a symbolic link (or lies under one) that leads outside the import file's folder, to \(target): copy the file into the folder instead")
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A media type from a file name's extension, for sources added without `--media-type`.
    public static func mediaType(forPath path: String) -> String {
        let ext = path.split(separator: "/").last.flatMap { $0.contains(".") ? $0.split(separator: ".").last : nil }?.lowercased() ?? ""
        switch ext {
        case "txt", "text": return "text/plain; charset=utf-8"
        case "html", "htm": return "text/html"
        case "pdf": return "application/pdf"
        case "json": return "application/json"
        case "md": return "text/markdown; charset=utf-8"
        case "xml": return "application/xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        default: return "application/octet-stream"
        }
    }

    /// Reads an import file (JSON Lines) into drafts, loading each source's bytes from a path relative to the
    /// import file's folder. Such paths may not be absolute or contain `..`: an import file names only files
    /// beside it. Every line is parsed before anything is returned; errors name the line.
    public static func importDrafts(_ path: String) throws -> [Draft] {
        let bytes = try read(path, limit: 1 << 30, what: "import file")
        let folder = FileSystem.directoryOf(path)
        var drafts = [Draft]()
        var number = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            number += 1
            guard number <= LedgerLimits.maxImportLines else {
                throw LedgerError(.limitExceeded, "import file has more than \(LedgerLimits.maxImportLines) lines")
            }
            var line = Array(bytes[start..<end])
            if line.last == 0x0D { line.removeLast() }
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard line.count <= LedgerLimits.maxLineBytes else {
                throw LedgerError(.limitExceeded, "line \(number): \(line.count) bytes, limit \(LedgerLimits.maxLineBytes)")
            }
            switch try ImportFileParser.parse(line: line, number: number) {
            case .source(let file, let ref, let metadata):
                let parts = file.split(separator: "/", omittingEmptySubsequences: false)
                guard !file.hasPrefix("/"), !parts.contains(".."), !parts.contains("") else {
                    throw StoreError(.unsafePath, "line \(number): source file \"\(file)\" must be a relative path below the import file's folder, without ..")
                }
                let sourcePath = folder + "/" + file
                try ensureInside(folder, sourcePath, line: number, file: file)
                let source = try read(sourcePath, limit: LedgerLimits.maxSourceBytes, what: "source file (line \(number))")
                drafts.append(.source(metadata.draft(bytes: source, defaultMediaType: mediaType(forPath: file)), ref: ref))
            case .claim(let c): drafts.append(.claim(c))
            case .status(let s): drafts.append(.status(s))
            }
        }
        guard !drafts.isEmpty else { throw LedgerError(.empty, "import file \(path) holds no items") }
        return drafts
    }
}

/// Files the user asks a command to write (export output).
public enum OutputFiles {
    /// Writes `bytes` to `path` atomically and durably (temporary file, fsync, rename).
    public static func write(_ bytes: [UInt8], to path: String) throws(StoreError) {
        try FileSystem.writeAtomically(bytes, to: path, directory: FileSystem.directoryOf(path))
    }
}
