@testable import KMCore
import XCTest

/// Lloyd's iterations (lloyd) and the bounded assignment under them
/// (BoundedAssignment): the textbook's centres whatever the bounds skip, fixed
/// centres held still, whatever the threads; the labels are the brute-force ones.
final class LloydTests: XCTestCase {
    /// Plain Lloyd with a full scan of every centre, as in a textbook.
    func naiveLloyd(_ p: WeightedPoints, _ start: [ColorPoint], iterations: Int) -> [ColorPoint] {
        textbookLloyd(p, start, fixed: 0, iterations: iterations)
    }

    /// Lloyd as in a textbook, the first `fixed` centres held still.
    func textbookLloyd(_ p: WeightedPoints, _ start: [ColorPoint], fixed: Int, iterations: Int) -> [ColorPoint] {
        var c = start
        for _ in 0..<iterations {
            var sums = [ColorPoint](repeating: .zero, count: c.count), w = [Double](repeating: 0, count: c.count)
            for i in 0..<p.count {
                let q = p.point(i)
                var best = 0, bestD = Double.infinity
                for j in c.indices {
                    let d = ((q - c[j]) * (q - c[j])).sum()
                    if d < bestD { bestD = d; best = j }
                }
                sums[best] += q * p.weight[i]
                w[best] += p.weight[i]
            }
            for j in c.indices where j >= fixed && w[j] > 0 { c[j] = sums[j] / w[j] }
        }
        return c
    }

    func testBoundedLloydEqualsTextbookLloyd() {
        let points = slantedColours(3000, seed: 21, blueSpread: 64, largestCount: 5)
        for k in [2, 7, 40] {
            let start = (0..<k).map { j in points.point(j * 31) }
            var options = KMeansOptions()
            options.maxIterations = 15
            options.tolerance = 0
            let ours = lloyd(points, from: start, options: options)
            let theirs = naiveLloyd(points, start, iterations: ours.iterations)
            for (a, b) in zip(ours.centers, theirs) {
                XCTAssertEqual(a.x, b.x, accuracy: 1e-12, "k=\(k)")
                XCTAssertEqual(a.y, b.y, accuracy: 1e-12, "k=\(k)")
                XCTAssertEqual(a.z, b.z, accuracy: 1e-12, "k=\(k)")
            }
        }
    }

    /// More points than one piece of work, so that the assignment is split:
    /// the split never depends on the threads, and the sums stay the textbook's.
    func testPiecesGiveTheSameLloydWhateverTheThreads() {
        var rng = SeededGenerator(seed: 33)
        var h = Histogram(maxval: 255)
        while h.colorCount < 3 * BoundedAssignment.piece {
            h.add(Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256)),
                  count: rng.next() % 3 + 1)
        }
        let points = WeightedPoints(h)
        let start = (0..<24).map { j in points.point(j * 997) }
        var options = KMeansOptions()
        options.maxIterations = 12
        options.tolerance = 0
        let one = lloyd(points, from: start, options: options, threads: 1)
        let three = lloyd(points, from: start, options: options, threads: 3)
        XCTAssertEqual(one.centers, three.centers)
        XCTAssertEqual(one.cost, three.cost)
        let textbook = naiveLloyd(points, start, iterations: one.iterations)
        for (a, b) in zip(one.centers, textbook) {
            XCTAssertLessThan(((a - b) * (a - b)).sum(), 1e-20)
        }
    }

    /// Lloyd with fixed centres is the textbook's with those centres held still,
    /// whatever the bounds skip.
    func testBoundedLloydHoldsFixedCentresLikeTheTextbook() {
        let points = slantedColours(3000, seed: 21, blueSpread: 64, largestCount: 5)
        let fixed = [ColorPoint(0.0, 0.0, 1.0, 0), ColorPoint(0.5, 0.5, 0.45, 0)]
        for k in [3, 7, 40] {
            let start = fixed + (0..<k - 2).map { j in points.point(j * 31) }
            var options = KMeansOptions()
            options.maxIterations = 15
            options.tolerance = 0
            options.fixed = fixed
            let ours = lloyd(points, from: start, options: options)
            XCTAssertEqual(Array(ours.centers.prefix(2)), fixed, "k=\(k)")
            let theirs = textbookLloyd(points, start, fixed: 2, iterations: ours.iterations)
            for (a, b) in zip(ours.centers, theirs) {
                XCTAssertLessThan(((a - b) * (a - b)).sum(), 1e-24, "k=\(k)")
            }
            // The stopping test's J: the free clusters at their means, the fixed ones at the fixed centres.
            let assignment = BoundedAssignment(points, ours.centers)
            let means = assignment.means()
            let measured = ours.centers.indices.map { j in j < 2 ? fixed[j] : means[j] ?? ours.centers[j] }
            XCTAssertEqual(assignment.cost(fixed: fixed), cost(points, measured, assignment.labels), accuracy: 1e-12)
        }
    }

    /// The fit's assignment with transparency (points with w != 0) is the
    /// brute-force one (nearest in 4-D, ties to the lower index), both after a
    /// full search and after the centres move and the bounds skip points.
    func testAssignmentWithTransparencyIsTheBruteForceOne() {
        var rng = SeededGenerator(seed: 21)
        func unit() -> Double { Double(rng.next() % 9) / 8 }
        let points = (0..<3000).map { _ in ColorPoint(unit(), unit(), unit(), unit()) }
        let all = WeightedPoints(x: points.map(\.x), y: points.map(\.y), z: points.map(\.z), w: points.map(\.w),
                                 weight: points.map { _ in 1 }, totalWeight: 3000)
        XCTAssertFalse(all.isOpaque)
        func brute(_ centers: [ColorPoint]) -> [Int32] {
            points.map { p in
                Int32(centers.indices.min { (((p - centers[$0]) * (p - centers[$0])).sum(), $0) < (((p - centers[$1]) * (p - centers[$1])).sum(), $1) }!)
            }
        }
        for k in [1, 3, 40, 80] {
            var centers = (0..<k).map { _ in ColorPoint(unit(), unit(), unit(), unit()) }
            centers.append(centers[0])  // an exact tie: the lower index must win
            var assignment = BoundedAssignment(all, centers, threads: 2)
            XCTAssertEqual(assignment.labels, brute(centers), "k \(k)")
            // The centres move (some a little, one far).
            var moved = centers
            for j in moved.indices { moved[j] += ColorPoint(repeating: Double(rng.next() % 3) / 64) }
            moved[moved.count - 1] = ColorPoint(0.5, 0.5, 0.5, 0.5)
            let moves = zip(moved, centers).map { (($0 - $1) * ($0 - $1)).sum().squareRoot() }
            _ = assignment.update(all, moved, moves: moves, threads: 2)
            XCTAssertEqual(assignment.labels, brute(moved), "k \(k), moved")
            // Again, another centre far and the rest a little, over steps: a point whose bounds fail
            // searches at once up to CenterIndex.laneMaxK centres, above that (k = 81) first measures
            // the few that moved most and moves its bound by the others' largest move
            // (BoundedAssignment.movers).
            for step in 0..<3 {
                var next = moved
                for j in next.indices { next[j] += ColorPoint(repeating: Double(rng.next() % 3) / 128) }
                next[step % next.count] = ColorPoint(unit(), unit(), unit(), unit())
                let moves = zip(next, moved).map { (($0 - $1) * ($0 - $1)).sum().squareRoot() }
                _ = assignment.update(all, next, moves: moves, threads: 2)
                XCTAssertEqual(assignment.labels, brute(next), "k \(k), step \(step)")
                moved = next
            }
        }
    }
}
