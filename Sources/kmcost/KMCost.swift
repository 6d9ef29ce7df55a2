import ArgumentParser
import KMCore
import KMTools

@main
struct KMCost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmcost",
        abstract: "Score a palette on a netpbm image stream, or an image against its original.",
        usage: """
            kmcost [--json] [--max-cost <J>] <palette> [<file>]
            kmcost [--json] [--max-cost <J>] --reference <original> [<file>]
            """,
        discussion: """
            For each image, prints one line of space-separated key=value pairs. With a \
            palette: J (the k-means cost: mean over pixels of the squared RGB distance to \
            the nearest palette colour, channels scaled to [0,1] and summed over the three, \
            so 0 to 3), psnr (10 log10(3/J), dB), colors (palette entries) and bpp (bits \
            per pixel of an index stream, ceil(log2 colors)), e.g. \
            'J=0.014797 psnr=23.07 colors=16 bpp=4'. With --reference: J and psnr of each \
            image against the image at the same place in the reference stream.
            """,
        version: kmtoolsVersion
    )

    @Option(name: .long, help: "Score each image against the image at the same place in this stream.", completion: .file())
    var reference: String?

    @Flag(help: "Print one JSON object per image instead of key=value pairs.")
    var json = false

    @Option(name: .customLong("max-cost"), help: "Exit with status 2 when some image's J is above this.")
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
        var over = 0
        func emit(_ image: PNMImage, _ cost: CostSum, colors: Int?) {
            print(Score(cost: cost.cost, colors: colors).line(json: json))
            if let maxCost, cost.cost > maxCost {
                over += 1
                printError(format("kmcost: image %d: J=%.6f is above --max-cost %g", image.number, cost.cost, maxCost))
            }
        }
        if let reference {
            try differences(PNMReader(path: arguments.first), reference: PNMReader(path: reference)) {
                emit($0, $1, colors: nil)
            }
        } else {
            let palette = try readPalette(path: arguments[0])
            try paletteCosts(PNMReader(path: arguments.dropFirst().first), palette: palette) {
                emit($0, $1, colors: palette.count)
            }
        }
        try Output(path: nil).flush()
        if over > 0 { throw ExitCode(2) }
    }

    static func main() { Tool.main(self) }
}
