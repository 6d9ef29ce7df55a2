import KMCore

/// One palette fitted to a stream, kmfit's job and kmquant's for each K: its
/// k-means settings, what the palette holds and how it is written. The
/// options (`FitOptions`) read into this; KMCore's `KMeansOptions` are made
/// from it for each K (`options(k:)`), so kmquant's --min-psnr search fits a
/// K as kmfit -k does.
public struct FitJob: Sendable {
    /// K, the colours (1...65536), the fixed ones included.
    public var colors = 16
    /// Effort, 1 (slowest, lowest J) to 10 (fastest): `Search.level`.
    public var speed = 3
    /// k-means runs from different starts, >= 1; nil for the speed's (10 with random starts).
    public var restarts: Int?
    /// Most Lloyd iterations a run, >= 1.
    public var maxIterations = 300
    /// A run has converged when no centre moves farther than this (`space`'s units), >= 0.
    public var tolerance = 1e-7
    /// How runs start; nil for the speed's (`Search.initialization(k:)`).
    public var initialization: Initialization?
    /// Seed of the random starts.
    public var seed: UInt64 = 1
    /// Threads, 1...1024; the palette does not depend on it.
    public var threads = 1
    /// The palette's maxval (1...65535).
    public var maxval = 255
    /// Where colours are compared (rgb with `alpha`).
    public var space = ColorSpace.rgb
    /// Fit colours with opacity, by premultiplied distance: the palette has alphas.
    public var alpha = false
    /// Colours the palette holds as given, each once at `maxval` (with its
    /// alpha when `alpha`); K counts them.
    public var fixed: Palette?
    /// A palette to start from (--init-palette): one run from its colours.
    public var start: Palette?
    /// The palette written is padded to this many colours (>= K) with repeats of its first.
    public var pad: Int?

    public init() {}

    /// The k-means options of a fit to `k` colours (no start).
    public func options(k: Int) -> KMeansOptions {
        var options = KMeansOptions()
        options.k = k
        let level = Search.level(speed, k: k)
        options.search = level.search
        if restarts != nil { (options.search.fewColorsRestarts, options.search.largeKRestarts) = (1, .max) }
        options.restarts = restarts ?? (initialization == .random ? 10 : level.restarts)
        options.maxIterations = maxIterations
        options.tolerance = tolerance
        options.initialization = initialization ?? level.search.initialization(k: k)
        options.seed = seed
        options.threads = threads
        return options
    }

    /// The fixed colours' points (ColorPoint), each once: premultiplied with
    /// `alpha`, else opaque RGB.
    private var fixedPoints: Set<ColorPoint> {
        Set(alpha ? fixed?.distinctRGBA(at: maxval).map { $0.point(maxval: maxval) } ?? []
                  : fixed?.distinct(at: maxval).unitColors.map { ColorPoint($0, 0) } ?? [])
    }

    /// How many distinct colours `fixed` holds at `maxval`.
    public var fixedCount: Int { fixedPoints.count }

    /// K when none is given (kmfit without -k): the start palette's colours
    /// plus the fixed ones it lacks, else 16.
    public var defaultColors: Int {
        guard let start else { return 16 }
        let fixed = fixedPoints
        let starts = alpha ? start.colors.indices.map { start.rgba($0).point(maxval: start.maxval) }
                           : start.unitColors.map { ColorPoint($0, 0) }
        return fixed.count + starts.filter { !fixed.contains($0) }.count
    }

    /// The palette `fit` made, padded to `pad`: what is written.
    public func written(_ fit: PaletteFit) -> Palette {
        pad.map { fit.palette.padded(to: $0) } ?? fit.palette
    }
}

/// The colours a fit runs on (with `FitJob.alpha`, with their opacity) and
/// the frames they were counted from.
public struct FitHistogram {
    public var colors: Histogram
    /// Images read.
    public var frames: Int

    /// Distinct colours.
    public var colorCount: Int { colors.colorCount }

    /// "F frames read, C distinct colours", for the progress line.
    public var summary: String {
        "\(grouped(frames)) frame\(frames == 1 ? "" : "s") read, \(counted(colorCount, "distinct colour"))"
    }
}

