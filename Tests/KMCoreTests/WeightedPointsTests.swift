@testable import KMCore
import XCTest

/// Weighted points: the merged (coarse) copy the restarts run on.
final class WeightedPointsTests: XCTestCase {
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

    /// The restarts run on about as many colours as asked, not up to 8 times
    /// as many (bins a side in powers of two: here 8,192 for 2,400 asked).
    func testCoarseCopyIsTheCoarsestThatLeavesEnough() {
        let points = cloud(60_000, seed: 8)
        let search = Search()
        let asked = search.colorsPerCenter * 16
        guard let coarse = points.merged(forK: 16, search: search) else { return XCTFail("no coarse copy") }
        XCTAssertGreaterThanOrEqual(coarse.count, asked)
        XCTAssertLessThan(coarse.count, 2 * asked)
        // The next coarser side leaves fewer than asked.
        let sides = WeightedPoints.mergeSides
        guard let used = sides.firstIndex(where: { points.binned(side: $0).count == coarse.count }) else {
            return XCTFail("not one of the sides")
        }
        XCTAssertGreaterThan(used, 0)
        XCTAssertLessThan(points.binned(side: sides[used - 1]).count, asked)
        XCTAssertGreaterThan(points.binned(side: 32).count, 3 * asked)
    }

    /// When no copy leaves the colours asked: the finest that halves them, and
    /// from Search.quarterMergeMinK the finest that quarters them (large K,
    /// where more cost time and gain nothing).
    func testCoarseCopyWhereTheColoursAskedAreOutOfReach() {
        let points = cloud(40_000, seed: 8)
        let search = Search()
        let below = search.quarterMergeMinK - 8
        guard let half = points.merged(forK: below, search: search),
              let quarter = points.merged(forK: 256, search: search) else { return XCTFail("no coarse copy") }
        XCTAssertLessThan(half.count, search.colorsPerCenter * below, "the colours asked are reached")
        XCTAssertLessThanOrEqual(half.count, points.count / 2)
        XCTAssertGreaterThan(half.count, points.count / 4)
        XCTAssertLessThanOrEqual(quarter.count, points.count / 4)
        XCTAssertGreaterThan(quarter.count, points.count / 8)
    }

    /// The side is chosen by counting bins: the count is the merged copy's, for
    /// every side, opaque points (the RGB cube, Lab's cube) and points with transparency.
    func testOccupiedBinsAreTheMergedCopysCount() {
        var rng = SeededGenerator(seed: 4)
        var opaque = Histogram(maxval: 255), alpha = Histogram(maxval: 255, alpha: true)
        for _ in 0..<30_000 {
            let c = Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 96))
            opaque.add(c)
            alpha.add(RGBA(c, alpha: UInt16(rng.next() % 256)))
        }
        for points in [WeightedPoints(opaque), WeightedPoints(opaque, space: .lab), WeightedPoints(alpha)] {
            for side in WeightedPoints.mergeSides + [2, 128] {
                XCTAssertEqual(points.occupiedBins(side: side), points.binned(side: side).count, "side \(side)")
            }
        }
    }
}
