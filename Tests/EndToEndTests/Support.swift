import Foundation
import XCTest

// Shared plumbing of the end-to-end tests: where the built tools are, a shell
// pipeline runner working in a fresh directory per test, and a small netpbm
// (PPM/PGM, plain or raw, 8 or 16 bit) parser to check the tools' outputs.

/// What a pipeline did.
struct RunResult {
    /// bash's exit status (with pipefail: the rightmost failing command's); 128+n for a signal.
    var status: Int32
    var stdout: Data
    var stderr: String

    var text: String { String(decoding: stdout, as: UTF8.self) }
    /// Lines of standard output, without the final empty one.
    var lines: [String] { splitLines(text) }
    /// Lines of standard error, without the final empty one.
    var errorLines: [String] { splitLines(stderr) }
}

func splitLines(_ s: String) -> [String] {
    var lines = s.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
}

enum Tools {
    /// The directory holding kmfit, kmmap and kmcost: next to the running test
    /// bundle, else the newest `.build*/release` (or debug) of the package that has them.
    static let directory: URL? = {
        let fm = FileManager.default
        func has(_ dir: URL) -> Bool {
            ["kmfit", "kmmap", "kmcost"].allSatisfy { fm.isExecutableFile(atPath: dir.appendingPathComponent($0).path) }
        }
        if let override = ProcessInfo.processInfo.environment["KMTOOLS_BIN"], has(URL(fileURLWithPath: override)) {
            return URL(fileURLWithPath: override)
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {  // the bundle may be a directory (…/x.xctest/Contents/MacOS/x)
            if has(dir) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        let entries = (try? fm.contentsOfDirectory(at: packageRoot, includingPropertiesForKeys: nil)) ?? []
        let candidates = entries.filter { $0.lastPathComponent.hasPrefix(".build") }
            .flatMap { [$0.appendingPathComponent("release"), $0.appendingPathComponent("debug")] }
            .filter(has)
        func modified(_ d: URL) -> Date {
            let attributes = try? fm.attributesOfItem(atPath: d.appendingPathComponent("kmfit").path)
            return attributes?[.modificationDate] as? Date ?? .distantPast
        }
        return candidates.max { modified($0) < modified($1) }
    }()

    /// The package's root: three levels above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The notebook's sample photo (202x250), when the shared checkout has it.
    static var sampleImage: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/seed-images/colorImage1.png")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

/// A test case with its own scratch directory; `sh` runs bash pipelines in it.
class EndToEndCase: XCTestCase {
    /// The scratch directory's `work` subdirectory: where pipelines run.
    var dir: URL!
    private var root: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard Tools.directory != nil else {
            XCTFail("kmfit/kmmap/kmcost not found next to \(CommandLine.arguments[0]) nor in \(Tools.packageRoot.path)/.build*")
            throw XCTSkip("tools not built")
        }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kmtools-e2e-\(UUID().uuidString)")
        dir = root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let root { try? FileManager.default.removeItem(at: root) }
        try super.tearDownWithError()
    }

    /// Skips the test, naming what to install, when a command it runs is not on
    /// PATH; under CI (CI=true), whose .ci/run installs them all, it fails instead.
    func requireCommands(_ names: String...) throws {
        for name in names where try sh("command -v \(name)").status != 0 {
            let why = "\(name) is not installed (make test-deps installs it)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(why) }
            throw XCTSkip(why)
        }
    }

    /// Runs `script` with `bash -c` (pipefail on) in the scratch directory, the
    /// tools first on PATH and standard input from /dev/null.
    @discardableResult
    func sh(_ script: String) throws -> RunResult {
        let out = root.appendingPathComponent("stdout"), err = root.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail\n" + script]
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = Tools.directory!.path + ":" + (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        env["LC_ALL"] = "C"
        // A make that runs the tests (make test K=4) must not hand its variables to the makes they run.
        for name in ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES"] { env[name] = nil }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        // A hung tool should fail the test, not the whole run.
        if done.wait(timeout: .now() + 300) == .timedOut {
            process.terminate()
            done.wait()
        }
        try outHandle.close()
        try errHandle.close()
        let status = process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
        return RunResult(status: status, stdout: try Data(contentsOf: out),
                         stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// Runs `script` and fails the test unless it exits 0.
    @discardableResult
    func ok(_ script: String, file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try sh(script)
        XCTAssertEqual(result.status, 0, "`\(script)` failed: \(result.stderr)", file: file, line: line)
        return result
    }

    /// The bytes of a file of the scratch directory.
    func read(_ name: String) throws -> Data {
        try Data(contentsOf: dir.appendingPathComponent(name))
    }

    func write(_ name: String, _ data: Data) throws {
        try data.write(to: dir.appendingPathComponent(name))
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path)
    }

    /// Parses every image of a netpbm file of the scratch directory.
    func images(_ name: String) throws -> [PNM] { try PNM.parseStream(read(name)) }

    /// The single image of a netpbm file of the scratch directory.
    func image(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> PNM {
        let all = try images(name)
        XCTAssertEqual(all.count, 1, "\(name) should hold one image", file: file, line: line)
        return try XCTUnwrap(all.first, file: file, line: line)
    }

    /// A test image: a ppmforge planet (thousands of colours), deterministic.
    func makePlanet(_ name: String, width: Int = 80, height: Int = 60, seed: Int = 3) throws {
        try ok("ppmforge -seed \(seed) -width \(width) -height \(height) 2>/dev/null > \(name)")
    }
}

/// A PPM or PGM image: samples interleaved, `channels` per pixel.
struct PNM: Equatable {
    var width: Int, height: Int, maxval: Int, channels: Int
    var samples: [Int]

    /// RGB of pixel `p` (grey replicated).
    func rgb(_ p: Int) -> [Int] {
        channels == 3 ? Array(samples[3 * p..<3 * p + 3]) : Array(repeating: samples[p], count: 3)
    }

    var pixelCount: Int { width * height }
    /// The pixels' RGB, in order.
    var pixels: [[Int]] { (0..<pixelCount).map(rgb) }

    struct ParseError: Error, CustomStringConvertible { var description: String }

    /// Every image of a stream of P2, P3, P5 and P6 images.
    static func parseStream(_ data: Data) throws -> [PNM] {
        let bytes = [UInt8](data)
        var at = 0, result: [PNM] = []
        while true {
            while at < bytes.count, isSpace(bytes[at]) { at += 1 }
            if at >= bytes.count { break }
            result.append(try parse(bytes, &at))
        }
        if result.isEmpty { throw ParseError(description: "no image") }
        return result
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || (9...13).contains(b) }

    private static func parse(_ b: [UInt8], _ at: inout Int) throws -> PNM {
        guard at + 1 < b.count, b[at] == UInt8(ascii: "P"), let kind = Int(String(UnicodeScalar(b[at + 1]))),
              [2, 3, 5, 6].contains(kind) else {
            throw ParseError(description: "not a PPM/PGM at byte \(at)")
        }
        at += 2
        func number() throws -> Int {
            while at < b.count {
                if isSpace(b[at]) { at += 1 } else if b[at] == UInt8(ascii: "#") {
                    while at < b.count, b[at] != 10 { at += 1 }
                } else { break }
            }
            let start = at
            while at < b.count, (48...57).contains(b[at]) { at += 1 }
            guard at > start, let n = Int(String(decoding: b[start..<at], as: UTF8.self)) else {
                throw ParseError(description: "expected a number at byte \(start)")
            }
            return n
        }
        let width = try number(), height = try number(), maxval = try number()
        let channels = kind == 3 || kind == 6 ? 3 : 1
        let count = width * height * channels
        var samples = [Int](repeating: 0, count: count)
        if kind == 2 || kind == 3 {
            for i in 0..<count { samples[i] = try number() }
        } else {
            at += 1  // the single whitespace after maxval
            let bps = maxval > 255 ? 2 : 1
            guard at + count * bps <= b.count else { throw ParseError(description: "raster truncated") }
            for i in 0..<count {
                samples[i] = bps == 1 ? Int(b[at + i]) : Int(b[at + 2 * i]) << 8 | Int(b[at + 2 * i + 1])
            }
            at += count * bps
        }
        guard samples.allSatisfy({ $0 <= maxval }) else { throw ParseError(description: "sample above maxval") }
        return PNM(width: width, height: height, maxval: maxval, channels: channels, samples: samples)
    }

    /// A raw PPM (P6) of the given RGB pixels.
    static func ppm(width: Int, height: Int, maxval: Int = 255, pixels: [[Int]]) -> Data {
        var data = Data("P6\n\(width) \(height)\n\(maxval)\n".utf8)
        for p in pixels {
            for v in p {
                if maxval > 255 { data.append(UInt8(v >> 8)) }
                data.append(UInt8(v & 0xff))
            }
        }
        return data
    }
}

/// The index of the palette colour nearest to `rgb` (squared distance, ties to
/// the lower index), both on the same scale: brute force.
func nearestIndex(_ rgb: [Int], in palette: [[Int]]) -> Int {
    var best = 0, bestD = Int.max
    for (i, c) in palette.enumerated() {
        let d = (0..<3).reduce(0) { $0 + (rgb[$1] - c[$1]) * (rgb[$1] - c[$1]) }
        if d < bestD { bestD = d; best = i }
    }
    return best
}

/// kmcost's `key=value key=value` line as a dictionary.
func scoreFields(_ line: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
        let parts = pair.split(separator: "=", maxSplits: 1)
        if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
    }
    return fields
}

/// J of a kmcost line, or nil.
func costJ(_ line: String) -> Double? { scoreFields(line)["J"].flatMap(Double.init) }

/// Whether `s` matches the regular expression `pattern` in full.
func matches(_ s: String, _ pattern: String) -> Bool {
    s.range(of: "^(?:" + pattern + ")$", options: .regularExpression) != nil
}
