@testable import KMCore
import XCTest

/// Hartigan's moves (hartigan): they lower J below Lloyd's fixed point, and
/// leave fixed centres where they are.
final class HartiganTests: XCTestCase {
    /// What Hartigan's moves are for: from a Lloyd fixed point, where Lloyd
    /// itself can lower J no further, they still lower it, and every move counts.
    func testLowersJBelowLloydsFixedPoint() {
        let points = slantedColours(6000, seed: 12, blueSpread: 96, largestCount: 4)
        var options = KMeansOptions()
        options.tolerance = 0
        var seeds = SeededGenerator(seed: 4)
        let fixed = lloyd(points, from: kmeansPlusPlus(points, k: 96, rng: &seeds), options: options)
        let again = lloyd(points, from: fixed.centers, options: options)
        XCTAssertEqual(again.cost, fixed.cost, accuracy: 1e-15, "Lloyd is at its fixed point")
        let (centers, moves) = hartigan(points, from: fixed.centers, passes: 5)
        XCTAssertGreaterThan(moves, 0)
        let after = cost(points, centers, BoundedAssignment(points, centers).labels)
        XCTAssertLessThan(after, fixed.cost)
        // From Hartigan's centres, Lloyd only goes lower.
        XCTAssertLessThanOrEqual(lloyd(points, from: centers, options: options).cost, after)
    }

    /// The labels Lloyd ends with, given, save the search and change nothing;
    /// nor do threads (6,000 points: two pieces of the up-front search).
    func testGivenLabelsAndThreadsGiveTheSameMoves() {
        let points = slantedColours(6000, seed: 12, blueSpread: 96, largestCount: 4)
        var seeds = SeededGenerator(seed: 4)
        let (run, labels) = lloydLabelled(points, from: kmeansPlusPlus(points, k: 96, rng: &seeds), options: KMeansOptions())
        XCTAssertEqual(labels, BoundedAssignment(points, run.centers).labels)
        let given = hartigan(points, from: run.centers, passes: 3, labels: labels)
        let searched = hartigan(points, from: run.centers, passes: 3)
        XCTAssertEqual(given.centers, searched.centers)
        XCTAssertEqual(given.moves, searched.moves)
        for threads in [2, 3] {
            let threaded = hartigan(points, from: run.centers, passes: 3, labels: labels, threads: threads)
            XCTAssertEqual(threaded.centers, given.centers, "\(threads) threads")
            XCTAssertEqual(threaded.moves, given.moves, "\(threads) threads")
        }
    }

    /// Hartigan's moves with fixed centres still lower J, and leave them where they are.
    func testHartiganKeepsFixedCentres() {
        let points = slantedColours(6000, seed: 12, blueSpread: 96, largestCount: 4)
        let fixed = [ColorPoint(0.0, 0.0, 1.0, 0), ColorPoint(0.5, 0.5, 0.45, 0), ColorPoint(0.2, 0.6, 0.2, 0)]
        var options = KMeansOptions()
        options.tolerance = 0
        options.fixed = fixed
        var seeds = SeededGenerator(seed: 4)
        let settled = lloyd(points, from: kmeansPlusPlus(points, k: 96, rng: &seeds, given: fixed), options: options)
        let (centers, moves) = hartigan(points, from: settled.centers, passes: 5, fixed: fixed.count)
        XCTAssertGreaterThan(moves, 0)
        XCTAssertEqual(Array(centers.prefix(3)), fixed)
        XCTAssertLessThan(cost(points, centers, BoundedAssignment(points, centers).labels), settled.cost)
    }
}
