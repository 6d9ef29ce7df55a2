/// Every failure the tools report: what went wrong, the stream it concerns and
/// its cause kept as values (an `Errno`, libnetpbm's message, the error under a
/// role); the one line the user sees is made by `description`, and `status` is
/// the exit status (1: bad input or failed output; 64: an option combination or
/// input kmtools does not support, `Unsupported`, or an output format it does not write).
public enum KMError: Error, CustomStringConvertible, Equatable {
    /// libnetpbm refused the stream: its name, the image (1-based) when past the
    /// first, libnetpbm's message. No stream for a header libnetpbm would not write.
    case library(stream: String?, image: Int? = nil, message: String)
    /// A PAM whose tuple type kmtools does not understand: stream, type, depth.
    case unsupportedTupleType(String, String, depth: Int)
    /// The raster ended early: stream, image number (1-based), rows read, rows expected.
    case truncated(String, image: Int, rowsRead: Int, height: Int)
    /// A sample larger than the image's maxval; row is 1-based.
    case sampleAboveMaxval(String, image: Int, row: Int, value: Int, maxval: Int)
    /// Rows wider than kmtools reads: stream, image, samples a row, the limit.
    case rowTooLong(String, image: Int, samples: Int, limit: Int)
    /// Another image format where netpbm was expected: stream, format, converter.
    case notNetpbm(String, format: String, converter: String)
    /// A histogram file (kmhist) that is not whole and well-formed: the stream,
    /// which histogram of it (from 1), why.
    case badHistogram(String, record: Int, String)
    /// A histogram file where a tool reads only netpbm images.
    case histogramNotImage(String)
    /// A histogram file with alpha where colours are counted without, or the
    /// other way round: the stream, whether the file has alpha.
    case histogramAlpha(String, hasAlpha: Bool)
    /// Counts past what kmtools counts: more than 2^64 - 1 pixels (`pixels`)
    /// or 2^63 - 1 frames in all, reached at the stream (and image or histogram) named.
    case countOverflow(String, pixels: Bool)
    /// A histogram file and images in one stream: the stream, the image or
    /// histogram (1-based) that met the other kind.
    case histogramsAndImages(String, image: Int?, histogram: Int?)
    /// An output named for an image format (kmhist -o x.png), where a histogram file is written.
    /// The option, the path, the format ("PNG"), a name to use instead.
    case histogramOutputFormat(option: String, path: String, format: String, suggested: String)
    /// A stream that holds no image at all.
    case noImage(String)
    /// An image (or, with no number, a whole stream) whose every pixel has alpha 0.
    case noOpaquePixel(String, image: Int?)
    /// A path that could not be opened, and why.
    case cannotOpen(String, Errno)
    /// A path to read or write that is a directory.
    case isDirectory(String)
    /// A read failed: the stream, why.
    case readFailed(String, Errno)
    /// A write, flush, close or rename failed: what was written, why.
    case writeFailed(String, Errno)
    /// A text input longer than the limit, in MiB.
    case textTooLong(String, limitMiB: Int)
    /// A stream (not a regular file) longer than the limit, in MiB, that is held
    /// in memory to be read twice (kmquant): its name, the limit.
    case pipeTooLong(String, limitMiB: Int)
    /// A regular file that changed between two reads of it (kmquant's fit and
    /// mapping): its name, and whether no output has been written.
    case inputChanged(String, nothingWritten: Bool)
    /// A quality target (kmquant --min-psnr, in dB) that even the most colours
    /// allowed do not meet: the target, the PSNR reached, those colours. Status 99.
    case targetNotMet(minPSNR: Double, psnr: Double, colors: Int)
    /// A palette with more colours than the limit.
    case tooManyColors(String, count: Int, limit: Int)
    /// An index image (kmmap --from-indices) with more than one sample a pixel.
    case indicesNotGrey(image: Int, depth: Int)
    /// An index at or past the palette's count; row is 1-based.
    case indexPastPalette(image: Int, row: Int, index: Int, colors: Int)
    /// An image whose size differs from the reference's image at the same place.
    case sizeMismatch(image: Int, width: Int, height: Int, referenceWidth: Int, referenceHeight: Int)
    /// The input stream has more images than the reference stream.
    case moreImagesThanReference(input: String, reference: String)
    /// The reference stream has more images than the input stream.
    case referenceHasMoreImages(reference: String, input: String)
    /// A text input (kmfit --report, kmcost lines) that is empty where a header is needed.
    case emptyReport(String)
    /// A line of a text input the parser refuses: name, line number (1-based), why.
    case badLine(String, line: Int, String)
    /// An option combination or an input kmtools does not support (status 64).
    case unsupported(Unsupported)
    /// An output (-o, --palette-out) named for an image format kmtools does
    /// not write (photo16.png): the option, the path, the format ("PNG"), and
    /// the way out, a command that writes it ("pipe it: ..."). Status 64.
    case foreignOutputFormat(option: String, path: String, format: String, wayOut: String)
    /// kmplot runs: a report with its header and no run.
    case reportHasNoRuns
    /// kmplot elbow: an input with no kmcost line (colors= and J=).
    case noCostLines
    /// kmplot: a picture of width x height pixels past the limits (pixels a
    /// side, pixels in all); `what` starts the message ("the picture would be").
    case pictureTooLarge(what: String, width: Int, height: Int, maxSide: Int, maxPixels: Int)
    /// kmplot: libnetpbm could not allocate a picture of width x height pixels: its message.
    case cannotAllocatePicture(width: Int, height: Int, reason: String)
    /// kmplot: a libnetpbm drawing call failed: its message.
    case drawingFailed(String)
    /// An error of the stream that `role` named: the argument or option
    /// ("palette", "--init-palette"), shown before the error's own message.
    indirect case role(String, KMError)

