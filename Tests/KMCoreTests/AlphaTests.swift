@testable import KMCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Colours with opacity (kmfit --alpha): premultiplied points, the exact
/// nearest colour by premultiplied distance, and the fit.
final class AlphaTests: XCTestCase {
    /// A disc of radius 40 in a 100x100 image, its edge antialiased (coverage
    /// by 4x4 samples a pixel), its colour a gradient; outside fully transparent
    /// with random RGB (invisible), as RGBA samples at maxval 255.
    func disc() -> (samples: [UInt16], format: PixelFormat) {
        var samples: [UInt16] = []
        var rng = SeededGenerator(seed: 3)
        for y in 0..<100 {
            for x in 0..<100 {
                var covered = 0
                for i in 0..<4 {
                    for j in 0..<4 {
                        let dx = Double(x) + (Double(j) + 0.5) / 4 - 50, dy = Double(y) + (Double(i) + 0.5) / 4 - 50
                        if dx * dx + dy * dy < 1600 { covered += 1 }
                    }
                }
                let alpha = UInt16((Double(covered) / 16 * 255).rounded())
                if alpha == 0 {
                    samples += [UInt16(rng.next() % 256), UInt16(rng.next() % 256), UInt16(rng.next() % 256), 0]
                } else {
                    samples += [UInt16(x * 255 / 99), UInt16(y * 255 / 99), 160, alpha]
                }
            }
        }
        return (samples, PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 255))
    }

    func histogram(_ image: (samples: [UInt16], format: PixelFormat)) -> Histogram {
        var h = Histogram(maxval: 255, alpha: true)
        image.samples.withUnsafeBufferPointer { h.add($0, format: image.format) }
        return h
    }

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

    func testHistogramCountsTransparentPixelsAsOneColour() {
        let image = disc()
        let h = histogram(image)
        XCTAssertEqual(h.pixelCount, 10_000)
        let (colors, counts) = h.colorsWithAlpha()
        let transparent = (0..<10_000).filter { image.samples[4 * $0 + 3] == 0 }.count
        XCTAssertGreaterThan(transparent, 4000)
        XCTAssertEqual(colors.first, .transparent)
        XCTAssertEqual(counts.first, UInt64(transparent))
        XCTAssertEqual(colors.filter { $0.alpha == 0 }.count, 1)
        XCTAssertEqual(counts.reduce(0, +), 10_000)
    }

    func testPremultipliedPointsRoundTrip() {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            let c = RGBA(Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256)),
                         alpha: UInt16(1 + rng.next() % 255))
            XCTAssertEqual(RGBA(premultiplied: c.premultiplied(maxval: 255), maxval: 255), c)
        }
        XCTAssertEqual(RGBA(Color(red: 9, green: 9, blue: 9), alpha: 0).premultiplied(maxval: 255), .zero)
        XCTAssertEqual(RGBA(premultiplied: SIMD4(0.3, 0.2, 0.1, 0.001), maxval: 255), .transparent)
    }

    func testNearestIsTheBruteForceAnswerWithTiesToTheLowerIndex() {
        var rng = SeededGenerator(seed: 11)
        func sample() -> UInt16 { [0, 17, 128, 255][Int(rng.next() % 4)] }
        for size in [1, 2, 5, 16, 64, 200] {
            var colors: [Color] = [], alphas: [UInt16] = []
            for _ in 0..<size {
                colors.append(Color(red: sample(), green: sample(), blue: sample()))
                alphas.append(sample())
            }
            let palette = Palette(colors: colors, maxval: 255, alphas: alphas)
            let nearest = NearestColor(palette)
            // In integers (r a, g a, b a, a 255): exact, so ties are ties.
            let points = colors.indices.map { i -> [Int] in
                let c = palette.rgba(i), a = Int(c.alpha)
                return [Int(c.color.red) * a, Int(c.color.green) * a, Int(c.color.blue) * a, a * 255]
            }
            for _ in 0..<500 {
                let query = RGBA(Color(red: sample(), green: sample(), blue: sample()), alpha: sample())
                let a = Int(query.alpha)
                let q = [Int(query.color.red) * a, Int(query.color.green) * a, Int(query.color.blue) * a, a * 255]
                let d = points.map { p in zip(p, q).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
                let best = d.indices.min { (d[$0], $0) < (d[$1], $1) }!
                let found = nearest.own.index(query)
                XCTAssertEqual(found.index, best, "size \(size)")
                XCTAssertEqual(found.distance, Double(d[best]) / pow(255, 4), accuracy: 1e-15)
            }
            // On another scale (16-bit input), the same answers.
            let wide = nearest.search(maxval: 65535)
            for _ in 0..<100 {
                let query = RGBA(Color(red: sample(), green: sample(), blue: sample()), alpha: sample())
                XCTAssertEqual(wide.index(query.rescaled(from: 255, to: 65535)).index, nearest.own.index(query).index)
            }
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
        for k in [1, 3, 40] {
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
        }
    }
}
