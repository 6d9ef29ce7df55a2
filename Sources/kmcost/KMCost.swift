import ArgumentParser
import KMCore
import KMTools

@main
struct KMCost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmcost",
        abstract: "Score a palette on a netpbm image stream, or an image against its original.",
        usage: """
            kmcost [--space <space>] [--json] [--max-cost <J>] <palette> [<file>]
            kmcost [--space <space>] [--json] [--max-cost <J>] --reference <original> [<file>]
            """,
        discussion: """
            For each image, prints one line of space-separated key=value pairs. With a \
            palette: J (the k-means cost: mean over pixels of the squared distance to the \
            nearest palette colour; in rgb, channels scaled to [0,1] and summed over the \
            three, so 0 to 3), psnr (10 log10(3/J) of the RGB J, dB), dE00 and dE00p95 (the \
            mean and 95th percentile over pixels of the CIEDE2000 difference to that colour), \
            colors (the palette's distinct colours: a colour repeated, as by kmfit --pad, \
            counts once) and bpp (bits per pixel of an index stream, ceil(log2 colors)), e.g. 'J=0.014650 psnr=23.11 dE00=8.657 dE00p95=19.030 \
            colors=16 bpp=4'. With --reference: J, psnr, dE00 and dE00p95 of each image \
            against the image at the same place in the reference stream; when either image has \
            alpha, J and psnr of premultiplied colours, as below (an image without alpha is \
            opaque). A palette with alpha \
            (kmfit --alpha) is scored as kmmap maps to it, by premultiplied distance: J is \
            the mean squared distance between (red x alpha, green x alpha, blue x alpha, \
            alpha), 0 to 4 (RGB's J where every pixel is opaque), psnr is 10 log10(3/J) as in RGB, and \
            the line ends in space=rgba, without ΔE00.
            """,
        version: versionLine("kmcost")
    )

    @Option(name: .long, help: "Score each image against the image at the same place in this stream.", completion: .file())
    var reference: String?

    @OptionGroup var spaceOption: SpaceOption

    @Flag(help: "Print one JSON object per image instead of key=value pairs, every number in full.")
    var json = false

    @Option(name: .customLong("max-cost"), help: "Exit with status 2 when some image's J (in the units of --space) is above this.")
    var maxCost: Double?

    @Argument(help: "The palette (unless --reference), then the input stream (default: standard input).", completion: .file())
    var arguments: [String] = []

    func validate() throws {
        let most = reference == nil ? 2 : 1
        if reference == nil && arguments.isEmpty { throw ValidationError("missing the palette argument") }
        if arguments.count > most { throw ValidationError("too many arguments: \(arguments.joined(separator: " "))") }
        if let maxCost, !(maxCost >= 0 && maxCost.isFinite) {
            throw ValidationError("--max-cost must be 0 or more, not \(maxCost)")
        }
    }

    func run() throws {
        let space = spaceOption.space
        let inputs: [(role: String, path: String?)] = reference.map { [("--reference", $0), ("the input", arguments.first)] }
            ?? [("the palette", arguments[0]), ("the input", arguments.dropFirst().first)]
        try checkFiles(inputs: inputs, outputs: [("standard output", nil)])
        var over = 0
        func emit(_ image: PNMImage, _ score: Score) {
            print(score.line(json: json))
            if let maxCost, score.cost > maxCost {
                over += 1
                printError("kmcost: image \(image.number): J=\(Score.text(cost: score.cost)) is above --max-cost "
                           + format("%g", maxCost))
            }
        }
        if let reference {
            try differences(PNMReader(path: arguments.first), reference: PNMReader(path: reference), space: space) {
                emit($0, Score($1, colors: nil))
            }
        } else {
            let palette = try readPalette(path: arguments[0])
            try Unsupported.palette(palette, name: arguments[0], space: space, scored: true)
            try paletteCosts(PNMReader(path: arguments.dropFirst().first), palette: palette, space: space) {
                emit($0, Score($1, colors: palette.distinctCount))
            }
        }
        try Output(path: nil).flush()
        if over > 0 { throw ExitCode(2) }
    }

    static func main() { Tool.main(self) }
}
