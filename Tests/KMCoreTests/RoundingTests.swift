@testable import KMCore
import XCTest

/// The rounded palette nudged on the integer grid (`nudged`).
final class RoundingTests: XCTestCase {
    private func rounded(_ centers: [ColorPoint], maxval: Int) -> [Color] {
        let m = Double(maxval)
        func s(_ x: Double) -> UInt16 { UInt16((x * m).rounded()) }
        return centers.map { Color(red: s($0.x), green: s($0.y), blue: s($0.z)) }
    }

    private func j(_ colors: [Color], _ h: Histogram) -> Double {
        cost(of: Palette(colors: colors, maxval: h.maxval), on: h)
    }

    /// What it is for: the palette stored is integers, and the best integers
    /// are not always the rounded centres. On a band of colours at K = 16, J
    /// falls; on clusters it never rises; fixed entries stay.
    func testLowersTheStoredPalettesJ() {
        for (h, k, maxval) in [(bandHistogram(), 16, 255), (clusters(), 5, 255)] {
            let points = WeightedPoints(h)
            var options = KMeansOptions()
            options.k = k
            let run = kmeans(points, options: options)
            let plain = rounded(run.centers, maxval: maxval)
            let better = nudged(plain, fixed: 1, points: points, maxval: maxval)
            XCTAssertEqual(better[0], plain[0], "a fixed entry moved")
            XCTAssertLessThanOrEqual(j(better, h), j(plain, h))
            if k == 16 { XCTAssertLessThan(j(better, h), j(plain, h), "nothing gained on the band") }
        }
    }

    /// Reading only the colours an entry can concern, an entry's six trials
    /// measured in one pass (again after one is kept), gives the palette that
    /// full passes give: every trial measured on every colour, in the same order.
    /// With one sweep, a trial after a kept one must be measured from the moved entry.
    func testAgreesWithTrialsOnEveryColour() {
        let cases = [(bandHistogram(), 16), (bandHistogram(), 5), (clusters(), 5)].map { (WeightedPoints($0), $1) }
            + [(cloud(3000, seed: 21), 16), (cloud(3000, seed: 22), 24), (cloud(3000, seed: 23), 32)]
        for (points, k) in cases {
            var options = KMeansOptions()
            options.k = k
            let plain = rounded(kmeans(points, options: options).centers, maxval: 255)
            for sweeps in [1, 3] {
                XCTAssertEqual(nudged(plain, fixed: 1, points: points, maxval: 255, sweeps: sweeps),
                               nudgedByFullPasses(plain, fixed: 1, points: points, maxval: 255, sweeps: sweeps),
                               "k = \(k), sweeps = \(sweeps)")
            }
        }
    }

    /// The points an entry's trials read are listed once, before the first
    /// sweep, for every sweep: at the start of each later one, every point's
    /// two nearest are still those a search finds, and the entries that sweep
    /// can concern for it are among those it is listed for, though the entries
    /// have moved (on a coarse grid, small maxval, they drift a step a sweep).
    func testListsWhatEveryLaterSweepReads() {
        var checked = 0
        for seed: UInt64 in 31...36 {
            let points = cloud(2000, seed: seed)
            for (k, maxval) in [(8, 7), (12, 15), (16, 31), (24, 255)] {
                var options = KMeansOptions()
                options.k = k
                let plain = rounded(kmeans(points, options: options).centers, maxval: maxval)
                _ = nudged(plain, fixed: 0, points: points, maxval: maxval, sweeps: 6) { listed in
                    XCTAssertTrue(listed, "seed \(seed), k = \(k), maxval = \(maxval)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 10, "too few later sweeps to check")
    }

    /// The nudge as specified: each free entry in turn tries -1 and +1 in each
    /// channel, kept when J on all the colours falls; sweeps until none is kept (at most `sweeps`).
    private func nudgedByFullPasses(_ palette: [Color], fixed: Int, points: WeightedPoints, maxval: Int,
                                    sweeps: Int) -> [Color] {
        let m = Double(maxval)
        var centers = palette.map { $0.unit(maxval: maxval) }
        func j() -> Double {
            var sum = 0.0
            for i in 0..<points.count {
                let p = SIMD3(points.x[i], points.y[i], points.z[i])
                var nearest = Double.infinity
                for c in centers { nearest = min(nearest, ((c - p) * (c - p)).sum()) }
                sum += points.weight[i] * nearest
            }
            return sum
        }
        for _ in 0..<sweeps {
            var kept = false
            for e in fixed..<centers.count {
                for channel in 0..<3 {
                    for step in [-1.0, 1.0] {
                        let before = j(), old = centers[e]
                        let value = (old[channel] * m).rounded() + step
                        guard value >= 0 && value <= m else { continue }
                        centers[e][channel] = value / m
                        if j() < before * (1 - 1e-12) { kept = true } else { centers[e] = old }
                    }
                }
            }
            if !kept { break }
        }
        return centers.map { Color(unit: $0, maxval: maxval) }
    }

    /// fitPalette nudges small RGB palettes: its J is at or below that of the
    /// best run's centres rounded.
    func testTheFitNudgesSmallPalettes() {
        let h = bandHistogram()
        var options = KMeansOptions()
        options.k = 12
        let fit = fitPalette(h, options: options)
        XCTAssertLessThan(fit.cost, j(rounded(fit.best!.centers, maxval: 255), h))
    }
}
