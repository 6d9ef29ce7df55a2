@testable import KMCore
import XCTest

/// Fixed colours (kmfit --fixed): in the palette as given, never moved, the
/// other colours fitted around them.
final class FixedColourTests: XCTestCase {
    /// Three tight, far-apart clusters of 300 colours each, 11 values wide a channel.
    func clusters() -> Histogram {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 7)
        for center in [Color(red: 20, green: 30, blue: 200), Color(red: 220, green: 40, blue: 30),
                       Color(red: 60, green: 230, blue: 90)] {
            for _ in 0..<300 {
                func jitter(_ v: UInt16) -> UInt16 { UInt16(Int(v) + Int(rng.next() % 11) - 5) }
                h.add(Color(red: jitter(center.red), green: jitter(center.green), blue: jitter(center.blue)))
            }
        }
        return h
    }

    /// Colours along a band, as in a photo of a gradient.
    func bandHistogram() -> Histogram {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<4000 {
            let t = UInt16(rng.next() % 200)
            h.add(Color(red: t, green: UInt16(rng.next() % 40) + t / 2, blue: 255 - t))
        }
        return h
    }

    func testFixedColoursAreInThePaletteExactlyInEverySpace() {
        let brand = Palette(colors: [Color(red: 255, green: 255, blue: 255), Color(red: 0, green: 0, blue: 0),
                                     Color(red: 50, green: 45, blue: 205), Color(red: 0, green: 0, blue: 0)], maxval: 255)
        var options = KMeansOptions()
        options.k = 8
        options.restarts = 4
        for space in ColorSpace.allCases {
            options.threads = 1
            let fit = fitPalette(bandHistogram(), options: options, space: space, fixed: brand)
            XCTAssertNotNil(fit.best, "\(space): k-means ran")
            XCTAssertEqual(fit.palette.count, 8, "\(space): K counts the 3 distinct fixed colours")
            XCTAssertEqual(Set(fit.palette.colors).count, 8, "\(space)")
            XCTAssertTrue(Set(fit.palette.colors).isSuperset(of: brand.colors), "\(space): \(fit.palette.colors)")
            options.threads = 3
            XCTAssertEqual(fitPalette(bandHistogram(), options: options, space: space, fixed: brand).palette, fit.palette,
                           "\(space): the same palette whatever the threads")
        }
        // On another scale, the fixed colours are rescaled exactly: 255 x 257 = 65535.
        let deep = fitPalette(bandHistogram(), options: options, maxval: 65535, fixed: brand)
        XCTAssertTrue(Set(deep.palette.colors).isSuperset(of: brand.colors.map { $0.rescaled(from: 255, to: 65535) }))
    }

    /// What fixed colours are for: the free ones are fitted around them. The
    /// palette of a fit that ignores them (K - F colours) plus the fixed ones also
    /// holds them, so the fit must be at or below it: here, with a fixed colour
    /// on one of three clusters, far below (the free fit spends a colour on it).
    func testCostIsAtOrBelowAFitIgnoringThemPlusThem() {
        for (histogram, fixedColors, k) in [
            (clusters(), [Color(red: 220, green: 40, blue: 30)], 3),
            (bandHistogram(), [Color(red: 50, green: 45, blue: 205), Color(red: 150, green: 95, blue: 105)], 8),
        ] {
            let fixed = Palette(colors: fixedColors, maxval: 255)
            var options = KMeansOptions()
            options.k = k
            let withFixed = fitPalette(histogram, options: options, fixed: fixed)
            options.k = k - fixedColors.count
            let ignoring = fitPalette(histogram, options: options)
            let ignoringPlusFixed = Palette(colors: ignoring.palette.colors + fixedColors, maxval: 255)
            let bound = cost(of: ignoringPlusFixed, on: histogram)
            XCTAssertEqual(withFixed.cost, cost(of: withFixed.palette, on: histogram), accuracy: 1e-12)
            XCTAssertLessThan(withFixed.cost, 0.9 * bound, "k=\(k): \(withFixed.cost) vs \(bound)")
        }
        // Three clusters, one of them on the fixed colour: the other two colours find the other two.
        var options = KMeansOptions()
        options.k = 3
        let fit = fitPalette(clusters(), options: options, fixed: Palette(colors: [Color(red: 220, green: 40, blue: 30)], maxval: 255))
        XCTAssertEqual(fit.palette.pixelCounts(in: clusters()), [300, 300, 300])
    }

    /// A fixed colour no pixel is near stays, takes no pixels, and the free
    /// colours still find all three clusters (Lloyd does not reseed it when empty).
    func testFarFixedColourStaysAndTakesNoPixels() {
        let black = Color(red: 0, green: 0, blue: 0)
        var options = KMeansOptions()
        options.k = 4
        for initialization in Initialization.allCases {
            options.initialization = initialization
            let fit = fitPalette(clusters(), options: options, fixed: Palette(colors: [black], maxval: 255))
            XCTAssertEqual(fit.palette.colors.last, black, "\(initialization): the least used")
            XCTAssertEqual(fit.palette.pixelCounts(in: clusters()), [300, 300, 300, 0], "\(initialization)")
        }
    }

    /// As many fixed colours as K: the palette is those colours; fewer other
    /// colours than K - F: the palette is the fixed ones and those.
    func testFewColoursBesideTheFixedOnes() {
        var h = Histogram(maxval: 255)
        let red = Color(red: 200, green: 0, blue: 0), blue = Color(red: 0, green: 0, blue: 200)
        let white = Color(red: 255, green: 255, blue: 255)
        h.add(red, count: 9)
        h.add(blue, count: 5)
        h.add(Color(red: 0, green: 10, blue: 190), count: 2)
        var options = KMeansOptions()
        options.k = 2
        let all = fitPalette(h, options: options, fixed: Palette(colors: [white, red], maxval: 255))
        XCTAssertEqual(all.palette.colors, [red, white], "ordered by use, the unused white last")
        options.k = 4
        let few = fitPalette(h, options: options, fixed: Palette(colors: [white, red], maxval: 255))
        XCTAssertNil(few.best)
        XCTAssertEqual(few.palette.colors, [red, blue, Color(red: 0, green: 10, blue: 190), white])
        XCTAssertEqual(few.cost, 0)
    }

    /// A start palette that holds the fixed colours (the previous frame's) does
    /// not hold them twice: the start is the fixed ones, then the others, as
    /// from the same palette without them.
    func testStartPaletteHoldingTheFixedColours() throws {
        let fixed = Palette(colors: [Color(red: 255, green: 255, blue: 255), Color(red: 50, green: 45, blue: 205)], maxval: 255)
        var options = KMeansOptions()
        options.k = 6
        let first = fitPalette(bandHistogram(), options: options, fixed: fixed)
        // So that taking the first K - F of the start as they come would differ.
        XCTAssertLessThan(try XCTUnwrap(first.palette.colors.firstIndex(of: fixed.colors[1])), 4)
        options.start = first.palette.unitColors.map { ColorSpace.rgb.point($0) }
        let again = fitPalette(bandHistogram(), options: options, fixed: fixed)
        options.start = first.palette.colors.filter { !fixed.colors.contains($0) }.map { ColorSpace.rgb.point($0.unit(maxval: 255)) }
        XCTAssertEqual(fitPalette(bandHistogram(), options: options, fixed: fixed).palette, again.palette)
        XCTAssertEqual(Set(again.palette.colors).count, 6)
        XCTAssertTrue(Set(again.palette.colors).isSuperset(of: fixed.colors))
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
}
