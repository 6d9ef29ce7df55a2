@testable import KMCore
import XCTest

final class CostTests: XCTestCase {
    /// The tally of `palette` on interleaved RGB `samples` (0...maxval).
    private func score(_ palette: Palette, _ samples: [UInt16], maxval: Int = 255, space: ColorSpace = .rgb) -> ErrorTally {
        var h = Histogram(maxval: maxval)
        h.add(rgb: samples, maxval: maxval)
        return PaletteScorer(palette, space: space).score(h)
    }

    private func difference(_ a: [UInt16], _ b: [UInt16], maxvals: (Int, Int) = (255, 255), space: ColorSpace = .rgb) -> ErrorTally {
        var pairs = PairHistogram(maxval: maxvals.0, referenceMaxval: maxvals.1)
        pairs.add(rgb: a, reference: b)
        return pairs.score(space: space)
    }

    /// With alpha the scorer and the pair histogram are the ones RGB uses: a
    /// palette with alphas scores each pixel by its nearest premultiplied
    /// colour, and an image against a reference sums premultiplied distances,
    /// grey replicated and an image without alpha opaque.
    func testPremultipliedScoresAreTheBruteForceOnes() {
        var random = SystemRandomNumberGenerator()
        let rgba = PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 255)
        let samples = (0..<4 * 500).map { _ in UInt16.random(in: 0...255, using: &random) }
        let palette = Palette(colors: (0..<7).map { Color(red: UInt16($0 * 30), green: UInt16(255 - $0 * 20), blue: 90) },
                              maxval: 255, alphas: [0, 40, 255, 128, 255, 200, 10])
        func point(_ s: [UInt16], _ p: Int) -> SIMD4<Double> {
            RGBA(Color(red: s[4 * p], green: s[4 * p + 1], blue: s[4 * p + 2]), alpha: s[4 * p + 3]).premultiplied(maxval: 255)
        }
        let points = palette.colors.indices.map { RGBA(palette.colors[$0], alpha: palette.alphas![$0]).premultiplied(maxval: 255) }
        var nearestSum = 0.0
        for p in 0..<500 {
            nearestSum += points.map { let d = point(samples, p) - $0; return (d * d).sum() }.min()!
        }
        var h = Histogram(maxval: 255, alpha: true)
        h.add(samples, format: rgba)
        let tally = PaletteScorer(palette, space: .rgb).score(h)
        XCTAssertTrue(tally.premultiplied)
        XCTAssertEqual(tally.cost, nearestSum / 500, accuracy: 1e-12)
        XCTAssertEqual(PaletteScorer(palette, space: .rgb).rgbCost(h), tally.cost, accuracy: 1e-15)

