import Foundation
import XCTest

/// `-o FILE` of kmfit and kmmap, and kmcost's options.
final class OutputAndCostTests: EndToEndCase {
    private func listing(_ sub: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(sub).path).sorted()
    }

    func testOutputFile() throws {
        try makePlanet("x.ppm")
        try ok("head -c 1000 x.ppm > truncated.ppm && mkdir out")
        try write("out/old.ppm", Data("keep me\n".utf8))

        // Success: the file holds what standard output would have, and stdout is empty.
        let fit = try ok("kmfit -k 4 -r 2 -o out/pal.ppm x.ppm")
        XCTAssertEqual(fit.stdout.count, 0)
        XCTAssertEqual(try read("out/pal.ppm"), try ok("kmfit -k 4 -r 2 x.ppm").stdout)
        let map = try ok("kmmap -o out/m.ppm out/pal.ppm < x.ppm")
        XCTAssertEqual(map.stdout.count, 0)
        XCTAssertEqual(try read("out/m.ppm"), try ok("kmmap out/pal.ppm x.ppm").stdout)
        XCTAssertEqual(try listing("out"), ["m.ppm", "old.ppm", "pal.ppm"])
        // The file is made as `>` would make it: mode 0666 less the umask.
        try ok("umask 022 && kmfit -k 2 -r 1 -o perm.ppm x.ppm && kmmap -o perm2.ppm perm.ppm x.ppm")
        for name in ["perm.ppm", "perm2.ppm"] {
            let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.posixPermissions]
            XCTAssertEqual((mode as? NSNumber)?.intValue, 0o644, name)
        }

        // Failure: no new file, the old one untouched, no temporary left behind.
        let failures = [
            "kmfit -r 1 -o out/new.ppm truncated.ppm", "kmfit -r 1 -o out/old.ppm < truncated.ppm",
            "kmfit -o out/new.ppm < /dev/null",
            "kmmap -o out/new.ppm out/pal.ppm < truncated.ppm", "kmmap -o out/old.ppm out/pal.ppm truncated.ppm",
            "kmmap -o out/new.ppm truncated.ppm x.ppm", "kmmap -o out/old.ppm missing.ppm x.ppm",
            "cd out && kmfit -r 1 -o old.ppm ../truncated.ppm", "cd out && kmmap -o new.ppm pal.ppm ../truncated.ppm",
        ]
        for command in failures {
            let result = try sh(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertEqual(result.errorLines.count, 1, "\(command): \(result.stderr)")
            XCTAssertEqual(try listing("out"), ["m.ppm", "old.ppm", "pal.ppm"], command)
            XCTAssertEqual(try read("out/old.ppm"), Data("keep me\n".utf8), command)
        }

        // An output that cannot be made is reported before any input is read.
        let unwritable = ["kmfit": "kmfit -o /nonexistent-dir/x.ppm < /dev/null",
                          "kmmap": "kmmap -o /nonexistent-dir/x.ppm out/pal.ppm < /dev/null"]
        for (name, command) in unwritable {
            let result = try sh(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertEqual(result.errorLines.count, 1, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("\(name):"), result.stderr)
            XCTAssertTrue(result.stderr.contains("/nonexistent-dir/x.ppm"), "should report the -o problem: \(result.stderr)")
            XCTAssertEqual(result.stdout.count, 0)
        }
        let toDirectory = try sh("kmfit -r 1 -o out x.ppm")
        XCTAssertEqual(toDirectory.status, 1, toDirectory.stderr)
        XCTAssertTrue(toDirectory.stderr.hasPrefix("kmfit:"), toDirectory.stderr)
        XCTAssertEqual(try listing("out"), ["m.ppm", "old.ppm", "pal.ppm"])
    }

    func testCostJSONReferenceAndMaxCost() throws {
        try makePlanet("a.ppm")
        try ok("ppmforge -seed 8 -width 40 -height 30 2>/dev/null > b.ppm")
        try ok("kmfit -k 8 -r 2 a.ppm > pal.ppm")

        // --json: one object per image, the same numbers as the text lines.
        let json = try ok("cat a.ppm b.ppm | kmcost --json pal.ppm")
        let text = try ok("cat a.ppm b.ppm | kmcost pal.ppm").lines
        XCTAssertEqual(json.lines.count, 2, json.text)
        for (line, plain) in zip(json.lines, text) {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
            XCTAssertEqual(Set(object.keys), ["J", "psnr", "dE00", "dE00p95", "colors", "bpp", "space"], line)
            let fields = scoreFields(plain)
            // The line rounds (J to 6 decimals, psnr to 2, ΔE00 to 3); JSON has every digit.
            for (key, rounding) in [("J", 5e-7), ("psnr", 0.005), ("dE00", 0.0005), ("dE00p95", 0.0005)] {
                let full = try XCTUnwrap((object[key] as? NSNumber)?.doubleValue, key)
                XCTAssertEqual(full, Double(fields[key] ?? "") ?? -2, accuracy: rounding * 1.000001, key)
            }
            XCTAssertGreaterThan(fields["J"]?.count ?? 0, 0)
            XCTAssertEqual((object["colors"] as? NSNumber)?.intValue, 8)
            XCTAssertEqual((object["bpp"] as? NSNumber)?.intValue, 3)
            XCTAssertEqual(object["space"] as? String, "rgb")
        }

        // --reference: an image against itself is perfect.
        XCTAssertEqual(try ok("kmcost --reference a.ppm a.ppm").text, "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000\n")
        XCTAssertEqual(try ok("kmcost --reference a.ppm < a.ppm").text, "J=0.000000 psnr=inf dE00=0.000 dE00p95=0.000\n")
        let perfect = try ok("kmcost --json --reference a.ppm a.ppm")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: perfect.stdout) as? [String: Any])
        XCTAssertEqual((object["J"] as? NSNumber)?.doubleValue, 0)
        XCTAssertEqual((object["dE00"] as? NSNumber)?.doubleValue, 0)
        XCTAssertEqual((object["dE00p95"] as? NSNumber)?.doubleValue, 0)
        XCTAssertTrue(object["psnr"] is NSNull, "psnr of J=0 in JSON: \(perfect.text)")
        // A 16-bit copy is the same image (psnr=inf there: FormatTests.testExactPaletteScoresPsnrInf).
        try ok("pamdepth 65535 a.ppm > deep.ppm")
        XCTAssertEqual(scoreFields(try ok("kmcost --reference a.ppm deep.ppm").text)["J"], "0.000000")
        // Different dimensions are an error.
        let sizes = try sh("kmcost --reference a.ppm b.ppm")
        XCTAssertEqual(sizes.status, 1, sizes.stderr)
        XCTAssertEqual(sizes.errorLines.count, 1, sizes.stderr)
        XCTAssertTrue(sizes.stderr.hasPrefix("kmcost:"), sizes.stderr)

        // --max-cost: status 2 above the threshold, the line printed all the same.
        let j = try XCTUnwrap(costJ(text[0]))
        XCTAssertGreaterThan(j, 0.001)
        let over = try sh("kmcost --max-cost \(j / 2) pal.ppm a.ppm")
        XCTAssertEqual(over.status, 2, over.stderr)
        XCTAssertEqual(over.lines, [text[0]])
        XCTAssertTrue(over.stderr.hasPrefix("kmcost:"), over.stderr)
        let under = try sh("kmcost --max-cost \(j * 2) pal.ppm a.ppm")
        XCTAssertEqual(under.status, 0, under.stderr)
        XCTAssertEqual(under.lines, [text[0]])
        XCTAssertEqual(under.stderr, "")
        // One image of two over the threshold is enough; both lines are printed.
        let jb = try XCTUnwrap(costJ(text[1]))
        let mixed = try sh("cat a.ppm b.ppm | kmcost --max-cost \((j + jb) / 2) pal.ppm")
        XCTAssertEqual(mixed.status, 2, mixed.stderr)
        XCTAssertEqual(mixed.lines, text)
    }
}
