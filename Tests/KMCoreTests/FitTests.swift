@testable import KMCore
import XCTest

/// fitPalette: a histogram's palette. Few colours are kept as they are, the
/// palette is ordered by use; fixed colours (kmfit --fixed) are in the palette
/// as given, never moved, the other colours fitted around them; a fit in a
/// perceptual space wins in that space; with alpha, transparency stays exact
/// and premultiplied J is the brute-force one.
final class FitTests: XCTestCase {
    /// A palette with alphas of `colors`, on the scale 0...255.
    func colors(_ colors: [RGBA]) -> Palette {
        Palette(colors: colors.map(\.color), maxval: 255, alphas: colors.map(\.alpha))
    }

    /// Premultiplied J of `palette` on the image, by trying every colour.
    func bruteCost(_ palette: Palette, _ image: (samples: [UInt16], format: PixelFormat)) -> Double {
        var sum = 0.0
        let points = palette.colors.indices.map { palette.rgba($0).premultiplied(maxval: palette.maxval) }
        for p in 0..<image.samples.count / 4 {
            let s = Array(image.samples[4 * p..<4 * p + 4])
            let q = RGBA(Color(red: s[0], green: s[1], blue: s[2]), alpha: s[3]).premultiplied(maxval: 255)
            sum += points.map { (($0 - q) * ($0 - q)).sum() }.min()!
        }
        return sum / Double(image.samples.count / 4)
    }

    /// A drawing: a vertical gradient between two light blues (41 steps), and
    /// on it five flat discs with antialiased edges (coverage by 4x4
    /// supersampling), 320x200 pixels: 444 colours.
    func drawing() -> Histogram {
        let top = SIMD3<Double>(240, 244, 255), bottom = SIMD3<Double>(200, 216, 240)
        let discs: [(x: Double, y: Double, r: Double, color: SIMD3<Double>)] = [
            (60, 50, 40, [31, 119, 180]), (200, 60, 45, [255, 127, 14]), (120, 140, 50, [44, 160, 44]),
            (260, 150, 35, [214, 39, 40]), (40, 160, 25, [148, 103, 189]),
        ]
        var h = Histogram(maxval: 255)
        for y in 0..<200 {
            var background = top + (bottom - top) * (Double(y) / 199)
            background.round(.toNearestOrAwayFromZero)
            for x in 0..<320 {
                var c = background
                for d in discs {
                    let covered = coverage(x, y, centre: (d.x, d.y), radius: d.r)
                    if covered > 0 {
                        c += (d.color - c) * covered
                        c.round(.toNearestOrAwayFromZero)
                    }
                }
                h.add(Color(red: UInt16(c.x), green: UInt16(c.y), blue: UInt16(c.z)))
            }
        }
        return h
    }

    /// What leaving few colours unmerged is for: a drawing's palette keeps the
    /// gradient's steps and the edges' colours, which the bins of a merged copy
    /// would mix: at K = 128 its J is below that of the fit that merges them
    /// first (1.87e-5 merged, 3.43e-6 unmerged when this test was written, with
    /// bins of 16 or 32 a side; 3.34e-6 and 3.27e-6 with WeightedPoints.mergeSides'
    /// finer steps and, at this K, the coarser copy of Search.quarterMergeMinK).
    func testADrawingsColoursAreNotMergedAway() {
        let h = drawing()
        XCTAssertLessThan(h.colorCount, Search().fewColorsPerCenter * 128)
        var options = KMeansOptions()
        options.k = 128
        let fit = fitPalette(h, options: options)
        var merging = options
        merging.search.fewColorsPerCenter = 0
        merging.search.fewColors = 0
        let merged = fitPalette(h, options: merging)
        XCTAssertLessThan(fit.cost, merged.cost, "unmerged \(fit.cost), merged \(merged.cost)")
    }

    func testPaletteIsOrderedByUse() {
        var options = KMeansOptions()
        options.k = 5
        let h = photoLikeHistogram()
        let fit = fitPalette(h, options: options)
        let counts = fit.palette.pixelCounts(in: h)
        XCTAssertEqual(counts, counts.sorted(by: >))
        XCTAssertEqual(counts.reduce(0, +), h.pixelCount)
    }