extension FitJob {
    /// Every image of `reader` counted, as `histogram(of:alpha:)`; `progress`
    /// shows the frame and row read.
    public func histogram(of reader: PNMReader, progress: Progress) throws -> FitHistogram {
        try histogram(of: [{ reader }], progress: progress)
    }

    /// Every image of each stream in turn counted, as one stream (kmfit a.ppm
    /// b.ppm as cat a.ppm b.ppm | kmfit); `progress` shows the frame (counted
    /// over the streams) and row read.
    /// With `histograms`, a stream may hold histogram files instead
    /// (`countColors(of:alpha:threads:histograms:bits:progress:)`).
    public func histogram(of streams: [() throws -> PNMReader], histograms: Bool = false,
                          progress: Progress) throws -> FitHistogram {
        try countColors(of: streams, alpha: alpha, threads: threads, histograms: histograms, progress: progress.reading)
    }

    /// The k-means runs a fit of `distinct` colours makes: one from a start
    /// palette, else as KMeansOptions.runs(colors:) says.
    public func runCount(distinct: Int) -> Int { start == nil ? options(k: colors).runs(colors: distinct) : 1 }

    /// K colours fitted to `histogram`. `progress` first says what was read
    /// (`FitHistogram.summary`, then "; k-means, N runs" when k-means runs),
    /// then shows "restart n of m";
    /// when the input has no more colours than K (besides the fixed ones),
    /// a line says the palette holds them all; with `verbose`, the palette's J.
    /// `runs`, when given, sees every run, each scored (kmfit -v, --report), and
    /// with `verbose` each run's J and the best run are shown.
    public func fit(_ histogram: FitHistogram, progress: Progress, verbose: Bool,
                    runs: ((KMeansRun) -> Void)? = nil) -> PaletteFit {
        var options = options(k: colors)
        options.scoreEveryRun = runs != nil
        let name = progress.name, total = runCount(distinct: histogram.colorCount), read = histogram.summary
        progress.step(histogram.colorCount > colors ? "\(read); k-means, \(total) run\(total == 1 ? "" : "s")" : read)
        func report(_ run: KMeansRun) {
            runs?(run)
            progress.update("\(read); restart \(run.restart + 1) of \(total)")
            if verbose && runs != nil {
                progress.message(format("\(name): restart %d: J=%.6f iterations=%d", run.restart + 1, run.cost, run.iterations))
            }
        }
        let fit = fitPalette(histogram.colors, options: options, maxval: maxval, space: space, fixed: fixed, start: start,
                             report: report)
        progress.finish()
        if fit.best == nil {
            let fixedCount = self.fixedCount
            let with = fixedCount == 0 ? "" : " (\(fit.palette.count) with the \(fixedCount) fixed ones)"
            printError("\(name): the input has \(counted(fit.distinctColors, "distinct colour"))\(with), not more than \(colors): the palette holds them all")
        }
        if verbose {
            if runs != nil, let best = fit.best {
                printError(format("\(name): best: restart %d: J=%.6f", best.restart + 1, best.cost))
            }
            printError(format("\(name): palette: J=%.6f colors=%d", fit.cost, fit.palette.count))
        }
        return fit
    }
}

/// Every image of `reader` counted into one histogram, a run of rows at a
/// time over `threads` threads: opaque colours, fully transparent pixels left
/// out; or with `alpha`, colours with their opacity (Histogram.hasAlpha;
/// images without alpha are opaque). `progress` sees the image being read
/// after each run of rows (its number, rows read and height), for a progress line.
public func histogram(of reader: PNMReader, alpha: Bool = false, threads: Int = 1,
                      progress: (PNMImage) -> Void = { _ in }) throws -> Histogram {
    try histogram(of: [{ reader }], alpha: alpha, threads: threads) { image, _ in progress(image) }
}

