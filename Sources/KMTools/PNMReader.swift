import CNetpbmShim
import KMCore
#if canImport(Glibc)
import Glibc
#endif

/// A stream of netpbm images (PBM, PGM, PPM, PAM; plain or raw; maxval up to
/// 65535) read through libnetpbm: the header by libnetpbm, raw rasters in bulk.
public final class PNMReader {
    /// The stream's name in messages: a path or "standard input".
    public let name: String
    let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    private var images = 0
    private var current: PNMImage?

    /// Opens `path`, or standard input for nil or "-".
    public init(path: String?) throws {
        if let path, path != "-" {
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                throw KMError.isDirectory(path)
            }
            guard let f = fopen(path, "rb") else {
                throw KMError.cannotOpen(path, .current)
            }
            file = f
            name = path
            ownsFile = true
        } else {
            var info = stat()
            if fstat(0, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                throw KMError.readFailed("standard input", Errno(rawValue: EISDIR))
            }
            file = km_stdin()
            name = "standard input"
            ownsFile = false
        }
    }

    /// The stream, for a caller that opened it.
    public var fileForFuzzing: UnsafeMutablePointer<FILE> { file }

    /// Reads an open stream, which stays open; `name` is used in messages.
    public init(file: UnsafeMutablePointer<FILE>, name: String) {
        self.file = file
        self.name = name
        ownsFile = false
    }

    deinit {
        if ownsFile { fclose(file) }
    }

    /// The next image of the stream, or nil at its end. The first call fails on
    /// an empty stream. Rows of the previous image left unread are skipped.
    public func nextImage() throws -> PNMImage? {
        if let image = current {
            try image.skipRest()
            var more: Int32 = 0
            guard km_next_image(file, &more) == 0 else { throw KMError.library(stream: name, message: lastError()) }
            if more == 0 { current = nil; return nil }
        }
        var header = pam()
        guard km_read_header(file, &header) == 0 else { throw headerError(lastError()) }
        images += 1
        let image = try PNMImage(header: header, number: images, stream: name)
        current = image
        return image
    }
}

extension PNMReader {
    /// libnetpbm's header message, or a clearer one for a known non-netpbm format
    /// (libnetpbm names the first two bytes: "bad magic number 0x8950").
    func headerError(_ message: String) -> KMError {
        if message.contains("bad magic number 0x4b4d") {
            return images == 0 ? .histogramNotImage(name) : .histogramsAndImages(name, image: images + 1, histogram: nil)
        }
        for format in foreignFormats where format.magics.contains(where: { message.contains("bad magic number \($0)") }) {
            return .notNetpbm(name, format: format.name, converter: format.decoder)
        }
        return .library(stream: name, image: images == 0 ? nil : images + 1, message: message)
    }
}

func lastError() -> String {
    let text = String(cString: km_last_error())
    return text.isEmpty ? "libnetpbm failed without a message" : text
}

/// One image of a stream, read top to bottom in runs of rows.
public final class PNMImage {
    public let width: Int
    public let height: Int
    /// How its pixels are stored: samples a pixel, grey or RGB, alpha, maxval.
    public let format: PixelFormat
    public var maxval: Int { format.maxval }
    /// Whether the image has an alpha plane (dropped by `readRGB`).
    public var hasAlpha: Bool { format.hasAlpha }
    /// Samples a pixel: colour (1 or 3), then alpha if any.
    public var depth: Int { format.depth }
    /// 1-based position in the stream.
    public let number: Int
    /// Rows read so far.
    public private(set) var rowsRead = 0

    private var header: pam
    private let bulk: Bool
    private var bytes: [UInt8] = []
    private var samples: [UInt16] = []
    private var tuples: UnsafeMutablePointer<tuple?>?

    /// The stream's name, for messages.
    let stream: String

    /// Rows longer than this many samples are refused before anything is allocated.
    public static let rowLimit = 1 << 26

    init(header: pam, number: Int, stream: String) throws {
        self.header = header
        self.number = number
        self.stream = stream
        width = Int(header.width)
        height = Int(header.height)
        let depth = Int(header.depth)
        let type = withUnsafeBytes(of: header.tuple_type) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let isGray: Bool, hasAlpha: Bool
        switch (type, depth) {
        case ("BLACKANDWHITE", 1), ("GRAYSCALE", 1), ("", 1): (isGray, hasAlpha) = (true, false)
        case ("BLACKANDWHITE_ALPHA", 2), ("GRAYSCALE_ALPHA", 2): (isGray, hasAlpha) = (true, true)
        case ("RGB", 3), ("", 3): (isGray, hasAlpha) = (false, false)
        case ("RGB_ALPHA", 4): (isGray, hasAlpha) = (false, true)
        default: throw KMError.unsupportedTupleType(stream, type, depth: depth)
        }
        format = PixelFormat(depth: depth, isGray: isGray, hasAlpha: hasAlpha, maxval: Int(header.maxval))
        if width * depth > PNMImage.rowLimit {
            throw KMError.rowTooLong(stream, image: number, samples: width * depth, limit: PNMImage.rowLimit)
        }
        let format = header.format
        bulk = format == km_format_rpgm() || format == km_format_rppm() || format == km_format_pam()
    }

    deinit {
        if let tuples { km_free_row(tuples) }
    }

    /// Pixels in the image.
    public var pixelCount: Int { width * height }

