@testable import KMCore
import XCTest

/// The fit's two-nearest search (CenterIndex) against brute force, on both of
/// its paths: all centres eight at a time (K <= laneMaxK) and the walk along
/// the principal axis (above), with lattice ties, repeated centres,
/// transparency, one centre, and centres that do not spread.
final class CenterIndexTests: XCTestCase {
    /// Least and second least squared distance, each at its lowest index
    /// (-1 for no second); the distance is the index's own formula, so that
    /// answers compare exactly.
    func brute(_ centers: [ColorPoint], _ p: ColorPoint) -> (best: Int, d1: Double, second: Int, d2: Double) {
        let d = centers.map { c -> Double in
            let dx = c.x - p.x, dy = c.y - p.y, dz = c.z - p.z, dw = c.w - p.w
            return dx * dx + dy * dy + dz * dz + dw * dw
        }
        let best = d.indices.min { (d[$0], $0) < (d[$1], $1) }!
        let second = d.indices.filter { $0 != best }.min { (d[$0], $0) < (d[$1], $1) }
        return (best, d[best], second ?? -1, second.map { d[$0] } ?? .infinity)
    }

    func testBothPathsEqualBruteForce() {
        var rng = SeededGenerator(seed: 5)
        // Coordinates on a coarse lattice, so that ties are common.
        func value(_ steps: UInt64) -> Double { Double(rng.next() % steps) / Double(steps - 1) }
        for k in [1, 2, 3, 7, 8, 9, 16, 31, 32, 33, 64, 65, 100, 300] {
            for alpha in [false, true] {
                var centers = (0..<k).map { _ in ColorPoint(value(5), value(5), value(5), alpha ? value(3) : 0) }
                if k > 4 { centers[k - 1] = centers[1] } // a repeated centre
                check(centers, points: (0..<400).map { _ in ColorPoint(value(9), value(9), value(9), alpha ? value(3) : 0) })
            }
        }
        // Above laneMaxK: centres along one line (the axis is that line), in
        // one plane with many on each coordinate, and all in one place (no
        // axis: x); points off them, and far outside the cube.
        let line = (0..<200).map { i in ColorPoint(0.002 * Double(i), 0.4 - 0.001 * Double(i), 0.3, 0) }
        let plane = (0..<256).map { i in ColorPoint(Double(i % 16) / 15, Double(i / 16) / 15, 0.5, 0) }
        let one = [ColorPoint](repeating: ColorPoint(0.25, 0.5, 0.75, 0), count: 70)
        let points = (0..<400).map { _ in ColorPoint(value(9), value(9), value(9), 0) }
            + [ColorPoint(-3, 0.5, 9, 0), ColorPoint(40, -40, 0.2, 0)]
        for centers in [line, plane, one] { check(centers, points: points) }
    }

    /// CenterIndex's answer for each point is brute force's, to the bit and the index.
    func check(_ centers: [ColorPoint], points: [ColorPoint], file: StaticString = #filePath, line: UInt = #line) {
        let index = CenterIndex(centers)
        for p in points {
            let (best, d1, second, d2) = index.twoNearestIDs(p)
            let want = brute(centers, p)
            XCTAssertEqual(best, want.best, "k \(centers.count) \(p)", file: file, line: line)
            XCTAssertEqual(d1, want.d1, "k \(centers.count) \(p)", file: file, line: line)
            XCTAssertEqual(second, want.second, "k \(centers.count) \(p)", file: file, line: line)
            XCTAssertEqual(d2, want.d2, "k \(centers.count) \(p)", file: file, line: line)
        }
    }

    /// The walk's axis: of unit length, along a line the centres lie on, x
    /// when they are all in one place.
    func testPrincipalAxis() {
        let line = (0..<100).map { i in ColorPoint(0.5, 0.003 * Double(i), 0.006 * Double(i), 0) }
        let axis = CenterIndex.principalAxis(line)
        XCTAssertEqual((axis * axis).sum(), 1, accuracy: 1e-12)
        XCTAssertEqual(abs(axis.z / axis.y), 2, accuracy: 1e-9)
        XCTAssertEqual(axis.x, 0, accuracy: 1e-12)
        XCTAssertEqual(CenterIndex.principalAxis([ColorPoint](repeating: ColorPoint(0.5, 0.25, 0.75, 0), count: 9)),
                       ColorPoint(1, 0, 0, 0))
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