    func testFewerColoursThanKGivesThoseColours() {
        var h = Histogram(maxval: 255)
        h.add(Color(red: 1, green: 2, blue: 3), count: 5)
        h.add(Color(red: 200, green: 0, blue: 0), count: 9)
        var options = KMeansOptions()
        options.k = 16
        let fit = fitPalette(h, options: options)
        XCTAssertNil(fit.best)
        XCTAssertEqual(fit.palette.colors, [Color(red: 200, green: 0, blue: 0), Color(red: 1, green: 2, blue: 3)])
        XCTAssertEqual(fit.cost, 0)
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

    /// A palette fitted in a space costs less in that space than the RGB fit's
    /// palette, and more in RGB: each fit minimises its own cost.
    func testFitInASpaceWinsInThatSpace() {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 22)
        for _ in 0..<6000 {
            // Dark colours and bright ones: CIELAB spreads the dark ones out, RGB does not.
            let dark = rng.next() % 2 == 0
            let base: UInt64 = dark ? 0 : 150
            h.add(Color(red: UInt16(base + rng.next() % 100), green: UInt16(base + rng.next() % 100),
                        blue: UInt16(base + rng.next() % 100)))
        }
        var options = KMeansOptions()
        options.k = 8
        let rgb = fitPalette(h, options: options)
        XCTAssertEqual(rgb.cost, cost(of: rgb.palette, on: h), accuracy: 1e-12)
        for space in spaces {
            let fit = fitPalette(h, options: options, space: space)
            XCTAssertEqual(fit.cost, cost(of: fit.palette, on: h, space: space), accuracy: 1e-9 * fit.cost, "\(space)")
            XCTAssertLessThan(fit.cost, 0.95 * cost(of: rgb.palette, on: h, space: space), "\(space)")
            XCTAssertGreaterThan(cost(of: fit.palette, on: h), rgb.cost, "\(space)")
            // Determinism: the same palette whatever the threads.
            options.threads = 3
            XCTAssertEqual(fitPalette(h, options: options, space: space).palette, fit.palette, "\(space)")
            options.threads = 1
        }
    }

    /// What the feature is for: on an antialiased disc the alpha fit keeps the
    /// background exactly transparent and scores a lower premultiplied J than
    /// the 1-bit transparency of a GIF with the RGB fit's colours; its J is
    /// the brute-force one; the result does not depend on threads.
    func testFitKeepsTransparencyAndBeatsOneBitTransparency() {
        let image = disc()
        let h = histogram(image)
        var options = KMeansOptions()
        options.k = 8
        options.restarts = 4
        let fit = fitPalette(h, options: options)
        let palette = fit.palette
        XCTAssertEqual(palette.count, 8)
        XCTAssertNotNil(fit.best)
        XCTAssertTrue(palette.colors.indices.contains { palette.rgba($0) == .transparent })
        XCTAssertEqual(fit.cost, bruteCost(palette, image), accuracy: 1e-12)
        XCTAssertTrue(palette.alphas!.contains { $0 > 0 && $0 < 255 }, "\(palette.alphas!)")
        // Every fully transparent pixel maps to transparent black, every opaque one to a colour
        // within 2% of opaque (a mean of mostly opaque pixels and a few of the edge's).
        let nearest = NearestColor(palette)
        for p in 0..<10_000 {
            let s = image.samples[4 * p..<4 * p + 4].map { $0 }
            let i = nearest.own.index(RGBA(Color(red: s[0], green: s[1], blue: s[2]), alpha: s[3])).index
            if s[3] == 0 { XCTAssertEqual(palette.rgba(i), .transparent) }
            if s[3] == 255 { XCTAssertGreaterThanOrEqual(palette.alphas![i], 250) }
        }
        // As a GIF would have it: 7 opaque colours (the RGB fit of the visible pixels) and
        // transparent, each pixel transparent below alpha 128 and opaque from there.
        var rgb = Histogram(maxval: 255)
        var opaqueSum = 0.0
        for p in 0..<10_000 where image.samples[4 * p + 3] > 0 {
            rgb.add(Color(red: image.samples[4 * p], green: image.samples[4 * p + 1], blue: image.samples[4 * p + 2]))
        }
        var rgbOptions = options
        rgbOptions.k = 7
        let opaque = fitPalette(rgb, options: rgbOptions).palette
        let near = NearestPoint(opaque)
        for p in 0..<10_000 {
            let s = image.samples[4 * p..<4 * p + 4].map { $0 }
            let c = Color(red: s[0], green: s[1], blue: s[2])
            let shown = s[3] < 128 ? RGBA.transparent : RGBA(opaque.colors[near.index(of: c.unit(maxval: 255)).index], alpha: 255)
            let d = shown.premultiplied(maxval: 255) - RGBA(c, alpha: s[3]).premultiplied(maxval: 255)
            opaqueSum += (d * d).sum()
        }
        XCTAssertLessThan(fit.cost, opaqueSum / 10_000)
        for threads in [2, 3] {
            options.threads = threads
            XCTAssertEqual(fitPalette(h, options: options).palette, palette)
        }
    }

