import ArgumentParser
import KMCore
import KMTools

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
            computed exactly in integers, ties to the earlier palette colour.
            """
    )

    @Argument(help: "The palette: a netpbm image whose pixels are the colours.")
    var palette: String

    @Argument(help: "Input image stream (default: standard input).")
    var file: String?

    @Option(help: "Threads to use (default: all processors); the output does not depend on it.")
    var threads: Int?

    @Option(name: [.customShort("o"), .long], help: "Write to this file, atomically, instead of standard output.")
    var output: String?

    func validate() throws {
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024, not \(threads)") }
    }

    func run() throws {
        let output = try Output(path: output)
        let colors: Palette
        do {
            colors = try readPalette(path: palette)
        } catch let error as NetpbmError {
            throw ToolError("palette: \(error)")
        }
        try mapStream(PNMReader(path: file), palette: colors, to: output,
                      threads: threads ?? Parallel.processorCount)
        try output.commit()
    }

    static func main() { Tool.main(self) }
}
