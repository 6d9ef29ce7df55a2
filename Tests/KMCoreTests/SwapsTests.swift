@testable import KMCore
import XCTest

/// Swap trials (`swapped`): moves Lloyd cannot make, each kept only when it lowers J.
final class SwapsTests: XCTestCase {
    /// Three far-apart blobs, B and C mirror images about their midpoint.
    private func blobs() -> (points: WeightedPoints, a: ColorPoint, b: ColorPoint, c: ColorPoint) {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 4)
        let centres = [(30, 30, 30), (220, 40, 128), (220, 216, 128)]
        for (r, g, b) in centres {
            for dr in -3...3 { for dg in -3...3 {
                h.add(Color(red: UInt16(r + dr), green: UInt16(g + dg), blue: UInt16(b)), count: 1 + rng.next() % 2)
            }}
        }
        let unit = centres.map { ColorPoint(Double($0.0) / 255, Double($0.1) / 255, Double($0.2) / 255, 0) }
        return (WeightedPoints(h), unit[0], unit[1], unit[2])
    }

    /// Two centres share blob A and one sits between B and C: a fixed point of
    /// Lloyd (B and C pull it equally). One swap moves a centre of A to B or C,
    /// and J falls to the blobs' own spread.
    func testASwapLeavesTheLocalMinimumLloydIsStuckIn() {
        let (points, a, b, c) = blobs()
        let stuck = [a - ColorPoint(0.01, 0, 0, 0), a + ColorPoint(0.01, 0, 0, 0), (b + c) / 2]
        var options = KMeansOptions()
        options.k = 3
        let lloydOnly = lloyd(points, from: stuck, options: options)
        var rng = SeededGenerator(seed: 1)
        let swaps = swapped(points, lloydOnly.centers, trials: 12, fixed: 0, rng: &rng)
        XCTAssertGreaterThanOrEqual(swaps.kept, 1)
        let after = lloyd(points, from: swaps.centers, options: options)
        XCTAssertLessThan(after.cost, lloydOnly.cost / 50, "Lloyd \(lloydOnly.cost), after swaps \(after.cost)")
        for blob in [a, b, c] {
            XCTAssertTrue(after.centers.contains { (($0 - blob) * ($0 - blob)).sum() < 1e-4 }, "no centre at \(blob * 255)")
        }
    }

    /// A fixed centre is never swapped out, even where it is the one to lose.
    func testFixedCentresStay() {
        let (points, a, b, c) = blobs()
        let pinned = (a + b) / 2
        let start = [pinned, a, (b + c) / 2]
        var rng = SeededGenerator(seed: 2)
        let swaps = swapped(points, start, trials: 30, fixed: 1, rng: &rng)
        XCTAssertEqual(swaps.centers[0], pinned)
    }

    /// Swaps never raise J, and the same seed gives the same centres.
    func testNeverRaisesJAndRepeats() {
        let points = cloud(3000, seed: 8)
        var options = KMeansOptions()
        options.k = 24
        var rng = SeededGenerator(seed: 3)
        let start = lloyd(points, from: kmeansPlusPlus(points, k: 24, rng: &rng), options: options)
        var r1 = SeededGenerator(seed: 5), r2 = SeededGenerator(seed: 5)
        let one = swapped(points, start.centers, trials: 100, fixed: 0, rng: &r1)
        let two = swapped(points, start.centers, trials: 100, fixed: 0, rng: &r2)
        XCTAssertEqual(one.centers, two.centers)
        let labels = BoundedAssignment(points, one.centers).labels
        XCTAssertLessThanOrEqual(cost(points, one.centers, labels), start.cost * (1 + 1e-12))
    }

    /// Passes split in pieces over threads: the same swaps on 1 and 3 threads
    /// (the band's colours make several pieces; its 16 lowest colours a start
    /// that swaps improve).
    func testTheSameOnAnyNumberOfThreads() {
        let points = WeightedPoints(bandHistogram())
        XCTAssertGreaterThan(points.count, 3 * 1024)
        let start = (0..<16).map { points.point($0) }
        var r1 = SeededGenerator(seed: 6), r3 = SeededGenerator(seed: 6)
        let one = swapped(points, start, trials: 40, fixed: 0, threads: 1, rng: &r1)
        let three = swapped(points, start, trials: 40, fixed: 0, threads: 3, rng: &r3)
        XCTAssertGreaterThan(one.kept, 0)
        XCTAssertEqual(one.centers, three.centers)
        XCTAssertEqual(one.kept, three.kept)
    }

    /// After a kept swap only the points whose two nearest may have changed
    /// are searched again, and a trial reads only the blocks of points its
    /// candidate may come nearer to than their second nearest: the same swaps
    /// as searching and reading every point, on a photo-like spread, on a
    /// lattice of colours (ties), and with a fixed centre.
    func testSearchingOnlyWhereAKeptSwapCanReachChangesNothing() {
        let lattice = WeightedPoints(bandHistogram())
        let cases: [(WeightedPoints, Int, Int)] = [(cloud(4000, seed: 11), 96, 0), (lattice, 64, 0), (lattice, 24, 1)]
        for (points, k, fixed) in cases {
            var seeding = SeededGenerator(seed: 12)
            let start = kmeansPlusPlus(points, k: k, rng: &seeding)
            var r1 = SeededGenerator(seed: 13), r2 = SeededGenerator(seed: 13)
            let some = swapped(points, start, trials: 4 * k, fixed: fixed, threads: 2, rng: &r1)
            let all = swapped(points, start, trials: 4 * k, fixed: fixed, threads: 2, searchAll: true, rng: &r2)
            XCTAssertGreaterThan(some.kept, 2, "k=\(k)")
            XCTAssertEqual(some.kept, all.kept, "k=\(k)")
            XCTAssertEqual(some.centers, all.centers, "k=\(k)")
        }
    }
}