/// Every image of each stream in turn counted into one histogram, as
/// `histogram(of:alpha:threads:progress:)` counts one stream: the same
/// histogram as for the streams' bytes joined (cat). Each stream is opened
/// once the one before is read, and closed then. `progress` also sees the
/// image's number over all the streams.
public func histogram(of streams: [() throws -> PNMReader], alpha: Bool = false, threads: Int = 1,
                      progress: (_ image: PNMImage, _ frame: Int) -> Void = { _, _ in }) throws -> Histogram {
    try countColors(of: streams, alpha: alpha, threads: threads, progress: progress).colors
}

/// Every image of each stream in turn counted, as `histogram(of:alpha:threads:progress:)`
/// does, with the images counted. With `histograms`, a stream may hold
/// histogram files instead (HistogramFile: it starts with their first byte),
/// each added with its frames, as if its images were read there; the histograms
/// must have alpha when `alpha` is set, and not otherwise. With `bits` (1...16),
/// every colour, an image's or a histogram's, is first rounded to that many
/// bits a sample (the scale 0...2^bits - 1).
public func countColors(of streams: [() throws -> PNMReader], alpha: Bool = false, threads: Int = 1,
                        histograms: Bool = false, bits: Int? = nil,
                        progress: (_ image: PNMImage, _ frame: Int) -> Void = { _, _ in }) throws -> FitHistogram {
    precondition(bits.map { (1...16).contains($0) } ?? true)
    let scale = bits.map { (1 << $0) - 1 }
    var counter: HistogramCounter?
    var samples: [UInt16] = []
    var frames = 0
    // Pixels so far, so that histograms' claimed counts cannot overflow a sum.
    var pixels: UInt64 = 0
    var names: [String] = []
    func add(_ n: UInt64, frames more: Int, at stream: String) throws {
        let (sum, overflow) = pixels.addingReportingOverflow(n)
        let (total, tooMany) = frames.addingReportingOverflow(more)
        guard !overflow && !tooMany else { throw KMError.countOverflow(stream, pixels: overflow) }
        (pixels, frames) = (sum, total)
    }
    for open in streams {
        let reader = try open()
        names.append(reader.name)
        if histograms && reader.startsWithHistogram() {
            var record = 1
            while let (read, partFrames) = try reader.nextHistogram(record: record) {
                let name = record > 1 ? "\(reader.name), histogram \(record)" : reader.name
                guard read.hasAlpha == alpha else { throw KMError.histogramAlpha(name, hasAlpha: read.hasAlpha) }
                try add(read.pixelCount, frames: partFrames, at: name)
                let part = scale.map { read.rescaled(to: $0) } ?? read
                if counter == nil { counter = HistogramCounter(maxval: part.maxval, alpha: alpha, threads: threads) }
                counter!.merge(part)
                record += 1
            }
            continue
        }
        while let image = try reader.nextImage() {
            try add(UInt64(image.width) * UInt64(image.height), frames: 1, at: "\(reader.name), image \(image.number)")
            if counter == nil { counter = HistogramCounter(maxval: scale ?? image.maxval, alpha: alpha, threads: threads) }
            while image.rowsRead < image.height {
                if alpha {
                    try image.readSamples(rows: image.rowsPerRun, into: &samples)
                    var format = image.format
                    if let scale { rescale(&samples, from: format.maxval, to: scale); format.maxval = scale }
                    counter!.add(samples, format: format)
                } else {
                    try image.readRGB(rows: image.rowsPerRun, into: &samples, opaqueOnly: true)
                    if let scale { rescale(&samples, from: image.maxval, to: scale) }
                    counter!.add(rgb: samples, maxval: scale ?? image.maxval)
                }
                progress(image, frames)
            }
        }
    }
    let name = names.count == 1 ? names[0] : "the input (\(names.count) files)"
    guard let histogram = counter?.histogram() else { throw KMError.noImage(name) }
    guard histogram.pixelCount > 0 else { throw KMError.noOpaquePixel(name, image: nil) }
    return FitHistogram(colors: histogram, frames: frames)
}

/// Every sample of `samples` from the scale 0...`from` to 0...`to`, rounded.
private func rescale(_ samples: inout [UInt16], from: Int, to: Int) {
    guard from != to else { return }
    for i in samples.indices { samples[i] = rescaleSample(samples[i], from: from, to: to) }
}
