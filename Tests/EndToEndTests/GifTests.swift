import Foundation
import XCTest

/// Animated GIFs with ffmpeg from a kmfit palette: `kmfit --pad 256` writes a palette that
/// ffmpeg's paletteuse takes (it refuses any other size), padding changes no pixel's colour,
/// and kmcost counts the padded palette's distinct colours.
final class GifTests: EndToEndCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try requireCommands("ffmpeg")
    }

    /// Squared RGB distance between two colours on the same scale.
    private func distance(_ a: [Int], _ b: [Int]) -> Int {
        (0..<3).reduce(0) { $0 + (a[$1] - b[$1]) * (a[$1] - b[$1]) }
    }

    func testPaddedPaletteMakesAGifOfKmmapsColours() throws {
        for seed in 1...4 { try makePlanet("f\(seed).ppm", width: 64, height: 48, seed: seed) }
        try ok("cat f1.ppm f2.ppm f3.ppm f4.ppm > frames.ppm")
        try ok("kmfit -k 16 frames.ppm > pal16.ppm && kmfit -k 16 --pad 256 frames.ppm > pal.ppm")
        let palette = try image("pal.ppm"), palette16 = try image("pal16.ppm")
        XCTAssertEqual([palette.width, palette.height], [256, 1])
        XCTAssertEqual(Array(palette.pixels.prefix(16)), palette16.pixels, "the fitted colours first, as without --pad")
        XCTAssertEqual(Set(palette.pixels.dropFirst(16)), [palette16.pixels[0]], "then repeats of the first")

        // Without --pad, paletteuse refuses the palette.
        let gif = "ffmpeg -v error -f image2pipe -vcodec ppm -framerate 4 -i frames.ppm -i PALETTE -lavfi paletteuse=dither=none"
        let refused = try sh(gif.replacingOccurrences(of: "PALETTE", with: "pal16.ppm") + " refused.gif")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("must contain exactly 256 pixels"), refused.stderr)

        // With it, a GIF whose frames, decoded, are kmmap's: each pixel its nearest palette colour.
        try ok(gif.replacingOccurrences(of: "PALETTE", with: "pal.ppm") + " anim.gif")
        try ok("ffmpeg -v error -i anim.gif -fps_mode passthrough -f image2pipe -vcodec ppm - > back.ppm")
        try ok("kmmap pal.ppm frames.ppm > mapped.ppm")
        XCTAssertEqual(try read("mapped.ppm"), try ok("kmmap pal16.ppm frames.ppm").stdout, "padding changes no pixel")
        let frames = try images("frames.ppm"), decoded = try images("back.ppm"), mapped = try images("mapped.ppm")
        XCTAssertEqual(decoded.count, 4, "the GIF's frames")
        let colours = Set(palette16.pixels)
        var ties = 0
        for (n, (g, m)) in zip(decoded, mapped).enumerated() {
            XCTAssertEqual([g.width, g.height], [64, 48])
            XCTAssertTrue(Set(g.pixels).isSubset(of: colours), "frame \(n + 1) holds colours not in the palette")
            // ffmpeg breaks ties its own way (its k-d tree, not the lower index): where it
            // differs from kmmap, its colour must be exactly as near as kmmap's.
            for p in 0..<g.pixelCount where g.rgb(p) != m.rgb(p) {
                let x = frames[n].rgb(p)
                XCTAssertEqual(distance(x, g.rgb(p)), distance(x, m.rgb(p)), "frame \(n + 1), pixel \(p): not a tie")
                ties += 1
            }
        }
        XCTAssertLessThan(ties, decoded.count * 64 * 48 / 100, "pixels where ffmpeg broke a tie otherwise")

        // kmcost counts colours, not pixels: the padded palette has 16, 4 bits an index.
        let cost = try ok("kmcost pal.ppm frames.ppm").lines
        XCTAssertEqual(cost.count, 4)
        XCTAssertEqual(cost, try ok("kmcost pal16.ppm frames.ppm").lines, "the same scores as the unpadded palette")
        XCTAssertTrue(cost.allSatisfy { $0.hasSuffix(" colors=16 bpp=4") }, "\(cost)")
    }

    func testPadBelowTheColoursIsAUsageError() throws {
        try makePlanet("a.ppm", width: 40, height: 30, seed: 7)
        var result = try sh("kmfit -k 16 --pad 8 -o p.ppm a.ppm")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errorLines.first, "kmfit: --pad must be at least the number of colours, 16, not 8")
        XCTAssertFalse(exists("p.ppm"), "no palette left at the -o target")
        // The number of colours may come from --init-palette.
        try ok("kmfit -k 12 a.ppm > p12.ppm")
        result = try sh("kmfit --init-palette p12.ppm --pad 10 a.ppm")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errorLines.first, "kmfit: --pad must be at least the number of colours, 12, not 10")
        result = try sh("kmfit --pad 65537 a.ppm")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errorLines.first, "kmfit: --pad must be 1 to 65536, not 65537")
        // N = K pads nothing; an input of fewer colours than K is padded from its own.
        XCTAssertEqual(try ok("kmfit -k 12 --pad 12 a.ppm").stdout, try read("p12.ppm"))
        try write("three.ppm", PNM.ppm(width: 3, height: 1, pixels: [[9, 9, 9], [200, 0, 0], [200, 0, 0]]))
        try ok("kmfit -k 4 --pad 6 three.ppm > p6.ppm")
        XCTAssertEqual(try image("p6.ppm").pixels, [[200, 0, 0], [9, 9, 9]] + Array(repeating: [200, 0, 0], count: 4))
        XCTAssertEqual(try ok("kmcost p6.ppm three.ppm").text,
                       "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000 colors=2 bpp=1\n")
    }
}