    func testFewColoursAreKeptAndFixedOnesStay() {
        var h = Histogram(maxval: 255, alpha: true)
        let samples: [UInt16] = [10, 20, 30, 255, 10, 20, 30, 128, 99, 99, 99, 0, 200, 0, 0, 255]
        samples.withUnsafeBufferPointer { h.add($0, format: PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 255)) }
        var options = KMeansOptions()
        options.k = 4
        let fit = fitPalette(h, options: options)
        XCTAssertNil(fit.best)
        XCTAssertEqual(Set(fit.palette.colors.indices.map { fit.palette.rgba($0) }),
                       [.transparent, RGBA(Color(red: 10, green: 20, blue: 30), alpha: 255),
                        RGBA(Color(red: 10, green: 20, blue: 30), alpha: 128), RGBA(Color(red: 200, green: 0, blue: 0), alpha: 255)])
        XCTAssertEqual(fit.cost, 0)
        let brand = RGBA(Color(red: 0, green: 0, blue: 255), alpha: 200)
        options.k = 3
        let fixed = fitPalette(h, options: options, fixed: colors([brand]))
        XCTAssertEqual(fixed.palette.count, 3)
        XCTAssertTrue(fixed.palette.colors.indices.contains { fixed.palette.rgba($0) == brand })
        XCTAssertTrue(fixed.palette.colors.indices.contains { fixed.palette.rgba($0) == .transparent })
        // Fixed colours that fill K leave transparent black out; one with alpha 0 is it.
        options.k = 1
        XCTAssertEqual(fitPalette(h, options: options, fixed: colors([brand])).palette.alphas, [200])
        options.k = 2
        let clear = RGBA(Color(red: 255, green: 0, blue: 0), alpha: 0)
        let withClear = fitPalette(h, options: options, fixed: colors([clear, RGBA(clear.color, alpha: 0)])).palette
        XCTAssertEqual(withClear.count, 2)
        XCTAssertEqual(withClear.alphas!.filter { $0 == 0 }.count, 1)
        // K = 1: the one colour is fitted to every pixel, the transparent ones included.
        options.k = 1
        XCTAssertNotEqual(fitPalette(h, options: options).palette.alphas, [0])
    }

    /// Fully transparent pixels keep alpha 0 even where a faint edge outnumbers
    /// them: k-means alone would merge the two into one faint colour.
    func testTransparentStaysExactBesideManyFaintPixels() {
        var samples: [UInt16] = []
        var rng = SeededGenerator(seed: 8)
        for _ in 0..<10 { samples += [77, 77, 77, 0] }
        for _ in 0..<300 { samples += [UInt16(150 + rng.next() % 100), 0, 0, UInt16(6 + rng.next() % 20)] }
        for _ in 0..<300 { samples += [0, UInt16(rng.next() % 60), UInt16(200 + rng.next() % 50), 255] }
        var h = Histogram(maxval: 255, alpha: true)
        samples.withUnsafeBufferPointer { h.add($0, format: PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 255)) }
        var options = KMeansOptions()
        options.k = 3
        let fit = fitPalette(h, options: options)
        let nearest = NearestColor(fit.palette)
        XCTAssertEqual(fit.palette.rgba(nearest.own.index(.transparent).index), .transparent, "\(fit.palette)")
    }
}
