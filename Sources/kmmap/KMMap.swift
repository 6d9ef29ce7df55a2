import ArgumentParser
import KMCore
import KMTools

extension Dither: ExpressibleByArgument {}

@main
struct KMMap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmmap",
        abstract: "Replace every pixel of a netpbm image stream by its nearest palette colour.",
        discussion: """
            PALETTE is any netpbm image whose pixels are the colours (kmfit's output, \
            pnmcolormap's, or any image). Each image of the input stream becomes a PPM \
            with the palette's maxval and the input's dimensions, written as it goes. \
            Nearest means least squared RGB distance with channels scaled to [0,1], \
            computed exactly in integers, ties to the earlier palette colour. A PAM with \
            alpha keeps its alpha plane and comes out as PAM RGB_ALPHA. With --indices, \
            the output is a PGM of palette indices (maxval: colours - 1, at least 1), the \
            compressed form (ceil(log2 K) bits a pixel); --from-indices turns such a PGM \
            back into colours, exactly.
            """
    )

    @Argument(help: "The palette: a netpbm image whose pixels are the colours.")
    var palette: String

    @Argument(help: "Input image stream (default: standard input).")
    var file: String?

    @Option(help: ArgumentHelp("Dithering: none, fs (Floyd-Steinberg, serpentine) or bayer (ordered, 8x8).",
                               discussion: "Bayer thresholds span the median distance between a palette colour and its nearest other colour."))
    var dither = Dither.none

    @Flag(help: "Write a PGM of palette indices instead of colours.")
    var indices = false

    @Flag(name: .customLong("from-indices"), help: "Read PGMs of palette indices (from --indices) and write their colours.")
    var fromIndices = false

    @Option(help: "Threads to use (default: all processors); the output does not depend on it.")
    var threads: Int?

    @Option(name: [.customShort("o"), .long], help: "Write to this file, atomically, instead of standard output.")
    var output: String?

    func validate() throws {
        if indices && fromIndices { throw ValidationError("--indices and --from-indices exclude each other") }
        if fromIndices && dither != .none { throw ValidationError("--dither does not apply to --from-indices") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024, not \(threads)") }
    }

    func run() throws {
        let output = try Output(path: output)
        let colors = try readPalette(path: palette)
        if fromIndices {
            try colorsFromIndices(PNMReader(path: file), palette: colors, to: output)
        } else {
            try mapStream(PNMReader(path: file), palette: colors, to: output, dither: dither, indices: indices,
                          threads: threads ?? Parallel.processorCount)
        }
        try output.commit()
    }

    static func main() { Tool.main(self) }
}
