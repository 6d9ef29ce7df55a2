import Foundation
import KMCore
import XCTest

/// kmcost's ΔE00 fields, --space and full-precision JSON, against figures
/// computed here from the pixels.
final class CostScoresTests: EndToEndCase {
    /// kmcost's JSON object for `arguments` (one image).
    private func json(_ arguments: String) throws -> [String: Any] {
        let result = try ok("kmcost --json \(arguments)")
        XCTAssertEqual(result.lines.count, 1, result.text)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.text)
    }

    private func number(_ object: [String: Any], _ key: String) throws -> Double {
        try XCTUnwrap(object[key] as? NSNumber, "\(key) in \(object)").doubleValue
    }

    private func lab(_ rgb: [Int]) -> SIMD3<Double> {
        ColorSpace.lab.coordinates(SIMD3(Double(rgb[0]), Double(rgb[1]), Double(rgb[2])) / 255)
    }

    private func writePalette(_ name: String, _ colours: [[Int]]) throws {
        try write(name, PNM.ppm(width: colours.count, height: 1, pixels: colours))
    }

    func testDeltaEOfAnImageAgainstItselfIsZero() throws {
        try makePlanet("x.ppm")
        for space in ["rgb", "lab", "oklab"] {
            let object = try json("--space \(space) --reference x.ppm x.ppm")
            XCTAssertEqual(try number(object, "dE00"), 0, space)
            XCTAssertEqual(try number(object, "dE00p95"), 0, space)
            XCTAssertEqual(try number(object, "J"), 0, space)
            XCTAssertEqual(object["space"] as? String, space)
        }
    }

    func testDeltaEIsBetweenEachPixelAndItsPaletteColour() throws {
        // Two pixels, each nearest to one palette colour in every space.
        let pixels = [[200, 30, 40], [20, 90, 160]], palette = [[190, 40, 40], [30, 80, 170]]
        try write("two.ppm", PNM.ppm(width: 2, height: 1, pixels: pixels))
        try writePalette("pal.ppm", palette)
        let d = zip(pixels, palette).map { deltaE2000(lab($0), lab($1)) }
        XCTAssertGreaterThan(min(d[0], d[1]), 1)
        for space in ["rgb", "lab", "oklab"] {
            let object = try json("--space \(space) pal.ppm two.ppm")
            XCTAssertEqual(try number(object, "dE00"), (d[0] + d[1]) / 2, accuracy: 1e-9, space)
            XCTAssertEqual(try number(object, "dE00p95"), max(d[0], d[1]), accuracy: 1e-9, space)
        }
        // The same through --reference, against an image of the palette's colours.
        try write("mapped.ppm", PNM.ppm(width: 2, height: 1, pixels: palette))
        let reference = try json("--reference two.ppm mapped.ppm")
        XCTAssertEqual(try number(reference, "dE00"), (d[0] + d[1]) / 2, accuracy: 1e-9)
        // The line: 3 decimals.
        XCTAssertEqual(scoreFields(try ok("kmcost pal.ppm two.ppm").text)["dE00"], String(format: "%.3f", (d[0] + d[1]) / 2))
    }

    func testPercentileIs95PercentOfPixelsAtOrBelow() throws {
        // 100 pixels of a palette colour but `off` of them a colour a known ΔE00 away.
        let exact = [100, 120, 140], other = [140, 60, 60]
        try writePalette("pal.ppm", [exact])
        let offDeltaE = deltaE2000(lab(other), lab(exact))
        for (off, p95) in [(6, offDeltaE), (5, 0), (4, 0), (1, 0), (50, offDeltaE)] {
            let pixels = (0..<100).map { $0 < 100 - off ? exact : other }
            try write("x.ppm", PNM.ppm(width: 10, height: 10, pixels: pixels))
            let object = try json("pal.ppm x.ppm")
            XCTAssertEqual(try number(object, "dE00p95"), p95, accuracy: 1e-9, "\(off) pixels off")
            XCTAssertEqual(try number(object, "dE00"), Double(off) * offDeltaE / 100, accuracy: 1e-9, "\(off) pixels off")
        }
    }

    func testLabCostIsTheMeanSquaredDeltaEab() throws {
        try makePlanet("x.ppm", width: 40, height: 30)
        try ok("kmfit -k 6 -r 1 x.ppm > pal.ppm")
        let image = try image("x.ppm"), palette = try self.image("pal.ppm").pixels
        let paletteLab = palette.map(lab)
        var squared = 0.0, rgbSquared = 0.0
        for p in image.pixels {
            let q = lab(p)
            let distances = paletteLab.map { (($0 - q) * ($0 - q)).sum() }
            let i = distances.firstIndex(of: distances.min()!)!
            squared += distances[i]
            rgbSquared += (0..<3).reduce(0.0) { $0 + pow(Double(p[$1] - palette[i][$1]) / 255, 2) }
        }
        let n = Double(image.pixelCount)
        let object = try json("--space lab pal.ppm x.ppm")
        XCTAssertEqual(try number(object, "J"), squared / n, accuracy: 1e-9 * squared / n)
        // psnr is the RGB PSNR of that same mapping, comparable across spaces.
        XCTAssertEqual(try number(object, "psnr"), 10 * log10(3 / (rgbSquared / n)), accuracy: 1e-9)
        XCTAssertEqual(object["space"] as? String, "lab")
        // The line says which space J is in; rgb's line says nothing and is unchanged by --space rgb.
        let line = try ok("kmcost --space lab pal.ppm x.ppm").text
        XCTAssertTrue(line.hasSuffix(" colors=6 bpp=3 space=lab\n"), line)
        XCTAssertEqual(try ok("kmcost --space rgb pal.ppm x.ppm").text, try ok("kmcost pal.ppm x.ppm").text)
        XCTAssertFalse(try ok("kmcost pal.ppm x.ppm").text.contains("space="))
        // kmplot elbow reads the lines of any space.
        try ok("kmcost --space lab pal.ppm x.ppm > lab.txt && kmcost --space oklab pal.ppm x.ppm >> lab.txt && kmplot elbow lab.txt > /dev/null")
    }

    func testReferenceCostIsInTheSpace() throws {
        // One pixel of a pair against the other: J is their squared OkLab distance.
        try write("a.ppm", PNM.ppm(width: 2, height: 1, pixels: [[250, 200, 10], [0, 0, 0]]))
        try write("b.ppm", PNM.ppm(width: 2, height: 1, pixels: [[240, 210, 30], [0, 0, 0]]))
        let p = ColorSpace.oklab.coordinates(SIMD3(250, 200, 10) / 255), q = ColorSpace.oklab.coordinates(SIMD3(240, 210, 30) / 255)
        let object = try json("--space oklab --reference b.ppm a.ppm")
        XCTAssertEqual(try number(object, "J"), ((p - q) * (p - q)).sum() / 2, accuracy: 1e-12)
        XCTAssertEqual(try number(object, "psnr"), 10 * log10(3 / ((100.0 + 100 + 400) / (255 * 255) / 2)), accuracy: 1e-9)
    }

    func testJSONCarriesJInFull() throws {
        // 3 pixels, two of them 100/255 from the palette in red: J = 2 (100/255)^2 / 3 = 0.1025246...,
        // which 6 decimals would round.
        try write("x.ppm", PNM.ppm(width: 3, height: 1, pixels: [[100, 0, 0], [0, 0, 0], [100, 0, 0]]))
        try writePalette("pal.ppm", [[0, 0, 0]])
        let d = 100.0 / 255
        let expected = d * d * 2 / 3
        let result = try ok("kmcost --json pal.ppm x.ppm")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        XCTAssertEqual(try number(object, "J"), expected, accuracy: 1e-16, result.text)
        // Exactly: the digits read back as the very Double (read with Double(String): Foundation's
        // JSONSerialization on Linux can be 1 ulp off, 0.10252466999871843 for ...844).
        let digits = try XCTUnwrap(result.text.split(separator: ",").first?.dropFirst("{\"J\":".count), result.text)
        XCTAssertEqual(Double(String(digits)), expected, result.text)
        XCTAssertEqual(try number(object, "psnr"), 10 * log10(3 / expected), accuracy: 1e-12)
        // The line keeps 6 decimals, and 4 significant digits for a small J.
        XCTAssertEqual(scoreFields(try ok("kmcost pal.ppm x.ppm").text)["J"], "0.102525")
        try write("y.ppm", PNM.ppm(width: 100, height: 1, pixels: [[0, 0, 3]] + Array(repeating: [0, 0, 0], count: 99)))
        let small = (3.0 / 255) * (3.0 / 255) / 100  // 1.3841e-06
        XCTAssertEqual(scoreFields(try ok("kmcost pal.ppm y.ppm").text)["J"], String(format: "%.9f", small))
    }

    func testBadSpaceIsAUsageError() throws {
        try makePlanet("x.ppm", width: 8, height: 8)
        for command in ["kmcost --space foo x.ppm x.ppm", "kmcost --space LAB --reference x.ppm x.ppm", "kmcost --space x.ppm x.ppm"] {
            let result = try sh(command)
            XCTAssertEqual(result.status, 64, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stdout.count, 0)
            let message = try XCTUnwrap(result.errorLines.first)
            XCTAssertTrue(message.hasPrefix("kmcost: "), result.stderr)
            // One line of message, then only the usage.
            XCTAssertTrue(result.errorLines.dropFirst().first?.hasPrefix("Usage: ") ?? false, result.stderr)
        }
        XCTAssertTrue(try sh("kmcost --space foo x.ppm x.ppm").stderr.contains("'foo'"))
    }
}
