#if canImport(Glibc)
import Glibc
#endif

/// What can go wrong reading or writing a netpbm stream, as one line of text.
public enum NetpbmError: Error, CustomStringConvertible, Equatable {
    /// libnetpbm refused the stream; its own message.
    case library(String)
    /// A PAM whose tuple type this tool does not understand: stream, type, depth.
    case unsupportedTupleType(String, String, depth: Int)
    /// The raster ended early: stream, image number (1-based), rows read, rows expected.
    case truncated(String, image: Int, rowsRead: Int, height: Int)
    /// A sample larger than the image's maxval.
    case sampleAboveMaxval(String, image: Int, row: Int, value: Int, maxval: Int)
    /// Rows wider than kmtools reads: stream, image, samples a row, the limit.
    case rowTooLong(String, image: Int, samples: Int, limit: Int)
    /// Another image format where netpbm was expected: stream, format, converter.
    case notNetpbm(String, format: String, converter: String)
    /// A file could not be opened; path and system message.
    case cannotOpen(String, String)
    /// A write, flush or close failed; what was written and system message.
    case writeFailed(String, String)
    /// A file that holds no image at all.
    case noImage(String)

    public var description: String {
        switch self {
        case .library(let message):
            return message
        case .unsupportedTupleType(let stream, let type, let depth):
            let shown = type.isEmpty ? "(none)" : "'\(type)'"
            return "\(stream): unsupported PAM tuple type \(shown) with depth \(depth); "
                + "expected RGB, GRAYSCALE, BLACKANDWHITE or their _ALPHA forms"
        case .truncated(let stream, let image, let rows, let height):
            return "\(stream): premature end of input: image \(image) ends after \(rows) of its \(height) rows"
        case .sampleAboveMaxval(let stream, let image, let row, let value, let maxval):
            return "\(stream): image \(image), row \(row): sample value \(value) is above maxval \(maxval)"
        case .rowTooLong(let stream, let image, let samples, let limit):
            return "\(stream): image \(image) has \(samples) samples a row; kmtools reads rows of at most \(limit)"
        case .notNetpbm(let stream, let format, let converter):
            return "\(stream) is a \(format) file, not a netpbm image: convert it first, e.g. with \(converter)"
        case .cannotOpen(let path, let why):
            return "cannot open '\(path)': \(why)"
        case .writeFailed(let what, let why):
            return "error writing \(what): \(why)"
        case .noImage(let what):
            return "\(what) holds no image"
        }
    }

    static func errnoText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
