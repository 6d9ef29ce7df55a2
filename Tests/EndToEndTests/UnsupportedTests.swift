import Foundation
import XCTest

/// Every rule of Unsupported (KMTools/Unsupported.swift), through the tools:
/// one line "TOOL: message", status 64, and nothing on standard output or at -o.
final class UnsupportedTests: EndToEndCase {
    /// x.ppm, an opaque image; a.pam, the same with alpha (a ramp); pal.pam, a
    /// palette with alpha fitted to it; p.ppm, an opaque palette; i.pgm, indices.
    private func makeInputs() throws {
        try makePlanet("x.ppm", width: 40, height: 30)
        try ok("""
            pgmramp -lr 40 30 > ramp.pgm
            pamstack -tupletype RGB_ALPHA x.ppm ramp.pgm 2>/dev/null > a.pam
            kmfit --alpha -k 4 a.pam > pal.pam && kmfit -k 4 x.ppm > p.ppm && kmmap --indices p.ppm x.ppm > i.pgm
            """)
    }

    /// Runs `command` with -o out (when it takes -o), and checks its one line
    /// of standard error, status 64 and that nothing was written.
    private func refuse(_ command: String, _ message: String, output: Bool = true,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let tool = String(command.prefix { $0 != " " })
        let r = try sh((output ? command.replacingOccurrences(of: tool, with: tool + " -o out", options: .anchored) : command) + " > stdout.txt")
        XCTAssertEqual(r.status, 64, command, file: file, line: line)
        XCTAssertEqual(r.stderr, "\(tool): \(message)\n", command, file: file, line: line)
        XCTAssertEqual(try read("stdout.txt").count, 0, command, file: file, line: line)
        XCTAssertFalse(exists("out"), command, file: file, line: line)
    }

    func testAlphaFitWithSpace() throws {
        try makeInputs()
        try refuse("kmfit --alpha --space lab a.pam", "--alpha fits in RGB: --space lab does not apply")
        try refuse("kmquant --alpha --space oklab 4 a.pam", "--alpha fits in RGB: --space oklab does not apply")
    }

    func testAlphaPaletteWithSpace() throws {
        try makeInputs()
        try refuse("kmmap --space lab pal.pam a.pam", "--space does not apply to pal.pam, a palette with alpha: it maps by premultiplied RGB")
        try refuse("kmcost --space lab pal.pam a.pam", "--space does not apply to pal.pam, a palette with alpha: it scores by premultiplied RGB",
                   output: false)
    }

    func testAlphaImagesWithSpace() throws {
        try makeInputs()
        for command in ["kmcost --space lab --reference a.pam x.ppm", "kmcost --space din99 --reference x.ppm a.pam"] {
            try refuse(command, "image 1 or its reference has alpha, so they are compared premultiplied in RGB: --space does not apply",
                       output: false)
        }
    }

    func testInitPaletteWithMinPSNR() throws {
        try makeInputs()
        try refuse("kmquant --init-palette p.ppm --min-psnr 30 16 x.ppm", "--init-palette does not apply to --min-psnr")
    }

    func testIndicesWithFromIndices() throws {
        try makeInputs()
        try refuse("kmmap --indices --from-indices p.ppm i.pgm", "--indices and --from-indices exclude each other")
    }

    func testDitherWithFromIndices() throws {
        try makeInputs()
        try refuse("kmmap --from-indices --dither fs p.ppm i.pgm", "--dither does not apply to --from-indices")
    }

    func testSpaceWithFromIndices() throws {
        try makeInputs()
        try refuse("kmmap --from-indices --space lab p.ppm i.pgm", "--space does not apply to --from-indices")
    }

    func testDitherStrengthWithoutDither() throws {
        try makeInputs()
        try refuse("kmmap --dither-strength 0.5 p.ppm x.ppm", "--dither-strength needs --dither fs, sierra or bayer")
        try refuse("kmquant --dither-strength 0.5 4 x.ppm", "--dither-strength needs --dither fs, sierra or bayer")
    }
}
