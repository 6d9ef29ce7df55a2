import ArgumentParser
import KMCore

extension Initialization: ExpressibleByArgument {}

/// The fit's options, kmfit's and kmquant's alike (`@OptionGroup`): k-means'
/// effort and starts, and what the palette holds and how it is written. Read
/// into a `FitJob` by `job(colors:colorsName:threads:)`.
public struct FitOptions: ParsableArguments {
    @Option(name: .customLong("init-palette"), help: ArgumentHelp(
        "Start from this palette (say, the previous frame's): one run from its colours.",
        discussion: "Any netpbm image whose pixels are the colours. With more colours than K, the first are used; with fewer, k-means++ adds the rest. Keeps a video's colours steady from frame to frame. Not with kmquant's --min-psnr, whose fits start from each other.",
        valueName: "file"), completion: .file())
    public var initPalette: String?

    @Option(help: ArgumentHelp(
        "Colours the palette holds as given; the others are fitted around them.",
        discussion: "Any netpbm image whose pixels are the colours (a brand colour, pure white and black), each taken once at --maxval. They never move, even when no pixel is nearest to them, and K counts them, so it must be at least their number (with kmquant's --min-psnr, the search starts at their number). With --init-palette, the run starts from them and then the start palette's other colours.",
        valueName: "file"), completion: .file())
    public var fixed: String?

    @Option(help: ArgumentHelp(
        "Effort, 1 (slowest, lowest cost) to 10 (fastest).",
        discussion: "Sets the restarts (fewer as K grows: 10 at K = 16, 2 above K = 128 at level 3), how coarse the merged colours the restarts run on are, how many swap trials the best runs get (K = 8 to 64: 40 settled by 4 Lloyd iterations each for the 2 best at level 3, then 30, 20 and 10 for the best at levels 4 to 6, K / 16 times as many above K = 16, none from level 7; otherwise 4·K one-step trials for the best at level 3, none from level 8), how many runs are refined on all the colours and how far (from level 6, at most 10 iterations, down to 2 at level 10), whether Hartigan's moves polish the kept run (K >= 16 at levels 1-3, K >= 128 at 4 and 5), and whether the rounding is nudged (K <= 32, levels 1-4). -r still sets the restarts. The kmtools manual (docs/manual.md) tables J and time per level beside pngquant's --speed.",
        valueName: "level"))
    public var speed = 3

    @Option(name: [.customShort("r"), .long], help: "k-means runs from different starts; the lowest-cost run is kept (default: by --speed).")
    public var restarts: Int?

    @Option(name: .customLong("max-iterations"), help: "Most Lloyd iterations per run.")
    public var maxIterations = 300

    @Option(help: "A run has converged when no centre moves farther than this (in --space units; unit RGB cube for rgb).")
    public var tolerance = 1e-7

    @Option(name: .customLong("init"), help: ArgumentHelp(
        "How runs start: kmeans++ (greedy k-means++), random (K distinct random pixels) or split (one run from a variance split).",
        discussion: "Default: kmeans++ below K = \(Search().splitMinK), split from there: k-means++ costs grow with K squared, the split's with K's logarithm, and at such K the restarts' spread of J is a fraction of a per cent."))
    public var initialization: Initialization?

    @Option(help: "Seed of the random starts; the same seed gives the same palette.")
    public var seed: UInt64 = 1

    @Option(help: "Maxval of the palette written, and so of kmquant's output (1-65535).")
    public var maxval = 255

    @OptionGroup public var spaceOption: SpaceOption

    @Option(help: ArgumentHelp(
        "Pad the palette to this many colours (N x 1 pixels) with repeats of its first colour.",
        discussion: "For tools that take a palette of one size: --pad 256 for ffmpeg's paletteuse, which refuses any other. N is from the number of colours (K) to 65536. A repeat is exactly as near to every pixel as the colour it repeats, so no pixel's colour changes; kmmap's search leaves repeats out, and kmcost's colors= counts each colour once. kmquant's --indices then have maxval N - 1.",
        valueName: "n"))
    public var pad: Int?

    @Flag(help: ArgumentHelp(
        "Fit colours with opacity, and write the palette as a PAM RGB_ALPHA.",
        discussion: "Each pixel is its premultiplied colour (red, green and blue times alpha, and alpha, each scaled to [0,1]): two colours cost what they differ by over a background, so colours under alpha 0 cost nothing and faint ones little, and J is the mean squared distance between those points (0 to 4). When the input has fully transparent pixels, the palette holds transparent black, which K counts. Images without alpha are opaque. kmmap maps to such a palette, and kmquant's output is then a PAM RGB_ALPHA; pnmtopng -alpha writes the result as a palette PNG with transparency (tRNS). With kmquant's --min-psnr, the PSNR is that of this J, as kmcost scores a palette with alpha. kmquant's --dither dithers premultiplied colours (fully transparent pixels are never dithered). Not with --space (the distance is RGB's). Without --alpha, alpha only leaves fully transparent pixels out, and the palette is opaque, as pnmremap reads it."))
    public var alpha = false

    public init() {}

    /// --space: where colours are compared.
    public var space: ColorSpace { spaceOption.space }

    public func validate() throws {
        if let restarts, !(1...100_000).contains(restarts) { throw ValidationError("--restarts must be 1 to 100000, not \(restarts)") }
        guard (1...10).contains(speed) else { throw ValidationError("--speed must be 1 to 10, not \(speed)") }
        guard (1...1_000_000).contains(maxIterations) else {
            throw ValidationError("--max-iterations must be 1 to 1000000, not \(maxIterations)")
        }
        guard tolerance >= 0 && tolerance.isFinite else { throw ValidationError("--tolerance must be 0 or more, not \(tolerance)") }
        guard (1...65535).contains(maxval) else { throw ValidationError("--maxval must be 1 to 65535, not \(maxval)") }
        if let pad, !(1...65536).contains(pad) { throw ValidationError("--pad must be 1 to 65536, not \(pad)") }
    }

    /// The fit these options ask for, to `colors` (nil: `FitJob.defaultColors`)
    /// on `threads` threads, with the palettes --init-palette and --fixed name
    /// read. More fixed colours than K, or a --pad below K, is a usage error
    /// (status 64); `colorsName` is K's name in that message ("-k").
    public func job(colors: Int?, colorsName: String, threads: Int) throws -> FitJob {
        var job = FitJob()
        (job.speed, job.restarts, job.maxIterations, job.tolerance) = (speed, restarts, maxIterations, tolerance)
        (job.initialization, job.seed, job.threads) = (initialization, seed, threads)
        (job.maxval, job.space, job.alpha, job.pad) = (maxval, space, alpha, pad)
        job.start = try initPalette.map { try readPalette(path: $0, role: "--init-palette") }
        job.fixed = try fixed.map { try readPalette(path: $0, role: "--fixed") }
        job.colors = colors ?? job.defaultColors
        if let fixed, job.fixedCount > job.colors {
            throw ValidationError("--fixed: \(fixed) has \(job.fixedCount) colours, more than the \(job.colors) of \(colorsName), which counts them")
        }
        if let pad, pad < job.colors {
            throw ValidationError("--pad must be at least the number of colours, \(job.colors), not \(pad)")
        }
        return job
    }
}