        // Against a grey reference without alpha: each grey pixel is opaque (g, g, g).
        let grey = (0..<500).map { UInt16($0 % 256) }
        var pairs = PairHistogram(maxval: 255, referenceMaxval: 255, alpha: true)
        pairs.add(samples, format: rgba, reference: grey, format: PixelFormat(depth: 1, isGray: true, hasAlpha: false, maxval: 255))
        var pairSum = 0.0
        for p in 0..<500 {
            let g = grey[p], d = point(samples, p) - RGBA(Color(red: g, green: g, blue: g), alpha: 255).premultiplied(maxval: 255)
            pairSum += (d * d).sum()
        }
        let difference = pairs.score(space: .rgb)
        XCTAssertTrue(difference.premultiplied)
        XCTAssertEqual(difference.cost, pairSum / 500, accuracy: 1e-12)
        XCTAssertGreaterThan(difference.cost, 0)
    }

    func testCostOfAPaletteByHand() {
        // Two pixels: (255,0,0) against palette {black, (0,0,255)} -> nearest black, distance 1.
        // (0,0,204) -> nearest blue, distance (51/255)^2 = 0.04. J = (1 + 0.04) / 2 = 0.52.
        let palette = Palette(colors: [Color(red: 0, green: 0, blue: 0), Color(red: 0, green: 0, blue: 255)], maxval: 255)
        let tally = score(palette, [255, 0, 0, 0, 0, 204])
        XCTAssertEqual(tally.pixels, 2)
        XCTAssertEqual(tally.cost, 0.52, accuracy: 1e-12)
        XCTAssertEqual(tally.rgbCost, 0.52, accuracy: 1e-12)
        // ΔE00 of each pixel against the colour it went to, through CIELAB.
        let lab = { (r: Double, g: Double, b: Double) in ColorSpace.lab.coordinates(SIMD3(r, g, b)) }
        let red = deltaE2000(lab(1, 0, 0), lab(0, 0, 0)), blue = deltaE2000(lab(0, 0, 0.8), lab(0, 0, 1))
        XCTAssertEqual(tally.meanDeltaE, (red + blue) / 2, accuracy: 1e-12)
        XCTAssertEqual(tally.deltaEPercentile(95), max(red, blue))
        XCTAssertEqual(tally.deltaEPercentile(50), min(red, blue))
    }

    func testCostSumsTheThreeChannels() {
        // Grey 255 against black: 1 per channel, J = 3 (not 1).
        let tally = score(Palette(colors: [Color(red: 0, green: 0, blue: 0)], maxval: 255), [255, 255, 255])
        XCTAssertEqual(tally.cost, 3, accuracy: 1e-12)
        XCTAssertEqual(psnr(cost: 3), 0, accuracy: 1e-12)
    }

    func testCostIsScaleFree() {
        // The same colours at maxval 65535 cost the same as at 255.
        let palette = Palette(colors: [Color(red: 10, green: 20, blue: 30)], maxval: 255)
        let eight: [UInt16] = [0, 40, 90]
        let a = score(palette, eight), b = score(palette, eight.map { $0 * 257 }, maxval: 65535)
        XCTAssertEqual(a.cost, (100.0 + 400 + 3600) / (255 * 255), accuracy: 1e-12)
        XCTAssertEqual(a.cost, b.cost, accuracy: 1e-12)
        XCTAssertEqual(a.meanDeltaE, b.meanDeltaE, accuracy: 1e-9)
        XCTAssertGreaterThan(a.meanDeltaE, 1)
    }

    func testNearestIsChosenInTheSpace() {
        // A dark bluish grey between black and a dark blue: nearer blue in RGB, black in CIELAB.
        let palette = Palette(colors: [Color(red: 0, green: 0, blue: 0), Color(red: 0, green: 0, blue: 100)], maxval: 255)
        let grey: [UInt16] = [20, 20, 60]
        let unit = SIMD3<Double>(20, 20, 60) / 255
        let inRGB = score(palette, grey), inLab = score(palette, grey, space: .lab)
        let rgbToBlue = (unit - SIMD3(0, 0, 100.0 / 255)), rgbToBlack = unit
        XCTAssertLessThan((rgbToBlue * rgbToBlue).sum(), (rgbToBlack * rgbToBlack).sum())
        XCTAssertEqual(inRGB.cost, (rgbToBlue * rgbToBlue).sum(), accuracy: 1e-15)
        // In lab, J is ΔE*ab squared to black, the nearer there, and psnr's RGB J is that pixel's RGB distance to black.
        let labGrey = ColorSpace.lab.coordinates(unit), labBlack = ColorSpace.lab.coordinates(.zero)
        let labBlue = ColorSpace.lab.coordinates(SIMD3(0, 0, 100.0 / 255))
        XCTAssertLessThan(((labGrey - labBlack) * (labGrey - labBlack)).sum(), ((labGrey - labBlue) * (labGrey - labBlue)).sum())
        XCTAssertEqual(inLab.cost, ((labGrey - labBlack) * (labGrey - labBlack)).sum(), accuracy: 1e-9)
        XCTAssertEqual(inLab.rgbCost, (rgbToBlack * rgbToBlack).sum(), accuracy: 1e-15)
        XCTAssertEqual(inLab.meanDeltaE, deltaE2000(labGrey, labBlack), accuracy: 1e-12)
    }

    func testPercentileIsTheSmallestValueWithEnoughPixelsAtOrBelow() {
        var tally = ErrorTally(space: .rgb)
        tally.add(squared: 0, rgbSquared: 0, deltaE: 0, count: 94)
        tally.add(squared: 1, rgbSquared: 1, deltaE: 7, count: 6)
        XCTAssertEqual(tally.deltaEPercentile(95), 7)  // 94 % at 0 is not enough
        XCTAssertEqual(tally.deltaEPercentile(94), 0)
        XCTAssertEqual(tally.meanDeltaE, 0.42, accuracy: 1e-12)
        var exact = ErrorTally(space: .rgb)
        exact.add(squared: 1, rgbSquared: 1, deltaE: 3, count: 5)  // added first: order does not matter
        exact.add(squared: 0, rgbSquared: 0, deltaE: 0, count: 95)
        XCTAssertEqual(exact.deltaEPercentile(95), 0)  // exactly 95 % at 0 is enough
        XCTAssertEqual(exact.deltaEPercentile(96), 3)
        XCTAssertEqual(ErrorTally(space: .rgb).deltaEPercentile(95), 0)
    }

    func testDifferenceBetweenImages() {
        let d = difference([0, 0, 0, 255, 255, 255], [255, 0, 0, 255, 255, 0])
        XCTAssertEqual(d.cost, 1, accuracy: 1e-12)
        XCTAssertEqual(psnr(cost: 1), 10 * log10(3.0), accuracy: 1e-12)
        XCTAssertEqual(psnr(cost: 0), .infinity)
        // Against itself, on another scale: nothing differs.
        let same = difference([0, 10, 200, 255, 128, 3], [0, 2570, 51400, 65535, 32896, 771], maxvals: (255, 65535), space: .lab)
        XCTAssertEqual([same.cost, same.rgbCost, same.meanDeltaE, same.deltaEPercentile(95)], [0, 0, 0, 0])
        // In oklab, J is the squared OkLab distance of each pair.
        let ok = difference([255, 0, 0, 9, 9, 9], [0, 0, 255, 9, 9, 9], space: .oklab)
        let red = ColorSpace.oklab.coordinates(SIMD3(1, 0, 0)), blue = ColorSpace.oklab.coordinates(SIMD3(0, 0, 1))
        XCTAssertEqual(ok.cost, ((red - blue) * (red - blue)).sum() / 2, accuracy: 1e-12)
        XCTAssertEqual(ok.rgbCost, 1, accuracy: 1e-12)
    }

    func testPaletteCostOnHistogramMatchesPixelCost() {
        // Scoring per distinct colour gives the J of scoring each pixel by brute force.
        var rng = SeededGenerator(seed: 3)
        var samples: [UInt16] = []
        for _ in 0..<2000 { samples.append(UInt16(rng.next() % 256)) }
        samples.removeLast(samples.count % 3)
        let palette = Palette(colors: (0..<5).map { _ in
            Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256))
        }, maxval: 255)
        let units = palette.unitColors
        var sum = 0.0
        for p in stride(from: 0, to: samples.count, by: 3) {
            let c = SIMD3(Double(samples[p]), Double(samples[p + 1]), Double(samples[p + 2])) / 255
            sum += units.map { (($0 - c) * ($0 - c)).sum() }.min()!
        }
        var h = Histogram(maxval: 255)
        samples.withUnsafeBufferPointer { h.add(rgb: $0, maxval: 255) }
        XCTAssertEqual(score(palette, samples).cost, sum / Double(samples.count / 3), accuracy: 1e-12)
        XCTAssertEqual(cost(of: palette, on: h), sum / Double(samples.count / 3), accuracy: 1e-12)
    }

    func testBitsPerPixel() {
        XCTAssertEqual([1, 2, 3, 4, 16, 17, 256, 65536].map { bitsPerPixel(colors: $0) }, [0, 1, 2, 2, 4, 5, 8, 16])
    }
}
