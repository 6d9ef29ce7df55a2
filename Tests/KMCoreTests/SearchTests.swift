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
        XCTAssertEqual(three.restarts, KMeansOptions().restarts)
        for k in [3, 16, 64, 256] {
            let levels = (1...10).map { Search.level($0, k: k) }
            for (a, b) in zip(levels, levels.dropFirst()) {
                XCTAssertGreaterThanOrEqual(a.restarts, b.restarts, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.colorsPerCenter, b.search.colorsPerCenter, "k=\(k)")
                XCTAssertLessThanOrEqual(a.search.relativeTolerance, b.search.relativeTolerance, "k=\(k)")
                XCTAssertGreaterThanOrEqual(a.search.swapsPerCenter, b.search.swapsPerCenter, "k=\(k)")
            }
        }
        XCTAssertEqual(Search.level(3, k: 256).restarts, 3)
    }

    /// A graphic's few thousand colours are never merged, whatever K: bins
    /// would mix the antialiased edges a palette can keep. A photo's are.
    func testFewThousandColoursAreNotMerged() {
        let search = Search()
        XCTAssertNil(cloud(search.fewColors - 100, seed: 1).merged(forK: 3, search: search))
        XCTAssertNotNil(cloud(3 * search.fewColors, seed: 1).merged(forK: 3, search: search))
    }
}
