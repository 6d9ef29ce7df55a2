import ArgumentParser
import KMCore
import KMTools

@main
struct KMHist: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmhist",
        abstract: "Count the colours of a netpbm image stream into a histogram file, or add histogram files.",
        discussion: """
            Reads PBM, PGM, PPM or PAM images, or histogram files kmhist wrote (a file holds one kind, \
            not both), from each FILE in turn, or standard input, and writes one histogram: every \
            distinct colour and how many pixels have it, and how many images were counted. \
            Histograms add up: kmhist on histogram files writes their sum, and kmfit fits one or many \
            histogram files as it fits the images they were made from, to the same palette. So a \
            film's frames can be counted where they are decoded (on other machines, in parallel) and \
            fitted once. Counted as kmfit counts: without --alpha, fully transparent pixels are left \
            out and every other pixel counts with its colour; with --alpha, colours are counted with \
            their opacity (every fully transparent pixel as 0 0 0 0). The file is binary \
            (big-endian): a 34-byte header (KMHIST, version 1, flags, maxval, frames, pixels, \
            colours), then each colour in increasing order, its samples (1 byte each up to maxval \
            255, else 2) and its count (8 bytes); the kmtools manual (docs/manual.md) gives it in \
            full. Its size is 11 to 16 bytes a distinct colour, whatever the number of pixels.
            """,
        version: versionLine("kmhist")
    )

    @Flag(help: ArgumentHelp(
        "Count colours with their opacity (for kmfit --alpha).",
        discussion: "Without it, the histogram is opaque, for kmfit without --alpha. Histogram files given as input must have alpha when it is set, and not otherwise."))
    var alpha = false

    @Option(help: ArgumentHelp(
        "Round every colour to this many bits a sample (1-16) before counting it: fewer distinct colours.",
        discussion: "The histogram's maxval is then 2^bits - 1 (63 for 6 bits), whatever the input's; histogram files given as input are rounded the same way (to the same histogram as their images when those share one maxval). It bounds the file and the memory of kmhist and kmfit at 2^(3 x bits) colours (2^(4 x bits) with --alpha), for films whose distinct colours number in the millions. Rounding moves each sample by up to half a step, but the palette fitted moves far less, since rounding errors average out over the pixels a colour stands for: the manual gives J's change at 5, 6 and 7 bits.",
        valueName: "bits"))
    var bits: Int?

    @Flag(name: [.customShort("v"), .long], help: "Say what was counted (frames, pixels, distinct colours) on standard error.")
    var verbose = false

    @OptionGroup var shared: SharedOptions

    @Argument(help: ArgumentHelp("Input image streams or histogram files, read in turn (default: standard input).",
                                 valueName: "file"), completion: .file())
    var files: [String] = []

    func validate() throws {
        if let bits, !(1...16).contains(bits) { throw ValidationError("--bits must be 1 to 16, not \(bits)") }
    }

    func run() throws {
        try checkHistogramOutput(option: "-o", path: shared.output)
        let inputs: [String?] = files.isEmpty ? [nil] : files
        try checkFiles(inputs: inputs.map { ("the input", $0) }, outputs: [("-o", shared.output)])
        let output = try Output(path: shared.output)
        let progress = Progress("kmhist", mode: Progress.mode(verbose: false))
        defer { progress.finish() }
        let counted = try countColors(of: inputs.map { path in { try PNMReader(path: path) } }, alpha: alpha,
                                      threads: shared.threadCount, histograms: true, bits: bits,
                                      progress: progress.reading)
        progress.finish()
        try HistogramFile.write(counted.colors, frames: counted.frames, to: output)
        try output.commit()
        if verbose {
            printError("kmhist: \(counted.summary), \(grouped(counted.colors.pixelCount)) pixels, maxval \(counted.colors.maxval)")
        }
    }

    static func main() { Tool.main(self) }
}