    /// The exit status: 1 for every failure of input or output, 64 for what is
    /// unsupported (an output format too), 99 for a quality target not met.
    public var status: Int32 {
        switch self {
        case .unsupported, .foreignOutputFormat, .histogramOutputFormat: return 64
        case .targetNotMet: return 99
        case .role(_, let error): return error.status
        default: return 1
        }
    }

    /// The error under any roles.
    public var cause: KMError {
        if case .role(_, let error) = self { return error.cause }
        return self
    }

    public var description: String {
        switch self {
        case .library(let stream, let image, let message):
            guard let stream else { return message }
            return image.map { "\(stream), image \($0): \(message)" } ?? "\(stream): \(message)"
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
        case .badHistogram(let stream, let record, let why):
            return record > 1 ? "\(stream), histogram \(record): \(why)" : "\(stream): \(why)"
        case .histogramNotImage(let stream):
            return "\(stream) is a kmhist histogram, not a netpbm image: only kmfit and kmhist read histograms"
        case .histogramAlpha(let stream, let hasAlpha):
            return hasAlpha ? "\(stream) is a histogram with alpha (kmhist --alpha): give --alpha too"
                            : "\(stream) is a histogram without alpha: count the images again with kmhist --alpha"
        case .countOverflow(let stream, let pixels):
            return "\(stream): the \(pixels ? "pixels" : "frames") counted up to here add up to more than 2^\(pixels ? 64 : 63) - 1"
        case .histogramsAndImages(let stream, let image, let histogram):
            let at = image.map { "image \($0) is a kmhist histogram" } ?? "histogram \(histogram ?? 1) is followed by an image"
            return "\(stream): \(at): a stream holds images or histograms, not both (kmfit and kmhist take them as separate files)"
        case .histogramOutputFormat(let option, let path, let format, let suggested):
            return "\(option) \(path): kmhist writes a histogram file, not \(format); name it \(suggested)"
        case .noImage(let stream):
            return "\(stream) holds no image"
        case .noOpaquePixel(let stream, let image):
            return "\(stream) has no opaque pixel\(image.map { " in image \($0)" } ?? ""): every pixel's alpha is 0"
        case .cannotOpen(let path, let errno):
            return "cannot open '\(path)': \(errno)"
        case .isDirectory(let path):
            return "cannot open '\(path)': is a directory"
        case .readFailed(let stream, let errno):
            return "cannot read \(stream): \(errno)"
        case .writeFailed(let what, let errno):
            return "error writing \(what): \(errno)"
        case .textTooLong(let stream, let limit):
            return "\(stream) is longer than \(limit) MiB"
        case .pipeTooLong(let stream, let limit):
            return "\(stream) is longer than \(limit) MiB, the most held in memory to read a pipe twice: "
                + "give it as a file, or raise --pipe-limit"
        case .inputChanged(let stream, let nothingWritten):
            return "\(stream) changed while it was read twice (to fit, then to map): "
                + (nothingWritten ? "nothing written" : "the output is incomplete") + "; run again once it is complete"
        case .targetNotMet(let target, let psnr, let colors):
            return "even \(counted(colors, "colour")) give\(colors == 1 ? "s" : "") " + format("psnr %.4f dB, below --min-psnr %g: nothing written", psnr, target)
        case .tooManyColors(let stream, let count, let limit):
            return "\(stream) has \(grouped(count)) pixels; a palette holds at most \(grouped(limit)) colours, "
                + "one a pixel (an image given as the palette?)"
        case .indicesNotGrey(let image, let depth):
            return "image \(image) has \(depth) samples a pixel; indices come one a pixel (a PGM)"
        case .indexPastPalette(let image, let row, let index, let colors):
            return "image \(image), row \(row): index \(index) is past the palette's \(colors) colours"
        case .sizeMismatch(let image, let width, let height, let referenceWidth, let referenceHeight):
            return "image \(image) is \(width)x\(height) but the reference is \(referenceWidth)x\(referenceHeight)"
        case .moreImagesThanReference(let input, let reference):
            return "\(input) has more images than the reference \(reference)"
        case .referenceHasMoreImages(let reference, let input):
            return "the reference \(reference) has more images than \(input)"
        case .emptyReport(let name):
            return "\(name) is empty; expected kmfit --report's header line"
        case .badLine(let name, let line, let why):
            return "\(name), line \(line): \(why)"
        case .unsupported(let rule):
            return rule.description
        case .foreignOutputFormat(let option, let path, let format, let wayOut):
            return "\(option) \(path): kmtools writes netpbm (PPM/PGM/PAM), not \(format); \(wayOut)"
        case .reportHasNoRuns:
            return "no runs in the report"
        case .noCostLines:
            return "no lines with colors= and J= in the input"
        case .pictureTooLarge(let what, let width, let height, let maxSide, let maxPixels):
            return "\(what) \(width)x\(height) pixels; kmplot draws at most \(maxSide) pixels a side and \(maxPixels) in all"
        case .cannotAllocatePicture(let width, let height, let reason):
            return "cannot allocate a picture of \(width)x\(height) pixels: \(reason)"
        case .drawingFailed(let reason):
            return "drawing failed: \(reason)"
        case .role(let role, let error):
            return "\(role): \(error)"
        }
    }
}
