import Foundation
import XCTest

/// kmmap's dithering judged by what it is for: keeping the local average colour. An output is
/// scored by J after a Gaussian blur (sigma 1.5 px) of both it and the original ("blurred J"): a
/// dither that works has a lower blurred J than nearest-colour mapping with the same palette.
final class DitherTests: EndToEndCase {
    /// A cloudy ppmforge planet (thousands of colours, smooth gradients) and its K-colour palette.
    private func planet(k: Int) throws -> (image: UnitImage, palette: [[Int]]) {
        try makePlanet("x.ppm", width: 160, height: 120, seed: 21)
        try ok("kmfit -k \(k) -r 2 x.ppm > p.ppm")
        return (UnitImage(try image("x.ppm")), try image("p.ppm").pixels)
    }

    private func mapped(_ options: String) throws -> UnitImage {
        UnitImage(try XCTUnwrap(PNM.parseStream(ok("kmmap \(options) p.ppm x.ppm").stdout).first))
    }

    func testEveryDitherKeepsTheLocalAverageBetterThanNearestColour() throws {
        for k in [4, 16] {
            let (original, _) = try planet(k: k)
            let none = try mapped("")
            let nearest = original.blurredCost(none)
            for (method, bound) in [("fs", 0.75), ("sierra", 0.75), ("bayer", 0.8)] {
                let out = try mapped("--dither \(method)")
                let ratio = original.blurredCost(out) / nearest
                XCTAssertLessThan(ratio, bound, "K=\(k) \(method): blurred J / nearest's")
                // Dithering trades per-pixel error for the average, within reason.
                XCTAssertGreaterThan(original.cost(out), original.cost(none), "K=\(k) \(method)")
                XCTAssertLessThan(original.cost(out), 3 * original.cost(none), "K=\(k) \(method): noise")
            }
        }
    }

    /// kmmap's fs and sierra beside textbook diffusions (clamped, serpentine, all the error
    /// carried) written here: the same average and the same noise within a few percent, on
    /// images as narrow as the Sierra filter. Sierra's wider filter is the quieter.
    func testErrorDiffusionMatchesTextbookOnes() throws {
        for k in [4, 16] {
            let (original, palette) = try planet(k: k)
            let unitPalette = palette.map { $0.map { Double($0) / 255 } }
            var plain: [String: Double] = [:]
            for (method, taps) in [("fs", UnitImage.floydSteinberg), ("sierra", UnitImage.sierra)] {
                let textbook = original.textbookDiffusion(palette: unitPalette, taps: taps)
                let out = try mapped("--dither \(method)")
                XCTAssertEqual(original.blurredCost(out) / original.blurredCost(textbook), 1, accuracy: 0.05,
                               "K=\(k) \(method): blurred J against the textbook's")
                XCTAssertEqual(original.cost(out) / original.cost(textbook), 1, accuracy: 0.05,
                               "K=\(k) \(method): plain J against the textbook's")
                plain[method] = original.cost(out)
            }
            XCTAssertLessThan(try XCTUnwrap(plain["sierra"]), try XCTUnwrap(plain["fs"]), "K=\(k): sierra is quieter")
        }
        // Narrow images: 1 to 3 columns, 1 row.
        for (w, h) in [(1, 40), (2, 40), (3, 40), (40, 1)] {
            try ok("pamcut 0 0 \(w) \(h) x.ppm > n.ppm")
            let narrow = UnitImage(try image("n.ppm"))
            for (method, taps) in [("fs", UnitImage.floydSteinberg), ("sierra", UnitImage.sierra)] {
                let out = UnitImage(try XCTUnwrap(PNM.parseStream(ok("kmmap --dither \(method) p.ppm n.ppm").stdout).first))
                let textbook = narrow.textbookDiffusion(palette: try image("p.ppm").pixels.map { $0.map { Double($0) / 255 } },
                                                        taps: taps)
                XCTAssertEqual(narrow.cost(out), narrow.cost(textbook), accuracy: 0.1 * narrow.cost(textbook) + 1e-9,
                               "\(method) on \(w)x\(h)")
            }
        }
    }

    /// Each image of a stream starts with no error; --indices gives the same choices as colours.
    func testStreamsAndIndicesDitherLikeSingleImages() throws {
        _ = try planet(k: 8)
        for method in ["fs", "sierra", "bayer"] {
            let one = try ok("kmmap --dither \(method) p.ppm x.ppm").stdout
            XCTAssertEqual(try ok("cat x.ppm x.ppm | kmmap --dither \(method) p.ppm").stdout, one + one, method)
            try ok("kmmap --dither \(method) --indices p.ppm x.ppm | kmmap --from-indices p.ppm > back.ppm")
            XCTAssertEqual(try read("back.ppm"), one, "\(method): indices and colours differ")
        }
    }

