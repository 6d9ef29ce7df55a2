import KMCore
#if canImport(Glibc)
import Glibc
#endif

/// kmhist's histogram file, version 1: the distinct colours of a stream with
/// their pixel counts, which add up (kmhist merges files, kmfit fits them).
/// All numbers big-endian.
///
///     offset size
///      0     6   "KMHIST"
///      6     1   version: 1
///      7     1   flags: 1 with alpha (colours R G B A), 0 opaque (R G B); no other bit
///      8     2   maxval, 1...65535: the scale of the samples
///     10     8   frames: the images counted
///     18     8   pixels: the sum of the counts
///     26     8   colours: how many entries follow
///     34         entries, in increasing order of (R, G, B, A), each colour once:
///                samples (1 byte each when maxval < 256, else 2), then the count
///                (8 bytes, at least 1); with alpha, a colour with alpha 0 is 0 0 0 0
///
/// A file may hold several histograms one after the other (as cat joins them),
/// read as their sum.
public enum HistogramFile {
    static let magic = Array("KMHIST".utf8)
    static let version: UInt8 = 1
    static let headerSize = 34
    /// The first byte of every histogram file; every netpbm image starts with 'P'.
    static let firstByte = Int32(UInt8(ascii: "K"))

    /// Writes `histogram`, counted from `frames` images, to `output`.
    public static func write(_ histogram: Histogram, frames: Int, to output: Output) throws {
        let (colors, counts) = histogram.colorsWithAlpha()
        let wide = histogram.maxval > 255, alpha = histogram.hasAlpha
        var bytes: [UInt8] = magic + [version, alpha ? 1 : 0]
        bytes.reserveCapacity(1 << 16)
        append(UInt64(histogram.maxval), size: 2, to: &bytes)
        append(UInt64(frames), size: 8, to: &bytes)
        append(histogram.pixelCount, size: 8, to: &bytes)
        append(UInt64(colors.count), size: 8, to: &bytes)
        for (color, count) in zip(colors, counts) {
            let c = color.color
            for sample in alpha ? [c.red, c.green, c.blue, color.alpha] : [c.red, c.green, c.blue] {
                append(UInt64(sample), size: wide ? 2 : 1, to: &bytes)
            }
            append(count, size: 8, to: &bytes)
            if bytes.count >= 1 << 16 {
                try bytes.withUnsafeBufferPointer { try output.write(bytes: $0) }
                bytes.removeAll(keepingCapacity: true)
            }
        }
        try bytes.withUnsafeBufferPointer { try output.write(bytes: $0) }
    }

