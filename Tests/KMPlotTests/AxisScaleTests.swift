import KMPlot
import XCTest

/// A chart axis: data values to pixels.
final class AxisScaleTests: XCTestCase {
    func testEndsMapToEndsAndMiddleToMiddle() {
        let s = AxisScale(low: 2, high: 10, from: 100, to: 20)
        XCTAssertEqual(s(2), 100)
        XCTAssertEqual(s(10), 20)
        XCTAssertEqual(s(6), 60)
    }

    func testAnEmptyRangeIsWidenedAroundItsValue() {
        let s = AxisScale(low: 4, high: 4, from: 0, to: 100)
        XCTAssertLessThan(s.low, 4)
        XCTAssertGreaterThan(s.high, 4)
        XCTAssertEqual(s(4), 50, accuracy: 1e-9)
        let zero = AxisScale(low: 0, high: 0, from: 0, to: 100)
        XCTAssertEqual(zero(0), 50, accuracy: 1e-9)
    }
}
