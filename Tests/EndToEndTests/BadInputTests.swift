import Foundation
import XCTest

/// Bad inputs and bad options: a clean failure every time, never a crash.
final class BadInputTests: EndToEndCase {
    /// Bad netpbm inputs, by file name.
    private func makeBadInputs() throws {
        try makePlanet("x.ppm")
        try ok("kmfit -k 4 -r 1 x.ppm > pal.ppm && mkdir adir")
        try write("empty.ppm", Data())
        try write("garbage.ppm", Data((0..<100).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 41) }))
        try write("header.ppm", Data("P6\n20".utf8))
        try write("raster.ppm", try read("x.ppm").prefix(1000))
        try write("tupletype.pam", Data("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 3\nMAXVAL 255\nTUPLTYPE FOO\nENDHDR\nabcdef".utf8))
        try write("depth5.pam", Data("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n0123456789".utf8))
        try write("depth5bare.pam", Data("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nENDHDR\n0123456789".utf8))
        try write("abovemax.ppm", Data("P6\n2 1\n100\n".utf8) + Data([0, 0, 0, 255, 0, 0]))
        try write("abovemaxplain.ppm", Data("P3\n2 1\n100\n0 0 0 200 0 0\n".utf8))
        try write("zerowidth.ppm", Data("P6\n0 1\n255\n".utf8))
        try write("maxval0.ppm", Data("P6\n1 1\n0\n".utf8) + Data([0, 0, 0]))
        try write("depth0.pam", Data("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 0\nMAXVAL 255\nENDHDR\n".utf8))
        // A good image followed by garbage: the second image of the stream is bad.
        try ok("cat x.ppm garbage.ppm > second.ppm")
    }

    private let badInputs = ["empty.ppm", "garbage.ppm", "header.ppm", "raster.ppm", "tupletype.pam",
                             "depth5.pam", "depth5bare.pam", "abovemax.ppm", "abovemaxplain.ppm",
                             "zerowidth.ppm", "maxval0.ppm", "depth0.pam",
                             "second.ppm", "missing.ppm", "adir"]

    /// Runs `command` and checks it fails with `status` and the tool's one-line message.
    private func expectFailure(_ command: String, status: Int32 = 1, usage: Bool = false,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try sh(command)
        let name = command.split(separator: " ").first.map(String.init) ?? ""
        XCTAssertEqual(result.status, status, "`\(command)`: \(result.stderr)", file: file, line: line)
        XCTAssertLessThan(result.status, 128, "`\(command)` crashed", file: file, line: line)
        let lines = result.errorLines
        XCTAssertTrue(lines.first?.hasPrefix("\(name): ") ?? false, "`\(command)`: \(result.stderr)", file: file, line: line)
        if usage {
            XCTAssertTrue(lines.dropFirst().first?.hasPrefix("Usage:") ?? false, "`\(command)`: \(result.stderr)",
                          file: file, line: line)
        } else {
            XCTAssertEqual(lines.count, 1, "`\(command)`: stderr should be one line: \(result.stderr)",
                           file: file, line: line)
        }
        if name == "kmfit" {
            XCTAssertEqual(result.stdout.count, 0, "`\(command)` wrote a palette", file: file, line: line)
        }
    }

    func testBadImageInputs() throws {
        try makeBadInputs()
        let readers = ["kmfit -r 1", "kmmap pal.ppm", "kmcost pal.ppm", "kmcost --reference x.ppm"]
        for bad in badInputs {
            for tool in readers {
                // As a file argument, and (where it can be opened) on standard input.
                try expectFailure("\(tool) \(bad)")
                if !["missing.ppm", "adir"].contains(bad) { try expectFailure("\(tool) < \(bad)") }
            }
        }
        // The messages say what is wrong.
        XCTAssertTrue(try sh("kmfit adir").stderr.contains("directory"))
        XCTAssertTrue(try sh("kmfit tupletype.pam").stderr.contains("FOO"))
        XCTAssertTrue(try sh("kmfit missing.ppm").stderr.contains("missing.ppm"))
    }

    /// kmfit reads several files as one stream; bad input in any of them is one
    /// line naming that file, and nothing is written.
    func testABadFileAmongSeveralIsNamed() throws {
        try makeBadInputs()
        try ok("cp x.ppm good1.ppm && cp x.ppm good2.ppm")
        for bad in badInputs {
            let command = "kmfit -k 4 -r 1 -o out.ppm good1.ppm \(bad) good2.ppm"
            try expectFailure(command)
            let said = try sh(command).stderr
            XCTAssertTrue(said.hasPrefix("kmfit: ") && said.contains(bad), "\(command): \(said)")
            XCTAssertFalse(said.contains("good1.ppm") || said.contains("good2.ppm"), "\(command): \(said)")
            XCTAssertFalse(exists("out.ppm"), command)
            // As kmfit alone says it of that file.
            XCTAssertEqual(said, try sh("kmfit -k 4 -r 1 \(bad)").stderr, command)
        }
        // Standard input can be read once.
        try expectFailure("kmfit -k 4 - x.ppm /dev/stdin < good1.ppm", status: 64, usage: true)
        XCTAssertEqual(try sh("kmfit -k 4 - x.ppm - < good1.ppm").errorLines.first,
                       "kmfit: the input names standard input twice: it can be read once")
    }

    func testBadPalettes() throws {
        try makeBadInputs()
        // (second.ppm is left out: a palette is the first image of its file.)
        for bad in badInputs where bad != "second.ppm" {
            for tool in ["kmmap", "kmcost", "kmcost --reference"] { try expectFailure("\(tool) \(bad) x.ppm") }
        }
        // A palette of more than 65536 colours is refused, not mapped.
        try ok("pbmmake -white 300 300 > big.pbm")
        try expectFailure("kmmap big.pbm x.ppm")
        try expectFailure("kmcost big.pbm x.ppm")
    }

    func testBadOptions() throws {
        try makeBadInputs()
        for command in ["kmfit -k 0 x.ppm", "kmfit -k 70000 x.ppm", "kmfit -k -3 x.ppm", "kmfit -k many x.ppm",
                        "kmfit -r 0 x.ppm", "kmfit --threads 0 x.ppm", "kmfit --init sideways x.ppm",
                        "kmfit --tolerance -1 x.ppm", "kmfit --bogus x.ppm", "kmfit - x.ppm -",
                        "kmmap", "kmmap --threads 0 pal.ppm x.ppm", "kmmap -k 0 pal.ppm x.ppm",
                        "kmmap pal.ppm x.ppm x.ppm",
                        "kmcost", "kmcost --max-cost nan pal.ppm x.ppm", "kmcost -k 0 pal.ppm x.ppm",
                        "kmcost pal.ppm x.ppm x.ppm", "kmcost --reference x.ppm x.ppm x.ppm",
                        "kmfit -k 3 -k 4 x.ppm", "kmfit -k 3 --colors=4 x.ppm", "kmmap -v --verbose pal.ppm x.ppm"] {
            try expectFailure(command, status: 64, usage: true)
        }
        // Bad options are found before any input is read: stdin is never waited for.
        try expectFailure("kmfit -k 0 < empty.ppm", status: 64, usage: true)
        for tool in ["kmfit", "kmmap", "kmcost"] {
            let help = try ok("\(tool) --help")
            XCTAssertTrue(help.text.contains("USAGE:"), help.text)
        }
    }
}
