import Foundation
import XCTest

/// The notebook's quality targets on its sample photo (skipped without it).
final class QualityTests: EndToEndCase {
    private func sample() throws -> String {
        guard let url = Tools.sampleImage else {
            throw XCTSkip("no ../shared/seed-images/colorImage1.png next to the package")
        }
        return url.path
    }

    private func cost(_ palette: String) throws -> Double {
        let line = try ok("kmcost \(palette) n.ppm").text
        return try XCTUnwrap(costJ(line), line)
    }

    func testSixteenColours() throws {
        let png = try sample()
        try ok("pngtopnm '\(png)' > n.ppm")
        try ok("pngtopnm '\(png)' | kmfit -k 16 > p16.ppm")
        let palette = try image("p16.ppm")
        XCTAssertEqual([palette.width, palette.height, palette.maxval], [16, 1, 255])
        let j = try cost("p16.ppm")
        XCTAssertLessThanOrEqual(j, 0.014800)
        // kmmap's output scores the same against the original.
        let mapped = try ok("kmmap p16.ppm n.ppm | kmcost --reference n.ppm").text
        XCTAssertEqual(try XCTUnwrap(costJ(mapped)), j, accuracy: 1e-6)
    }

    /// At K in the thousands the default is one run from a variance split
    /// (k-means++ costs K^2): still a lower J than pnmcolormap's median cut at
    /// the same K, and the same palette on 1 or 2 threads. (FitJobTests: --init kmeans++ still
    /// gives the restarts there.)
    func testLargeKBeatsPnmcolormapInOneSplitRun() throws {
        try makePlanet("n.ppm", width: 160, height: 120)
        try ok("pnmcolormap 1024 n.ppm 2>/dev/null > cm.ppm")
        let run = try ok("kmfit -k 1024 -v --threads 1 n.ppm > p1.ppm")
        XCTAssertEqual(splitLines(run.stderr).filter { $0.hasPrefix("kmfit: restart ") }.count, 1, run.stderr)
        try ok("kmfit -k 1024 --threads 2 n.ppm > p2.ppm")
        XCTAssertEqual(try read("p1.ppm"), try read("p2.ppm"))
        let (km, cm) = (try cost("p1.ppm"), try cost("cm.ppm"))
        XCTAssertLessThan(km, cm * 0.8, "kmfit \(km), pnmcolormap \(cm)")
    }

    func testThreeColours() throws {
        let png = try sample()
        try ok("pngtopnm '\(png)' > n.ppm")
        try ok("pngtopnm '\(png)' | kmfit -k 3 > p3.ppm")
        // The issue asks J <= 0.059353, which no maxval-255 palette reaches on this
        // image: the best integer palette gives 0.0593547. So the bound here is 0.059360.
        XCTAssertLessThanOrEqual(try cost("p3.ppm"), 0.059360)
    }

    func testThreeColoursAtMaxval65535() throws {
        let png = try sample()
        let help = try ok("kmfit --help").text
        XCTAssertTrue(help.contains("--maxval"), "kmfit has no --maxval option")
        try ok("pngtopnm '\(png)' > n.ppm")
        try ok("kmfit -k 3 --maxval 65535 n.ppm > p3.ppm")
        let palette = try image("p3.ppm")
        XCTAssertEqual([palette.width, palette.height, palette.maxval], [3, 1, 65535])
        // With 16-bit colours the target is reachable.
        XCTAssertLessThanOrEqual(try cost("p3.ppm"), 0.059353)
        // kmmap writes with the palette's maxval.
        let mapped = try PNM.parseStream(try ok("kmmap p3.ppm n.ppm").stdout)
        XCTAssertEqual(mapped.map { [$0.width, $0.height, $0.maxval] }, [[202, 250, 65535]])
    }
}