/// Random swap search (`swapSearch`): swaps judged after a few Lloyd
/// iterations, where most good swaps at small K look worse after one.
final class SwapSearchTests: XCTestCase {
    private func lloydRun(_ points: WeightedPoints, k: Int, seed: UInt64) -> KMeansRun {
        var options = KMeansOptions()
        options.k = k
        var rng = SeededGenerator(seed: seed)
        return lloyd(points, from: kmeansPlusPlus(points, k: k, rng: &rng), options: options)
    }

    /// What it is for: on a continuous spread of colours (a photo's kind) at
    /// K = 16, from Lloyd's fixed points, the one-step swaps keep almost none,
    /// and the same number of settled trials lowers J on every start.
    func testSettledSwapsGoWhereOneStepSwapsCannot() {
        let points = cloud(4000, seed: 8)
        var options = KMeansOptions()
        options.k = 16
        var oneStepKept = 0
        for seed: UInt64 in 1...4 {
            let start = lloydRun(points, k: 16, seed: seed)
            var r1 = SeededGenerator(seed: seed), r2 = SeededGenerator(seed: seed)
            let oneStep = swapped(points, start.centers, trials: 30, fixed: 0, rng: &r1)
            oneStepKept += oneStep.kept
            let oneStepJ = lloyd(points, from: oneStep.centers, options: options).cost
            let (searched, kept) = swapSearch(points, from: start, trials: 30, steps: 4, options: options, rng: &r2)
            let settledJ = lloyd(points, from: searched.centers, options: options).cost
            XCTAssertGreaterThan(kept, 0, "seed \(seed)")
            XCTAssertLessThan(settledJ, oneStepJ * (1 - 1e-4), "seed \(seed): one-step \(oneStepJ), settled \(settledJ)")
        }
        XCTAssertLessThanOrEqual(oneStepKept, 2)
    }

