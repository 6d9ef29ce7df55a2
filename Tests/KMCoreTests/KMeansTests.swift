@testable import KMCore
import XCTest

final class KMeansTests: XCTestCase {
    /// Three tight, far-apart clusters of colours.
    func clusters() -> Histogram {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 7)
        for center in [Color(red: 20, green: 30, blue: 200), Color(red: 220, green: 40, blue: 30),
                       Color(red: 60, green: 230, blue: 90)] {
            for _ in 0..<300 {
                func jitter(_ v: UInt16) -> UInt16 { UInt16(Int(v) + Int(rng.next() % 11) - 5) }
                h.add(Color(red: jitter(center.red), green: jitter(center.green), blue: jitter(center.blue)))
            }
        }
        return h
    }

    func testRecoversWellSeparatedClusters() {
        var options = KMeansOptions()
        options.k = 3
        options.restarts = 3
        let fit = fitPalette(clusters(), options: options)
        let found = Set(fit.palette.colors.map { Color(red: ($0.red + 5) / 10, green: ($0.green + 5) / 10, blue: ($0.blue + 5) / 10) })
        XCTAssertEqual(found, [Color(red: 2, green: 3, blue: 20), Color(red: 22, green: 4, blue: 3), Color(red: 6, green: 23, blue: 9)])
        XCTAssertLessThan(fit.cost, 3 * 30.0 / (255 * 255))
    }
}

final class FitTests: XCTestCase {
    func photoLikeHistogram() -> Histogram {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<4000 {
            let t = UInt16(rng.next() % 200)
            h.add(Color(red: t, green: UInt16(rng.next() % 40) + t / 2, blue: 255 - t))
        }
        return h
    }

    func testSameSeedSamePaletteWhateverTheThreads() {
        var options = KMeansOptions()
        options.k = 8
        options.restarts = 5
        options.threads = 1
        let one = fitPalette(photoLikeHistogram(), options: options)
        options.threads = 3
        let three = fitPalette(photoLikeHistogram(), options: options)
        XCTAssertEqual(one.palette, three.palette)
        XCTAssertEqual(one.cost, three.cost)
    }

    func testKeepsTheLowestCostRunOfThoseReported() {
        var options = KMeansOptions()
        options.k = 6
        options.restarts = 8
        options.scoreEveryRun = true
        var reported: [KMeansRun] = []
        let best = kmeans(WeightedPoints(photoLikeHistogram()), options: options) { reported.append($0) }
        XCTAssertEqual(reported.map(\.restart), Array(0..<8))
        let lowest = reported.map(\.cost).min()!
        XCTAssertEqual(best.cost, lowest)
        XCTAssertEqual(best.restart, reported.firstIndex { $0.cost == lowest })
    }

    func testPaletteIsOrderedByUse() {
        var options = KMeansOptions()
        options.k = 5
        let h = photoLikeHistogram()
        let fit = fitPalette(h, options: options)
        let counts = fit.palette.pixelCounts(in: h)
        XCTAssertEqual(counts, counts.sorted(by: >))
        XCTAssertEqual(counts.reduce(0, +), h.pixelCount)
    }

    func testFewerColoursThanKGivesThoseColours() {
        var h = Histogram(maxval: 255)
        h.add(Color(red: 1, green: 2, blue: 3), count: 5)
        h.add(Color(red: 200, green: 0, blue: 0), count: 9)
        var options = KMeansOptions()
        options.k = 16
        let fit = fitPalette(h, options: options)
        XCTAssertNil(fit.best)
        XCTAssertEqual(fit.palette.colors, [Color(red: 200, green: 0, blue: 0), Color(red: 1, green: 2, blue: 3)])
        XCTAssertEqual(fit.cost, 0)
    }

    /// The notebook's method really runs: more distinct colours than K, so no shortcut.
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

/// The pieces of the fit that the tools never show on their own.
final class SeedingTests: XCTestCase {
    private func cloud(_ n: Int, seed: UInt64) -> WeightedPoints {
        var rng = SeededGenerator(seed: seed)
        var h = Histogram(maxval: 255)
        for _ in 0..<n {
            h.add(Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 64)),
                  count: 1 + rng.next() % 5)
        }
        return WeightedPoints(h)
    }

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

    func testCoarseCopyKeepsWeightAndMeans() {
        let points = cloud(20_000, seed: 5)
        var search = Search()
        search.colorsPerCenter = 10
        guard let coarse = points.merged(forK: 16, search: search) else { return XCTFail("no coarse copy of 20,000 colours") }
        XCTAssertLessThanOrEqual(coarse.count, points.count / 2)
        XCTAssertGreaterThanOrEqual(coarse.count, 10 * 16)
        XCTAssertEqual(coarse.weight.reduce(0, +), points.weight.reduce(0, +), accuracy: 1e-6)
        // The weighted mean of all the points is kept.
        func mean(_ p: WeightedPoints) -> ColorPoint {
            (0..<p.count).reduce(ColorPoint.zero) { $0 + p.point($1) * p.weight[$1] } / p.totalWeight
        }
        let d = mean(coarse) - mean(points)
        XCTAssertLessThan((d * d).sum(), 1e-20)
        // Fewer bins than centres: no coarse copy.
        XCTAssertNil(cloud(300, seed: 6).merged(forK: 200, search: search))
    }
}

