import CNetpbmShim
import KMCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes raw netpbm images: the header through libnetpbm, the raster in bulk.
public final class PNMWriter {
    let output: Output
    private var bytes: [UInt8] = []
    private var maxval = 255

    public init(_ output: Output) { self.output = output }

    /// Starts an image: PGM for depth 1, PPM for depth 3, PAM otherwise.
    public func beginImage(width: Int, height: Int, depth: Int = 3, maxval: Int,
                           tupleType: String = "RGB") throws {
        self.maxval = maxval
        guard km_write_header(output.file, Int32(width), Int32(height), Int32(depth),
                              UInt32(maxval), tupleType) == 0 else {
            throw NetpbmError.library(lastError())
        }
    }

    /// Writes samples (row-major, interleaved) of the current image.
    public func write(_ samples: UnsafeBufferPointer<UInt16>) throws {
        let bps = maxval > 255 ? 2 : 1
        let count = samples.count * bps
        if bytes.count < count { bytes = [UInt8](repeating: 0, count: count) }
        bytes.withUnsafeMutableBufferPointer { b in
            if bps == 1 {
                for i in 0..<samples.count { b[i] = UInt8(truncatingIfNeeded: samples[i]) }
            } else {
                for i in 0..<samples.count {
                    b[2 * i] = UInt8(truncatingIfNeeded: samples[i] >> 8)
                    b[2 * i + 1] = UInt8(truncatingIfNeeded: samples[i])
                }
            }
        }
        try bytes.withUnsafeBufferPointer { try output.write(bytes: UnsafeBufferPointer(rebasing: $0[..<count])) }
    }

    /// Writes bytes of the current image as they are (maxval <= 255).
    public func write(bytes: UnsafeBufferPointer<UInt8>) throws {
        try output.write(bytes: bytes)
    }

    /// Writes a palette as a netpbm colormap: a PPM of count x 1 pixels.
    public func write(_ palette: Palette) throws {
        try beginImage(width: palette.count, height: 1, maxval: palette.maxval)
        let samples = palette.colors.flatMap { [$0.red, $0.green, $0.blue] }
        try samples.withUnsafeBufferPointer { try write($0) }
    }
}

/// Standard output, or a file written atomically: into a temporary file beside
/// the target, renamed over it by `commit`, removed by `abandon` (and when
/// dropped uncommitted).
public final class Output {
    let file: UnsafeMutablePointer<FILE>
    /// The name in messages.
    public let name: String
    private let target: String?
    private var temporary: String?

    /// Standard output for nil or "-"; otherwise an atomic file at `path`. Fails
    /// at once when the file's directory cannot take it.
    public init(path: String?) throws {
        guard let path, path != "-" else {
            file = km_stdout()
            name = "standard output"
            target = nil
            return
        }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw NetpbmError.cannotOpen(path, "is a directory")
        }
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(dir).\(base).XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw NetpbmError.cannotOpen(path, NetpbmError.errnoText()) }
        let temp = String(cString: template)
        fchmod(fd, 0o666 & ~currentUmask())
        guard let f = fdopen(fd, "wb") else {
            let why = NetpbmError.errnoText()
            close(fd)
            unlink(temp)
            throw NetpbmError.cannotOpen(path, why)
        }
        file = f
        name = path
        target = path
        temporary = temp
    }

    /// Writes to an open stream, which stays open.
    public init(file: UnsafeMutablePointer<FILE>, name: String) {
        self.file = file
        self.name = name
        target = nil
    }

    deinit { abandon() }

    func write(bytes: UnsafeBufferPointer<UInt8>) throws {
        let done = fwrite(bytes.baseAddress, 1, bytes.count, file)
        if done < bytes.count { throw NetpbmError.writeFailed(name, NetpbmError.errnoText()) }
    }

    /// Writes text as it is.
    public func write(text: String) throws {
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { try write(bytes: UnsafeBufferPointer($0)) }
    }

    /// Pushes buffered output out; fails on a full disk or a closed reader.
    public func flush() throws {
        if fflush(file) != 0 || ferror(file) != 0 {
            throw NetpbmError.writeFailed(name, NetpbmError.errnoText())
        }
    }

    /// Finishes the output: flushes (and for a file, closes and renames it into place).
    public func commit() throws {
        try flush()
        guard let temp = temporary, let target else { return }
        temporary = nil
        if fsync(fileno(file)) != 0 || fclose(file) != 0 {
            let why = NetpbmError.errnoText()
            unlink(temp)
            throw NetpbmError.writeFailed(target, why)
        }
        if rename(temp, target) != 0 {
            let why = NetpbmError.errnoText()
            unlink(temp)
            throw NetpbmError.writeFailed(target, why)
        }
    }

    /// Drops an uncommitted file output; the target is left as it was.
    public func abandon() {
        guard let temp = temporary else { return }
        temporary = nil
        fclose(file)
        unlink(temp)
    }
}

private func currentUmask() -> mode_t {
    let mask = umask(0)
    umask(mask)
    return mask
}