    /// Lloyd's local minimum with two centres in one blob and one between two
    /// others: swaps move a centre across, and J falls to the blobs' spread.
    func testLeavesTheLocalMinimumLloydIsStuckIn() {
        var h = Histogram(maxval: 255)
        let centres = [(30, 30, 30), (220, 40, 128), (220, 216, 128)]
        for (r, g, b) in centres { for dr in -3...3 { for dg in -3...3 {
            h.add(Color(red: UInt16(r + dr), green: UInt16(g + dg), blue: UInt16(b)))
        }}}
        let points = WeightedPoints(h)
        let unit = centres.map { ColorPoint(Double($0.0) / 255, Double($0.1) / 255, Double($0.2) / 255, 0) }
        var options = KMeansOptions()
        options.k = 3
        let stuck = lloyd(points, from: [unit[0] - ColorPoint(0.01, 0, 0, 0), unit[0] + ColorPoint(0.01, 0, 0, 0),
                                         (unit[1] + unit[2]) / 2], options: options)
        var rng = SeededGenerator(seed: 1)
        let (after, kept) = swapSearch(points, from: stuck, trials: 10, steps: 4, options: options, rng: &rng)
        XCTAssertGreaterThanOrEqual(kept, 1)
        XCTAssertLessThan(after.cost, stuck.cost / 50)
    }

    /// What it is for: giving up trials still far above the run's J after a
    /// step (`Search.swapTrialLimits`) saves time without losing a trial that
    /// would be kept: the same swaps and centres as judging every trial after
    /// all its steps, from Lloyd's fixed points at K = 8 to 48 (the time saved
    /// is measured, not tested).
    func testGivesUpOnlyTrialsThatWouldNotBeKept() {
        for (seed, k) in [(11, 8), (12, 16), (13, 16), (14, 32), (15, 48)] as [(UInt64, Int)] {
            let points = cloud(3000, seed: seed)
            var options = KMeansOptions()
            options.k = k
            let start = lloydRun(points, k: k, seed: seed)
            var patient = options
            patient.search.swapTrialLimits = []
            var r1 = SeededGenerator(seed: seed), r2 = SeededGenerator(seed: seed)
            let limited = swapSearch(points, from: start, trials: 40, steps: 4, options: options, rng: &r1)
            let judged = swapSearch(points, from: start, trials: 40, steps: 4, options: patient, rng: &r2)
            XCTAssertGreaterThan(judged.kept, 0, "seed \(seed), k = \(k)")
            XCTAssertEqual(limited.kept, judged.kept, "seed \(seed), k = \(k)")
            XCTAssertEqual(limited.run.centers, judged.run.centers, "seed \(seed), k = \(k)")
        }
    }

    /// J never rises and is the centres' own, the same seed repeats, and a
    /// fixed centre stays where it is.
    func testNeverRaisesJRepeatsAndKeepsFixedCentres() {
        let points = cloud(3000, seed: 9)
        var options = KMeansOptions()
        options.k = 12
        let pinned = ColorPoint(0.5, 0.5, 0.1, 0)
        options.fixed = [pinned]
        var seeding = SeededGenerator(seed: 3)
        let start = lloyd(points, from: kmeansPlusPlus(points, k: 12, rng: &seeding, given: [pinned]), options: options)
        var r1 = SeededGenerator(seed: 5), r2 = SeededGenerator(seed: 5)
        let one = swapSearch(points, from: start, trials: 40, steps: 4, options: options, rng: &r1)
        let two = swapSearch(points, from: start, trials: 40, steps: 4, options: options, rng: &r2)
        XCTAssertGreaterThan(one.kept, 0)
        XCTAssertEqual(one.run.centers, two.run.centers)
        XCTAssertEqual(one.run.centers[0], pinned)
        let j = cost(points, one.run.centers, BoundedAssignment(points, one.run.centers).labels)
        XCTAssertLessThan(j, start.cost)
        XCTAssertEqual(j, one.run.cost, accuracy: 1e-12)
    }
}
