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
    try Unsupported.options(alpha: settings.alpha, space: settings.space, dither: settings.dither.method,
                            minPSNR: settings.minPSNR, initPalette: settings.initPalette != nil)
    var frames = 0
    func reading(_ image: PNMImage) {
        frames = image.number
        progress.update("frame \(grouped(image.number)): row \(grouped(image.rowsRead)) of \(grouped(image.height))")
    }
    let firstPass = try input.reader()
    let histogram: Histogram?, alphaHistogram: AlphaHistogram?
    do {
        histogram = settings.alpha ? nil : try KMTools.histogram(of: firstPass, threads: settings.fit.threads, progress: reading)
        alphaHistogram = settings.alpha ? try KMTools.alphaHistogram(of: firstPass, progress: reading) : nil
    } catch {
        throw input.explain(error)
    }
    let distinct = histogram?.colorCount ?? alphaHistogram!.colorCount
    progress.step("\(grouped(frames)) frame\(frames == 1 ? "" : "s") read, \(counted(distinct, "distinct colour"))")
    let fit: PaletteFit
    if let alphaHistogram {
        fit = fitAlphaPalette(alphaHistogram, options: settings.fit.options(k: settings.colors), maxval: settings.maxval,
                              fixed: settings.fixed?.distinctRGBA(at: settings.maxval) ?? [],
                              start: settings.initPalette?.distinctRGBA(at: settings.maxval))
        progress.finish()
        if fit.best == nil {
            printError("kmquant: the input has \(counted(fit.distinctColors, "distinct colour")), not more than \(settings.colors): the palette holds them all")
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
            printError("kmquant: the input has \(counted(fit.distinctColors, "distinct colour")), not more than \(settings.colors): the palette holds them all")
        }
        if verbose { printError(format("kmquant: palette: J=%.6f colors=%d", fit.cost, fit.palette.count)) }
    }
    let palette = settings.pad.map { fit.palette.padded(to: $0) } ?? fit.palette
    if let paletteOutput { try PNMWriter(paletteOutput).write(palette) }
    let nothingWritten = !([output] + (paletteOutput.map { [$0] } ?? [])).contains { $0.writesAsItGoes }
    do {
        try mapStream(input.reader(), palette: palette, to: output, space: settings.space, dither: settings.dither,
                      indices: settings.indices, threads: settings.fit.threads)
    } catch let error as KMError {
        // Bytes appended or cut during the mapping read as bad input: say what happened.
        if case .inputChanged = error { throw error }
        try input.finish(nothingWritten: nothingWritten)
        throw error
    }
    try input.finish(nothingWritten: nothingWritten)
    try Output.commit([output] + (paletteOutput.map { [$0] } ?? []))
}
