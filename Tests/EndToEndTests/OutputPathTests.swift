import Foundation
import XCTest

/// What `-o` and `--report` do with every kind of path (regular files, links,
/// FIFOs, devices, descriptors), closed standard descriptors, outputs that land
/// together, and signals.
final class OutputPathTests: EndToEndCase {
    /// The palette kmfit writes to standard output for x.ppm.
    private var palette = Data()
    private let fit = "kmfit -k 4 -r 1"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try makePlanet("x.ppm", width: 60, height: 40, seed: 21)
        palette = try ok("\(fit) x.ppm").stdout
        XCTAssertGreaterThan(palette.count, 12)
    }

    private func attributes(_ name: String) throws -> [FileAttributeKey: Any] {
        try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)
    }

    private func mode(_ name: String) throws -> Int {
        try XCTUnwrap((attributes(name)[.posixPermissions] as? NSNumber)?.intValue)
    }

    /// Names in a folder of the scratch directory that start with a dot: temporary files left behind.
    private func hidden(_ sub: String = ".") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(sub).path).filter { $0.hasPrefix(".") }
    }

    func testExistingFileKeepsItsMode() throws {
        try ok("echo secret > s.ppm && chmod 600 s.ppm && echo open > o.ppm && chmod 640 o.ppm")
        try ok("umask 022 && \(fit) -o s.ppm x.ppm && \(fit) -o o.ppm --report s.tsv x.ppm")
        XCTAssertEqual(try read("s.ppm"), palette)
        XCTAssertEqual(try mode("s.ppm"), 0o600)
        XCTAssertEqual(try mode("o.ppm"), 0o640)
        XCTAssertEqual(try mode("s.tsv"), 0o644)
        XCTAssertEqual(try hidden(), [])
    }

    func testSymbolicLinkIsFollowedAndStaysALink() throws {
        try ok("mkdir real links && echo old > real/pal.ppm && ln -s ../real/pal.ppm links/pal.ppm && ln -s links/pal.ppm chain.ppm")
        for link in ["links/pal.ppm", "chain.ppm"] {
            try ok("echo old > real/pal.ppm && \(fit) -o \(link) x.ppm")
            XCTAssertEqual(try attributes(link)[.type] as? FileAttributeType, .typeSymbolicLink, link)
            XCTAssertEqual(try read("real/pal.ppm"), palette, "the link's target gets the palette: \(link)")
        }
        // A dangling link: its target is made.
        try ok("ln -s real/new.tsv report-link.tsv && \(fit) --report report-link.tsv x.ppm > /dev/null")
        XCTAssertEqual(try attributes("report-link.tsv")[.type] as? FileAttributeType, .typeSymbolicLink)
        XCTAssertTrue(String(decoding: try read("real/new.tsv"), as: UTF8.self).hasPrefix("restart\titerations\tJ\n"))
        XCTAssertEqual(try hidden() + hidden("real") + hidden("links"), [])
    }

    func testFIFOGetsTheBytes() throws {
        // The reader gives up after 10 s, so that a kmfit that never opens the FIFO fails the test rather than hangs it.
        let r = try ok("mkfifo f && { timeout 10 cat f > got.ppm & } && \(fit) -o f x.ppm && wait")
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(try read("got.ppm"), palette)
        try ok("test -p f")
    }

    func testDevicesAndDescriptorsAreWrittenDirectly() throws {
        // The devices are reached through links in the scratch directory: a tool that replaced
        // what is at its -o path (as root) then replaces the link, never the system's /dev entry.
        try ok("ln -s /dev/null null && ln -s /dev/full full && ln -s /dev/stdout stdout")
        XCTAssertEqual(try ok("\(fit) -o null x.ppm").stdout.count, 0)
        XCTAssertEqual(try ok("\(fit) -o stdout x.ppm").stdout, palette)
        XCTAssertEqual(try ok("\(fit) -o /dev/fd/1 x.ppm | cat").stdout, palette)
        XCTAssertEqual(try ok("\(fit) -o /proc/self/fd/1 x.ppm").stdout, palette)
        try ok("\(fit) -o /dev/fd/3 x.ppm 3> fd3.ppm")
        XCTAssertEqual(try read("fd3.ppm"), palette)
        let report = try ok("\(fit) -o p.ppm --report stdout x.ppm")
        XCTAssertTrue(report.text.hasPrefix("restart\titerations\tJ\n1\t"), report.text)
        XCTAssertEqual(try read("p.ppm"), palette)
        try ok("\(fit) --report >(cat > r.tsv) x.ppm > /dev/null; wait $!")
        XCTAssertTrue(String(decoding: try read("r.tsv"), as: UTF8.self).hasPrefix("restart\titerations\tJ\n"))
        for link in ["null", "full", "stdout"] {
            XCTAssertEqual(try attributes(link)[.type] as? FileAttributeType, .typeSymbolicLink, link)
        }
        let full = try sh("\(fit) -o full x.ppm")
        XCTAssertEqual(full.status, 1)
        XCTAssertEqual(full.errorLines, ["kmfit: error writing full: No space left on device"])
        let closed = try sh("\(fit) -o /dev/fd/7 x.ppm")
        XCTAssertEqual(closed.status, 1)
        XCTAssertEqual(closed.errorLines, ["kmfit: cannot open '/dev/fd/7': Bad file descriptor"])
        XCTAssertEqual(try hidden(), [])
    }

    func testClosedStandardDescriptorsTakeNoOutput() throws {
        // Few colours: kmfit's note on standard error must not land in the palette.
        try ok("ppmmake rgb:ff/00/00 4 4 > red.ppm")
        try ok("kmfit -k 16 -o p.ppm red.ppm 2>&-")
        XCTAssertEqual(try image("p.ppm").pixels, [[255, 0, 0]])
        XCTAssertTrue(try read("p.ppm").starts(with: Data("P6\n".utf8)))
        // A closed standard output is still an error, and the report does not land.
        let out = try sh("\(fit) --report r.tsv x.ppm >&-")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.errorLines, ["kmfit: error writing standard output: Bad file descriptor"])
        XCTAssertFalse(exists("r.tsv"))
        // A closed standard input is an input error, not an empty stream nor a hang.
        let input = try sh("timeout 10 kmfit -o q.ppm <&-")
        XCTAssertEqual(input.status, 1, input.stderr)
        XCTAssertFalse(exists("q.ppm"))
        XCTAssertEqual(try hidden(), [])
    }

    /// An output named for an image format kmtools does not write (photo16.png)
    /// is refused before the input is read: status 64, one line that names the
    /// way out, nothing written. The way out, run as it is written, gives that
    /// format with the colours asked for.
    func testOutputNamedForAnotherImageFormatIsRefusedWithTheWayOut() throws {
        try ok("kmfit -k 4 -r 1 x.ppm > pal.ppm")
        let commands = ["kmfit -k 4 -r 1 x.ppm", "kmmap pal.ppm x.ppm", "kmquant 16 x.ppm", "kmplot cube x.ppm", "kmplot swatch pal.ppm"]
        let endings = ["png", "gif", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "avif", "PNG", "Jpg"]
        try ok("mkdir a.b")
        for command in commands {
            for ending in endings {
                for (form, name) in [("-o OUT", "out.\(ending)"), ("--output OUT", "out.\(ending)"), ("--output=OUT", "a.b/out.\(ending)")] {
                    let run = command + " " + form.replacingOccurrences(of: "OUT", with: name)
                    let result = try sh(run)
                    XCTAssertEqual(result.status, 64, run)
                    XCTAssertEqual(result.errorLines.count, 1, "\(run): \(result.stderr)")
                    let tool = String(command.prefix { $0 != " " })
                    XCTAssertTrue(result.stderr.hasPrefix("\(tool): -o \(name): kmtools writes netpbm (PPM/PGM/PAM), not "), result.stderr)
                    XCTAssertTrue(result.stderr.contains("; pipe it: \(command) | "), result.stderr)
                    XCTAssertEqual(result.stdout.count, 0, run)
                    XCTAssertFalse(exists(name), run)
                    XCTAssertEqual(try hidden() + hidden("a.b"), [], run)
                }
            }
        }
        // Found before the input is read: a missing input, or a stream that never ends, is not reached.
        XCTAssertEqual(try sh("kmquant 16 -o q.png missing.ppm").status, 64)
        XCTAssertEqual(try sh("yes | timeout 20 kmquant 16 -o q.png").status, 64)
        // The way out, run as written: a PNG of the 16 colours kmquant gives.
        let refused = try sh("kmquant 16 x.ppm -o 'photo 16.png'")
        XCTAssertEqual(refused.stderr, "kmquant: -o photo 16.png: kmtools writes netpbm (PPM/PGM/PAM), not PNG; "
                       + "pipe it: kmquant 16 x.ppm | pnmtopng > 'photo 16.png'\n")
        let wayOut = try XCTUnwrap(refused.stderr.components(separatedBy: "pipe it: ").last)
        try ok(wayOut)
        try ok("pngtopnm 'photo 16.png' > q16.ppm && kmquant 16 x.ppm > want.ppm")
        XCTAssertEqual(try image("q16.ppm").pixels, try image("want.ppm").pixels)
        XCTAssertEqual(Set(try image("q16.ppm").pixels).count, 16)
        // A pngquant habit, a PNG in and out: the way out decodes it first, and runs as written.
        try ok("pnmtopng x.ppm > in.png")
        let fromPNG = try sh("kmquant 16 in.png -o out16.png")
        XCTAssertEqual(fromPNG.stderr, "kmquant: -o out16.png: kmtools writes netpbm (PPM/PGM/PAM), not PNG; "
                       + "pipe it: pngtopnm in.png | kmquant 16 | pnmtopng > out16.png\n")
        try ok(try XCTUnwrap(fromPNG.stderr.components(separatedBy: "pipe it: ").last))
        try ok("pngtopnm out16.png > o16.ppm")
        XCTAssertEqual(try image("o16.ppm").pixels, try image("want.ppm").pixels)
        // A name after an option may be its value: not taken for the input.
        XCTAssertTrue(try sh("kmquant 16 --fixed brand.png x.ppm -o q.png").stderr.contains("pipe it: kmquant 16 --fixed brand.png x.ppm | "))
        // The same for a JPEG and a WebP, by their converters.
        for (name, back) in [("q.JPG", "jpegtopnm q.JPG"), ("q.webp", "ffmpeg -loglevel error -i q.webp -f image2pipe -vcodec ppm -")] {
            let said = try sh("kmquant -k 4 -o \(name) x.ppm").stderr
            try ok(try XCTUnwrap(said.components(separatedBy: "pipe it: ").last))
            let back = try PNM.parseStream(try ok(back).stdout)
            XCTAssertEqual(back.map { [$0.width, $0.height] }, [[60, 40]], name)
        }
        // --palette-out: write the netpbm file, then convert it.
        let paletteOut = try sh("kmquant 16 --palette-out pal16.gif -o q.ppm x.ppm")
        XCTAssertEqual(paletteOut.status, 64)
        XCTAssertEqual(paletteOut.stderr, "kmquant: --palette-out pal16.gif: kmtools writes netpbm (PPM/PGM/PAM), not GIF; "
                       + "write pal16.ppm, then convert it: pamtogif pal16.ppm > pal16.gif\n")
        XCTAssertFalse(exists("pal16.gif") || exists("q.ppm"))
        try ok("kmquant 16 --palette-out pal16.ppm -o q.ppm x.ppm")
        try ok(try XCTUnwrap(paletteOut.stderr.components(separatedBy: "convert it: ").last))
        XCTAssertEqual(try ok("giftopnm pal16.gif").stdout, try read("pal16.ppm"))
        // kmfit --report writes TSV: any name is taken as given.
        try ok("kmfit -k 4 -r 1 --report runs.png -o p.ppm x.ppm")
        XCTAssertTrue(String(decoding: try read("runs.png"), as: UTF8.self).hasPrefix("restart\titerations\tJ\n"))
        // Names that only look alike are written.
        try ok("mkdir d.png && \(fit) -o out.png.ppm x.ppm && \(fit) -o d.png/p x.ppm && \(fit) -o png x.ppm")
        for name in ["out.png.ppm", "d.png/p", "png"] { XCTAssertEqual(try read(name), palette, name) }
    }

    func testReportAndPaletteLandTogetherOrNotAtAll() throws {
        let full = try sh("\(fit) --report r.tsv x.ppm > /dev/full")
        XCTAssertEqual(full.status, 1)
        XCTAssertEqual(full.errorLines, ["kmfit: error writing standard output: No space left on device"])
        XCTAssertFalse(exists("r.tsv"))
        let report = try sh("ln -s /dev/full full && \(fit) -o p.ppm --report full x.ppm")
        XCTAssertEqual(report.status, 1)
        XCTAssertFalse(exists("p.ppm"))
        try ok("\(fit) -o p.ppm --report r.tsv x.ppm")
        XCTAssertEqual(try read("p.ppm"), palette)
        XCTAssertTrue(exists("r.tsv"))
        XCTAssertEqual(try hidden(), [])
    }

    func testSignalsRemoveTemporaryFiles() throws {
        try makePlanet("big.ppm", width: 400, height: 300, seed: 5)
        for (signal, status) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
            // Far more restarts than a second allows: the signal comes mid-run.
            let r = try sh("timeout --preserve-status -s \(signal) 1 kmfit -k 64 -r 100000 -o out.ppm --report r.tsv big.ppm")
            XCTAssertEqual(r.status, Int32(status), "SIG\(signal): \(r.stderr)")
            XCTAssertEqual(try hidden(), [], "SIG\(signal) left temporary files")
            XCTAssertFalse(exists("out.ppm"), "SIG\(signal)")
            XCTAssertFalse(exists("r.tsv"), "SIG\(signal)")
        }
    }
}
