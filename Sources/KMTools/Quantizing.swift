import CNetpbmShim
import KMCore
#if canImport(Glibc)
import Glibc
#endif

/// kmfit's fit settings, the same for every K: what kmquant shares with kmfit,
/// so that both fit a given K alike.
public struct FitSettings: Sendable {
    /// Effort, 1 (slowest, lowest J) to 10 (fastest): `Search.level`.
    public var speed = 3
    /// k-means runs from different starts, >= 1; nil for the speed's (10 with random starts).
    public var restarts: Int?
    /// Most Lloyd iterations a run, >= 1.
    public var maxIterations = 300
    /// A run has converged when no centre moves farther than this (the space's units), >= 0.
    public var tolerance = 1e-7
    public var initialization = Initialization.kmeansPlusPlus
    /// Seed of the random starts.
    public var seed: UInt64 = 1
    /// Threads, >= 1; the result does not depend on it.
    public var threads = 1

    public init() {}

    /// The k-means options of a fit to `k` colours, as kmfit sets them (no start).
    public func options(k: Int) -> KMeansOptions {
        var options = KMeansOptions()
        options.k = k
        let level = Search.level(speed, k: k)
        options.search = level.search
        options.restarts = restarts ?? (initialization == .random ? 10 : level.restarts)
        options.maxIterations = maxIterations
        options.tolerance = tolerance
        options.initialization = initialization
        options.seed = seed
        options.threads = threads
        return options
    }
}

/// A netpbm stream read twice, once to fit the palette and once to map: a
/// regular file (a path, or standard input redirected from one) is read again
/// from where it started; anything else (a pipe, a FIFO, `<(cmd)`, a terminal)
/// is read into memory once, up to a limit, and read twice from there through
/// fmemopen, so libnetpbm reads it as any other stream and no temporary file is
/// left to clean up.
public final class TwoPassInput {
    /// The stream's name in messages: a path or "standard input".
    public let name: String
    /// Bytes held in memory; 0 for a regular file, read in place.
    private var heldBytes = 0
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    /// Where a regular file's stream starts, or nil when it is held in memory.
    private var start: off_t?
    private var held: UnsafeMutableRawPointer?
    private var memoryFile: UnsafeMutablePointer<FILE>?

    /// Opens `path`, or standard input for nil or "-". A stream that is not a
    /// regular file is read into memory now; more than `limit` bytes is an error.
    public init(path: String?, limit: Int) throws {
        if let path, path != "-" {
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { throw KMError.isDirectory(path) }
            guard let f = fopen(path, "rb") else { throw KMError.cannotOpen(path, .current) }
            (file, name, ownsFile) = (f, path, true)
        } else {
            (file, name, ownsFile) = (km_stdin(), "standard input", false)
        }
        var info = stat()
        let offset = ftello(file)
        if fstat(fileno(file), &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && offset >= 0 {
            start = offset
        } else {
            try hold(limit: limit)
        }
    }

    deinit {
        if let memoryFile { fclose(memoryFile) }
        free(held)
        if ownsFile { fclose(file) }
    }

    /// A reader of the whole stream from its start, for one pass; a reader
    /// from an earlier call must not be used after this one.
    public func reader() throws -> PNMReader {
        if let start {
            guard fseeko(file, start, SEEK_SET) == 0 else { throw KMError.readFailed(name, .current) }
            return PNMReader(file: file, name: name)
        }
        if let memoryFile { fclose(memoryFile) }
        memoryFile = nil
        // A size of 0 gives a stream at its end (glibc 2.22 and later), an empty input's error.
        guard let f = fmemopen(held, heldBytes, "rb") else { throw KMError.readFailed(name, .current) }
        memoryFile = f
        return PNMReader(file: f, name: name)
    }

    /// Reads the whole stream into `held`: more than `limit` bytes is an error.
    private func hold(limit: Int) throws {
        var capacity = 0
        while true {
            if heldBytes == capacity {
                guard capacity <= limit else { throw KMError.pipeTooLong(name, limitMiB: limit >> 20) }
                let grown = min(max(2 * capacity, 1 << 20), limit + 1)
                guard let p = realloc(held, grown) else { throw KMError.readFailed(name, Errno(rawValue: ENOMEM)) }
                (held, capacity) = (p, grown)
            }
            let wanted = capacity - heldBytes
            let got = fread(held! + heldBytes, 1, wanted, file)
            heldBytes += got
            if got < wanted {
                if ferror(file) != 0 { throw KMError.readFailed(name, .current) }
                return
            }
        }
    }
}

/// What kmquant does: kmfit's fit and kmmap's mapping of one stream.
public struct Quantization: Sendable {
    /// K, the colours (1...65536); with `minPSNR`, the most allowed.
    public var colors = 16
    /// The quality target, in dB of RGB PSNR over the whole stream (kmcost's
    /// psnr, nearest colours without dithering); nil to fit exactly `colors`.
    public var minPSNR: Double?
    public var fit = FitSettings()
    /// A palette to start from, as kmfit's --init-palette (fixed K only).
    public var initPalette: Palette?
    /// Colours every palette holds as given, as kmfit's --fixed (K counts them;
    /// each taken once at `maxval`, with its alpha when `alpha`).
    public var fixed: Palette?
    /// Fit colours with opacity, as kmfit --alpha (not with `minPSNR`, `space`
    /// or `dither`): the output is a PAM RGB_ALPHA, or indices.
    public var alpha = false
    /// The palette's maxval, and so the output's (1...65535).
    public var maxval = 255
    /// Where colours are compared, for fitting and mapping alike.
    public var space = ColorSpace.rgb
    public var dither = Dither.none
    /// Write palette indices (a PGM) instead of colours, as kmmap --indices.
    public var indices = false
    /// Pad the palette to this many colours (>= `colors`) with repeats of its
    /// first, as kmfit --pad: the palette written and the indices' maxval, not a pixel's colour.
    public var pad: Int?

