@testable import KMCore
import XCTest

/// Search: the speed levels (kmfit --speed) and what each spends.
final class SearchTests: XCTestCase {
    func testLevelThreeIsTheDefaultAndLevelsSpendLessAsTheyRise() {
        let three = Search.level(3, k: 16)
        let defaults = Search()
        XCTAssertEqual(three.search.colorsPerCenter, defaults.colorsPerCenter)
        XCTAssertEqual(three.search.finalists, defaults.finalists)
        XCTAssertEqual(three.search.relativeTolerance, defaults.relativeTolerance)
        XCTAssertEqual(three.search.hartiganPasses, defaults.hartiganPasses)
        XCTAssertEqual(three.search.swapSearchTrials, defaults.swapSearchTrials)
        XCTAssertEqual(three.search.nudgeSweeps, defaults.nudgeSweeps)
        XCTAssertEqual(three.search.fullIterations, defaults.fullIterations)
        XCTAssertEqual(three.restarts, KMeansOptions().restarts)
        for k in [3, 16, 64, 256] {
            let levels = (1...10).map { Search.level($0, k: k) }
            for (a, b) in zip(levels, levels.dropFirst()) {
                XCTAssertGreaterThanOrEqual(a.restarts, b.restarts, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.colorsPerCenter, b.search.colorsPerCenter, "k=\(k)")
                XCTAssertLessThanOrEqual(a.search.relativeTolerance, b.search.relativeTolerance, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.swapsPerCenter, b.search.swapsPerCenter, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.swapSearchTrials, b.search.swapSearchTrials, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.finalists, b.search.finalists, "k=\(k)")
                XCTAssertLessThanOrEqual(a.search.refineTolerance, b.search.refineTolerance, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.nudgeSweeps, b.search.nudgeSweeps, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.fullIterations, b.search.fullIterations, "k=\(k)")
            }
        }
        XCTAssertEqual(Search.level(3, k: 256).restarts, 3)
    }

    /// What `fullIterations` is for (levels 6-10): the stages on all the
    /// colours stop after that many iterations, where Lloyd would go on.
    func testFullIterationsBoundTheWorkOnAllTheColours() {
        let points = cloud(20_000, seed: 5)
        var options = KMeansOptions()
        options.k = 16
        options.restarts = 2
        options.search.nudgeSweeps = 0
        XCTAssertNotNil(points.merged(forK: 16, search: options.search))
        let free = kmeans(points, options: options)
        options.search.fullIterations = 1
        let capped = kmeans(points, options: options)
        XCTAssertLessThan(capped.iterations, free.iterations)
        XCTAssertGreaterThan(capped.cost, free.cost)
    }

    /// A graphic's few thousand colours are never merged, whatever K: bins
    /// would mix the antialiased edges a palette can keep. A photo's are.
    func testFewThousandColoursAreNotMerged() {
        let search = Search()
        XCTAssertNil(cloud(search.fewColors - 100, seed: 1).merged(forK: 3, search: search))
        XCTAssertNotNil(cloud(3 * search.fewColors, seed: 1).merged(forK: 3, search: search))
    }

    /// A split start stops at `splitTolerance` (1e-4 from level 3): fewer
    /// iterations than run to 1e-6, for a J at most 0.1 % higher.
    func testTheSplitRunStopsEarlierForAlmostTheSameJ() {
        let points = slantedColours(6000, seed: 3, blueSpread: 96, largestCount: 4)
        var options = KMeansOptions()
        options.k = 256
        options.initialization = .split
        options.search = Search.level(3, k: 256).search
        XCTAssertEqual(options.search.splitTolerance, 1e-4)
        XCTAssertEqual(Search.level(1, k: 256).search.splitTolerance, 0)
        let loose = kmeans(points, options: options)
        options.search.splitTolerance = 0
        let tight = kmeans(points, options: options)
        XCTAssertLessThan(loose.iterations, tight.iterations)
        XCTAssertLessThan(loose.cost, tight.cost * 1.001)
    }

    /// The random swap trials grow with K past 16 (a new centre has K places
    /// to go): at K = 64 the grown count (4 x) reaches a lower J than K = 16's
    /// count would, summed over seeds, on a cloud merged as a photo's is.
    func testSwapTrialsGrowWithKAndLowerJ() {
        var search = Search()
        XCTAssertEqual(search.swapSearchTrials(k: 8), search.swapSearchTrials)
        XCTAssertEqual(search.swapSearchTrials(k: 16), search.swapSearchTrials)
        XCTAssertEqual(search.swapSearchTrials(k: 64), 4 * search.swapSearchTrials)
        let points = cloud(15_000, seed: 11)
        var options = KMeansOptions()
        options.k = 64
        options.restarts = 5
        XCTAssertNotNil(points.merged(forK: 64, search: search))
        var grown = 0.0, flat = 0.0
        for seed in 1...4 {
            options.seed = UInt64(seed)
            options.search = search
            grown += kmeans(points, options: options).cost
            search.swapSearchTrials /= 4
            options.search = search
            flat += kmeans(points, options: options).cost
            search.swapSearchTrials *= 4
        }
        XCTAssertLessThan(grown, flat)
    }

    /// Above `finalistsMaxK` only the run the one-step swaps went to is
    /// refined on all the colours: less work for the same kept run where that
    /// one comes out lowest (at K = 256 on the bench's images, every time).
    func testOneFinalistAboveItsKSavesTheSecondsRefinement() {
        let points = cloud(40_000, seed: 7)
        var options = KMeansOptions()
        options.k = 256
        options.restarts = 3
        options.scoreEveryRun = true
        XCTAssertNotNil(points.merged(forK: 256, search: options.search))
        XCTAssertLessThan(options.search.finalistsMaxK, 256)
        XCTAssertGreaterThan(options.search.finalists, 1)
        func fit() -> (kept: KMeansRun, iterations: Int) {
            var iterations = 0
            let kept = kmeans(points, options: options) { iterations += $0.iterations }
            return (kept, iterations)
        }
        let one = fit()
        options.search.finalistsMaxK = 256
        let two = fit()
        XCTAssertEqual(one.kept.centers, two.kept.centers)
        XCTAssertLessThan(one.iterations, two.iterations)
    }
}