    private static func append(_ value: UInt64, size: Int, to bytes: inout [UInt8]) {
        for i in stride(from: size - 1, through: 0, by: -1) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * i))) }
    }

    /// The next histogram of `file` (the `record`th, from 1), with the frames it
    /// was counted from; nil at the end of the file. Anything that is not a
    /// whole, well-formed histogram is refused (KMError.badHistogram).
    static func read(from file: UnsafeMutablePointer<FILE>, name: String, record: Int) throws -> (Histogram, frames: Int)? {
        func fail(_ why: String) -> KMError { .badHistogram(name, record: record, why) }
        var header = [UInt8](repeating: 0, count: headerSize)
        let got = fread(&header, 1, headerSize, file)
        if ferror(file) != 0 { throw KMError.readFailed(name, .current) }
        if got == 0 && record > 1 { return nil }
        if record > 1 && header[0] == UInt8(ascii: "P") {
            throw KMError.histogramsAndImages(name, image: nil, histogram: record - 1)
        }
        guard got >= magic.count && Array(header[0..<magic.count]) == magic else {
            throw fail(record > 1 ? "garbage after the histogram before it" : "not a kmhist histogram (its first bytes are not KMHIST)")
        }
        guard got == headerSize else { throw fail("premature end of input: the header ends after \(got) of its \(headerSize) bytes") }
        func number(_ at: Int, _ size: Int) -> UInt64 { header[at..<at + size].reduce(0) { $0 << 8 | UInt64($1) } }
        guard header[6] == version else { throw fail("version \(header[6]); this kmtools reads version \(version)") }
        guard header[7] <= 1 else { throw fail("unknown flags \(header[7]); expected 0 (opaque) or 1 (alpha)") }
        let alpha = header[7] == 1, maxval = Int(number(8, 2))
        let frames = number(10, 8), pixels = number(18, 8), colors = number(26, 8)
        guard maxval >= 1 else { throw fail("maxval 0; expected 1 to 65535") }
        guard frames <= UInt64(Int.max) else { throw fail("\(frames) frames is more than kmtools counts") }
        guard pixels > 0 else { throw fail("no pixels counted (kmhist never writes an empty histogram)") }
        guard colors <= pixels else { throw fail("\(colors) colours in \(pixels) pixels: more colours than pixels") }
        let channels = alpha ? 4 : 3, sampleSize = maxval > 255 ? 2 : 1
        let entrySize = channels * sampleSize + 8
        var histogram = Histogram(maxval: maxval, alpha: alpha)
        var buffer = [UInt8](repeating: 0, count: entrySize * 4096)
        var read: UInt64 = 0, sum: UInt64 = 0, last: UInt64? = nil
        while read < colors {
            let batch = Int(min(colors - read, 4096))
            let n = fread(&buffer, entrySize, batch, file)
            if ferror(file) != 0 { throw KMError.readFailed(name, .current) }
            for e in 0..<n {
                let at = e * entrySize, index = Int(read) + e + 1
                func sample(_ c: Int) throws -> UInt16 {
                    let s = at + c * sampleSize
                    let value = sampleSize == 2 ? Int(buffer[s]) << 8 | Int(buffer[s + 1]) : Int(buffer[s])
                    guard value <= maxval else { throw fail("colour \(grouped(index)): sample value \(value) is above maxval \(maxval)") }
                    return UInt16(value)
                }
                let color = RGBA(Color(red: try sample(0), green: try sample(1), blue: try sample(2)),
                                 alpha: alpha ? try sample(3) : 0)
                let count = buffer[at + channels * sampleSize..<at + entrySize].reduce(0) { $0 << 8 | UInt64($1) }
                guard count > 0 else { throw fail("colour \(grouped(index)) has a count of 0") }
                if alpha && color.alpha == 0 && color != .transparent {
                    throw fail("colour \(grouped(index)) has alpha 0 but is not 0 0 0 0 (transparent pixels are counted as transparent black)")
                }
                if let last, color.key <= last {
                    throw fail("colour \(grouped(index)) is not after the one before (colours come in increasing order, each once)")
                }
                last = color.key
                let (total, overflow) = sum.addingReportingOverflow(count)
                guard !overflow && total <= pixels else {
                    throw fail("the counts add up to more than the header's \(pixels) pixels")
                }
                sum = total
                if alpha { histogram.add(color, count: count) } else { histogram.add(color.color, count: count) }
            }
            read += UInt64(n)
            if n < batch {
                throw fail("premature end of input: it ends after \(grouped(read)) of its \(grouped(colors)) colours")
            }
        }
        guard sum == pixels else { throw fail("the counts add up to \(sum), not the header's \(pixels) pixels") }
        return (histogram, Int(frames))
    }
}

extension PNMReader {
    /// Whether the stream starts as a histogram file does (HistogramFile),
    /// looked at without taking the byte; false at its end.
    func startsWithHistogram() -> Bool {
        let c = getc(file)
        if c == EOF { return false }
        ungetc(c, file)
        return c == HistogramFile.firstByte
    }

    /// The histograms of a stream that holds histogram files, one at a time.
    func nextHistogram(record: Int) throws -> (Histogram, frames: Int)? {
        try HistogramFile.read(from: file, name: name, record: record)
    }
}
