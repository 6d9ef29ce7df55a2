@testable import KMCore
import XCTest

/// The fit's two-nearest search (CenterIndex) against brute force, on both of
/// its paths: all centres eight at a time (K <= laneMaxK) and the walk along x
/// (above), with lattice ties, repeated centres, transparency and one centre.
final class CenterIndexTests: XCTestCase {
    /// Least and second least squared distance, the least's lowest index; the
    /// distance is the index's own formula, so that answers compare exactly.
    func brute(_ centers: [ColorPoint], _ p: ColorPoint) -> (best: Int, d1: Double, d2: Double) {
        let d = centers.map { c -> Double in
            let dx = c.x - p.x, dy = c.y - p.y, dz = c.z - p.z, dw = c.w - p.w
            return dx * dx + dy * dy + dz * dz + dw * dw
        }
        let best = d.indices.min { (d[$0], $0) < (d[$1], $1) }!
        let rest = d.indices.filter { $0 != best }.map { d[$0] }
        return (best, d[best], rest.min() ?? .infinity)
    }

    func testBothPathsEqualBruteForce() {
        var rng = SeededGenerator(seed: 5)
        // Coordinates on a coarse lattice, so that ties are common.
        func value(_ steps: UInt64) -> Double { Double(rng.next() % steps) / Double(steps - 1) }
        for k in [1, 2, 3, 7, 8, 9, 16, 31, 32, 33, 64, 100] {
            for alpha in [false, true] {
                var centers = (0..<k).map { _ in ColorPoint(value(5), value(5), value(5), alpha ? value(3) : 0) }
                if k > 4 { centers[k - 1] = centers[1] } // a repeated centre
                let index = CenterIndex(centers)
                for _ in 0..<400 {
                    let p = ColorPoint(value(9), value(9), value(9), alpha ? value(3) : 0)
                    let (best, d1, second, d2) = index.twoNearestIDs(p)
                    let want = brute(centers, p)
                    XCTAssertEqual(best, want.best, "k \(k) alpha \(alpha) \(p)")
                    XCTAssertEqual(d1, want.d1, "k \(k) alpha \(alpha) \(p)")
                    XCTAssertEqual(d2, want.d2, "k \(k) alpha \(alpha) \(p)")
                    if k == 1 {
                        XCTAssertEqual(second, -1)
                    } else {
                        // The second is another centre at that distance.
                        XCTAssertNotEqual(second, best)
                        XCTAssertEqual(brute([centers[second]], p).d1, d2)
                    }
                }
            }
        }
    }

    /// An opaque point among transparent centres is measured in w too.
    func testTransparentCentresCountForOpaquePoints() {
        let centers = [ColorPoint(0, 0, 0, 0.9), ColorPoint(0.5, 0.5, 0.5, 0)]
        let (best, d1, _, d2) = CenterIndex(centers).twoNearestIDs(ColorPoint(0.05, 0, 0, 0))
        XCTAssertEqual(best, 1)
        XCTAssertEqual(d1, 3 * 0.25 - 0.05 + 0.0025, accuracy: 1e-12)
        XCTAssertEqual(d2, 0.0025 + 0.81, accuracy: 1e-12)
    }
}
