import ArgumentParser
import KMCore
@testable import KMTools
import XCTest

/// The fit's options as the k-means settings they become.
final class FitJobTests: XCTestCase {
    /// The start is the speed's (k-means++ below Search.splitMinK, the split
    /// from there) unless --init names one; given restarts are not doubled on
    /// few colours nor cut at large K, the speed's are.
    func testInitAndRestartsFromTheOptions() throws {
        let byDefault = try FitOptions.parse([]).job(colors: 4096, colorsName: "-k", threads: 1)
        XCTAssertEqual(byDefault.options(k: 4096).initialization, .split)
        XCTAssertEqual(byDefault.options(k: 16).initialization, .kmeansPlusPlus)
        XCTAssertEqual(byDefault.options(k: 16).search.fewColorsRestarts, 2)
        let given = try FitOptions.parse(["--init", "kmeans++", "-r", "2"]).job(colors: 4096, colorsName: "-k", threads: 1)
        XCTAssertEqual(given.options(k: 4096).initialization, .kmeansPlusPlus)
        XCTAssertEqual(given.options(k: 4096).restarts, 2)
        XCTAssertEqual(given.options(k: 4096).search.fewColorsRestarts, 1)
        // Above K = 128 the speed's restarts are at most 2 (levels 1 and 2: no cap), given ones as given.
        XCTAssertEqual(byDefault.runCount(distinct: 50_000), 1)  // K = 4,096: one split
        XCTAssertEqual(try FitOptions.parse([]).job(colors: 16, colorsName: "-k", threads: 1).runCount(distinct: 50_000), 10)
        XCTAssertEqual(try FitOptions.parse([]).job(colors: 256, colorsName: "-k", threads: 1).runCount(distinct: 50_000), 2)
        XCTAssertEqual(try FitOptions.parse(["-r", "5"]).job(colors: 256, colorsName: "-k", threads: 1).runCount(distinct: 50_000), 5)
        XCTAssertEqual(try FitOptions.parse(["--speed", "1"]).job(colors: 256, colorsName: "-k", threads: 1).runCount(distinct: 50_000), 5)
        XCTAssertEqual(try FitOptions.parse(["--init", "split"]).job(colors: 8, colorsName: "-k", threads: 1)
            .options(k: 8).initialization, .split)
    }
}
