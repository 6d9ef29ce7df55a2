import CNetpbmShim
import KMCore
#if canImport(Glibc)
import Glibc
#endif

/// A netpbm stream read twice, once to fit the palette and once to map.
/// - A regular file (a path, or standard input redirected from one) is read
///   again from where it started. Its size, modification and change times are
///   noted when it is opened: a file changed after that (rewritten, appended to,
///   truncated) is `KMError.inputChanged`, found before the second pass writes
///   anything and again at its end.
/// - Anything else (a pipe, a FIFO, `<(cmd)`, a terminal) is kept in memory as
///   the first pass reads it, up to a limit, and read the second time from
///   there through fmemopen: bad input is found where it is, not after the
///   whole stream is held.
public final class TwoPassInput {
    /// The stream's name in messages: a path or "standard input".
    public let name: String
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    /// A regular file: where its stream starts, and what it was when opened.
    private var start: off_t?
    private var opened = stat()
    /// Anything else: the bytes read so far, and the most allowed.
    private let limit: Int
    private var held: UnsafeMutableRawPointer?
    private var heldBytes = 0, capacity = 0
    private var overflowed = false
    private var readError: Errno?
    private var passes = 0
    private var passFile: UnsafeMutablePointer<FILE>?

    /// Opens `path`, or standard input for nil or "-". A stream that is not a
    /// regular file is held as it is read; more than `limit` bytes is `KMError.pipeTooLong`.
    public init(path: String?, limit: Int) throws {
        self.limit = limit
        if let path, path != "-" {
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { throw KMError.isDirectory(path) }
            guard let f = fopen(path, "rb") else { throw KMError.cannotOpen(path, .current) }
            (file, name, ownsFile) = (f, path, true)
        } else {
            (file, name, ownsFile) = (km_stdin(), "standard input", false)
        }
        let offset = ftello(file)
        guard fstat(fileno(file), &opened) == 0 else { throw KMError.readFailed(name, .current) }
        if (opened.st_mode & S_IFMT) == S_IFDIR { throw KMError.readFailed(name, Errno(rawValue: EISDIR)) }
        if (opened.st_mode & S_IFMT) == S_IFREG && offset >= 0 { start = offset }
    }

    deinit {
        if let passFile { fclose(passFile) }
        free(held)
        if ownsFile { fclose(file) }
    }

    /// A reader of the whole stream from its start: the first call for the
    /// first pass, the second for the second (a regular file checked unchanged
    /// first). A reader from an earlier call must not be used after this one.
    public func reader() throws -> PNMReader {
        passes += 1
        precondition(passes <= 2, "a TwoPassInput is read twice")
        if let start {
            if passes == 2 { try checkUnchanged(nothingWritten: true) }
            guard fseeko(file, start, SEEK_SET) == 0 else { throw KMError.readFailed(name, .current) }
            return PNMReader(file: file, name: name)
        }
        if passes == 1 {
            let read: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, Int) -> Int = { cookie, buffer, size in
                Unmanaged<TwoPassInput>.fromOpaque(cookie!).takeUnretainedValue().readAndHold(into: buffer!, size)
            }
            guard let f = km_open_reader(Unmanaged.passUnretained(self).toOpaque(), read) else {
                throw KMError.readFailed(name, .current)
            }
            passFile = f
            return PNMReader(file: f, name: name)
        }
        // Whatever the first pass left unread (nothing, for a whole stream) is held too.
        var scratch = [CChar](repeating: 0, count: 1 << 16)
        while readAndHold(into: &scratch, scratch.count) > 0 {}
        try checkHeld()
        if let passFile { fclose(passFile) }
        // A size of 0 gives a stream at its end (glibc 2.22 and later), an empty input's error.
        passFile = fmemopen(held, heldBytes, "rb")
        guard let passFile else { throw KMError.readFailed(name, .current) }
        return PNMReader(file: passFile, name: name)
    }

    /// The first pass's error as the user should see it: a stream cut off by
    /// the limit is `pipeTooLong`, whatever libnetpbm made of the cut.
    public func explain(_ error: Error) -> Error {
        if overflowed { return KMError.pipeTooLong(name, limitMiB: limit >> 20) }
        return readError.map { KMError.readFailed(name, $0) } ?? error
    }

    /// After the second pass: fails when a regular file changed since it was opened.
    public func finish(nothingWritten: Bool) throws {
        if start != nil { try checkUnchanged(nothingWritten: nothingWritten) }
    }

    private func checkHeld() throws {
        if overflowed { throw KMError.pipeTooLong(name, limitMiB: limit >> 20) }
        if let readError { throw KMError.readFailed(name, readError) }
    }

    private func checkUnchanged(nothingWritten: Bool) throws {
        var now = stat()
        guard fstat(fileno(file), &now) == 0 else { throw KMError.readFailed(name, .current) }
        let same = now.st_size == opened.st_size
            && now.st_mtim.tv_sec == opened.st_mtim.tv_sec && now.st_mtim.tv_nsec == opened.st_mtim.tv_nsec
            && now.st_ctim.tv_sec == opened.st_ctim.tv_sec && now.st_ctim.tv_nsec == opened.st_ctim.tv_nsec
        if !same { throw KMError.inputChanged(name, nothingWritten: nothingWritten) }
    }

    /// fopencookie's read: up to `size` bytes of the stream into `buffer`, kept
    /// in `held`; 0 at the end, -1 past the limit or on a read error.
    private func readAndHold(into buffer: UnsafeMutablePointer<CChar>, _ size: Int) -> Int {
        if overflowed || readError != nil { return -1 }
        var got: Int
        repeat { got = Glibc.read(fileno(file), buffer, size) } while got < 0 && errno == EINTR
        if got < 0 { readError = .current; return -1 }
        if got == 0 { return 0 }
        if heldBytes + got > limit { overflowed = true; return -1 }
        if heldBytes + got > capacity {
            let grown = min(max(2 * capacity, heldBytes + got, 1 << 20), limit)
            guard let p = realloc(held, grown) else { readError = Errno(rawValue: ENOMEM); return -1 }
            (held, capacity) = (p, grown)
        }
        (held! + heldBytes).copyMemory(from: buffer, byteCount: got)
        heldBytes += got
        return got
    }
}
