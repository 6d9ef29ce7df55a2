import KMCore
import KMPlot
import XCTest

/// The cube's projection: orientation, fit within the picture, depth; where
/// colours sit in the CIELAB and OkLab boxes.
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

    func testInRGBAColourSitsAtItsOwnPoint() {
        let p = SIMD3(0.2, 0.7, 0.9)
        XCTAssertEqual(CubeView(size: 100).place(p), p)
    }

    /// The grey line is the lightness axis: black at its foot, white at its top,
    /// every grey on the box's vertical centre line, lighter greys higher.
    func testGreysClimbTheLightnessAxis() {
        for space in [ColorSpace.lab, .oklab, .din99] {
            let view = CubeView(size: 300, space: space)
            let white = view.project(view.place(.one)), top = view.project(SIMD3(0.5, 1, 0.5))
            XCTAssertEqual(white.x, top.x, accuracy: 0.5, "\(space)")
            XCTAssertEqual(white.y, top.y, accuracy: 0.5, "\(space)")
            let black = view.project(view.place(.zero)), foot = view.project(SIMD3(0.5, 0, 0.5))
            XCTAssertEqual(black.x, foot.x, accuracy: 0.5, "\(space)")
            XCTAssertEqual(black.y, foot.y, accuracy: 0.5, "\(space)")
            var above = foot.y
            for level in [0.2, 0.5, 0.8] {
                let grey = view.project(view.place(SIMD3(repeating: level)))
                XCTAssertEqual(grey.x, 150, accuracy: 0.5, "\(space) grey \(level) off the centre line")
                XCTAssertLessThan(grey.y, above, "\(space) grey \(level) should be above darker ones")
                above = grey.y
            }
        }
    }

    /// The opponent axes: red towards +a, green towards -a, yellow towards +b,
    /// blue towards -b; and every sRGB colour (the cube's corners) inside the box.
    func testColoursSitOnTheirSideOfTheOpponentAxes() {
        for space in [ColorSpace.lab, .oklab, .din99] {
            let view = CubeView(size: 300, azimuth: 0, elevation: 0, space: space)
            let red = view.place(SIMD3(1, 0, 0)), green = view.place(SIMD3(0, 1, 0))
            let yellow = view.place(SIMD3(1, 1, 0)), blue = view.place(SIMD3(0, 0, 1))
            XCTAssertGreaterThan(red.x, 0.7, "\(space)")
            XCTAssertLessThan(green.x, 0.3, "\(space)")
            XCTAssertGreaterThan(yellow.z, 0.65, "\(space)")
            XCTAssertLessThan(blue.z, 0.25, "\(space)")
            // Seen straight on, +a is to the right of the grey line.
            XCTAssertGreaterThan(view.project(red).x, view.project(view.place(SIMD3(repeating: 0.5))).x + 30, "\(space)")
            for (a, b) in CubeView.edges {
                for corner in [a, b] {
                    let p = view.place(corner)
                    // (White's L* and L99 are 100 give or take 1e-3.)
                    XCTAssertTrue(p.min() >= -1e-4 && p.max() <= 1 + 1e-4, "\(space): \(corner) sits at \(p), outside the box")
                }
            }
        }
    }

    func testAxesAreNamedForTheSpace() {
        XCTAssertEqual(CubeView(size: 100).axes.map(\.name), ["R", "G", "B"])
        XCTAssertEqual(CubeView(size: 100, space: .lab).axes.map(\.name), ["L*", "a*", "b*"])
        XCTAssertEqual(CubeView(size: 100, space: .oklab).axes.map(\.name), ["L", "a", "b"])
        // Lightness rises from the floor's centre.
        let l = CubeView(size: 100, space: .lab).axes[0]
        XCTAssertEqual(l.from, SIMD3(0.5, 0, 0.5))
        XCTAssertGreaterThan(l.to.y, 1)
    }
}
