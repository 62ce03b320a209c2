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
}

/// Files the user asks a command to write (export output).
public enum OutputFiles {
    /// Writes `bytes` to `path` atomically and durably (temporary file, fsync, rename).
    public static func write(_ bytes: [UInt8], to path: String) throws(StoreError) {
        try FileSystem.writeAtomically(bytes, to: path, directory: FileSystem.directoryOf(path))
    }
}
