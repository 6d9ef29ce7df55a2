@testable import KMCore
import XCTest

/// Mapping to a palette through Mapper, dithered or not (Dither, Map), with a
/// palette with alphas: undithered it is the exact premultiplied nearest
/// colour; dithered, the local averages (a blur, as
/// /work/shared/notes/quality-and-packaging.md scores dithering) come nearer
/// the original's, and fully transparent pixels stay transparent and spread
/// no error.
final class DitherTests: XCTestCase {
    let format = PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 255)
    let clear = RGBA.transparent

    /// A palette with alphas: transparent, opaque black, red and white, and red and white at half alpha.
    var palette: Palette {
        let black = Color(red: 0, green: 0, blue: 0), red = Color(red: 255, green: 0, blue: 0)
        let white = Color(red: 255, green: 255, blue: 255)
        let colors = [black, black, red, white, red, white]
        return Palette(colors: colors, maxval: 255, alphas: [0, 255, 255, 255, 128, 128])
    }

    /// w x h RGBA samples: red rising to the right, green and blue with the row,
    /// alpha falling down the rows to 0 on the last; the top `clearRows` rows
    /// fully transparent with colours that are not black.
    func image(_ w: Int, _ h: Int, clearRows: Int = 0) -> [UInt16] {
        var s: [UInt16] = []
        for y in 0..<h {
            for x in 0..<w {
                if y < clearRows {
                    s += [UInt16(x * 7 % 256), 200, 31, 0]
                } else {
                    s += [UInt16(x * 255 / (w - 1)), UInt16(y * 255 / (h - 1)), 90, UInt16((h - 1 - y) * 255 / (h - 1))]
                }
            }
        }
        return s
    }

    func map(_ samples: [UInt16], width: Int, palette: Palette, dither: Dither, threads: Int = 1) -> [UInt16] {
        var mapper = Mapper(NearestColor(palette), dither: dither)
        mapper.beginImage(format: format, width: width)
        XCTAssertEqual(mapper.outputDepth, 4)
        var out = [UInt16](repeating: 0, count: samples.count)
        samples.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { mapper.map16(s, firstRow: 0, into: $0, threads: threads) }
        }
        return out
    }

    /// Premultiplied unit points, blurred by a Gaussian of sigma 1.5 px (radius 5, edges clamped).
    func blurred(_ s: [UInt16], _ w: Int, _ h: Int) -> [SIMD4<Double>] {
        let points = (0..<w * h).map { p in
            RGBA(Color(red: s[4 * p], green: s[4 * p + 1], blue: s[4 * p + 2]), alpha: s[4 * p + 3]).premultiplied(maxval: 255)
        }
        let weights = (-5...5).map { exp(-Double($0 * $0) / (2 * 1.5 * 1.5)) }, total = weights.reduce(0, +)
        func pass(_ a: [SIMD4<Double>], dx: Int, dy: Int) -> [SIMD4<Double>] {
            (0..<w * h).map { p in
                let x = p % w, y = p / w
                var sum = SIMD4<Double>(repeating: 0)
                for (i, k) in (-5...5).enumerated() {
                    let xx = min(max(x + k * dx, 0), w - 1), yy = min(max(y + k * dy, 0), h - 1)
                    sum += a[yy * w + xx] * weights[i]
                }
                return sum / total
            }
        }
        return pass(pass(points, dx: 1, dy: 0), dx: 0, dy: 1)
    }

    func blurredJ(_ a: [UInt16], _ b: [UInt16], _ w: Int, _ h: Int) -> Double {
        zip(blurred(a, w, h), blurred(b, w, h)).map { (($0 - $1) * ($0 - $1)).sum() }.reduce(0, +) / Double(w * h)
    }

    /// What the feature is for: each dither brings the blurred image nearer the
    /// original's than nearest mapping does.
    func testDitheringKeepsLocalAveragesOfPremultipliedColour() {
        let (w, h) = (96, 64), original = image(96, 64)
        let plain = map(original, width: w, palette: palette, dither: .none)
        let nearest = blurredJ(plain, original, w, h)
        for dither in [Dither.fs, .sierra, .bayer, Dither(.fs, strength: 0.5)] {
            let j = blurredJ(map(original, width: w, palette: palette, dither: dither), original, w, h)
            XCTAssertLessThan(j, 0.8 * nearest, "\(dither)")
        }
    }

    /// Undithered, each pixel is its exact premultiplied nearest colour (as the search says).
    func testUnditheredMapIsTheNearestColour() {
        let (w, h) = (40, 30), original = image(w, h, clearRows: 3)
        let out = map(original, width: w, palette: palette, dither: .none, threads: 3)
        let search = NearestColor(palette).own
        for p in 0..<w * h {
            let c = RGBA(Color(red: original[4 * p], green: original[4 * p + 1], blue: original[4 * p + 2]), alpha: original[4 * p + 3])
            let q = palette.rgba(search.index(c).index)
            XCTAssertEqual(Array(out[4 * p..<4 * p + 4]), [q.color.red, q.color.green, q.color.blue, q.alpha])
        }
    }

    /// A fully transparent pixel maps to the palette's transparent colour with every dither, whatever its RGB.
    func testTransparentPixelsStayTransparent() {
        let (w, h) = (64, 48), original = image(w, h, clearRows: 5)
        for dither in [Dither.none, .fs, .sierra, .bayer] {
            for threads in [1, 3] {
                let out = map(original, width: w, palette: palette, dither: dither, threads: threads)
                let wrong = (0..<w * h).filter { original[4 * $0 + 3] == 0 && Array(out[4 * $0..<4 * $0 + 4]) != [0, 0, 0, 0] }
                XCTAssertEqual(wrong.count, 0, "\(dither), \(threads) threads")
            }
        }
    }

    /// A transparent pixel passes on no error, even to a palette without a
    /// transparent colour: the opaque rows under 8 transparent ones map as
    /// they do on their own.
    func testTransparentPixelsSpreadNoError() {
        let opaque = Palette(colors: palette.colors.dropFirst().map { $0 }, maxval: 255, alphas: [255, 255, 255, 128, 128])
        let (w, h) = (50, 24), below = image(w, h - 8)
        let clearAbove = [UInt16](image(w, 8, clearRows: 8)) + below
        for dither in [Dither.fs, .sierra] {
            let alone = map(below, width: w, palette: opaque, dither: dither)
            let under = map(clearAbove, width: w, palette: opaque, dither: dither)
            XCTAssertEqual(Array(under[(4 * w * 8)...]), alone, "\(dither)")
            XCTAssertNotEqual(alone, map(below, width: w, palette: opaque, dither: .none), "\(dither) dithers")
        }
    }
}
