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

    /// What the bounds are for: passing points over without a search changes
    /// no move. Against the moves searching every point every pass, from Lloyd's
    /// end at K = 16 (centres measured eight at once) and 200 (the walk along x),
    /// with and without fixed centres, on one and two threads; on colours of
    /// 1-4 pixels and on heavy ones (up to 100,000 pixels: where joining a light
    /// cluster costs least, which only the last case's moves test).
    func testPassingPointsOverChangesNoMove() {
        let fixed = [ColorPoint(0.0, 0.0, 1.0, 0), ColorPoint(0.5, 0.5, 0.45, 0)]
        for (points, k) in [(slantedColours(6000, seed: 12, blueSpread: 96, largestCount: 4), 16),
                            (slantedColours(6000, seed: 12, blueSpread: 96, largestCount: 4), 200),
                            (slantedColours(3000, seed: 3, blueSpread: 96, largestCount: 3000), 16),
                            (slantedColours(3000, seed: 3, blueSpread: 96, largestCount: 3000), 200),
                            (slantedColours(2000, seed: 5, blueSpread: 32, largestCount: 100_000), 300)] {
            for given in [[], fixed] {
                var options = KMeansOptions()
                options.fixed = given
                var seeds = SeededGenerator(seed: 7)
                let (run, labels) = lloydLabelled(points, from: kmeansPlusPlus(points, k: k, rng: &seeds, given: given), options: options)
                let searching = hartiganSearchingAll(points, from: run.centers, passes: 6, fixed: given.count, labels: labels)
                XCTAssertGreaterThan(searching.moves, 0)
                for threads in [1, 2] {
                    let bounded = hartigan(points, from: run.centers, passes: 6, fixed: given.count, labels: labels, threads: threads)
                    XCTAssertEqual(bounded.moves, searching.moves, "k = \(k), \(given.count) fixed, \(threads) threads")
                    XCTAssertEqual(bounded.centers, searching.centers, "k = \(k), \(given.count) fixed, \(threads) threads")
                }
            }
        }
    }

    /// Hartigan's moves as they were before the bounds: every point's two
    /// nearest searched at the start of every pass.
    private func hartiganSearchingAll(_ points: WeightedPoints, from start: [ColorPoint], passes: Int, fixed: Int,
                                      labels: [Int32]) -> (centers: [ColorPoint], moves: Int) {
        let k = start.count
        var label = labels
        var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
        for i in 0..<points.count {
            sums[Int(label[i])] += points.point(i) * points.weight[i]
            weights[Int(label[i])] += points.weight[i]
        }
        var centers = (0..<k).map { $0 >= fixed && weights[$0] > 0 ? sums[$0] / weights[$0] : start[$0] }
        var moves = 0
        for _ in 0..<passes {
            let index = CenterIndex(centers)
            let nearest = (0..<points.count).map { index.twoNearestIDs(points.point($0)) }
            var moved = 0
            for i in 0..<points.count {
                let p = points.point(i), w = points.weight[i], a = Int(label[i])
                guard a < fixed || weights[a] > w else { continue }
                let b = nearest[i].0 == a ? nearest[i].2 : nearest[i].0
                guard b >= 0 else { continue }
                let da = p - centers[a], db = p - centers[b]
                let leave = (a < fixed ? 1 : weights[a] / (weights[a] - w)) * (da * da).sum()
                let join = (b < fixed ? 1 : weights[b] / (weights[b] + w)) * (db * db).sum()
                guard join < leave else { continue }
                sums[a] -= p * w; weights[a] -= w
                sums[b] += p * w; weights[b] += w
                if a >= fixed { centers[a] = sums[a] / weights[a] }
                if b >= fixed { centers[b] = sums[b] / weights[b] }
                label[i] = Int32(b)
                moved += 1
            }
            moves += moved
            if moved == 0 { break }
        }
        return (centers, moves)
    }
}
