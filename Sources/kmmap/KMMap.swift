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
            computed exactly in integers, ties to the earlier palette colour. A PAM with \
            alpha keeps its alpha plane and comes out as PAM RGB_ALPHA. A palette with \
            alpha (a PAM RGB_ALPHA, as kmfit --alpha writes) maps each pixel to the \
            colour nearest by premultiplied distance (red, green and blue times alpha, \
            and alpha; an image without alpha is opaque), and the output is a PAM \
            RGB_ALPHA of the palette's colours and opacities; --dither spreads or mixes premultiplied colours, and a fully transparent pixel is never dithered. With --indices, \
            the output is a PGM of palette indices (maxval: colours - 1, at least 1), the \
            compressed form (ceil(log2 K) bits a pixel); --from-indices turns such a PGM \
            back into colours, exactly.
            """,
        version: versionLine("kmmap")
    )

    @Argument(help: "The palette: a netpbm image whose pixels are the colours.", completion: .file())
    var palette: String

    @Argument(help: "Input image stream (default: standard input).", completion: .file())
    var file: String?

    @OptionGroup var dithering: DitherOptions

    @OptionGroup var spaceOption: SpaceOption

    @Flag(help: "Write a PGM of palette indices instead of colours.")
    var indices = false

    @Flag(name: .customLong("from-indices"), help: "Read PGMs of palette indices (from --indices) and write their colours.")
    var fromIndices = false

    @OptionGroup var shared: SharedOptions

    func run() throws {
        try checkOutputFormats([("-o", shared.output)])
        let space = spaceOption.space
        try Unsupported.options(space: space, dither: dithering.dither, ditherStrength: dithering.ditherStrength,
                                indices: indices, fromIndices: fromIndices)
        try checkFiles(inputs: [("the palette", palette), ("the input", file)], outputs: [("-o", shared.output)])
        let source = try readPaletteImage(path: palette)
        let colors = source.palette
        try Unsupported.palette(colors, name: palette, space: space)
        let output = try Output(path: shared.output)
        if fromIndices {
            try colorsFromIndices(PNMReader(path: file), palette: colors, to: output)
        } else {
            let reader = try PNMReader(path: file)
            try mapStream(reader, palette: colors, to: output, space: space, dither: dithering.value,
                          indices: indices, threads: shared.threadCount) { image in
                if let warning = swappedArgumentsWarning(source, image: reader.name, width: image.width, height: image.height) {
                    printError("kmmap: " + warning)
                }
            }
        }
        try output.commit()
    }

    static func main() { Tool.main(self) }
}
