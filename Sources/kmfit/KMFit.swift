import ArgumentParser
import KMCore
import KMTools

@main
struct KMFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmfit",
        abstract: "Fit a K-colour palette to a netpbm image stream by k-means.",
        discussion: """
            Reads PBM, PGM, PPM or PAM images (plain or raw, maxval up to 65535) from FILE \
            or standard input. Every image of the stream is training data: one palette for \
            a whole run of frames. Writes the palette as a netpbm colormap: a PPM of K x 1 \
            pixels (a PAM RGB_ALPHA with --alpha) (maxval 255 unless --maxval; N x 1 with --pad N), colours ordered by how many pixels they take, most first. \
            The cost J is the mean over pixels of the squared RGB distance to the nearest \
            palette colour, channels scaled to [0,1] and summed; with --space, the squared \
            distance in that space (so -v and --report give J in its units); with --alpha, \
            the squared distance between premultiplied colours. In a PAM with alpha (without \
            --alpha), fully transparent pixels are left out and every other pixel counts fully (not weighted \
            by its alpha). When the input has no more distinct colours than K, the palette is \
            those colours, so shorter than K when it has fewer, and kmfit says so on standard \
            error. On a terminal, standard error shows one progress line (frames read, \
            distinct colours, restart n of m), erased at the end; into a file or a pipe, \
            nothing unless -v.
            """,
        version: kmtoolsVersion
    )

    @Option(name: [.customShort("k"), .customLong("colors")], help: "Number of colours (1-65536), the --fixed ones included (default 16, or the --init-palette's count plus the --fixed colours not in it).")
    var colors: Int?

    @Option(name: .customLong("init-palette"), help: ArgumentHelp(
        "Start from this palette (say, the previous frame's): one run from its colours.",
        discussion: "Any netpbm image whose pixels are the colours. With more colours than -k, the first are used; with fewer, k-means++ adds the rest. Keeps a video's colours steady from frame to frame.",
        valueName: "file"), completion: .file())
    var initPalette: String?

    @Option(help: ArgumentHelp(
        "Colours the palette holds as given; the others are fitted around them.",
        discussion: "Any netpbm image whose pixels are the colours (a brand colour, pure white and black), each taken once at --maxval. They never move, even when no pixel is nearest to them, and -k counts them, so it must be at least their number. With --init-palette, the run starts from them and then the start palette's other colours.",
        valueName: "file"), completion: .file())
    var fixed: String?

    @OptionGroup var fit: FitOptions

    @Option(help: "Maxval of the palette written (1-65535).")
    var maxval = 255

    @Option(help: spaceHelp)
    var space = ColorSpace.rgb

    @Option(help: ArgumentHelp(
        "Pad the palette to this many colours (N x 1 pixels) with repeats of its first colour.",
        discussion: "For tools that take a palette of one size: --pad 256 for ffmpeg's paletteuse, which refuses any other. N is from the number of colours (-k) to 65536. A repeat is exactly as near to every pixel as the colour it repeats, so no pixel's colour changes; kmmap's search leaves repeats out, and kmcost's colors= counts each colour once.",
        valueName: "n"))
    var pad: Int?

    @Flag(help: ArgumentHelp(
        "Fit colours with opacity, and write the palette as a PAM RGB_ALPHA.",
        discussion: "Each pixel is its premultiplied colour (red, green and blue times alpha, and alpha, each scaled to [0,1]): two colours cost what they differ by over a background, so colours under alpha 0 cost nothing and faint ones little, and J is the mean squared distance between those points (0 to 4). When the input has fully transparent pixels, the palette holds transparent black, which -k counts. Images without alpha are opaque. kmmap maps to such a palette; pnmtopng -alpha writes the result as a palette PNG with transparency (tRNS). Not with --space (the distance is RGB's). Without --alpha, alpha only leaves fully transparent pixels out, and the palette is opaque, as pnmremap reads it."))
    var alpha = false

    @OptionGroup var shared: SharedOptions

    @Flag(name: [.customShort("v"), .long], help: ArgumentHelp(
        "Report the cost of each run and of the best one on standard error.",
        discussion: "Also, when standard error is a file or a pipe, a line once the input is read: its frames, its distinct colours and the k-means runs to come."))
    var verbose = false

    @Option(help: ArgumentHelp("Write every run's cost to this file as TSV, for kmplot runs.",
                               discussion: "A header line 'restart<TAB>iterations<TAB>J', then one line a run: its number (from 1), its Lloyd iterations and its J (9 decimals). Written by the same rules as -o; the report and the palette land together, or neither does.",
                               valueName: "file"), completion: .file())
    var report: String?

    @Argument(help: "Input image stream (default: standard input).", completion: .file())
    var file: String?

    func validate() throws {
        if let colors, !(1...65536).contains(colors) { throw ValidationError("-k/--colors must be 1 to 65536, not \(colors)") }
        guard (1...65535).contains(maxval) else { throw ValidationError("--maxval must be 1 to 65535, not \(maxval)") }
        if let pad, !(1...65536).contains(pad) { throw ValidationError("--pad must be 1 to 65536, not \(pad)") }
    }

    func run() throws {
        try Unsupported.options(alpha: alpha, space: space)
        try checkFiles(inputs: [("the input", file)] + given([("--init-palette", initPalette), ("--fixed", fixed)]),
                       outputs: [("-o", shared.output)] + (report.map { [("--report", $0)] } ?? []))
        let output = try Output(path: shared.output)
        let reportFile = try report.map { try Output(path: $0) }
        let start = try initPalette.map { try readPalette(path: $0, role: "--init-palette") }
        let fixedPalette = try fixed.map { try readPalette(path: $0, role: "--fixed") }
        let fixedColors = fixedPalette?.distinct(at: maxval)
        // Without -k, a start palette keeps its size, plus the fixed colours it lacks.
        let fixedPoints = Set(alpha ? fixedPalette?.distinctRGBA(at: maxval).map { $0.premultiplied(maxval: maxval) } ?? []
                                    : fixedColors?.unitColors.map { SIMD4($0, 1) } ?? [])
        let colors = self.colors ?? start.map { start in
            let starts = alpha ? start.colors.indices.map { start.rgba($0).premultiplied(maxval: start.maxval) }
                               : start.unitColors.map { SIMD4($0, 1) }
            return fixedPoints.count + starts.filter { !fixedPoints.contains($0) }.count
        } ?? 16
        if let fixed, fixedPoints.count > colors {
            throw ValidationError("--fixed: \(fixed) has \(fixedPoints.count) colours, more than the \(colors) of -k, which counts them")
        }
        if let pad, pad < colors {
            throw ValidationError("--pad must be at least the number of colours, \(colors), not \(pad)")
        }
        let threads = shared.threadCount
        let progress = Progress("kmfit", mode: Progress.mode(verbose: verbose))
        defer { progress.finish() }
        var frames = 0
        let reader = try PNMReader(path: file)
        func reading(_ image: PNMImage) {
            frames = image.number
            progress.update("frame \(grouped(image.number)): row \(grouped(image.rowsRead)) of \(grouped(image.height))")
        }
        let histogram = alpha ? nil : try KMTools.histogram(of: reader, threads: threads, progress: reading)
        let alphaHistogram = alpha ? try KMTools.alphaHistogram(of: reader, progress: reading) : nil
        let distinct = histogram?.colorCount ?? alphaHistogram!.colorCount
        let read = "\(grouped(frames)) frame\(frames == 1 ? "" : "s") read, \(counted(distinct, "distinct colour"))"
        var options = fit.settings(threads: threads).options(k: colors)
        options.start = start?.unitColors.map { space.coordinates($0) }
        options.scoreEveryRun = verbose || report != nil
        let runCount = start == nil ? options.restarts : 1
        if distinct > colors {
            progress.step("\(read); k-means, \(runCount) run\(runCount == 1 ? "" : "s")")
        } else {
            progress.step(read)
        }
        var runs: [RunRecord] = []
        func record(_ run: KMeansRun) {
            runs.append(RunRecord(restart: run.restart + 1, iterations: run.iterations, cost: run.cost))
            progress.update("\(read); restart \(run.restart + 1) of \(runCount)")
            if verbose {
                progress.message(format("kmfit: restart %d: J=%.6f iterations=%d", run.restart + 1, run.cost, run.iterations))
            }
        }
        let fit = if let histogram {
            fitPalette(histogram, options: options, maxval: maxval, space: space, fixed: fixedColors, report: record)
        } else {
            fitAlphaPalette(alphaHistogram!, options: options, maxval: maxval,
                            fixed: fixedPalette?.distinctRGBA(at: maxval) ?? [],
                            start: start?.distinctRGBA(at: maxval), report: record)
        }
        progress.finish()
        if fit.best == nil {
            let with = fixedPoints.isEmpty ? "" : " (\(fit.palette.count) with the \(fixedPoints.count) fixed ones)"
            printError("kmfit: the input has \(counted(fit.distinctColors, "distinct colour"))\(with), not more than \(colors): the palette holds them all")
        }
        if verbose {
            if let best = fit.best {
                printError(format("kmfit: best: restart %d: J=%.6f", best.restart + 1, best.cost))
            }
            printError(format("kmfit: palette: J=%.6f colors=%d", fit.cost, fit.palette.count))
        }
        try PNMWriter(output).write(pad.map { fit.palette.padded(to: $0) } ?? fit.palette)
        try reportFile?.write(text: RunRecord.report(runs))
        // Both land, or neither does.
        try Output.commit([output] + (reportFile.map { [$0] } ?? []))
    }

    static func main() { Tool.main(self) }
}
