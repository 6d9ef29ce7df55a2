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
    }

    static let corpus = Tools.packageRoot.appendingPathComponent("Tests/corpus")

    func cases() throws -> [Case] {
        let text = try String(contentsOf: Self.corpus.appendingPathComponent("expected.tsv"), encoding: .utf8)
        return splitLines(text).filter { !$0.hasPrefix("#") }.map { line in
            let f = line.components(separatedBy: "\t")
            return Case(file: f[0], imageStatus: Int32(f[1])!, imageMessage: f[2],
                        paletteStatus: Int32(f[3])!, paletteMessage: f[4])
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
            try check("kmfit -r 1 \(f)", status: c.imageStatus, message: "kmfit: " + c.imageMessage)
            try check("kmmap '\(pal)' \(f)", status: c.imageStatus, message: "kmmap: " + c.imageMessage)
            try check("kmcost '\(pal)' \(f)", status: c.imageStatus, message: "kmcost: " + c.imageMessage)
            try check("kmmap \(f) '\(good)'", status: c.paletteStatus, message: "kmmap: palette: " + c.paletteMessage)
            try check("kmcost \(f) '\(good)'", status: c.paletteStatus, message: "kmcost: palette: " + c.paletteMessage)
            if !c.file.hasSuffix("directory") {
                // On standard input the stream has no file name; the status is the same.
                let stdin = c.imageMessage.replacingOccurrences(of: c.file, with: "standard input")
                try check("kmfit -r 1 < \(f)", status: c.imageStatus, message: "kmfit: " + stdin)
                try check("kmmap '\(pal)' < \(f)", status: c.imageStatus, message: "kmmap: " + stdin)
            }
        }
    }
}
