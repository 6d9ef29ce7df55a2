import CNetpbmShim
#if canImport(Glibc)
import Glibc
#endif

/// Where a tool writes, chosen by what is at the path (`-o`, `--report`):
/// - nil or "-": standard output.
/// - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: a copy of
///   descriptor N, written as it goes (as bash's `>` treats these names).
/// - a symbolic link: followed (up to 40 links) to its final target, which
///   these rules then treat; the link stays a link.
/// - a regular file, or nothing yet: a temporary file in the target's
///   directory, renamed over the target by `commit`. An existing file's mode
///   (and owner and group, where allowed) is kept; a new one gets 0666 less the
///   umask. Until the rename, the target is untouched.
/// - a directory: an error.
/// - anything else (a FIFO, a character or block device, a socket, a path
///   under /proc): opened for writing as `>` would open it, written as it goes.
/// Temporary files are removed when the output is abandoned, dropped
/// uncommitted, or the process ends by SIGTERM, SIGINT, SIGHUP or SIGPIPE.
public final class Output {
    let file: UnsafeMutablePointer<FILE>
    /// The name in messages.
    public let name: String
    /// The path a temporary file is renamed to, and its slot in the shim's list.
    private let target: String?
    private var slot: Int32?
    private let ownsFile: Bool
    private var closed = false

    /// Standard output for nil or "-"; otherwise the path, by the rules above.
    /// Fails at once when the path cannot take the output.
    public init(path: String?) throws {
        guard let path, path != "-" else {
            file = km_stdout()
            name = "standard output"
            target = nil
            ownsFile = false
            return
        }
        name = path
        ownsFile = true
        let resolved = try Output.finalTarget(of: path)
        if let fd = Output.descriptorNumber(resolved) {
            let copy = dup(fd)
            guard copy >= 0 else { throw KMError.cannotOpen(path, .current) }
            file = try Output.stream(copy, path)
            target = nil
            return
        }
        var info = stat()
        let exists = stat(resolved, &info) == 0
        let kind = info.st_mode & S_IFMT
        if exists && kind == S_IFDIR { throw KMError.isDirectory(path) }
        if (exists && kind != S_IFREG) || resolved.hasPrefix("/proc/") {
            let fd = open(resolved, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw KMError.cannotOpen(path, .current) }
            file = try Output.stream(fd, path)
            target = nil
            return
        }
        let slash = resolved.lastIndex(of: "/")
        let dir = slash.map { String(resolved[...$0]) } ?? ""
        let base = slash.map { String(resolved[resolved.index(after: $0)...]) } ?? resolved
        // Found now, not at the rename after all the work.
        if base.isEmpty { throw KMError.cannotOpen(path, Errno(rawValue: resolved.isEmpty ? ENOENT : EISDIR)) }
        if base.utf8.count > Int(NAME_MAX) { throw KMError.cannotOpen(path, Errno(rawValue: ENAMETOOLONG)) }
        // ".NAME.XXXXXX", NAME cut so that the whole fits a file name (255 bytes) as the target does.
        let name = Array(dir.utf8) + [UInt8(ascii: ".")] + base.utf8.prefix(Int(NAME_MAX) - 8) + Array(".XXXXXX\0".utf8)
        var template = name.map { CChar(bitPattern: $0) }
        var slot: Int32 = -1
        let fd = km_temp_create(&template, &slot)
        guard fd >= 0 else { throw KMError.cannotOpen(path, .current) }
        if exists {
            // Owner first: a chown clears set-user-ID and set-group-ID bits.
            let owned = fchown(fd, info.st_uid, info.st_gid) == 0
            fchmod(fd, info.st_mode & (owned ? 0o7777 : 0o1777))
        } else {
            fchmod(fd, 0o666 & ~currentUmask())
        }
        guard let f = fdopen(fd, "wb") else {
            let why = Errno.current
            close(fd)
            km_temp_remove(slot)
            throw KMError.cannotOpen(path, why)
        }
        file = f
        target = resolved
        self.slot = slot
    }

    /// Writes to an open stream, which stays open.
    public init(file: UnsafeMutablePointer<FILE>, name: String) {
        self.file = file
        self.name = name
        target = nil
        ownsFile = false
    }

    deinit { abandon() }

