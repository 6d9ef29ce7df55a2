import ArgumentParser
import KMCore
import KMPlot
import KMTools

@main
struct KMPlot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmplot",
        abstract: "Draw kmtools' pictures as PPM: the RGB cube, palettes, costs, images side by side.",
        discussion: "Each subcommand writes one PPM (maxval 255) to standard output or -o FILE, to go on through netpbm (| pnmtopng > x.png). A picture is at most 16384 pixels a side and 2^26 pixels in all; a larger one is refused with a message. Reports and kmcost lines are read strictly: LF or CRLF line ends, every line as kmfit or kmcost writes it; a malformed line, a number that is not finite, a repeated key or a repeated restart is an error naming the line.",
        version: versionLine("kmplot"),
        subcommands: [Cube.self, Swatch.self, Runs.self, Elbow.self, Compare.self]
    )

    static func main() { Tool.main(self) }
}

extension OutputOption {
    /// Refuses an -o named for a format kmtools does not write (`checkOutputFormats`), and inputs that collide with -o's file (`checkFiles`).
    func check(_ inputs: [(role: String, path: String?)]) throws {
        try checkOutputFormats([("-o", output)])
        try checkFiles(inputs: inputs, outputs: [("-o", output)])
    }

    /// Writes `canvas` as a PPM to -o's path, or standard output.
    func write(_ canvas: Canvas) throws {
        let out = try Output(path: output)
        try canvas.write(to: PNMWriter(out))
        try out.commit()
    }
}

struct Cube: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The image's pixels as points in the RGB cube (or a CIELAB or OkLab box), in their own colour or their nearest palette colour.")

    @Option(help: "Colour each point by its nearest colour of this palette (nearest in --space), and mark the palette's colours.", completion: .file())
    var palette: String?
    @Option(help: "At most this many pixels, taken evenly from the image.")
    var points = 20000
    @Option(help: "Width and height of the picture, pixels.")
    var size = 480
    @Option(parsing: .unconditional, help: "Turn about the vertical axis (green, or lightness), degrees (-1000000 to 1000000).")
    var azimuth = 35.0
    @Option(parsing: .unconditional, help: "Tilt towards the viewer, degrees (-1000000 to 1000000).")
    var elevation = 25.0
    @Option(help: "Where the points are drawn: rgb (the RGB cube), lab (CIELAB: L* up, a* across, b* away), oklab (OkLab: L, a, b) or din99 (L99, a99, b99).")
    var space = ColorSpace.rgb
    @OptionGroup var out: OutputOption
    @Argument(help: "Input image (default: standard input).", completion: .file())
    var file: String?

    func validate() throws {
        guard (1...10_000_000).contains(points) else { throw ValidationError("--points must be 1 to 10000000") }
        guard (64...8192).contains(size) else { throw ValidationError("--size must be 64 to 8192") }
        guard abs(azimuth) <= 1e6 else { throw ValidationError("--azimuth must be -1000000 to 1000000 degrees, not \(azimuth)") }
        guard abs(elevation) <= 1e6 else { throw ValidationError("--elevation must be -1000000 to 1000000 degrees, not \(elevation)") }
    }

    func run() throws {
        try out.check(given([("--palette", palette)]) + [("the input", file)])
        let pal = try palette.map { try readPalette(path: $0) }
        let pixels = try Pictures.samplePixels(PNMReader(path: file), limit: points)
        try out.write(Pictures.cube(pixels, palette: pal, view: CubeView(size: size, azimuth: azimuth, elevation: elevation,
                                                                       space: space)))
    }
}

struct Swatch: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The palette as a grid of labelled swatches.")

    @Option(help: "Label each colour with its share of this image's pixels (nearest colour; with a palette that has alpha, by premultiplied distance, every pixel counted).", completion: .file()) var image: String?
    @Option(help: "Swatches a row.") var columns = 8
    @Option(help: "Side of a swatch, pixels.") var cell = 64
    @OptionGroup var out: OutputOption
    @Argument(help: "The palette.", completion: .file())
    var palette: String

    func validate() throws {
        guard (1...256).contains(columns) else { throw ValidationError("--columns must be 1 to 256") }
        guard (8...1024).contains(cell) else { throw ValidationError("--cell must be 8 to 1024") }
    }

    func run() throws {
        try out.check([("the palette", palette)] + given([("--image", image)]))
        let pal = try readPalette(path: palette)
        var shares: [Double]?
        if let image {
            let histogram = try KMTools.histogram(of: PNMReader(path: image), alpha: pal.alphas != nil)
            shares = pal.pixelCounts(in: histogram).map { Double($0) / Double(max(histogram.pixelCount, 1)) }
        }
        try out.write(Pictures.swatches(pal, shares: shares, columns: min(columns, pal.count), cell: cell))
    }
}

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The cost of every k-means run, from kmfit --report (TSV: restart, iterations, J).")

    @OptionGroup var out: OutputOption
    @Argument(help: "kmfit's report (default: standard input).", completion: .file())
    var file: String?

    func run() throws {
        try out.check([("the input", file)])
        let input = try readText(file)
        let points = try RunRecord.parseReport(input.text, name: input.name).map { (Double($0.restart), $0.cost) }
        guard !points.isEmpty else { throw KMError.reportHasNoRuns }
        try out.write(Pictures.chart(points, xLabel: "restart", yLabel: "J", joined: false, extremes: true))
    }
}

struct Elbow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "J against the number of colours, from kmcost lines (colors= and J=).")

    @OptionGroup var out: OutputOption
    @Argument(help: "kmcost's output for several palettes (default: standard input).", completion: .file())
    var file: String?

    func run() throws {
        try out.check([("the input", file)])
        let input = try readText(file)
        var points: [(Double, Double)] = []
        for (i, score) in try Score.parseLines(input.text, name: input.name).enumerated() {
            guard let k = score.colors else {
                throw KMError.badLine(input.name, line: i + 1, "no colors= (a kmcost --reference line has none)")
            }
            points.append((Double(k), score.cost))
        }
        guard !points.isEmpty else { throw KMError.noCostLines }
        try out.write(Pictures.chart(points.sorted { $0.0 < $1.0 }, xLabel: "colours (K)", yLabel: "J", joined: true, extremes: false))
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Images side by side, each captioned.")

    @Option(name: .customLong("label"), help: "A caption, once per image in order (default: the file names).")
    var labels: [String] = []
    @OptionGroup var out: OutputOption
    @Argument(help: "The images.", completion: .file())
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one image") }
        guard labels.isEmpty || labels.count == files.count else {
            throw ValidationError("give one --label per image (\(files.count)), or none")
        }
    }

    func run() throws {
        try out.check(files.map { ("an image", $0) })
        let images = try files.map { try Pictures.readImage8(PNMReader(path: $0)) }
        try out.write(Pictures.compare(images, captions: labels.isEmpty ? files : labels))
    }
}
