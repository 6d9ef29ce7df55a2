import Foundation
import XCTest

/// kmmap beyond the basics: exactness on real images, indices, alpha, streaming (dithering: DitherTests).
final class MapTests: EndToEndCase {
    func testExactOnRealImagesForManyPaletteSizes() throws {
        try makePlanet("x.ppm", width: 120, height: 90, seed: 12)
        let pixels = try image("x.ppm").pixels
        for k in [1, 2, 3, 7, 16, 33, 100, 256] {
            // A fitted palette with its colours repeated (ties go to the first copy).
            try ok("kmfit -k \(k) -r 1 x.ppm > p.ppm && pamcat -leftright p.ppm p.ppm > pp.ppm")
            let palette = try image("pp.ppm").pixels
            try ok("kmmap --indices pp.ppm x.ppm > i.pgm")
            let indices = try image("i.pgm")
            XCTAssertEqual(indices.maxval, max(palette.count - 1, 1))
            for (p, rgb) in pixels.enumerated() {
                let expected = nearestIndex(rgb, in: palette)
                if indices.samples[p] != expected {
                    XCTFail("K=\(k): pixel \(p) \(rgb) got index \(indices.samples[p]), brute force \(expected)")
                    break
                }
            }
        }
        // netpbm's median-cut palette of 256 colours, too.
        try ok("pnmcolormap 256 x.ppm 2>/dev/null > cm.ppm && kmmap --indices cm.ppm x.ppm > ci.pgm")
        let cm = try image("cm.ppm").pixels, ci = try image("ci.pgm").samples
        XCTAssertEqual(ci, pixels.map { nearestIndex($0, in: cm) })
    }

    func testIndicesRoundTripExactly() throws {
        try makePlanet("x.ppm", width: 64, height: 48, seed: 13)
        try ok("kmfit -k 16 -r 2 x.ppm > p.ppm")
        try ok("kmmap --indices p.ppm x.ppm > i.pgm && kmmap p.ppm x.ppm > m.ppm")
        let indices = try image("i.pgm")
        XCTAssertEqual([indices.channels, indices.maxval], [1, 15], "4 bits a pixel at K=16")
        try ok("kmmap --from-indices p.ppm i.pgm > back.ppm")
        XCTAssertEqual(try read("back.ppm"), try read("m.ppm"))
        // An index past the palette is an input error.
        try write("bad.pgm", Data("P2\n2 1\n20\n3 17\n".utf8))
        let bad = try sh("kmmap --from-indices p.ppm bad.pgm")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("kmmap: image 1, row 1: index 17"), bad.stderr)
        XCTAssertEqual(try sh("kmmap --indices --from-indices p.ppm i.pgm").status, 64)
    }

    func testAlphaIsKeptAndTransparentPixelsAreNotFitted() throws {
        // Left half opaque blue-ish planet, right half fully transparent red.
        try makePlanet("x.ppm", width: 40, height: 30, seed: 15)
        try ok("""
            ppmmake red 40 30 > red.ppm && pamcat -leftright x.ppm red.ppm > both.ppm
            pgmmake 1 40 30 > opaque.pgm && pgmmake 0 40 30 > clear.pgm
            pamcat -leftright opaque.pgm clear.pgm > alpha.pgm
            pamstack -tupletype RGB_ALPHA both.ppm alpha.pgm 2>/dev/null > in.pam
            """)
        try ok("kmfit -k 4 -r 2 in.pam > p.ppm && kmfit -k 4 -r 2 x.ppm > px.ppm")
        XCTAssertEqual(try read("p.ppm"), try read("px.ppm"), "transparent pixels must not shape the palette")
        let out = try ok("kmmap p.ppm in.pam > out.pam && head -c 80 out.pam").text
        XCTAssertTrue(out.hasPrefix("P7\nWIDTH 80\nHEIGHT 30\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n"), out)
        // The alpha plane comes through unchanged; the colour planes are kmmap's RGB output.
        try ok("pamchannel -tupletype GRAYSCALE -infile out.pam 3 | pamtopnm > a.pgm")
        XCTAssertEqual(try image("a.pgm").samples, try image("alpha.pgm").samples)
        try ok("pamchannel -tupletype RGB -infile out.pam 0 1 2 | pamtopnm > rgb.ppm && kmmap p.ppm both.ppm > ref.ppm")
        XCTAssertEqual(try read("rgb.ppm"), try read("ref.ppm"))
        // kmcost scores the opaque pixels only.
        XCTAssertEqual(try ok("kmcost p.ppm in.pam").text, try ok("kmcost p.ppm x.ppm").text)
    }

    func testFirstFrameIsWrittenBeforeTheSecondIsRead() throws {
        try makePlanet("a.ppm", width: 50, height: 40, seed: 16)
        try ok("kmfit -k 4 -r 1 a.ppm > p.ppm && kmmap p.ppm a.ppm > a4.ppm")
        let expected = try read("a4.ppm")
        // kmmap reads a pipe whose writer keeps it open after the first frame.
        let process = Process()
        process.executableURL = Tools.directory!.appendingPathComponent("kmmap")
        process.arguments = [dir.appendingPathComponent("p.ppm").path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try read("a.ppm"))
        var got = Data()
        let deadline = Date().addingTimeInterval(30)
        while got.count < expected.count && Date() < deadline {
            got.append(output.fileHandleForReading.availableData)
        }
        XCTAssertEqual(got, expected, "the first frame's output must come before more input")
        input.fileHandleForWriting.write(try read("a.ppm"))
        try input.fileHandleForWriting.close()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(rest, expected)
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
