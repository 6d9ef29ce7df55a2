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
}
