import Foundation
import XCTest

/// Every file of Tests/corpus (malformed and hostile inputs) through every tool, in
/// every role: the status and the start of the one-line message that
/// Tests/corpus/expected.tsv gives, and never a crash or a hang.
final class CorpusTests: EndToEndCase {
    struct Case {
        var file: String
        var imageStatus: Int32, imageMessage: String
        var paletteStatus: Int32, paletteMessage: String
        /// Tools that read the file as an image with status 0 despite imageStatus.
        var accepting: [String] = []

        /// The status and message of `tool` reading the file as an image.
        func image(_ tool: String) -> (Int32, String) {
            accepting.contains(tool) ? (0, "") : (imageStatus, imageMessage)
        }
    }

    static let corpus = Tools.packageRoot.appendingPathComponent("Tests/corpus")

    func cases() throws -> [Case] {
        let text = try String(contentsOf: Self.corpus.appendingPathComponent("expected.tsv"), encoding: .utf8)
        return splitLines(text).filter { !$0.hasPrefix("#") }.map { line in
            let f = line.components(separatedBy: "\t")
            return Case(file: f[0], imageStatus: Int32(f[1])!, imageMessage: f[2],
                        paletteStatus: Int32(f[3])!, paletteMessage: f[4],
                        accepting: f.count > 5 ? f[5].components(separatedBy: " ") : [])
        }
    }

    /// Runs `command` in the corpus folder and checks its status and message.
    func check(_ command: String, status: Int32, message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try sh("cd '\(Self.corpus.path)' && \(command) > /dev/null")
        XCTAssertLessThan(r.status, 128, "\(command) died by a signal", file: file, line: line)
        XCTAssertEqual(r.status, status, "\(command): \(r.stderr)", file: file, line: line)
        if status == 0 { return }
        XCTAssertEqual(r.errorLines.count, 1, "\(command) should say one line: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix(message), "\(command): expected «\(message)…», got «\(r.stderr)»",
                      file: file, line: line)
    }

    /// Tests/corpus/kmplot: kmplot's text inputs and too-large pictures; each
    /// line of its expected.tsv is a command run in that folder, its status and
    /// the start of its message.
    func testKMPlotCorpus() throws {
        let folder = Self.corpus.appendingPathComponent("kmplot")
        let text = try String(contentsOf: folder.appendingPathComponent("expected.tsv"), encoding: .utf8)
        let rows = splitLines(text).filter { !$0.hasPrefix("#") }.map { $0.components(separatedBy: "\t") }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "expected.tsv" }
        let named = Set(rows.flatMap { $0[0].split(separator: " ").map(String.init) })
        XCTAssertEqual(Set(files).subtracting(named), [], "files of Tests/corpus/kmplot that expected.tsv does not run")
        XCTAssertGreaterThanOrEqual(rows.count, 25)
        for row in rows {
            let r = try sh("cd '\(folder.path)' && \(row[0]) > /dev/null")
            XCTAssertEqual(r.status, Int32(row[1])!, "\(row[0]): \(r.stderr)")
            if row[1] == "0" { continue }
            XCTAssertEqual(r.errorLines.count, 1, "\(row[0]) should say one line: \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("kmplot: " + row[2]), "\(row[0]): expected «\(row[2])…», got «\(r.stderr)»")
        }
    }

    func testCorpus() throws {
        try makePlanet("good.ppm", width: 8, height: 6)
        try ok("kmfit -k 2 -r 1 good.ppm > pal.ppm")
        let good = dir.appendingPathComponent("good.ppm").path, pal = dir.appendingPathComponent("pal.ppm").path
        let all = try cases()
        XCTAssertGreaterThanOrEqual(all.count, 40)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.first!.isNumber }
        XCTAssertEqual(Set(files), Set(all.map(\.file)), "expected.tsv and the corpus disagree")
        for c in all {
            let f = "'\(c.file)'"
            for (tool, command) in [("kmfit", "kmfit -r 1 \(f)"), ("kmmap", "kmmap '\(pal)' \(f)"), ("kmcost", "kmcost '\(pal)' \(f)")] {
                let (status, message) = c.image(tool)
                try check(command, status: status, message: "\(tool): " + message)
            }
            // kmquant reads it twice (a file) or holds it as it parses (a pipe): kmfit's answer either way.
            let (status, message) = c.image("kmfit")
            try check("kmquant 2 \(f)", status: status, message: "kmquant: " + message)
            if !c.file.hasSuffix("directory") {
                let piped = message.replacingOccurrences(of: c.file, with: "standard input")
                try check("kmquant 2 < \(f)", status: status, message: "kmquant: " + piped)
                try check("cat \(f) | kmquant 2", status: status, message: "kmquant: " + piped)
            }
            try check("kmmap \(f) '\(good)'", status: c.paletteStatus, message: "kmmap: palette: " + c.paletteMessage)
            try check("kmcost \(f) '\(good)'", status: c.paletteStatus, message: "kmcost: palette: " + c.paletteMessage)
            if !c.file.hasSuffix("directory") {
                // On standard input the stream has no file name; the status is the same.
                for (tool, command) in [("kmfit", "kmfit -r 1 < \(f)"), ("kmmap", "kmmap '\(pal)' < \(f)")] {
                    let (status, message) = c.image(tool)
                    let stdin = message.replacingOccurrences(of: c.file, with: "standard input")
                    try check(command, status: status, message: "\(tool): " + stdin)
                }
            }
        }
    }
}