final class LloydTests: XCTestCase {
    /// Plain Lloyd with a full scan of every centre, as in a textbook.
    func naiveLloyd(_ p: WeightedPoints, _ start: [ColorPoint], iterations: Int) -> [ColorPoint] {
        var c = start
        for _ in 0..<iterations {
            var sums = [ColorPoint](repeating: .zero, count: c.count), w = [Double](repeating: 0, count: c.count)
            for i in 0..<p.count {
                let q = p.point(i)
                var best = 0, bestD = Double.infinity
                for j in c.indices {
                    let d = ((q - c[j]) * (q - c[j])).sum()
                    if d < bestD { bestD = d; best = j }
                }
                sums[best] += q * p.weight[i]
                w[best] += p.weight[i]
            }
            for j in c.indices where w[j] > 0 { c[j] = sums[j] / w[j] }
        }
        return c
    }

    func testBoundedLloydEqualsTextbookLloyd() {
        let points = slantedColours(3000, seed: 21, blueSpread: 64, largestCount: 5)
        for k in [2, 7, 40] {
            let start = (0..<k).map { j in points.point(j * 31) }
            var options = KMeansOptions()
            options.maxIterations = 15
            options.tolerance = 0
            let ours = lloyd(points, from: start, options: options)
            let theirs = naiveLloyd(points, start, iterations: ours.iterations)
            for (a, b) in zip(ours.centers, theirs) {
                XCTAssertEqual(a.x, b.x, accuracy: 1e-12, "k=\(k)")
                XCTAssertEqual(a.y, b.y, accuracy: 1e-12, "k=\(k)")
                XCTAssertEqual(a.z, b.z, accuracy: 1e-12, "k=\(k)")
            }
        }
    }

    /// More points than one piece of work, so that the assignment is split:
    /// the split never depends on the threads, and the sums stay the textbook's.
    func testPiecesGiveTheSameLloydWhateverTheThreads() {
        var rng = SeededGenerator(seed: 33)
        var h = Histogram(maxval: 255)
        while h.colorCount < 3 * BoundedAssignment.piece {
            h.add(Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256)),
                  count: rng.next() % 3 + 1)
        }
        let points = WeightedPoints(h)
        let start = (0..<24).map { j in points.point(j * 997) }
        var options = KMeansOptions()
        options.maxIterations = 12
        options.tolerance = 0
        let one = lloyd(points, from: start, options: options, threads: 1)
        let three = lloyd(points, from: start, options: options, threads: 3)
        XCTAssertEqual(one.centers, three.centers)
        XCTAssertEqual(one.cost, three.cost)
        let textbook = naiveLloyd(points, start, iterations: one.iterations)
        for (a, b) in zip(one.centers, textbook) {
            XCTAssertLessThan(((a - b) * (a - b)).sum(), 1e-20)
        }
    }
}

/// `n` random colours (draws, some repeated), blue rising with red over a band
/// `blueSpread` wide, each added 1...`largestCount` times.
func slantedColours(_ n: Int, seed: UInt64, blueSpread: UInt64, largestCount: UInt64) -> WeightedPoints {
    var rng = SeededGenerator(seed: seed)
    var h = Histogram(maxval: 255)
    for _ in 0..<n {
        let t = UInt16(rng.next() % 256)
        h.add(Color(red: t, green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % blueSpread) + t / 2),
              count: rng.next() % largestCount + 1)
    }
    return WeightedPoints(h)
}

final class HartiganTests: XCTestCase {
    /// What Hartigan's moves are for: from a Lloyd fixed point, where Lloyd
    /// itself can lower J no further, they still lower it, and every move counts.
    func testLowersJBelowLloydsFixedPoint() {
        let points = slantedColours(6000, seed: 12, blueSpread: 96, largestCount: 4)
        var options = KMeansOptions()
        options.tolerance = 0
        var seeds = SeededGenerator(seed: 4)
        let fixed = lloyd(points, from: kmeansPlusPlus(points, k: 96, rng: &seeds), options: options)
        let again = lloyd(points, from: fixed.centers, options: options)
        XCTAssertEqual(again.cost, fixed.cost, accuracy: 1e-15, "Lloyd is at its fixed point")
        let (centers, moves) = hartigan(points, from: fixed.centers, passes: 5)
        XCTAssertGreaterThan(moves, 0)
        let after = cost(points, centers, BoundedAssignment(points, centers).labels)
        XCTAssertLessThan(after, fixed.cost)
        // From Hartigan's centres, Lloyd only goes lower.
        XCTAssertLessThanOrEqual(lloyd(points, from: centers, options: options).cost, after)
    }
}

final class SpeedLevelTests: XCTestCase {
    func testLevelThreeIsTheDefaultAndLevelsSpendLessAsTheyRise() {
        let three = Search.level(3, k: 16)
        let defaults = Search()
        XCTAssertEqual(three.search.colorsPerCenter, defaults.colorsPerCenter)
        XCTAssertEqual(three.search.finalists, defaults.finalists)
        XCTAssertEqual(three.search.relativeTolerance, defaults.relativeTolerance)
        XCTAssertEqual(three.search.hartiganPasses, defaults.hartiganPasses)
        XCTAssertEqual(three.restarts, KMeansOptions().restarts)
        for k in [3, 16, 64, 256] {
            let levels = (1...10).map { Search.level($0, k: k) }
            for (a, b) in zip(levels, levels.dropFirst()) {
                XCTAssertGreaterThanOrEqual(a.restarts, b.restarts, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.colorsPerCenter, b.search.colorsPerCenter, "k=\(k)")
                XCTAssertLessThanOrEqual(a.search.relativeTolerance, b.search.relativeTolerance, "k=\(k)")
            }
        }
        XCTAssertEqual(Search.level(3, k: 256).restarts, 3)
    }
}