    /// Fully transparent pixels neither receive nor pass on error: the visible half of an image
    /// dithers exactly as it does alone.
    func testTransparentPixelsTakeNoPartInDiffusion() throws {
        _ = try planet(k: 8)
        try ok("""
            pamcut 0 0 80 120 x.ppm > right.ppm && ppmmake rgb:ff/00/00 80 120 > red.ppm
            pamcat -leftright red.ppm right.ppm > both.ppm
            pgmmake 0 80 120 > clear.pgm && pgmmake 1 80 120 > opaque.pgm && pamcat -leftright clear.pgm opaque.pgm > a.pgm
            pamstack -tupletype RGB_ALPHA both.ppm a.pgm 2>/dev/null > in.pam
            """)
        for method in ["fs", "sierra"] {
            try ok("kmmap --dither \(method) p.ppm in.pam | pamchannel -tupletype RGB 0 1 2 | pamcut 80 0 80 120 | pamtopnm > got.ppm")
            try ok("kmmap --dither \(method) p.ppm right.ppm > alone.ppm")
            XCTAssertEqual(try image("got.ppm").samples, try image("alone.ppm").samples, method)
        }
    }

    /// The defining property: a flat grey with a black and white palette keeps its level (a dither
    /// that carries only each pixel's own error, as pnmremap -floyd does, turns 10 % grey black).
    func testFlatGreysKeepTheirLevelWithABlackAndWhitePalette() throws {
        try write("bw.ppm", PNM.ppm(width: 2, height: 1, pixels: [[0, 0, 0], [255, 255, 255]]))
        for level in [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] {
            let v = Int((level * 255).rounded())
            try write("g.ppm", PNM.ppm(width: 96, height: 96, pixels: Array(repeating: [v, v, v], count: 96 * 96)))
            for (method, tolerance) in [("fs", 0.01), ("sierra", 0.01), ("bayer", 1.0 / 32 + 0.005)] {
                let out = try XCTUnwrap(PNM.parseStream(ok("kmmap --dither \(method) bw.ppm g.ppm").stdout).first)
                let mean = Double(out.samples.reduce(0, +)) / Double(out.samples.count * 255)
                XCTAssertEqual(mean, Double(v) / 255, accuracy: tolerance, "\(method) at grey \(v)")
            }
        }
    }

    /// What the snap is for: an area the palette already renders (within 1 % of maxval of a
    /// colour: grey 129 against 128 is 1.7 levels) comes out that colour alone, even beside a
    /// gradient whose error flows into it, instead of taking on dots that make its file larger;
    /// a grey beyond it (131) is still dithered to its level (within 1.5 levels: the error that
    /// falls off the edges of a 96 x 64 image).
    func testAreasThePaletteRendersStayUndithered() throws {
        try write("grey3.ppm", PNM.ppm(width: 3, height: 1, pixels: [[0, 0, 0], [128, 128, 128], [255, 255, 255]]))
        let w = 96, h = 64
        // Left half flat 129, right half a gradient from black to white.
        let pixels = (0..<w * h).map { p -> [Int] in
            let x = p % w, v = x < w / 2 ? 129 : (x - w / 2) * 255 / (w / 2 - 1)
            return [v, v, v]
        }
        try write("half.ppm", PNM.ppm(width: w, height: h, pixels: pixels))
        try write("g131.ppm", PNM.ppm(width: w, height: h, pixels: Array(repeating: [131, 131, 131], count: w * h)))
        for options in ["--dither fs", "--dither sierra", "--dither sierra --dither-strength 0.8"] {
            let out = try XCTUnwrap(PNM.parseStream(ok("kmmap \(options) grey3.ppm half.ppm").stdout).first)
            let px = out.pixels
            let left = (0..<w * h).filter { $0 % w < w / 2 }.map { px[$0] }
            XCTAssertEqual(left.filter { $0 != [128, 128, 128] }.count, 0, "\(options): dots in the flat half")
            let right = (0..<w * h).filter { $0 % w >= w / 2 }.map { px[$0] }
            XCTAssertGreaterThan(Set(right).count, 2, "\(options): the gradient is dithered")
            // At full strength (below it a small offset never adds up to a dot).
            guard !options.contains("0.8") else { continue }
            let g = try XCTUnwrap(PNM.parseStream(ok("kmmap \(options) grey3.ppm g131.ppm").stdout).first)
            let mean = Double(g.samples.reduce(0, +)) / Double(g.samples.count)
            XCTAssertTrue(g.pixels.contains([255, 255, 255]), "\(options): 131 is dithered")
            XCTAssertEqual(mean, 131, accuracy: 1.5, "\(options): 131's level")
        }
    }

