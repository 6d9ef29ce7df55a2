import ArgumentParser
import KMCore
@testable import KMTools
import XCTest

/// The fit's options as the k-means settings they become.
final class FitJobTests: XCTestCase {
    /// The start is the speed's (k-means++ below Search.splitMinK, the split
    /// from there) unless --init names one; given restarts are not doubled on
    /// few colours, the speed's are.
    func testInitAndRestartsFromTheOptions() throws {
        let byDefault = try FitOptions.parse([]).job(colors: 4096, colorsName: "-k", threads: 1)
        XCTAssertEqual(byDefault.options(k: 4096).initialization, .split)
        XCTAssertEqual(byDefault.options(k: 16).initialization, .kmeansPlusPlus)
        XCTAssertEqual(byDefault.options(k: 16).search.fewColorsRestarts, 2)
        let given = try FitOptions.parse(["--init", "kmeans++", "-r", "2"]).job(colors: 4096, colorsName: "-k", threads: 1)
        XCTAssertEqual(given.options(k: 4096).initialization, .kmeansPlusPlus)
        XCTAssertEqual(given.options(k: 4096).restarts, 2)
        XCTAssertEqual(given.options(k: 4096).search.fewColorsRestarts, 1)
        XCTAssertEqual(try FitOptions.parse(["--init", "split"]).job(colors: 8, colorsName: "-k", threads: 1)
            .options(k: 8).initialization, .split)
    }
}
