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

    /// `runs(colors:)`, the count the progress line shows, is the runs kmeans
    /// reports: doubled on few colours, at most `largeKRestarts` above
    /// `finalistsMaxK` on many (merged or not), as asked below it and with
    /// random starts, one from a start or a split.
    func testRunsSaysHowManyRunsKMeansMakes() {
        let few = WeightedPoints(photoLikeHistogram()), middle = cloud(5_000, seed: 2), many = cloud(12_000, seed: 3)
        XCTAssertTrue(Search().isFew(few.count))
        XCTAssertFalse(Search().isFew(middle.count))
        // At K = 140, 5,000 colours are fewer than 50 a centre: not merged; 12,000 are merged.
        XCTAssertNil(middle.merged(forK: 140, search: Search()))
        XCTAssertNotNil(many.merged(forK: 140, search: Search()))
        var cases: [(KMeansOptions, WeightedPoints, Int)] = []
        func add(k: Int, restarts: Int, _ points: WeightedPoints, init initialization: Initialization = .kmeansPlusPlus,
                 start: [ColorPoint]? = nil, want: Int) {
            var options = KMeansOptions()
            (options.k, options.restarts, options.initialization, options.start) = (k, restarts, initialization, start)
            options.scoreEveryRun = true
            options.threads = 2
            cases.append((options, points, want))
        }
        add(k: 6, restarts: 3, few, want: 6)
        add(k: 140, restarts: 3, few, want: 6)
        add(k: 6, restarts: 3, many, want: 3)
        add(k: 140, restarts: 3, middle, want: 2)
        add(k: 140, restarts: 3, many, want: 2)
        add(k: 129, restarts: 1, many, want: 1)
        add(k: 20, restarts: 3, many, init: .random, want: 3)
        add(k: 140, restarts: 3, middle, init: .random, want: 3)
        add(k: 20, restarts: 3, many, init: .split, want: 1)
        add(k: 20, restarts: 3, many, start: [ColorPoint(0.5, 0.5, 0.1, 0)], want: 1)
        for (options, points, want) in cases {
            var reported = 0
            _ = kmeans(points, options: options) { _ in reported += 1 }
            XCTAssertEqual(options.runs(colors: points.count), want, "K \(options.k) \(options.initialization) \(points.count) colours")
            XCTAssertEqual(reported, want, "K \(options.k) \(options.initialization) \(points.count) colours")
        }
    }
}
