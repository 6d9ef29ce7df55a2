import KMPlot
import XCTest

/// The charts' layout: mark labels cover no point and stay inside the axes; tick labels fit the margin.
final class ChartLayoutTests: XCTestCase {
    /// Tests/golden/runs.tsv, and 100 costs in a band as random restarts give them.
    static let goldenRuns: [(Double, Double)] = [(1, 0.0150), (2, 0.0148), (3, 0.0161), (4, 0.0149)]
    static var band: [(Double, Double)] {
        var g = SplitMix(seed: 3)
        return (1...100).map { (Double($0), 0.0052 + Double.random(in: 0...0.0015, using: &g) + ($0 == 5 ? 0.0025 : 0)) }
    }

    func testMarkLabelsCoverNoPointAndStayInside() {
        for points in [Self.goldenRuns, Self.band, [(1, 0.5)], [(1, 0.2), (2, 0.2), (3, 0.2)]] {
            let chart = ChartLayout(points: points, width: 640, height: 400, wholeX: true, extremes: true)
            XCTAssertEqual(chart.extremeMarks.map(\.isBest), [false, true])
            for mark in chart.extremeMarks {
                XCTAssertTrue(chart.area.contains(mark.box), "\(mark.text) at \(mark.box) outside \(chart.area)")
                for (x, y) in points {
                    XCTAssertFalse(mark.box.touches(x: chart.x(x), y: chart.y(y), radius: Double(ChartLayout.pointRadius)),
                                   "\(mark.text) covers the point (\(x), \(y))")
                }
                for other in chart.extremeMarks {
                    XCTAssertFalse(mark.box.touches(x: other.x, y: other.y, radius: Double(ChartLayout.markRadius)),
                                   "\(mark.text) covers a marked point")
                }
                // The label's box is where the text is drawn.
                let ink = Canvas.textBox(mark.text, size: ChartLayout.tickSize).offset(mark.textX, mark.textY)
                XCTAssertEqual(ink, mark.box)
            }
            XCTAssertFalse(chart.extremeMarks[0].box.intersects(chart.extremeMarks[1].box), "the two labels overlap")
        }
    }

    func testTicksAreRoundAndTheirLabelsFitTheMargin() {
        for points in [Self.goldenRuns, Self.band, [(2, 0.08), (4, 0.03), (8, 0.015), (16, 0.009)]] {
            let chart = ChartLayout(points: points, width: 640, height: 400, wholeX: true, extremes: false)
            XCTAssertGreaterThanOrEqual(chart.yTicks.values.count, 2)
            XCTAssertGreaterThanOrEqual(chart.xTicks.values.count, 2)
            XCTAssertTrue(chart.xTicks.values.allSatisfy { $0 == $0.rounded() }, "x counts: \(chart.xTicks.values)")
            for (v, text) in chart.yTickLabels {
                XCTAssertEqual(Double(text)!, v, accuracy: chart.yTicks.step * 1e-6, "label \(text) of \(v)")
                XCTAssertLessThanOrEqual(Canvas.textBox(text, size: ChartLayout.tickSize).width, chart.area.left - 18, text)
                XCTAssertTrue((chart.area.top...chart.area.bottom).contains(chart.y(v)), "tick \(v) off the axis")
            }
        }
    }
}
