@testable import KMCore
import XCTest

/// The first centres of a run: k-means++ (keeping given centres) and random
/// pixels (the notebook's method).
final class SeedingTests: XCTestCase {
    func testKMeansPlusPlusKeepsTheGivenCentresAndAddsPixels() {
        let points = cloud(2000, seed: 3)
        let given = [ColorPoint(0.1, 0.2, 0.3, 0), ColorPoint(0.9, 0.9, 0.1, 0)]
        var rng = SeededGenerator(seed: 9)
        let centers = kmeansPlusPlus(points, k: 6, rng: &rng, given: given)
        XCTAssertEqual(centers.count, 6)
        XCTAssertEqual(Array(centers.prefix(2)), given)
        for c in centers.dropFirst(2) {
            XCTAssertTrue((0..<points.count).contains { points.point($0) == c }, "a new centre is not a pixel")
        }
        XCTAssertEqual(Set(centers.map { [$0.x, $0.y, $0.z] }).count, 6)
        // Enough given centres: nothing is drawn.
        var again = SeededGenerator(seed: 9)
        XCTAssertEqual(kmeansPlusPlus(points, k: 2, rng: &again, given: given), given)
    }

    /// The notebook's method really runs: more distinct colours than K, so no shortcut.
    /// Measuring candidates by passes over every point or within the groups
    /// by distance is the same greedy k-means++: the same centres.
    func testPassesAndGroupsChooseTheSameCentres() {
        let points = WeightedPoints(bandHistogram())
        for k in [2, 7, 16, 40] {
            for given in [[], [ColorPoint(0.5, 0.5, 0.5, 0)]] {
                var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
                let byPasses = kmeansPlusPlus(points, k: k, rng: &a, given: given, byPasses: true)
                let byGroups = kmeansPlusPlus(points, k: k, rng: &b, given: given, byPasses: false)
                XCTAssertEqual(byPasses, byGroups, "k = \(k), \(given.count) given")
                XCTAssertEqual(Set(byPasses).count, k)
            }
        }
    }

    /// The swap trials' draw by binary search picks what the walk picks, for
    /// masses with zeros (at the end too) and a total past their sum (the walk's
    /// fallback: the last index with mass).
    func testRunningMassDrawsWhatTheWalkDraws() {
        var masses = SeededGenerator(seed: 30)
        let mass = (0..<500).map { i -> Double in i % 7 == 0 || i > 480 ? 0 : masses.unit() * masses.unit() }
        let sum = mass.reduce(0, +)
        let running = RunningMass(count: mass.count) { mass[$0] }
        for total in [sum, sum * 1.01] {
            var a = SeededGenerator(seed: 31), b = SeededGenerator(seed: 31)
            var fallbacks = 0
            for _ in 0..<2000 {
                let walked = draw(mass, total: total, rng: &a)
                XCTAssertEqual(running.draw(total: total, rng: &b), walked)
                if walked == 480 { fallbacks += 1 }
            }
            if total > sum { XCTAssertGreaterThan(fallbacks, 0) }
        }
    }

    func testRandomInitialisationRunsAndPicksDistinctPixels() {
        var h = Histogram(maxval: 255)
        h.add(Color(red: 0, green: 0, blue: 0), count: 1_000_000)
        for v in 1...40 { h.add(Color(red: UInt16(v * 6), green: UInt16(v), blue: 0), count: 1) }
        let points = WeightedPoints(h)
        for seed in 0..<20 as Range<UInt64> {
            var rng = SeededGenerator(seed: seed)
            let start = randomPixels(points, k: 5, rng: &rng)
            XCTAssertEqual(Set(start.map { [$0.x, $0.y, $0.z] }).count, 5, "seed \(seed): repeated pixels")
            for c in start {
                XCTAssertTrue((0..<points.count).contains { points.point($0) == c }, "seed \(seed): not a pixel")
            }
            // Drawn by pixel count: the black that covers almost every pixel is nearly always first.
            XCTAssertEqual(start[0], ColorPoint(0, 0, 0, 0), "seed \(seed)")
        }
        var options = KMeansOptions()
        options.k = 5
        options.initialization = .random
        options.restarts = 3
        options.maxIterations = 10
        let fit = fitPalette(h, options: options)
        XCTAssertNotNil(fit.best, "k-means ran")
        XCTAssertEqual(fit.palette.count, 5)
    }
}
