import ArgumentParser
import Glibc
import KMCore
import KMTools

@main
struct KMFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmfit",
        abstract: "Fit a K-colour palette to a netpbm image stream by k-means.",
        discussion: """
            Reads PBM, PGM, PPM or PAM images (plain or raw, maxval up to 65535) from each FILE \
            in turn, as one stream (as cat joins them), or standard input. Every image of the stream is training data: one palette for \
            a whole run of frames. A FILE may instead hold kmhist's histograms (the colours of images counted \
            elsewhere, say on other machines; a file holds images or histograms, not both): they count as the images \
            they were made from, so the palette is the one those images would give. Writes the palette as a netpbm colormap: a PPM of K x 1 \
            pixels (a PAM RGB_ALPHA with --alpha) (maxval 255 unless --maxval; N x 1 with --pad N), colours ordered by how many pixels they take, most first. \
            The cost J is the mean over pixels of the squared RGB distance to the nearest \
            palette colour, channels scaled to [0,1] and summed; with --space, the squared \
            distance in that space (so -v and --report give J in its units); with --alpha, \
            the squared distance between premultiplied colours. In a PAM with alpha (without \
            --alpha), fully transparent pixels are left out and every other pixel counts fully (not weighted \
            by its alpha). When the input has no more distinct colours than K, the palette is \
            those colours, so shorter than K when it has fewer, and kmfit says so on standard \
            error. On a terminal, standard error shows one progress line (frames read, \
            distinct colours, restart n of m), erased at the end; into a file or a pipe, \
            nothing unless -v.
            """,
        version: versionLine("kmfit")
    )

    @Option(name: [.customShort("k"), .customLong("colors")], help: "Number of colours (1-65536), the --fixed ones included (default 16, or the --init-palette's count plus the --fixed colours not in it).")
    var colors: Int?

    @OptionGroup var fit: FitOptions

    @OptionGroup var shared: SharedOptions

    @Flag(name: [.customShort("v"), .long], help: ArgumentHelp(
        "Report the cost of each run and of the best one on standard error.",
        discussion: "Also, when standard error is a file or a pipe, a line once the input is read: its frames, its distinct colours and the k-means runs to come."))
    var verbose = false

    @Option(help: ArgumentHelp("Write every run's cost to this file as TSV, for kmplot runs.",
                               discussion: "A header line 'restart<TAB>iterations<TAB>J', then one line a run: its number (from 1), its Lloyd iterations and its J (9 decimals). Written by the same rules as -o; the report and the palette land together, or neither does.",
                               valueName: "file"), completion: .file())
    var report: String?

    @Argument(help: ArgumentHelp("Input image streams or kmhist histograms, read in turn as one, as cat would join them (default: standard input).",
                                 valueName: "file"), completion: .file())
    var files: [String] = []

    func validate() throws {
        if let colors, !(1...65536).contains(colors) { throw ValidationError("-k/--colors must be 1 to 65536, not \(colors)") }
    }

    func run() throws {
        // kmquant's habit (kmquant 16 x.ppm) given to kmfit: a number that names no file. Checked
        // here, once parsing succeeded, so that an unknown option is reported as such first.
        if let number = files.first(where: { Int($0) != nil && access($0, F_OK) != 0 }) {
            throw ValidationError("there is no file '\(number)': K is given with -k (kmfit -k \(number) FILE...)")
        }
        try checkOutputFormats([("-o", shared.output)])
        try Unsupported.options(alpha: fit.alpha, space: fit.space)
        let inputs: [String?] = files.isEmpty ? [nil] : files
        try checkFiles(inputs: inputs.map { ("the input", $0) } + given([("--init-palette", fit.initPalette), ("--fixed", fit.fixed)]),
                       outputs: [("-o", shared.output)] + (report.map { [("--report", $0)] } ?? []))
        let output = try Output(path: shared.output)
        let reportFile = try report.map { try Output(path: $0) }
        let job = try fit.job(colors: colors, colorsName: "-k", threads: shared.threadCount)
        let progress = Progress("kmfit", mode: Progress.mode(verbose: verbose))
        defer { progress.finish() }
        let histogram = try job.histogram(of: inputs.map { path in { try PNMReader(path: path) } }, histograms: true,
                                          progress: progress)
        var runs: [RunRecord] = []
        let palette = job.fit(histogram, progress: progress, verbose: verbose,
                              runs: verbose || report != nil ? { runs.append(RunRecord($0)) } : nil)
        try PNMWriter(output).write(job.written(palette))
        try reportFile?.write(text: RunRecord.report(runs))
        // Both land, or neither does.
        try Output.commit([output] + (reportFile.map { [$0] } ?? []))
    }

    static func main() { Tool.main(self) }
}
