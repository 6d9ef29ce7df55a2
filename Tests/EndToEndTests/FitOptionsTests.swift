import Foundation
import XCTest

/// kmfit's options beyond the basics: warm starts, palette maxval, 16-bit precision.
final class FitOptionsTests: EndToEndCase {
    func testInitPaletteWarmStart() throws {
        try makePlanet("a.ppm", width: 90, height: 70, seed: 5)
        try ok("kmfit -k 12 a.ppm > p.ppm")
        let cold = try XCTUnwrap(costJ(ok("kmcost p.ppm a.ppm").text))
        // From its own converged palette, a warm start stays at least as good.
        try ok("kmfit --init-palette p.ppm a.ppm > warm.ppm")
        XCTAssertEqual(try image("warm.ppm").width, 12, "K defaults to the start palette's size")
        let warm = try XCTUnwrap(costJ(ok("kmcost warm.ppm a.ppm").text))
        XCTAssertLessThanOrEqual(warm, cold + 1e-9)
        // More colours than the start palette: k-means++ adds the rest, and the cost drops.
        try ok("kmfit -k 16 --init-palette p.ppm a.ppm > more.ppm")
        XCTAssertEqual(try image("more.ppm").width, 16)
        XCTAssertLessThan(try XCTUnwrap(costJ(ok("kmcost more.ppm a.ppm").text)), cold)
        // Fewer: the first (most used) colours start the run.
        try ok("kmfit -k 4 --init-palette p.ppm a.ppm > fewer.ppm")
        XCTAssertEqual(try image("fewer.ppm").width, 4)
        // A missing start palette is an input error naming the option.
        let bad = try sh("kmfit --init-palette nothere.ppm a.ppm")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("kmfit: --init-palette:"), bad.stderr)
    }

    func testSixteenBitColoursKeepFullPrecision() throws {
        // Two greys one 16-bit step apart, and a third far away.
        let pixels = [[1000, 1000, 1000], [1001, 1001, 1001], [40000, 2, 3]]
        try write("g.ppm", PNM.ppm(width: 3, height: 1, maxval: 65535, pixels: pixels))
        try ok("kmfit -k 3 --maxval 65535 g.ppm > p.ppm")
        let palette = try image("p.ppm")
        XCTAssertEqual(palette.maxval, 65535)
        XCTAssertEqual(Set((0..<3).map { palette.rgb($0) }), Set(pixels))
        // With more pixels than centres, k-means still sees the 16-bit values:
        // K = 2 splits off the far colour and puts the two greys' mean, 1000.5, at 1000 or 1001.
        try ok("kmfit -k 2 --maxval 65535 g.ppm > p2.ppm")
        let two = try image("p2.ppm")
        let greys = (0..<2).map { two.rgb($0) }.filter { $0[0] < 2000 }
        XCTAssertEqual(greys.count, 1)
        XCTAssertTrue([1000, 1001].contains(greys[0][0]), "\(greys)")
        // The default maxval is 255.
        try ok("kmfit -k 3 g.ppm > p8.ppm")
        XCTAssertEqual(try image("p8.ppm").maxval, 255)
    }

    func testThreadsDoNotChangeTheFitOfAMixedStream() throws {
        // Partial histograms per thread, merged: images of different maxvals too.
        try makePlanet("a.ppm", width: 70, height: 50, seed: 9)
        try makePlanet("b.ppm", width: 40, height: 30, seed: 10)
        try ok("pamdepth 100 a.ppm > a100.ppm && pamdepth 65535 b.ppm > b16.ppm && cat a100.ppm b16.ppm a.ppm > s.ppm")
        let one = try ok("kmfit -k 8 -r 3 --threads 1 s.ppm").stdout
        XCTAssertEqual(try ok("kmfit -k 8 -r 3 --threads 2 s.ppm").stdout, one)
        XCTAssertEqual(try ok("kmfit -k 8 -r 3 --threads 5 s.ppm").stdout, one)
    }

    /// What --speed is for: less effort, a higher cost; more, a lower one.
    func testSpeedTradesCostForTime() throws {
        try makePlanet("a.ppm", width: 160, height: 120, seed: 21)
        var costs: [Int: Double] = [:]
        for level in [1, 3, 10] {
            try ok("kmfit -k 32 --speed \(level) a.ppm > p\(level).ppm")
            costs[level] = try XCTUnwrap(costJ(ok("kmcost p\(level).ppm a.ppm").text))
        }
        XCTAssertLessThanOrEqual(costs[1]!, costs[3]!)
        XCTAssertLessThan(costs[3]!, costs[10]!)
        // The default is level 3.
        XCTAssertEqual(try ok("kmfit -k 32 a.ppm").stdout, try read("p3.ppm"))
        for bad in ["0", "11", "fast"] {
            let r = try sh("kmfit --speed \(bad) a.ppm")
            XCTAssertEqual(r.status, 64, bad)
            XCTAssertTrue(r.stderr.contains("speed"), r.stderr)
        }
    }
}