    /// Rows to read at a time so that a run holds about a million samples, counting
    /// a pixel as its own samples or as RGB, whichever is more.
    public var rowsPerRun: Int { max(1, (1 << 20) / max(width * max(depth, 3), 1)) }

    /// Reads the next `rows` rows (at most those left) as stored: `depth`
    /// samples per pixel (colour, then alpha if any) on 0...maxval. Returns the
    /// number of rows read; `out` then holds exactly their samples.
    @discardableResult
    public func readSamples(rows: Int, into out: inout [UInt16]) throws -> Int {
        let n = min(rows, height - rowsRead)
        try fill(rows: n)
        let count = n * width * depth
        if out.count != count { out = [UInt16](repeating: 0, count: count) }
        out.withUnsafeMutableBufferPointer { o in
            samples.withUnsafeBufferPointer { s in
                o.baseAddress!.update(from: s.baseAddress!, count: count)
            }
        }
        return n
    }

    /// The same as `readSamples`, one byte a sample; requires maxval <= 255.
    /// A raw raster is read straight into `out`.
    @discardableResult
    public func readBytes(rows: Int, into out: inout [UInt8]) throws -> Int {
        precondition(maxval <= 255)
        let n = min(rows, height - rowsRead)
        let count = n * width * depth
        if out.count != count { out = [UInt8](repeating: 0, count: count) }
        if bulk {
            try readRaw(rows: n, into: &out)
            try checkMaxval(out, rows: n)
        } else {
            if samples.count < count { samples = [UInt16](repeating: 0, count: count) }
            try readTuples(rows: n)
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<count { o[i] = UInt8(truncatingIfNeeded: samples[i]) }
            }
        }
        rowsRead += n
        return n
    }

    /// Reads the next `rows` rows (at most those left) as interleaved RGB
    /// samples, 3 per pixel on 0...maxval, grey replicated, alpha dropped; with
    /// `opaqueOnly`, pixels whose alpha is 0 are left out. Returns the number of
    /// rows read; `out` holds the kept pixels' samples.
    @discardableResult
    public func readRGB(rows: Int, into out: inout [UInt16], opaqueOnly: Bool = false) throws -> Int {
        let n = min(rows, height - rowsRead)
        try fill(rows: n)
        let pixels = n * width
        if out.count != pixels * 3 { out = [UInt16](repeating: 0, count: pixels * 3) }
        let d = depth, color = format.isGray ? 1 : 3, skip = opaqueOnly && hasAlpha
        var kept = 0
        samples.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for p in 0..<pixels {
                    if skip && s[d * p + d - 1] == 0 { continue }
                    let r = s[d * p], g = s[d * p + color / 2], b = s[d * p + color - 1]
                    o[3 * kept] = r; o[3 * kept + 1] = g; o[3 * kept + 2] = b
                    kept += 1
                }
            }
        }
        if kept < pixels { out.removeLast(3 * (pixels - kept)) }
        return n
    }

    /// Reads and discards what is left of the raster.
    func skipRest() throws {
        while rowsRead < height {
            try fill(rows: rowsPerRun)
        }
    }

    /// Reads `n` rows into `samples`.
    private func fill(rows n: Int) throws {
        let count = n * width * depth
        if samples.count < count { samples = [UInt16](repeating: 0, count: count) }
        if bulk {
            try readBulk(rows: n)
        } else {
            try readTuples(rows: n)
        }
        rowsRead += n
    }

    /// Reads `n` rows of the raw raster, as bytes, into `buffer`.
    private func readRaw(rows n: Int, into buffer: inout [UInt8]) throws {
        let bps = maxval > 255 ? 2 : 1
        let rowBytes = width * depth * bps
        let count = n * rowBytes
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        let got = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, header.file) }
        if got < count {
            throw KMError.truncated(stream, image: number, rowsRead: rowsRead + got / max(rowBytes, 1), height: height)
        }
    }

    /// Fails on the first sample above maxval, which only a maxval other than
    /// 255 or 65535 allows in a raw raster.
    private func checkMaxval<S: FixedWidthInteger>(_ values: [S], rows n: Int) throws {
        let m = maxval
        guard m != 255 && m != 65535 else { return }
        let total = n * width * depth
        if let above = values.withUnsafeBufferPointer({ v in (0..<total).first { Int(v[$0]) > m } }) {
            throw KMError.sampleAboveMaxval(stream, image: number, row: rowsRead + above / (width * depth) + 1,
                                                value: Int(values[above]), maxval: m)
        }
    }

    private func readBulk(rows n: Int) throws {
        try readRaw(rows: n, into: &bytes)
        let total = n * width * depth
        bytes.withUnsafeBufferPointer { b in
            samples.withUnsafeMutableBufferPointer { s in
                if maxval <= 255 {
                    for i in 0..<total { s[i] = UInt16(b[i]) }
                } else {
                    for i in 0..<total { s[i] = UInt16(b[2 * i]) << 8 | UInt16(b[2 * i + 1]) }
                }
            }
        }
        try checkMaxval(samples, rows: n)
    }

    private func readTuples(rows n: Int) throws {
        if tuples == nil {
            guard km_alloc_row(&header, &tuples) == 0 else { throw KMError.library(stream: stream, message: lastError()) }
        }
        let rowSamples = width * depth
        try samples.withUnsafeMutableBufferPointer { s in
            for r in 0..<n {
                guard km_read_row(&header, tuples, s.baseAddress! + r * rowSamples) == 0 else {
                    throw KMError.library(stream: stream, message: lastError())
                }
            }
        }
    }
}