    /// Whether bytes reach the target as they are written (standard output, a
    /// descriptor, a device), rather than at `commit`.
    public var writesAsItGoes: Bool { target == nil }

    func write(bytes: UnsafeBufferPointer<UInt8>) throws {
        let done = fwrite(bytes.baseAddress, 1, bytes.count, file)
        if done < bytes.count { throw KMError.writeFailed(name, .current) }
    }

    /// Writes text as it is.
    public func write(text: String) throws {
        try Array(text.utf8).withUnsafeBufferPointer { try write(bytes: $0) }
    }

    /// Pushes buffered output out; fails on a full disk or a closed reader.
    public func flush() throws {
        if fflush(file) != 0 || ferror(file) != 0 {
            throw KMError.writeFailed(name, .current)
        }
    }

    /// Finishes the output: flushes, and for a file closes it and renames it into place.
    public func commit() throws { try Output.commit([self]) }

    /// Finishes several outputs together: every one is flushed and closed
    /// first, and only when all of that succeeded are the files renamed into
    /// place, so that a failure leaves every target as it was.
    public static func commit(_ outputs: [Output]) throws {
        // Files first: a descriptor written as it goes cannot be taken back, a file can.
        let ordered = outputs.filter { $0.slot != nil } + outputs.filter { $0.slot == nil }
        do {
            for output in ordered { try output.finish() }
        } catch {
            for output in outputs { output.abandon() }
            throw error
        }
        for output in outputs { try output.install() }
    }

    /// Drops an uncommitted output: a temporary file is removed, the target
    /// left as it was.
    public func abandon() {
        if ownsFile && !closed { fclose(file) }
        closed = true
        if let slot { km_temp_remove(slot) }
        slot = nil
    }

    /// Flushes, and closes what this output opened (synced to disk for a temporary file).
    private func finish() throws {
        try flush()
        guard ownsFile && !closed else { return }
        closed = true
        let synced = slot == nil || fsync(fileno(file)) == 0
        let why = synced ? nil : Errno.current
        if fclose(file) != 0 || !synced {
            throw KMError.writeFailed(name, why ?? .current)
        }
    }

    /// Renames a finished temporary file over its target.
    private func install() throws {
        guard let slot, let target else { return }
        self.slot = nil
        if km_temp_rename(slot, target) != 0 {
            throw KMError.writeFailed(name, .current)
        }
    }

    private static func stream(_ fd: Int32, _ path: String) throws -> UnsafeMutablePointer<FILE> {
        guard let f = fdopen(fd, "wb") else {
            let why = Errno.current
            close(fd)
            throw KMError.cannotOpen(path, why)
        }
        return f
    }

    /// The descriptor a name of the process's own descriptors stands for:
    /// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N; nil for any other path.
    static func descriptorNumber(_ path: String) -> Int32? {
        if path == "/dev/stdout" { return 1 }
        if path == "/dev/stderr" { return 2 }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"] where path.hasPrefix(prefix) {
            let digits = path.dropFirst(prefix.count)
            if !digits.isEmpty, digits.count < 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int32(digits) }
        }
        return nil
    }

    /// `path` with symbolic links followed to the final target (which need
    /// not exist), stopping at a name of a descriptor or anything under /proc.
    static func finalTarget(of path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            if descriptorNumber(current) != nil { return current }
            if current.hasPrefix("/proc/") {
                // /proc/self/cwd/x.ppm is a file of the file system, replaced as any other is;
                // what stays under /proc once its folder is resolved is written as it goes.
                guard let slash = current.lastIndex(of: "/"), let real = realpath(String(current[..<slash]), nil) else { return current }
                let folder = String(cString: real)
                free(real)
                if folder.hasPrefix("/proc") { return current }
                current = folder + current[slash...]
                continue
            }
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = buffer.withUnsafeMutableBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { readlink(current, $0, b.count - 1) }
            }
            guard n > 0 else { throw KMError.cannotOpen(path, .current) }
            let link = String(decoding: buffer[0..<n], as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else {
                let slash = current.lastIndex(of: "/")
                current = (slash.map { String(current[...$0]) } ?? "") + link
            }
        }
        throw KMError.cannotOpen(path, Errno(rawValue: ELOOP))
    }
}

private func currentUmask() -> mode_t {
    let mask = umask(0)
    umask(mask)
    return mask
}
