import KMPlot
import XCTest

/// The swatch grid: every label fits its column and row, never reaching the next swatch.
final class SwatchGridTests: XCTestCase {
    /// The widest labels there are: the hex digit 0 is the font's widest, and a 100 % share.
    let widest = [["#000000", "100.0%"], ["#0c0c0c", "38.6%"], ["#dddddd", "0.0%"]]

    func testLabelsStayInTheirColumnAndRowAtEveryCellSize() {
        for cell in [8, 16, 24, 32, 40, 48, 56, 64, 80, 100, 128, 256, 512, 1024] {
            for labels in [widest, widest.map { [$0[0]] }] {
                let grid = SwatchGrid(labels: labels, columns: 2, cell: cell)
                XCTAssertGreaterThanOrEqual(grid.labelSize, SwatchGrid.minimumLabelSize, "cell \(cell)")
                let next = grid.origin(1).x - grid.origin(0).x, below = grid.origin(2).y - grid.origin(0).y
                for (line, text) in labels.flatMap({ $0.enumerated() }) {
                    let ink = Canvas.textBox(text, size: grid.labelSize)
                    XCTAssertLessThanOrEqual(ink.right, Double(grid.columnWidth), "cell \(cell): \(text) is wider than its column")
                    XCTAssertLessThan(ink.right, Double(next), "cell \(cell): \(text) reaches the next swatch")
                    XCTAssertGreaterThan(Double(grid.baseline(line)) + ink.top, Double(cell), "cell \(cell): \(text) over its swatch")
                    XCTAssertLessThan(Double(grid.baseline(line)) + ink.bottom, Double(below), "cell \(cell): \(text) reaches the row below")
                }
            }
        }
    }

    func testLabelsShrinkBeforeTheColumnsWiden() {
        // kmplot's default cell: the labels shrink to fit the swatch, which keeps its width.
        let grid = SwatchGrid(labels: widest, columns: 8, cell: 64)
        XCTAssertEqual(grid.columnWidth, 64)
        XCTAssertGreaterThan(grid.labelSize, SwatchGrid.minimumLabelSize)
        // Too small a cell for legible labels: the smallest size, and the columns widen.
        let small = SwatchGrid(labels: widest, columns: 8, cell: 16)
        XCTAssertEqual(small.labelSize, SwatchGrid.minimumLabelSize)
        XCTAssertGreaterThan(small.columnWidth, 16)
    }
}
