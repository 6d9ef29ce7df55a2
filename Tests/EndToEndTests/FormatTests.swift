import Foundation
import XCTest

/// Input formats, inputs with few colours, and reproducibility.
final class FormatTests: EndToEndCase {
    func testInputFormats() throws {
        try makePlanet("x.ppm")
        try ok("kmfit -k 8 -r 2 x.ppm > pal.ppm")
        try ok("""
            pnmtoplainpnm x.ppm > plain.ppm
            pamdepth 65535 x.ppm > deep.ppm
            pnmtoplainpnm deep.ppm > deepplain.ppm
            ppmtopgm x.ppm > gray.pgm
            pnmtoplainpnm gray.pgm > grayplain.pgm
            ppmtopgm x.ppm | pgmtopbm > bw.pbm
            pnmtoplainpnm bw.pbm > bwplain.pbm
            pamtopam < x.ppm > rgb.pam
            pgmmake 0.5 80 60 > alpha.pgm
            pamstack -tupletype RGB_ALPHA rgb.pam alpha.pgm 2>/dev/null > rgba.pam
            pamtopam < gray.pgm > gray.pam
            pamtopam < bw.pbm > bw.pam
            pamdepth 65535 rgba.pam > rgba16.pam
            pamstack -tupletype GRAYSCALE_ALPHA gray.pam alpha.pgm 2>/dev/null > grayalpha.pam
            """)
        let types = try ok("pamfile rgb.pam rgba.pam gray.pam bw.pam deep.ppm plain.ppm").text
        for expected in ["RGB_ALPHA", "GRAYSCALE", "BLACKANDWHITE", "80 by 60 by 4", "maxval 65535", "PPM plain"] {
            XCTAssertTrue(types.contains(expected), "netpbm did not make the test inputs: \(types)")
        }
        let files = ["x.ppm", "plain.ppm", "deep.ppm", "deepplain.ppm", "gray.pgm", "grayplain.pgm",
                     "bw.pbm", "bwplain.pbm", "rgb.pam", "rgba.pam", "rgba16.pam", "gray.pam", "grayalpha.pam",
                     "bw.pam"]
        var palettes: [String: Data] = [:], maps: [String: Data] = [:], costs: [String: Double] = [:]
        for f in files {
            let fit = try ok("kmfit -k 4 -r 2 \(f)")
            let palette = try PNM.parseStream(fit.stdout)
            let colors = f.hasPrefix("bw") ? 2 : 4  // a bilevel image has two colours
            XCTAssertEqual(palette.map { [$0.width, $0.height, $0.maxval, $0.channels] }, [[colors, 1, 255, 3]], f)
            palettes[f] = fit.stdout
            // With alpha, kmmap writes PAM RGB_ALPHA; pamtopnm drops the alpha plane.
            let map = try ok("kmmap pal.ppm < \(f)" + (f.contains("alpha") || f.hasPrefix("rgba") ? " | pamtopnm" : ""))
            let mapped = try PNM.parseStream(map.stdout)
            XCTAssertEqual(mapped.map { [$0.width, $0.height, $0.maxval, $0.channels] }, [[80, 60, 255, 3]], f)
            maps[f] = map.stdout
            let cost = try ok("kmcost pal.ppm \(f)")
            XCTAssertTrue(matches(cost.text, #"J=[0-9.]{8} psnr=[0-9.]+ dE00=[0-9]+\.[0-9]{3} dE00p95=[0-9]+\.[0-9]{3} colors=8 bpp=3\n"#), "\(f): \(cost.text)")
            costs[f] = costJ(cost.text)
        }
        // Plain and raw are the same image: the same palette, byte for byte.
        XCTAssertEqual(palettes["plain.ppm"], palettes["x.ppm"])
        XCTAssertEqual(palettes["deepplain.ppm"], palettes["deep.ppm"])
        XCTAssertEqual(palettes["grayplain.pgm"], palettes["gray.pgm"])
        XCTAssertEqual(palettes["bwplain.pbm"], palettes["bw.pbm"])
        // A PAM of the same samples, with or without alpha, is the same image too.
        XCTAssertEqual(palettes["rgb.pam"], palettes["x.ppm"])
        XCTAssertEqual(palettes["rgba.pam"], palettes["x.ppm"], "alpha should be ignored")
        XCTAssertEqual(palettes["rgba16.pam"], palettes["x.ppm"])
        XCTAssertEqual(palettes["gray.pam"], palettes["gray.pgm"])
        XCTAssertEqual(palettes["grayalpha.pam"], palettes["gray.pgm"])
        XCTAssertEqual(palettes["bw.pam"], palettes["bw.pbm"])
        XCTAssertEqual(maps["rgba.pam"], maps["x.ppm"])
        XCTAssertEqual(maps["plain.ppm"], maps["x.ppm"])
        // 16-bit samples v*257 are exactly the 8-bit ones rescaled.
        XCTAssertEqual(maps["deep.ppm"], maps["x.ppm"])
        XCTAssertEqual(try XCTUnwrap(costs["deep.ppm"]), try XCTUnwrap(costs["x.ppm"]), accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(costs["gray.pam"]), try XCTUnwrap(costs["gray.pgm"]), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(costs["grayalpha.pam"]), try XCTUnwrap(costs["gray.pgm"]), accuracy: 1e-9)
        XCTAssertEqual(maps["grayalpha.pam"], maps["gray.pgm"])
        // A bilevel image's palette is black and white.
        let bw = try PNM.parseStream(try XCTUnwrap(palettes["bw.pbm"]))[0].pixels
        XCTAssertEqual(Set(bw.map { "\($0)" }), Set(["[0, 0, 0]", "[255, 255, 255]"]))
        // A grey image's palette is grey.
        let gray = try PNM.parseStream(try XCTUnwrap(palettes["gray.pgm"]))[0].pixels
        XCTAssertTrue(gray.allSatisfy { $0[0] == $0[1] && $0[1] == $0[2] }, "\(gray)")
    }

    func testFewerColorsThanK() throws {
        // 6 red, 4 green and 2 blue pixels.
        let (r, g, b) = ([200, 10, 10], [10, 180, 20], [0, 0, 250])
        try write("three.ppm", PNM.ppm(width: 6, height: 2, pixels: [r, g, r, b, r, g, g, r, b, r, g, r]))
        let fit = try ok("kmfit -k 16 three.ppm > pal.ppm")
        XCTAssertEqual(fit.errorLines.count, 1, fit.stderr)
        XCTAssertTrue(fit.stderr.hasPrefix("kmfit:"), fit.stderr)
        let palette = try image("pal.ppm")
        XCTAssertEqual([palette.width, palette.height, palette.maxval], [3, 1, 255])
        XCTAssertEqual(palette.pixels, [r, g, b], "the three colours, most used first")
        let cost = scoreFields(try ok("kmcost pal.ppm three.ppm").text)
        XCTAssertEqual(cost["J"], "0.000000")
        XCTAssertEqual(cost["colors"], "3")
        XCTAssertEqual(cost["bpp"], "2")
        try ok("kmmap pal.ppm three.ppm > m.ppm")
        XCTAssertEqual(try image("m.ppm"), try image("three.ppm"))

        // Also from a 16-bit image of the same colours.
        try ok("pamdepth 65535 three.ppm > deep.ppm")
        let deep = try ok("kmfit -k 16 deep.ppm")
        XCTAssertEqual(deep.stdout, try read("pal.ppm"))
        XCTAssertEqual(deep.errorLines.count, 1, deep.stderr)
    }

    /// An image made only of the palette's colours is reproduced exactly: J is 0,
    /// so psnr is inf, as for `kmcost --reference` of an image against itself.
    func testExactPaletteScoresPsnrInf() throws {
        try write("two.ppm", PNM.ppm(width: 2, height: 1, pixels: [[200, 10, 10], [10, 180, 20]]))
        try ok("kmfit -k 4 two.ppm > pal.ppm")
        XCTAssertEqual(try ok("kmcost --reference two.ppm two.ppm").text, "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000\n")
        XCTAssertEqual(try ok("kmcost pal.ppm two.ppm").text, "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000 colors=2 bpp=1\n")
        XCTAssertEqual(try ok("kmcost two.ppm two.ppm").text, "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000 colors=2 bpp=1\n")
        // The same colours at maxval 65535 are the same image.
        try ok("pamdepth 65535 two.ppm > deep.ppm")
        XCTAssertEqual(try ok("kmcost --reference two.ppm deep.ppm").text, "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000\n")
        XCTAssertEqual(try ok("kmcost pal.ppm deep.ppm").text, "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000 colors=2 bpp=1\n")
    }

    func testSameSeedSameOutputAnyThreads() throws {
        // 256x192 pixels: kmmap splits it into more than one piece of work.
        try makePlanet("x.ppm", width: 256, height: 192, seed: 5)
        let first = try ok("kmfit -k 8 -r 3 --seed 42 x.ppm").stdout
        let again = try ok("kmfit -k 8 -r 3 --seed 42 x.ppm").stdout
        XCTAssertEqual(first, again, "same seed, different palettes")
        XCTAssertEqual(try PNM.parseStream(first)[0].width, 8)
        let one = try ok("kmfit -k 8 -r 3 --seed 42 --threads 1 x.ppm").stdout
        let two = try ok("kmfit -k 8 -r 3 --seed 42 --threads 2 x.ppm").stdout
        XCTAssertEqual(one, first)
        XCTAssertEqual(two, first, "--threads 2 changed the palette")
        try write("pal.ppm", first)
        let map1 = try ok("kmmap --threads 1 pal.ppm x.ppm").stdout
        let map2 = try ok("kmmap --threads 2 pal.ppm x.ppm").stdout
        let mapDefault = try ok("kmmap pal.ppm x.ppm").stdout
        XCTAssertEqual(map1, map2, "--threads changed kmmap's output")
        XCTAssertEqual(map1, mapDefault)
        XCTAssertEqual(try PNM.parseStream(map1).map { [$0.width, $0.height] }, [[256, 192]])
        // Another seed is allowed to give another palette, but a valid one.
        let other = try PNM.parseStream(try ok("kmfit -k 8 -r 3 --seed 43 x.ppm").stdout)
        XCTAssertEqual(other.map { [$0.width, $0.height, $0.maxval] }, [[8, 1, 255]])
    }
}
