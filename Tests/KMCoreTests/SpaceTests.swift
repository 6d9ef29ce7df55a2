@testable import KMCore
import XCTest

/// Nearest colour and fit in the perceptual spaces: the search is exact, and a
/// fit in a space is a better palette in that space than the RGB fit.
final class SpaceTests: XCTestCase {
    let spaces: [ColorSpace] = [.lab, .oklab, .din99]

    func randomColors(_ n: Int, maxval: Int, rng: inout SeededGenerator) -> [Color] {
        let m = UInt64(maxval + 1)
        return (0..<n).map { _ in Color(red: UInt16(rng.next() % m), green: UInt16(rng.next() % m), blue: UInt16(rng.next() % m)) }
    }

    /// The tree search (through the cache, as kmmap uses it) gives NearestPoint's
    /// brute-force answer on random colours, the palette's own colours and pairs'
    /// midpoints, for 1 to 600 colours, on the palette's scale and on others.
    func testSearchEqualsBruteForce() {
        var rng = SeededGenerator(seed: 21)
        for space in spaces {
            for (k, paletteMaxval, maxval) in [(1, 255, 255), (2, 255, 255), (16, 255, 255), (64, 255, 65535),
                                              (256, 255, 255), (600, 65535, 255), (40, 15, 255)] {
                let colors = randomColors(k, maxval: paletteMaxval, rng: &rng)
                let palette = Palette(colors: colors + colors.prefix(3), maxval: paletteMaxval) // duplicates: ties
                var queries = randomColors(3000, maxval: maxval, rng: &rng)
                if maxval == paletteMaxval {
                    queries += colors
                    for _ in 0..<500 {
                        let a = colors.randomElement(using: &rng)!, b = colors.randomElement(using: &rng)!
                        queries.append(Color(red: (a.red + b.red) / 2, green: (a.green + b.green) / 2, blue: (a.blue + b.blue) / 2))
                    }
                }
                let brute = NearestPoint(palette, space: space)
                var cache = ColorCache(NearestColor(palette, space: space).search(maxval: maxval))
                var wrong = 0
                for q in queries {
                    let want = brute.index(of: space.coordinates(q.unit(maxval: maxval))).index
                    if Int(cache.index(q.red, q.green, q.blue)) != want { wrong += 1 }
                }
                XCTAssertEqual(wrong, 0, "\(space) k=\(k) palette maxval \(paletteMaxval) input \(maxval)")
            }
        }
    }

    /// Equal colours twice in the palette: the lower index wins, as in RGB.
    func testTiesGoToTheLowerIndex() {
        let grey = Color(red: 128, green: 128, blue: 128), black = Color(red: 0, green: 0, blue: 0)
        for space in spaces {
            let palette = Palette(colors: [black, grey, grey, black], maxval: 255)
            let nearest = NearestColor(palette, space: space)
            XCTAssertEqual(nearest.index(120, 128, 130), 1, "\(space)")
            XCTAssertEqual(nearest.index(3, 0, 0), 0, "\(space)")
        }
    }

    /// A palette fitted in a space costs less in that space than the RGB fit's
    /// palette, and more in RGB: each fit minimises its own cost.
    func testFitInASpaceWinsInThatSpace() {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 22)
        for _ in 0..<6000 {
            // Dark colours and bright ones: CIELAB spreads the dark ones out, RGB does not.
            let dark = rng.next() % 2 == 0
            let base: UInt64 = dark ? 0 : 150
            h.add(Color(red: UInt16(base + rng.next() % 100), green: UInt16(base + rng.next() % 100),
                        blue: UInt16(base + rng.next() % 100)))
        }
        var options = KMeansOptions()
        options.k = 8
        let rgb = fitPalette(h, options: options)
        XCTAssertEqual(rgb.cost, cost(of: rgb.palette, on: h), accuracy: 1e-12)
        for space in spaces {
            let fit = fitPalette(h, options: options, space: space)
            XCTAssertEqual(fit.cost, cost(of: fit.palette, on: h, space: space), accuracy: 1e-9 * fit.cost, "\(space)")
            XCTAssertLessThan(fit.cost, 0.95 * cost(of: rgb.palette, on: h, space: space), "\(space)")
            XCTAssertGreaterThan(cost(of: fit.palette, on: h), rgb.cost, "\(space)")
            // Determinism: the same palette whatever the threads.
            options.threads = 3
            XCTAssertEqual(fitPalette(h, options: options, space: space).palette, fit.palette, "\(space)")
            options.threads = 1
        }
    }

    /// The RGB space's points are the unit cube's, so the default fit is the one before spaces existed.
    func testRGBPointsAreTheUnitCube() {
        var h = Histogram(maxval: 1000)
        for v in [0, 1, 333, 999, 1000] { h.add(Color(red: UInt16(v), green: UInt16(1000 - v), blue: 7)) }
        let points = WeightedPoints(h, space: .rgb)
        for (i, c) in h.entries().colors.enumerated() {
            XCTAssertEqual(points.point(i), ColorPoint(c.unit(maxval: 1000), 0))
        }
        XCTAssertEqual(points.cube.side, 1)
        XCTAssertEqual(points.cube.origin, .zero)
    }
}
