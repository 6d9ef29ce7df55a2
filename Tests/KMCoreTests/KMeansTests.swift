@testable import KMCore
import XCTest

/// The restart driver (kmeans, here mostly through fitPalette): the restarts
/// find well-separated clusters, the lowest-cost run is the one kept, and the
/// result does not depend on the threads.
final class KMeansTests: XCTestCase {
    func testRecoversWellSeparatedClusters() {
        var options = KMeansOptions()
        options.k = 3
        options.restarts = 3
        let fit = fitPalette(clusters(), options: options)
        let found = Set(fit.palette.colors.map { Color(red: ($0.red + 5) / 10, green: ($0.green + 5) / 10, blue: ($0.blue + 5) / 10) })
        XCTAssertEqual(found, [Color(red: 2, green: 3, blue: 20), Color(red: 22, green: 4, blue: 3), Color(red: 6, green: 23, blue: 9)])
        XCTAssertLessThan(fit.cost, 3 * 30.0 / (255 * 255))
    }

    func testSameSeedSamePaletteWhateverTheThreads() {
        var options = KMeansOptions()
        options.k = 8
        options.restarts = 5
        options.threads = 1
        let one = fitPalette(photoLikeHistogram(), options: options)
        options.threads = 3
        let three = fitPalette(photoLikeHistogram(), options: options)
        XCTAssertEqual(one.palette, three.palette)
        XCTAssertEqual(one.cost, three.cost)
    }

    func testKeepsTheLowestCostRunOfThoseReported() {
        var options = KMeansOptions()
        options.k = 6
        options.restarts = 8
        options.search.fewColorsRestarts = 1
        options.scoreEveryRun = true
        var reported: [KMeansRun] = []
        let best = kmeans(WeightedPoints(photoLikeHistogram()), options: options) { reported.append($0) }
        XCTAssertEqual(reported.map(\.restart), Array(0..<8))
        let lowest = reported.map(\.cost).min()!
        XCTAssertEqual(best.cost, lowest)
        XCTAssertEqual(best.restart, reported.firstIndex { $0.cost == lowest })
    }
}
