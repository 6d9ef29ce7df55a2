import ArgumentParser
import KMCore
import KMTools


@main
struct KMQuant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmquant",
        abstract: "Quantize a netpbm image stream to K colours in one step: kmfit, then kmmap.",
        discussion: """
            Reads PBM, PGM, PPM or PAM images (plain or raw, maxval up to 65535) from FILE \
            or standard input, fits one K-colour palette to the whole stream by k-means \
            and writes every image mapped to it: the same bytes as kmfit -k K, then kmmap \
            with that palette, given the same options. A regular file is read twice (to \
            fit, then to map); a pipe is read once into memory, up to --pipe-limit. The \
            whole input is read before anything is written, so bad input writes nothing; a file \
            that changes between the two reads is an error, and nothing is written. \
            With --min-psnr, K is the most colours allowed (256 unless given), and the palette is the smallest \
            the search finds whose PSNR meets the target (status 99, nothing written, when \
            even K colours do not).
            """,
        version: versionLine("kmquant")
    )

    @Argument(help: ArgumentHelp(
        "Number of colours (1-65536), or -k K; with --min-psnr, the most allowed (default 256).",
        discussion: "With one argument and no -k, a number is K (the input then standard input), anything else the input file.",
        valueName: "K"))
    var first: String?

    @Argument(help: ArgumentHelp("Input image stream (default: standard input).", valueName: "file"), completion: .file())
    var second: String?

    @Option(name: [.customShort("k"), .customLong("colors")], help: ArgumentHelp(
        "Number of colours, as K: kmquant -k 16 FILE is kmquant 16 FILE.", valueName: "K"))
    var colorsOption: Int?

    @Option(name: .customLong("min-psnr"), help: ArgumentHelp(
        "Use the fewest colours, up to K, whose PSNR is at least this (dB).",
        discussion: """
            PSNR is 10 log10(3/J), J the RGB cost of every pixel of the stream mapped to its \
            nearest colour (in --space; without dithering), as kmcost's psnr. The search fits \
            K = 1, 2, 4, ... until one meets the target, each fit warm-started from the one \
            before (as --init-palette), then bisects between the last K that fell short and \
            the first that met it, then fits K - 1 afresh, as kmfit -k does, while that meets \
            it: about 2 log2 K fits (17 for K = 256), not K. The K chosen meets the target and \
            K - 1 does not, warm-started nor as kmfit -k fits it; -v shows each fit.
            """,
        valueName: "dB"))
    var minPSNR: Double?

    @OptionGroup var fit: FitOptions

    @OptionGroup var dithering: DitherOptions

    @Flag(help: "Write a PGM of palette indices instead of colours (with --palette-out, the compressed form).")
    var indices = false

    @Option(name: .customLong("palette-out"), help: ArgumentHelp(
        "Also write the palette (kmfit's output) to this file.",
        discussion: "Written by the same rules as -o; the palette and the image land together, or neither does.",
        valueName: "file"), completion: .file())
    var paletteOut: String?

    @Option(name: .customLong("pipe-limit"), help: ArgumentHelp(
        "Most MiB of input held in memory when it is not a regular file (1-1048576).",
        discussion: "A pipe cannot be read twice, so it is read into memory first; a longer one is an error (give it as a file instead). A regular file, named or redirected, is read twice and never held.",
        valueName: "MiB"))
    var pipeLimit = 1024

    @OptionGroup var shared: SharedOptions

    @Flag(name: [.customShort("v"), .long], help: "Report the frames and colours read, each fit's PSNR (--min-psnr) and the palette's J on standard error.")
    var verbose = false

    /// K when neither K nor -k is given, with --min-psnr: pngquant's default.
    static let minPSNRColors = 256

    /// K (nil when not given) and the input file (nil for standard input), from
    /// the positional arguments and -k: K FILE; -k K FILE; or one argument,
    /// K when it is a number, else FILE.
    func colorsAndFile() throws -> (colors: Int?, file: String?) {
        func number(_ k: String) throws -> Int {
            guard let n = Int(k) else { throw ValidationError("K (colours) must be a number, 1 to 65536, not '\(k)'") }
            return n
        }
        switch (first, second, colorsOption) {
        case (nil, _, let k): return (k, nil)
        case (let a?, nil, nil): return Int(a) != nil ? (try number(a), nil) : (nil, a)
        case (let a?, let b?, nil): return (try number(a), b)
        case (let a?, nil, let k?):
            if Int(a) != nil { throw ValidationError("K is given twice, as \(a) and as -k \(k): give one (for a file named \(a), write ./\(a))") }
            return (k, a)
        case (let a?, let b?, let k?):
            throw ValidationError("K is given twice, as \(a) and as -k \(k): give one (kmquant -k \(k) \(b), or kmquant \(a) \(b))")
        }
    }

    /// K: `given` (colorsAndFile's), else with --min-psnr 256; without either, a usage error that says how to give it.
    func colorCount(given: Int?) throws -> Int {
        if let k = given { return k }
        guard minPSNR != nil else {
            throw ValidationError("give K, the number of colours: kmquant 16 FILE or kmquant -k 16 FILE "
                                  + "(or --min-psnr dB, for the fewest up to \(Self.minPSNRColors))")
        }
        return Self.minPSNRColors
    }

    func validate() throws {
        let colors = try colorCount(given: colorsAndFile().colors)
        guard (1...65536).contains(colors) else { throw ValidationError("K (colours) must be 1 to 65536, not \(colors)") }
        if let minPSNR, !(minPSNR.isFinite && minPSNR >= 0) {
            throw ValidationError("--min-psnr must be 0 dB or more, not \(minPSNR)")
        }
        guard (1...1_048_576).contains(pipeLimit) else { throw ValidationError("--pipe-limit must be 1 to 1048576 MiB, not \(pipeLimit)") }
    }

    func run() throws {
        let (givenColors, file) = try colorsAndFile()
        let colors = try colorCount(given: givenColors)
        try checkOutputFormats([("-o", shared.output), ("--palette-out", paletteOut)])
        try Unsupported.options(alpha: fit.alpha, space: fit.space, dither: dithering.dither, ditherStrength: dithering.ditherStrength,
                                minPSNR: minPSNR, initPalette: fit.initPalette != nil)
        try checkFiles(inputs: [("the input", file)] + given([("--init-palette", fit.initPalette), ("--fixed", fit.fixed)]),
                       outputs: [("-o", shared.output)] + (paletteOut.map { [("--palette-out", $0)] } ?? []))
        let output = try Output(path: shared.output)
        let paletteOutput = try paletteOut.map { try Output(path: $0) }
        var settings = Quantization()
        settings.fit = try fit.job(colors: colors, colorsName: givenColors == nil ? "K (by default \(colors) with --min-psnr)" : "K",
                                   threads: shared.threadCount)
        settings.minPSNR = minPSNR
        settings.dither = dithering.value
        settings.indices = indices
        let input = try TwoPassInput(path: file, limit: pipeLimit << 20)
        let progress = Progress("kmquant", mode: Progress.mode(verbose: verbose))
        defer { progress.finish() }
        try quantize(input, settings, to: output, palette: paletteOutput, progress: progress, verbose: verbose)
    }

    static func main() { Tool.main(self) }
}
