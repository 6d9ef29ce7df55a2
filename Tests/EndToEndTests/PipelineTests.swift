import Foundation
import XCTest

/// kmfit, kmmap and kmcost in netpbm pipelines, next to netpbm's own tools.
final class PipelineTests: EndToEndCase {
    /// x.png (a 120x90 planet), x.ppm (it scaled to 80x60) and pal.ppm (kmfit -k 8 on the pipeline).
    private func makeScaledAndPalette() throws {
        try ok("ppmforge -seed 3 -width 120 -height 90 2>/dev/null | pnmtopng > x.png")
        try ok("pngtopnm x.png | pamscale -height 60 > x.ppm")
        try ok("pngtopnm x.png | pamscale -height 60 | kmfit -k 8 -r 2 > pal.ppm")
    }

    func testFitMapCostPipeline() throws {
        try makeScaledAndPalette()
        let info = try ok("pnmfile pal.ppm").text
        XCTAssertTrue(info.contains("PPM raw, 8 by 1  maxval 255"), info)
        let palette = try image("pal.ppm")
        XCTAssertEqual([palette.width, palette.height, palette.maxval, palette.channels], [8, 1, 255, 3])
        let colors = palette.pixels

        // kmmap into pnmtopng; the PNG round-trips to kmmap's own output.
        try ok("kmmap pal.ppm < x.ppm | pnmtopng > x8.png")
        try ok("kmmap pal.ppm < x.ppm > x8.ppm")
        try ok("pngtopnm x8.png > x8rt.ppm")
        let mapped = try image("x8.ppm"), roundTrip = try image("x8rt.ppm")
        XCTAssertEqual(mapped, roundTrip, "the PNG of kmmap's output does not round-trip")

        // Every pixel is the brute-force nearest palette colour (ties to the lower index).
        let original = try image("x.ppm")
        XCTAssertEqual([mapped.width, mapped.height, mapped.maxval], [80, 60, 255])
        var wrong = 0
        var sum = 0.0
        for p in 0..<original.pixelCount {
            let px = original.rgb(p)
            let want = colors[nearestIndex(px, in: colors)]
            if mapped.rgb(p) != want { wrong += 1 }
            sum += (0..<3).reduce(0.0) { $0 + pow(Double(px[$1] - want[$1]) / 255, 2) }
        }
        XCTAssertEqual(wrong, 0, "pixels not mapped to their nearest palette colour")
        XCTAssertTrue(mapped.pixels.allSatisfy { colors.contains($0) })

        // kmcost: one line, the documented format, J as computed here.
        let cost = try ok("kmcost pal.ppm < x.ppm")
        XCTAssertEqual(cost.lines.count, 1, cost.text)
        let line = try XCTUnwrap(cost.lines.first)
        XCTAssertTrue(matches(line, #"J=[0-9]+\.[0-9]{6} psnr=[0-9]+\.[0-9]{2} dE00=[0-9]+\.[0-9]{3} dE00p95=[0-9]+\.[0-9]{3} colors=8 bpp=3"#), line)
        let j = try XCTUnwrap(costJ(line))
        XCTAssertEqual(j, sum / Double(original.pixelCount), accuracy: 6e-7)
        XCTAssertEqual(cost.stderr, "")

        // pnmremap takes our palette as its map file and reaches the same J.
        try ok("pnmremap -nofloyd -mapfile=pal.ppm x.ppm 2>/dev/null > remap.ppm")
        XCTAssertTrue(try image("remap.ppm").pixels.allSatisfy { colors.contains($0) })
        let jRemap = try XCTUnwrap(costJ(try ok("kmcost --reference x.ppm remap.ppm").text))
        let jMap = try XCTUnwrap(costJ(try ok("kmcost --reference x.ppm x8.ppm").text))
        XCTAssertEqual(jRemap, jMap, accuracy: 1e-6)
        XCTAssertEqual(jMap, j, accuracy: 1e-6, "kmcost PALETTE and kmcost --reference disagree")
        // The same pixels against the same colours: the same ΔE00 (kmcost picks kmmap's colours, ties included).
        let byMap = try JSONSerialization.jsonObject(with: ok("kmcost --json --reference x.ppm x8.ppm").stdout) as? [String: Any]
        let byPalette = try JSONSerialization.jsonObject(with: ok("kmcost --json pal.ppm x.ppm").stdout) as? [String: Any]
        for key in ["dE00", "dE00p95"] {
            let a = try XCTUnwrap(byMap?[key] as? NSNumber, key).doubleValue, b = try XCTUnwrap(byPalette?[key] as? NSNumber, key).doubleValue
            XCTAssertEqual(a, b, accuracy: 1e-9 * b, key)
        }
    }

    func testPaletteIsOrderedByPixelCount() throws {
        try makePlanet("x.ppm", width: 96, height: 72, seed: 11)
        try ok("kmfit -k 12 -r 2 x.ppm > pal.ppm")
        try ok("kmmap pal.ppm x.ppm > m.ppm")
        let colors = try image("pal.ppm").pixels
        XCTAssertEqual(colors.count, 12)
        var counts = [Int](repeating: 0, count: colors.count)
        for px in try image("m.ppm").pixels {
            let i = try XCTUnwrap(colors.firstIndex(of: px), "kmmap wrote \(px), not a palette colour")
            counts[i] += 1
        }
        XCTAssertEqual(counts, counts.sorted(by: >), "palette not ordered by pixel count, most first")
        XCTAssertGreaterThan(counts[0], counts[colors.count - 1])
    }

    func testPnmcolormapPaletteWorksWithKmmap() throws {
        try makePlanet("x.ppm")
        try ok("pnmcolormap 8 x.ppm 2>/dev/null > cmap.ppm")
        let cmap = try image("cmap.ppm").pixels
        let result = try ok("kmmap cmap.ppm x.ppm > m.ppm")
        XCTAssertEqual(result.stderr, "")
        let mapped = try image("m.ppm")
        XCTAssertEqual([mapped.width, mapped.height], [80, 60])
        let foreign = Set(mapped.pixels.filter { !cmap.contains($0) }.map { "\($0)" })
        XCTAssertTrue(foreign.isEmpty, "colours not in pnmcolormap's map: \(foreign.sorted().prefix(5))")
        let cost = try ok("kmcost cmap.ppm x.ppm")
        XCTAssertTrue(matches(cost.text, #"J=[0-9.]{8} psnr=[0-9.]+ dE00=[0-9.]+ dE00p95=[0-9.]+ colors=8 bpp=3\n"#), cost.text)
    }

    /// kmfit a.ppm b.ppm c.ppm: the files in turn as one stream, byte for byte
    /// the palette of cat a.ppm b.ppm c.ppm | kmfit, whatever the files hold
    /// (several images, 16 bits, grey, alpha).
    /// kmquant's way of giving K (a bare number) given to kmfit: the error says -k.
    func testKmfitSaysKIsGivenWithDashK() throws {
        try makePlanet("x.ppm")
        let result = try sh("kmfit 16 x.ppm")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errorLines.first, "kmfit: there is no file '16': K is given with -k (kmfit -k 16 FILE...)")
        XCTAssertEqual(result.stdout.count, 0)
        // A file named 16 is read as one.
        try ok("cp x.ppm 16 && kmfit -k 4 16 > a.ppm && kmfit -k 4 x.ppm > b.ppm && cmp a.ppm b.ppm")
    }

    func testKmfitReadsSeveralFilesAsOneStream() throws {
        try makePlanet("a.ppm")
        try makePlanet("b.ppm", width: 50, height: 40, seed: 4)
        try makePlanet("c.ppm", width: 30, height: 70, seed: 5)
        try ok("pamdepth 65535 b.ppm > b16.ppm && ppmtopgm c.ppm > c.pgm && cat a.ppm c.ppm > ac.ppm")
        try ok("pgmmake 0.7 50 40 > half.pgm && pamstack -tupletype RGB_ALPHA b.ppm half.pgm 2>/dev/null > ba.pam")
        for (files, options) in [("a.ppm b.ppm c.ppm", ""), ("c.ppm a.ppm b.ppm", ""), ("a.ppm b16.ppm c.pgm", "--maxval 1000"),
                                 ("ac.ppm b.ppm", "--space lab"), ("a.ppm ba.pam", "--alpha"), ("b.ppm ac.ppm b.ppm", "-r 2")] {
            let want = try ok("cat \(files) | kmfit -k 16 \(options)").stdout
            // 16 colours (a PAM RGB_ALPHA with --alpha, which PNM does not parse).
            if options != "--alpha" { XCTAssertEqual(try PNM.parseStream(want).map(\.width), [16], files) }
            XCTAssertEqual(try ok("kmfit -k 16 \(options) \(files)").stdout, want, files)
            XCTAssertEqual(try ok("kmfit \(files) -k 16 \(options)").stdout, want, files)
            // One of them on standard input.
            let first = files.split(separator: " ")[0], rest = files.split(separator: " ").dropFirst().joined(separator: " ")
            XCTAssertEqual(try ok("kmfit -k 16 \(options) - \(rest) < \(first)").stdout, want, files)
        }
        // Every frame of every file is counted: -v says 4 frames (ac.ppm holds two).
        let verbose = try ok("kmfit -v -k 4 ac.ppm b.ppm c.ppm 2>&1 >/dev/null")
        XCTAssertTrue(verbose.text.contains("4 frames read"), verbose.text)
        // -o may replace one of the inputs: it is written elsewhere first.
        try ok("cp a.ppm in-place.ppm && kmfit -k 16 -o in-place.ppm in-place.ppm b.ppm")
        XCTAssertEqual(try read("in-place.ppm"), try ok("cat a.ppm b.ppm | kmfit -k 16").stdout)
    }

    func testStreamsOfImages() throws {
        try makePlanet("a.ppm")
        try ok("ppmforge -seed 7 -width 50 -height 30 -clouds 2>/dev/null > b.ppm")
        try ok("kmfit -k 8 -r 2 a.ppm > pal.ppm")

        // kmmap: one output image per input image, each as if mapped alone.
        try ok("cat a.ppm b.ppm | kmmap pal.ppm > ab.ppm")
        let out = try images("ab.ppm")
        XCTAssertEqual(out.map { [$0.width, $0.height] }, [[80, 60], [50, 30]])
        let counted = try ok("pamfile -allimages ab.ppm").lines
        XCTAssertEqual(counted.count, 2, counted.joined(separator: "\n"))
        try ok("kmmap pal.ppm a.ppm > a8.ppm && kmmap pal.ppm b.ppm > b8.ppm")
        XCTAssertEqual(try read("ab.ppm"), try read("a8.ppm") + read("b8.ppm"))

        // kmcost: one line per image, each as if scored alone.
        let both = try ok("cat a.ppm b.ppm | kmcost pal.ppm").lines
        XCTAssertEqual(both.count, 2)
        XCTAssertEqual(both, try ok("kmcost pal.ppm a.ppm").lines + ok("kmcost pal.ppm b.ppm").lines)
        let references = try ok("cat a8.ppm b8.ppm | kmcost --reference ab.ppm").lines
        XCTAssertEqual(references, Array(repeating: "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000", count: 2))

        // kmfit trains on every image of the stream.
        try ok("ppmmake red 10 8 > red.ppm && ppmmake blue 6 5 > blue.ppm")
        try ok("cat red.ppm blue.ppm | kmfit -k 2 > rb.ppm")
        XCTAssertEqual(try image("rb.ppm").pixels, [[255, 0, 0], [0, 0, 255]], "red has more pixels: it comes first")
        // The same when the stream needs a real fit: a stream of a shaded red and a shaded blue image.
        try ok("ppmforge -seed 4 -width 40 -height 30 -clouds 2>/dev/null | ppmtopgm | pgmtoppm rgb:b0/00/00-rgb:ff/00/00 > r2.ppm")
        try ok("ppmforge -seed 5 -width 30 -height 20 -clouds 2>/dev/null | ppmtopgm | pgmtoppm rgb:00/00/b0-rgb:00/00/ff > b2.ppm")
        try ok("cat r2.ppm b2.ppm | kmfit -k 2 -r 2 > rb2.ppm")
        // Images of different maxvals in one stream: the order does not matter.
        try ok("pamdepth 100 r2.ppm > r100.ppm && pamdepth 65535 b2.ppm > b16.ppm")
        let forward = try ok("cat r100.ppm b16.ppm | kmfit -k 3 -r 2").stdout
        XCTAssertEqual(try ok("cat b16.ppm r100.ppm | kmfit -k 3 -r 2").stdout, forward)
        XCTAssertEqual(try PNM.parseStream(forward).map { [$0.width, $0.maxval] }, [[3, 255]])
        // Several files: one stream, the same palette as cat gives, each file (and standard input, -) in turn.
        try ok("cat r2.ppm b2.ppm > rb2-stream.ppm")
        XCTAssertEqual(try ok("kmfit -k 2 -r 2 r2.ppm b2.ppm").stdout, try read("rb2.ppm"))
        XCTAssertEqual(try ok("kmfit -k 2 -r 2 rb2-stream.ppm").stdout, try read("rb2.ppm"))
        let fitted = try image("rb2.ppm").pixels
        XCTAssertEqual(fitted.count, 2)
        XCTAssertTrue(fitted.contains { $0[0] > 0 && $0[1] == 0 && $0[2] == 0 }, "no red in \(fitted)")
        XCTAssertTrue(fitted.contains { $0[0] == 0 && $0[1] == 0 && $0[2] > 0 }, "no blue in \(fitted)")
    }
}
