import KMPlot
import XCTest

/// The cube's projection: orientation, fit within the picture, depth.
final class CubeViewTests: XCTestCase {
    func testRedGoesRightGreenUpFromBlack() {
        let view = CubeView(size: 200)
        let black = view.project(.zero), red = view.project(SIMD3(1, 0, 0)), green = view.project(SIMD3(0, 1, 0))
        XCTAssertGreaterThan(red.x, black.x)
        XCTAssertLessThan(green.y, black.y)
    }

    func testEveryCornerFitsThePictureAtAnyAngle() {
        for size in [64, 480] {
            for azimuth in stride(from: 0.0, to: 360, by: 15) {
                for elevation in stride(from: -90.0, through: 90, by: 15) {
                    let view = CubeView(size: size, azimuth: azimuth, elevation: elevation)
                    for (a, b) in CubeView.edges {
                        for p in [view.project(a), view.project(b)] {
                            XCTAssertTrue((0...Double(size)).contains(p.x) && (0...Double(size)).contains(p.y),
                                          "size \(size) azimuth \(azimuth) elevation \(elevation): \(p)")
                        }
                    }
                }
            }
        }
    }

    func testTheCentreLandsInTheMiddle() {
        let p = CubeView(size: 300, azimuth: 70, elevation: -10).project(SIMD3(repeating: 0.5))
        XCTAssertEqual(p.x, 150, accuracy: 1e-9)
        XCTAssertEqual(p.y, 150, accuracy: 1e-9)
        XCTAssertEqual(p.depth, 0, accuracy: 1e-9)
    }

    func testTwelveEdgesEachOneAxisLong() {
        XCTAssertEqual(CubeView.edges.count, 12)
        for (a, b) in CubeView.edges {
            let d = b - a
            XCTAssertEqual(d.x + d.y + d.z, 1, "\(a) to \(b)")
            XCTAssertEqual(Set([d.x, d.y, d.z]), [0, 1])
        }
    }

    func testWithoutTurnOrTiltBlueGoesStraightAway() {
        let view = CubeView(size: 100, azimuth: 0, elevation: 0)
        let black = view.project(.zero), blue = view.project(SIMD3(0, 0, 1))
        XCTAssertEqual(blue.x, black.x, accuracy: 1e-9)
        XCTAssertEqual(blue.y, black.y, accuracy: 1e-9)
        XCTAssertGreaterThan(black.depth, blue.depth, "larger depth is nearer the viewer")
    }
}
