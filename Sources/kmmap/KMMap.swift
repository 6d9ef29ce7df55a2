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
            RGB_ALPHA of the palette's colours and opacities; it is not dithered. With --indices, \
            the output is a PGM of palette indices (maxval: colours - 1, at least 1), the \
            compressed form (ceil(log2 K) bits a pixel); --from-indices turns such a PGM \
            back into colours, exactly.
            """,
        version: kmtoolsVersion
    )

    @Argument(help: "The palette: a netpbm image whose pixels are the colours.", completion: .file())
    var palette: String

    @Argument(help: "Input image stream (default: standard input).", completion: .file())
    var file: String?

    @Option(help: ArgumentHelp(
        "Dithering: none, fs (Floyd-Steinberg), sierra (Sierra's three-row filter) or bayer (ordered).",
        discussion: """
            fs and sierra diffuse each pixel's error to the pixels after it, rows \
            serpentine: the value plus the error received is clamped to the valid range, \
            and all of what its colour misses is passed on, which keeps the local \
            average (a flat 10% grey with a black and white palette comes out 10% white). \
            sierra spreads the error wider: less noise, a little less detail. bayer \
            is Knoll's pattern dithering: for each colour, 16 palette colours whose \
            mix approximates it, one picked by the pixel's place in the 4x4 Bayer \
            matrix. No error travels between pixels, so each output pixel depends only \
            on its input pixel and position: no crawling noise between video frames.
            """))
    var dither = Dither.Method.none

    @Option(name: .customLong("dither-strength"), help: ArgumentHelp(
        "How much dithering, 0 (none: nearest colour) to 1 (full; the default).",
        discussion: """
            Scales the error a pixel receives (fs, sierra) or the error that spreads a \
            colour's 16 candidates (bayer). Below 1 there is less noise, and flat areas \
            no longer keep their exact level. Needs --dither.
            """))
    var ditherStrength: Double?

    @Option(help: spaceHelp)
    var space = ColorSpace.rgb

    @Flag(help: "Write a PGM of palette indices instead of colours.")
    var indices = false

    @Flag(name: .customLong("from-indices"), help: "Read PGMs of palette indices (from --indices) and write their colours.")
    var fromIndices = false

    @OptionGroup var shared: SharedOptions

    func validate() throws {
        if let ditherStrength, !(0...1).contains(ditherStrength) {
            throw ValidationError("--dither-strength must be 0 to 1, not \(ditherStrength)")
        }
    }

    func run() throws {
        try Unsupported.options(space: space, dither: dither, ditherStrength: ditherStrength,
                                indices: indices, fromIndices: fromIndices)
        try checkFiles(inputs: [("the palette", palette), ("the input", file)], outputs: [("-o", shared.output)])
        let source = try readPaletteImage(path: palette)
        let colors = source.palette
        try Unsupported.palette(colors, name: palette, space: space, dither: dither)
        let output = try Output(path: shared.output)
        if fromIndices {
            try colorsFromIndices(PNMReader(path: file), palette: colors, to: output)
        } else {
            let reader = try PNMReader(path: file)
            try mapStream(reader, palette: colors, to: output, space: space, dither: Dither(dither, strength: ditherStrength ?? 1),
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
