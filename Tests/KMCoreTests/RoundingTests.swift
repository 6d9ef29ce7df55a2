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
