import Foundation
import XCTest

/// Palettes with alpha (kmfit --alpha, kmmap and kmquant with them, kmcost's
/// space=rgba): a photo cut to an antialiased disc, as a sprite or an icon is.
final class AlphaPaletteTests: EndToEndCase {
    /// in.pam: the notebook's photo (or, without it, a planet) 200 wide, cut to
    /// a disc of radius 94 whose edge is antialiased (coverage of 8x8 samples a
    /// pixel); outside, alpha 0. Also in.png, the same through pamtopng.
    func makeDisc() throws {
        if let url = Tools.sampleImage {
            try ok("pngtopnm '\(url.path)' | pamcut -width 200 -height 200 -top 25 > photo.ppm")
        } else {
            try makePlanet("photo.ppm", width: 200, height: 200, seed: 21)
        }
        var mask = Data("P5\n200 200\n255\n".utf8)
        for y in 0..<200 {
            for x in 0..<200 {
                var covered = 0
                for i in 0..<8 {
                    for j in 0..<8 {
                        let dx = Double(x) + (Double(j) + 0.5) / 8 - 100, dy = Double(y) + (Double(i) + 0.5) / 8 - 100
                        if dx * dx + dy * dy < 94 * 94 { covered += 1 }
                    }
                }
                mask.append(UInt8((Double(covered) / 64 * 255).rounded()))
            }
        }
        try write("mask.pgm", mask)
        try ok("pamstack -tupletype RGB_ALPHA photo.ppm mask.pgm 2>/dev/null > in.pam && pamtopng in.pam > in.png")
    }

    /// The RGBA pixels of a PAM RGB_ALPHA, through netpbm's own tools.
    func rgba(_ name: String) throws -> [[Int]] {
        try ok("pamchannel -infile \(name) -tupletype RGB 0 1 2 | pamtopnm > \(name).rgb.ppm"
            + " && pamchannel -infile \(name) -tupletype GRAYSCALE 3 | pamtopnm > \(name).a.pgm")
        let rgb = try image("\(name).rgb.ppm"), alpha = try image("\(name).a.pgm")
        return (0..<rgb.pixelCount).map { rgb.rgb($0) + [alpha.samples[$0]] }
    }