    func testStrengthZeroIsNearestColourAndHalfIsBetween() throws {
        let (original, _) = try planet(k: 8)
        let none = try ok("kmmap p.ppm x.ppm").stdout
        for method in ["fs", "sierra", "bayer"] {
            XCTAssertEqual(try ok("kmmap --dither \(method) --dither-strength 0 p.ppm x.ppm").stdout, none, method)
            let half = try mapped("--dither \(method) --dither-strength 0.5"), full = try mapped("--dither \(method)")
            let plain = UnitImage(try XCTUnwrap(PNM.parseStream(none).first))
            XCTAssertLessThan(original.cost(half), original.cost(full), "\(method): less noise at 0.5")
            XCTAssertGreaterThan(original.cost(half), original.cost(plain), "\(method): some dithering at 0.5")
            XCTAssertLessThan(original.blurredCost(half), original.blurredCost(plain), "\(method) at 0.5")
        }
        for bad in ["=-0.1", "=1.5", " 1.0000001", " nan", " inf", " x"] {
            let result = try sh("kmmap --dither fs --dither-strength\(bad) p.ppm x.ppm")
            XCTAssertEqual(result.status, 64, bad)
            XCTAssertTrue(result.stderr.hasPrefix("kmmap: ") && result.stderr.contains("--dither-strength"),
                          bad + ": " + result.stderr)
        }
        let alone = try sh("kmmap --dither-strength 0.5 p.ppm x.ppm")
        XCTAssertEqual(alone.status, 64)
        XCTAssertTrue(alone.stderr.hasPrefix("kmmap: --dither-strength needs --dither"), alone.stderr)
    }

    func testDitheringIsDeterministicForAnyThreadCountAndUsesOnlyPaletteColours() throws {
        // Many runs of rows (a wide image is read a run at a time): the error crosses runs.
        try makePlanet("x.ppm", width: 1200, height: 1000, seed: 22)
        try ok("kmfit -k 16 -r 1 x.ppm > p.ppm")
        let palette = Set(try image("p.ppm").pixels)
        for method in ["fs", "sierra", "bayer"] {
            let one = try ok("kmmap --dither \(method) --threads 1 p.ppm x.ppm").stdout
            XCTAssertEqual(try ok("kmmap --dither \(method) --threads 2 p.ppm x.ppm").stdout, one, method)
            XCTAssertEqual(try ok("kmmap --dither \(method) --threads 3 p.ppm x.ppm").stdout, one, method)
            let out = try XCTUnwrap(PNM.parseStream(one).first)
            XCTAssertTrue(Set(out.pixels).isSubset(of: palette), "\(method) wrote a colour not in the palette")
            // Each run of rows continues the one before: the same as one image mapped from a pipe.
            XCTAssertEqual(try ok("cat x.ppm | kmmap --dither \(method) p.ppm").stdout, one, method)
        }
    }

    /// Ordered dithering has no error travelling between pixels: changing some pixels changes
    /// only their own output (what video wants), where error diffusion changes what follows.
    func testPatternDitherDependsOnlyOnEachPixelAndItsPosition() throws {
        _ = try planet(k: 16)
        try ok("ppmmake rgb:ff/00/80 30 20 > block.ppm && pnmpaste block.ppm 50 40 x.ppm > y.ppm")
        func changed(_ method: String) throws -> (inside: Int, outside: Int) {
            let a = try ok("kmmap --dither \(method) p.ppm x.ppm").stdout
            let b = try ok("kmmap --dither \(method) p.ppm y.ppm").stdout
            let pa = try XCTUnwrap(PNM.parseStream(a).first), pb = try XCTUnwrap(PNM.parseStream(b).first)
            var inside = 0, outside = 0
            for p in 0..<pa.pixelCount where pa.rgb(p) != pb.rgb(p) {
                let x = p % pa.width, y = p / pa.width
                if (50..<80).contains(x) && (40..<60).contains(y) { inside += 1 } else { outside += 1 }
            }
            return (inside, outside)
        }
        let bayer = try changed("bayer"), fs = try changed("fs")
        XCTAssertGreaterThan(bayer.inside, 0)
        XCTAssertEqual(bayer.outside, 0, "bayer: pixels outside the changed block changed")
        XCTAssertGreaterThan(fs.outside, 0, "fs carries error out of the block (else this test proves nothing)")
    }