    public init() {}
}

/// Quantizes every image of `input` with one palette, the bytes that kmfit
/// and then kmmap give with the same options: the histogram of the whole stream
/// (first pass), the palette (`settings.colors`, or the smallest meeting
/// `settings.minPSNR`: `smallestPalette`), then every image mapped (second
/// pass) to `output`, and the palette to `paletteOutput` if any; both land
/// together, or neither does. The whole input is read, and any error in it
/// found, before anything is written. A target not met is
/// `KMError.targetNotMet` (status 99), with nothing written. `progress`
/// shows the reading and the fits; with `verbose`, a line per fit.
public func quantize(_ input: TwoPassInput, _ settings: Quantization, to output: Output, palette paletteOutput: Output? = nil,
                     progress: Progress, verbose: Bool) throws {
    var frames = 0
    func reading(_ image: PNMImage) {
        frames = image.number
        progress.update("frame \(grouped(image.number)): row \(grouped(image.rowsRead)) of \(grouped(image.height))")
    }
    let histogram = settings.alpha ? nil : try KMTools.histogram(of: input.reader(), threads: settings.fit.threads, progress: reading)
    let alphaHistogram = settings.alpha ? try KMTools.alphaHistogram(of: input.reader(), progress: reading) : nil
    let distinct = histogram?.colorCount ?? alphaHistogram!.colorCount
    progress.step("\(grouped(frames)) frame\(frames == 1 ? "" : "s") read, \(grouped(distinct)) distinct colours")
    let fit: PaletteFit
    if let alphaHistogram {
        precondition(settings.minPSNR == nil && settings.space == .rgb && settings.dither.method == .none)
        fit = fitAlphaPalette(alphaHistogram, options: settings.fit.options(k: settings.colors), maxval: settings.maxval,
                              fixed: settings.fixed?.distinctRGBA(at: settings.maxval) ?? [],
                              start: settings.initPalette?.distinctRGBA(at: settings.maxval))
        progress.finish()
        if fit.best == nil {
            printError("kmquant: the input has \(fit.distinctColors) distinct colours, not more than \(settings.colors): the palette holds them all")
        }
        if verbose { printError(format("kmquant: palette: J=%.6f colors=%d", fit.cost, fit.palette.count)) }
    } else if let target = settings.minPSNR {
        var fits = 0
        let chosen = smallestPalette(histogram!, minPSNR: target, maxColors: settings.colors, maxval: settings.maxval,
                                     space: settings.space, fixed: settings.fixed, options: { settings.fit.options(k: $0) }) { step in
            fits += 1
            let from = step.startK.map { " from K=\($0)" } ?? ""
            let line = "K=\(step.k)\(from): psnr=" + format("%.4f", step.psnr) + " dB, "
                + (step.meets ? "meets " : "below ") + format("%g", target)
            progress.update(line, force: true)
            if verbose { progress.message("kmquant: " + line) }
        }
        progress.finish()
        guard chosen.meets else { throw KMError.targetNotMet(minPSNR: target, psnr: chosen.psnr, colors: chosen.k) }
        if verbose {
            printError(format("kmquant: K=%d, the smallest found to meet %g dB, after %d fits: J=%.6f colors=%d",
                              chosen.k, target, fits, chosen.fit.cost, chosen.fit.palette.count))
        }
        fit = chosen.fit
    } else {
        var options = settings.fit.options(k: settings.colors)
        options.start = settings.initPalette?.unitColors.map { settings.space.coordinates($0) }
        fit = fitPalette(histogram!, options: options, maxval: settings.maxval, space: settings.space, fixed: settings.fixed)
        progress.finish()
        if fit.distinctColors <= settings.colors {
            printError("kmquant: the input has \(fit.distinctColors) distinct colours, not more than \(settings.colors): the palette holds them all")
        }
        if verbose { printError(format("kmquant: palette: J=%.6f colors=%d", fit.cost, fit.palette.count)) }
    }
    let palette = settings.pad.map { fit.palette.padded(to: $0) } ?? fit.palette
    if let paletteOutput { try PNMWriter(paletteOutput).write(palette) }
    try mapStream(input.reader(), palette: palette, to: output, space: settings.space, dither: settings.dither,
                  indices: settings.indices, threads: settings.fit.threads)
    try Output.commit([output] + (paletteOutput.map { [$0] } ?? []))
}