    /// Mean over pixels of the squared distance between premultiplied colours
    /// (8-bit samples scaled to [0,1]): what kmfit --alpha minimises.
    func visibleJ(_ a: [[Int]], _ b: [[Int]]) -> Double {
        func point(_ p: [Int]) -> [Double] {
            let alpha = Double(p[3]) / 255
            return p[0..<3].map { Double($0) / 255 * alpha } + [alpha]
        }
        var sum = 0.0
        for (p, q) in zip(a, b) { sum += zip(point(p), point(q)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
        return sum / Double(a.count)
    }

    /// J of a kmcost --json line.
    func costJSON(_ line: String) -> Double {
        Double(line.dropFirst(5).prefix { $0 != "," }) ?? .nan
    }

    /// A PNG's colour type (IHDR) and chunk names.
    func pngChunks(_ name: String) throws -> (colorType: Int, chunks: [String]) {
        let b = [UInt8](try read(name))
        XCTAssertEqual(Array(b.prefix(8)), [137, 80, 78, 71, 13, 10, 26, 10], "\(name) is not a PNG")
        var at = 8, chunks: [String] = [], colorType = -1
        while at + 8 <= b.count {
            let length = b[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: b[at + 4..<at + 8], as: UTF8.self)
            if type == "IHDR" { colorType = Int(b[at + 8 + 9]) }
            chunks.append(type)
            at += 12 + length
        }
        return (colorType, chunks)
    }

    /// What the feature is for: the disc as a palette PNG with transparency,
    /// through kmfit --alpha, kmmap and pnmtopng -alpha, keeps the background
    /// exactly transparent, has a lower J on the visible pixels than pngquant
    /// (defaults, and --nofs --speed 1) and is at most 10 % larger.
    func testDiscBecomesAPalettePNGWithTransparencyThatBeatsPngquant() throws {
        try requireCommands("pngquant")
        try makeDisc()
        try ok("kmfit --alpha -k 16 in.pam > pal.pam && kmmap pal.pam in.pam > out.pam")
        let header = String(decoding: try read("pal.pam").prefix(66), as: UTF8.self)
        XCTAssertEqual(header, "P7\nWIDTH 16\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n")
        let palette = try rgba("pal.pam")
        XCTAssertTrue(palette.contains([0, 0, 0, 0]), "\(palette)")
        XCTAssertTrue(palette.contains { $0[3] > 0 && $0[3] < 200 }, "the edge needs translucent colours: \(palette)")
        let input = try rgba("in.pam"), output = try rgba("out.pam")
        for (p, q) in zip(input, output) {
            XCTAssertTrue(palette.contains(q))
            if p[3] == 0 { XCTAssertEqual(q, [0, 0, 0, 0]) }
        }
        // kmcost scores the palette by the same J, computed here from the images.
        let j = visibleJ(input, output)
        let score = try ok("kmcost --json pal.pam in.pam").text
        XCTAssertTrue(score.hasSuffix("\"colors\":16,\"bpp\":4,\"space\":\"rgba\"}\n"), score)
        XCTAssertEqual(costJSON(score), j, accuracy: 1e-12)
        XCTAssertEqual(costJSON(try ok("kmcost --json --reference in.pam out.pam").text), j, accuracy: 1e-12)
        XCTAssertEqual(try ok("kmcost pal.pam < in.pam").text, "J=\(String(format: "%.6f", j)) psnr=\(String(format: "%.2f", 10 * log10(3 / j))) colors=16 bpp=4 space=rgba\n")

        try ok("pamchannel -infile out.pam -tupletype GRAYSCALE 3 | pamtopnm > out-alpha.pgm"
            + " && pamtopnm out.pam | pnmtopng -alpha=out-alpha.pgm > out.png")
        let png = try pngChunks("out.png")
        XCTAssertEqual(png.colorType, 3, "a palette PNG")
        XCTAssertTrue(png.chunks.contains("tRNS"), "\(png.chunks)")
        try ok("pngtopam -alphapam out.png > back.pam")
        XCTAssertEqual(try rgba("back.pam"), output, "the PNG holds kmmap's pixels exactly")
        let bytes = try read("out.png").count
        for (label, flags) in [("defaults", ""), ("--nofs --speed 1", "--nofs --speed 1 ")] {
            try ok("pngquant \(flags)16 --force --output q.png in.png && pngtopam -alphapam q.png > q.pam")
            let theirs = visibleJ(input, try rgba("q.pam")), theirBytes = try read("q.png").count
            // kmcost --reference measures the same J when either image has alpha.
            let reference = try ok("kmcost --json --reference in.pam q.pam").text
            XCTAssertTrue(reference.hasPrefix("{\"J\":\(theirs),") || abs(costJSON(reference) - theirs) < 1e-12, reference)
            XCTAssertTrue(reference.hasSuffix("\"space\":\"rgba\"}\n"), reference)
            XCTAssertLessThan(j, theirs, "pngquant \(label)")
            XCTAssertLessThanOrEqual(Double(bytes), 1.10 * Double(theirBytes), "pngquant \(label): \(bytes) against \(theirBytes) bytes")
        }
    }

    func testKmquantIsKmfitThenKmmapAndIndicesComeBack() throws {
        try makeDisc()
        try ok("kmfit --alpha -k 8 in.pam > pal.pam && kmmap pal.pam in.pam > two.pam")
        try ok("cat in.pam | kmquant --alpha 8 --palette-out qpal.pam > one.pam")
        XCTAssertEqual(try read("one.pam"), try read("two.pam"))
        XCTAssertEqual(try read("qpal.pam"), try read("pal.pam"))
        try ok("kmmap --indices pal.pam in.pam > i.pgm && kmmap --from-indices pal.pam i.pgm > back.pam")
        XCTAssertEqual(try read("back.pam"), try read("two.pam"))
        // The same bytes whatever the thread count.
        try ok("kmfit --alpha -k 8 --threads 1 in.pam > p1.pam && kmfit --alpha -k 8 --threads 2 in.pam > p2.pam")
        XCTAssertEqual(try read("p1.pam"), try read("pal.pam"))
        XCTAssertEqual(try read("p2.pam"), try read("pal.pam"))
        // An opaque image maps to an alpha palette as opaque pixels.
        try ok("kmmap pal.pam photo.ppm > opaque.pam")
        let opaque = try rgba("opaque.pam"), palette = try rgba("pal.pam")
        XCTAssertTrue(opaque.allSatisfy { palette.contains($0) })
    }

    /// What dithering with alpha is for: after a blur (what the eye does), the
    /// premultiplied image diffused to an alpha palette is nearer the original
    /// than its nearest-colour map; with every method, fully transparent pixels
    /// stay transparent black; kmquant --alpha --dither is kmfit then kmmap.
    func testDitheredAlphaIsNearerAfterBlurAndTransparentStaysTransparent() throws {
        try makeDisc()
        try ok("kmfit --alpha -k 8 in.pam > pal.pam && kmmap pal.pam in.pam > plain.pam")
        let original = try rgba("in.pam"), plain = try rgba("plain.pam")
        /// Blurred J of premultiplied colours: their RGB, and alpha weighted as one channel of three.
        func blurredJ(_ a: [[Int]], _ b: [[Int]]) -> Double {
            func images(_ p: [[Int]]) -> (UnitImage, UnitImage) {
                let colour = p.flatMap { q in q[0..<3].map { Double($0) / 255 * Double(q[3]) / 255 } }
                let alpha = p.flatMap { q in Array(repeating: Double(q[3]) / 255, count: 3) }
                return (UnitImage(width: 200, height: 200, rgb: colour), UnitImage(width: 200, height: 200, rgb: alpha))
            }
            let (ca, aa) = images(a), (cb, ab) = images(b)
            return ca.blurredCost(cb) + aa.blurredCost(ab) / 3
        }
        let undithered = blurredJ(original, plain)
        for method in ["fs", "sierra", "bayer"] {
            try ok("kmmap --dither \(method) pal.pam in.pam > \(method).pam")
            let dithered = try rgba("\(method).pam")
            // Bayer's pattern is for gradients and banding; on this photo at K = 8 it is blurred
            // farther than nearest colours, with or without alpha (RGB: DitherTests).
            if method != "bayer" { XCTAssertLessThan(blurredJ(original, dithered), undithered, method) }
            for (p, q) in zip(original, dithered) where p[3] == 0 { XCTAssertEqual(q, [0, 0, 0, 0], method) }
            XCTAssertNotEqual(dithered, plain, method)
        }
        try ok("kmquant --alpha --dither fs 8 in.pam > q.pam && cmp q.pam fs.pam")
    }

    /// kmquant --alpha --min-psnr gives the fewest colours with alpha that meet
    /// the target as kmcost scores an alpha palette (premultiplied J), and
    /// kmfit --alpha -k (K - 1) falls short of it; transparency stays exact.
    func testAlphaMinPSNRChoosesTheFewestColoursThatMeetIt() throws {
        try makeDisc()
        for target in [22.0, 28.0] {
            let run = try ok("kmquant --alpha -v --min-psnr \(target) --palette-out pal.pam 64 in.pam > q.pam")
            let met = try ok("kmcost pal.pam in.pam").text
            let k = try XCTUnwrap(scoreFields(met)["colors"].flatMap(Int.init), met)
            XCTAssertGreaterThan(k, 2, run.stderr)
            XCTAssertEqual(scoreFields(met)["space"], "rgba", met)
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(scoreFields(met)["psnr"].flatMap(Double.init)), target, met)
            // In full precision (kmcost's line rounds the psnr to 2 decimals): psnr < target is J above 3 x 10^(-target/10).
            let below = try ok("kmfit --alpha -k \(k - 1) in.pam > below.pam && kmcost --json below.pam in.pam").text
            XCTAssertGreaterThan(costJSON(below), 3 * pow(10, -target / 10), "K = \(k): \(run.stderr)")
            // The mapped image is kmmap's with that palette, fully transparent pixels included.
            try ok("kmmap pal.pam in.pam > mapped.pam && cmp q.pam mapped.pam")
        }
    }

    /// The transparent black the fit adds counts in K: fixed colours that fill K
    /// leave it out (K colours, not K + 1, so --pad K works), a fully
    /// transparent fixed colour is it, and K = 1 fits the one colour to every pixel.
    func testTransparentBlackNeverTakesMoreThanK() throws {
        try makeDisc()
        try ok("printf 'P7\\nWIDTH 2\\nHEIGHT 1\\nDEPTH 4\\nMAXVAL 255\\nTUPLTYPE RGB_ALPHA\\nENDHDR\\n\\377\\0\\0\\200\\0\\377\\0\\377' > two.pam")
        try ok("printf 'P7\\nWIDTH 1\\nHEIGHT 1\\nDEPTH 4\\nMAXVAL 255\\nTUPLTYPE RGB_ALPHA\\nENDHDR\\n\\377\\0\\0\\0' > clear.pam")
        try ok("kmfit --alpha -k 2 --pad 2 --fixed two.pam in.pam > full.pam && kmquant --alpha 2 --pad 2 --fixed two.pam in.pam > q.pam")
        XCTAssertEqual(try rgba("full.pam"), [[255, 0, 0, 128], [0, 255, 0, 255]])
        try ok("kmfit --alpha -k 3 --fixed two.pam in.pam > three.pam")
        let three = try rgba("three.pam")
        XCTAssertEqual(three.count, 3)
        XCTAssertTrue(three.contains([0, 0, 0, 0]) && three.contains([255, 0, 0, 128]) && three.contains([0, 255, 0, 255]), "\(three)")
        // A fully transparent fixed colour is the transparent one: one fitted colour beside it.
        try ok("kmfit --alpha -k 2 --fixed clear.pam in.pam > p.pam")
        let p = try rgba("p.pam")
        XCTAssertEqual(p.count, 2)
        XCTAssertTrue(p.contains([255, 0, 0, 0]) && p.contains { $0[3] > 200 }, "\(p)")
        // K = 1: one colour fitted to all the pixels, not transparent black.
        try ok("kmfit --alpha -k 1 in.pam > one.pam")
        XCTAssertNotEqual(try rgba("one.pam")[0][3], 0)
    }

    /// Ties go to the earlier palette colour, as in RGB: the distances are exact.
    func testTiesGoToTheEarlierColour() throws {
        // (194, 38, 58) is exactly as far from both colours.
        try ok("printf 'P7\\nWIDTH 2\\nHEIGHT 1\\nDEPTH 4\\nMAXVAL 255\\nTUPLTYPE RGB_ALPHA\\nENDHDR\\n\\307\\52\\112\\377\\275\\42\\52\\377' > pal.pam")
        try ok("printf 'P3\\n1 1\\n255\\n194 38 58\\n' > x.ppm && kmmap --indices pal.pam x.ppm > i.pgm")
        XCTAssertEqual(try image("i.pgm").samples, [0])
        try ok("printf 'P3\\n2 1\\n255\\n199 42 74 189 34 42\\n' > pal.ppm && kmmap --indices pal.ppm x.ppm > j.pgm")
        XCTAssertEqual(try image("j.pgm").samples, [0], "the RGB path agrees")
    }

    /// kmcost's J is exact on any scale: an image at maxval 1000.
    func testCostIsExactAtAnOddMaxval() throws {
        try makeDisc()
        try ok("kmfit --alpha -k 8 in.pam > pal.pam && pamdepth 1000 in.pam > in1000.pam && kmmap pal.pam in1000.pam > out.pam")
        try ok("pamchannel -infile in1000.pam -tupletype RGB 0 1 2 | pamtopnm > c.ppm"
            + " && pamchannel -infile in1000.pam -tupletype GRAYSCALE 3 | pamtopnm > a.pgm")
        let c = try image("c.ppm"), a = try image("a.pgm"), palette = try rgba("pal.pam")
        var sum = 0.0
        for p in 0..<c.pixelCount {
            let alpha = Double(a.samples[p]) / 1000
            let q = c.rgb(p).map { Double($0) / 1000 * alpha } + [alpha]
            sum += palette.map { e -> Double in
                let ea = Double(e[3]) / 255
                let point = e[0..<3].map { Double($0) / 255 * ea } + [ea]
                return zip(point, q).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            }.min()!
        }
        let j = sum / Double(c.pixelCount)
        XCTAssertEqual(costJSON(try ok("kmcost --json pal.pam in1000.pam").text), j, accuracy: 1e-13)
    }
}