    func testGreyAnd16BitInputDither() throws {
        let (original, _) = try planet(k: 6)
        try ok("pamdepth 65535 x.ppm > x16.ppm && ppmtopgm x.ppm > g.pgm")
        let none = try ok("kmmap p.ppm x16.ppm").stdout, fs = try ok("kmmap --dither fs p.ppm x16.ppm").stdout
        let image16 = { (d: Data) in UnitImage(try XCTUnwrap(PNM.parseStream(d).first)) }
        XCTAssertLessThan(original.blurredCost(try image16(fs)), 0.8 * original.blurredCost(try image16(none)))
        let grey = UnitImage(try image("g.pgm"))
        for method in ["fs", "bayer"] {
            let out = UnitImage(try XCTUnwrap(PNM.parseStream(ok("kmmap --dither \(method) p.ppm g.pgm").stdout).first))
            let plain = UnitImage(try XCTUnwrap(PNM.parseStream(ok("kmmap p.ppm g.pgm").stdout).first))
            XCTAssertLessThan(grey.blurredCost(out), grey.blurredCost(plain), method)
        }
    }
}

/// An RGB image on the unit scale, for scoring.
struct UnitImage {
    var width: Int, height: Int
    var rgb: [Double]

    init(_ pnm: PNM) {
        width = pnm.width
        height = pnm.height
        rgb = (0..<pnm.pixelCount).flatMap { pnm.rgb($0).map { Double($0) / Double(pnm.maxval) } }
    }

    init(width: Int, height: Int, rgb: [Double]) { (self.width, self.height, self.rgb) = (width, height, rgb) }

    /// The notebook's J: mean over pixels of the squared RGB distance.
    func cost(_ other: UnitImage) -> Double {
        zip(rgb, other.rgb).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(width * height)
    }

    /// J after a Gaussian blur (sigma 1.5 px, edges repeated) of both images.
    func blurredCost(_ other: UnitImage) -> Double { blurred().cost(other.blurred()) }

    func blurred(sigma: Double = 1.5) -> UnitImage {
        let radius = Int((3 * sigma).rounded(.up))
        var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        func pass(_ src: [Double], horizontal: Bool) -> [Double] {
            var out = [Double](repeating: 0, count: src.count)
            for y in 0..<height {
                for x in 0..<width {
                    for (i, w) in kernel.enumerated() {
                        let d = i - radius
                        let xx = horizontal ? min(max(x + d, 0), width - 1) : x
                        let yy = horizontal ? y : min(max(y + d, 0), height - 1)
                        for c in 0..<3 { out[3 * (y * width + x) + c] += w * src[3 * (yy * width + xx) + c] }
                    }
                }
            }
            return out
        }
        return UnitImage(width: width, height: height, rgb: pass(pass(rgb, horizontal: true), horizontal: false))
    }

    static let floydSteinberg = [(1, 0, 7.0 / 16), (-1, 1, 3.0 / 16), (0, 1, 5.0 / 16), (1, 1, 1.0 / 16)]
    static let sierra = [(1, 0, 5.0), (2, 0, 3), (-2, 1, 2), (-1, 1, 4), (0, 1, 5), (1, 1, 4), (2, 1, 2),
                         (-1, 2, 2), (0, 2, 3), (1, 2, 2)].map { ($0.0, $0.1, $0.2 / 32) }

    /// Error diffusion as textbooks give it: serpentine (even rows left to right), the value
    /// plus the error received clamped to [0, 1], nearest colour, all of value - colour passed
    /// on by `taps` (columns ahead, rows down, weight).
    func textbookDiffusion(palette: [[Double]], taps: [(Int, Int, Double)]) -> UnitImage {
        var error = [Double](repeating: 0, count: rgb.count)
        var out = rgb
        for y in 0..<height {
            let forward = y % 2 == 0, dir = forward ? 1 : -1
            for step in 0..<width {
                let x = forward ? step : width - 1 - step, p = y * width + x
                let value = (0..<3).map { min(max(rgb[3 * p + $0] + error[3 * p + $0], 0), 1) }
                let c = palette.min { a, b in
                    zip(a, value).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                        < zip(b, value).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                }!
                for ch in 0..<3 {
                    out[3 * p + ch] = c[ch]
                    let e = value[ch] - c[ch]
                    for (dx, dy, w) in taps {
                        let xx = x + dir * dx, yy = y + dy
                        if xx >= 0 && xx < width && yy < height { error[3 * (yy * width + xx) + ch] += e * w }
                    }
                }
            }
        }
        return UnitImage(width: width, height: height, rgb: out)
    }
}
