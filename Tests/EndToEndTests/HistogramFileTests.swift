import Foundation
import XCTest

/// kmhist's histogram files: what they are for (shards counted apart, added,
/// fitted to the palette of the whole stream), their documented format,
/// --bits, memory at a million colours, and hostile files (Tests/corpus/kmhist).
final class HistogramFileTests: EndToEndCase {
    /// Five frames: the notebook photo when present (else a planet), two planets, the photo again, a drawing.
    private func makeFrames() throws {
        if let photo = Tools.sampleImage { try ok("pngtopnm '\(photo.path)' | pamscale -width 120 > f1.ppm") } else { try makePlanet("f1.ppm", width: 120, height: 90, seed: 9) }
        try makePlanet("f2.ppm", width: 100, height: 70, seed: 4)
        try makePlanet("f3.ppm", width: 90, height: 60, seed: 5)
        try ok("cp f1.ppm f4.ppm && ppmmake rgb:20/80/c0 60 40 | ppmdraw -script='line 0 0 59 39; line 0 39 59 0' > f5.ppm")
        try ok("cat f1.ppm f2.ppm f3.ppm f4.ppm f5.ppm > all.ppm")
    }

    func testShardsAddUpToTheWholeStream() throws {
        try makeFrames()
        try ok("kmfit -k 16 all.ppm > whole.ppm && kmhist all.ppm > whole.kmh")
        // Three shards, counted apart, as other machines would.
        try ok("cat f1.ppm f2.ppm | kmhist > s1.kmh && kmhist f3.ppm > s2.kmh && kmhist f4.ppm f5.ppm > s3.kmh")
        for (n, fit) in ["kmfit -k 16 s1.kmh s2.kmh s3.kmh", "kmfit -k 16 s3.kmh s1.kmh s2.kmh",
                         "cat s2.kmh s3.kmh s1.kmh | kmfit -k 16", "kmhist s1.kmh s2.kmh s3.kmh | kmfit -k 16",
                         "kmfit -k 16 s1.kmh f3.ppm s3.kmh"].enumerated() {
            try ok("\(fit) > p\(n).ppm")
            XCTAssertEqual(try read("p\(n).ppm"), try read("whole.ppm"), "\(fit): not the palette of the whole stream")
        }
        // The histogram itself: the same bytes however it was added up, on any number of threads.
        try ok("kmhist s3.kmh s2.kmh s1.kmh > sum.kmh && kmhist --threads 1 all.ppm > one.kmh && kmhist --threads 3 all.ppm > three.kmh")
        for name in ["sum.kmh", "one.kmh", "three.kmh"] { XCTAssertEqual(try read(name), try read("whole.kmh"), name) }
        // The frames counted travel with the histogram.
        let said = try ok("kmfit -v -k 16 s1.kmh s2.kmh s3.kmh 2>&1 >/dev/null").text
        XCTAssertTrue(said.contains("5 frames read"), said)
    }

    /// Frames of four maxvals: the shards' sum is the stream's in any order and any split,
    /// since each colour is rescaled once, from its own scale to one that holds them all.
    func testShardsOfMixedMaxvalsInAnyOrder() throws {
        try makeFrames()
        try ok("pamdepth 65535 f2.ppm > d16.ppm && pamdepth 4095 f3.ppm > d12.ppm && pamdepth 100 f5.ppm > d100.ppm")
        for frames in [["d16", "d12", "f1"], ["f1", "d100", "d12"], ["d100", "f1", "d16"], ["d12", "d100"]] {
            let files = frames.map { "\($0).ppm" }
            try ok("cat \(files.joined(separator: " ")) | kmfit -k 16 > whole.ppm")
            try ok("kmhist \(files[0]) > a.kmh && kmhist \(files.dropFirst().joined(separator: " ")) > b.kmh")
            for order in ["a.kmh b.kmh", "b.kmh a.kmh"] {
                try ok("kmfit -k 16 \(order) > shards.ppm")
                XCTAssertEqual(try read("shards.ppm"), try read("whole.ppm"), "\(frames) counted as \(order)")
            }
        }
    }

    /// Counts past 64 bits, a stream of both kinds, an image format for -o: one line, no output.
    func testCountsPastTheirFieldsAndMixedStreamsAreRefused() throws {
        try makeFrames()
        func header(frames: UInt64, pixels: UInt64) -> Data {
            var d = Data("KMHIST".utf8) + [1, 0, 0, 255]
            for n in [frames, pixels, 1] { d += (0..<8).reversed().map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } }
            return d + [1, 2, 3] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: pixels >> (8 * UInt64($0))) }
        }
        try write("pixels.kmh", header(frames: 1, pixels: .max))
        try write("frames.kmh", header(frames: UInt64(Int.max), pixels: 1))
        for (command, message) in [
            ("kmhist pixels.kmh f1.ppm", "kmhist: f1.ppm, image 1: the pixels counted up to here add up to more than 2^64 - 1"),
            ("kmfit -k 2 f1.ppm pixels.kmh", "kmfit: pixels.kmh: the pixels counted up to here add up to more than 2^64 - 1"),
            ("kmhist frames.kmh f1.ppm", "kmhist: f1.ppm, image 1: the frames counted up to here add up to more than 2^63 - 1"),
            ("kmhist f1.ppm > f1.kmh && cat f2.ppm f1.kmh | kmfit -k 4",
             "kmfit: standard input: image 2 is a kmhist histogram: a stream holds images or histograms, not both (kmfit and kmhist take them as separate files)"),
            ("cat f1.kmh f2.ppm | kmhist",
             "kmhist: standard input: histogram 1 is followed by an image: a stream holds images or histograms, not both (kmfit and kmhist take them as separate files)"),
            ("kmhist -o film.png f1.ppm", "kmhist: -o film.png: kmhist writes a histogram file, not PNG; name it film.kmh"),
        ] {
            let r = try sh("\(command) > out")
            XCTAssertNotEqual(r.status, 0, command)
            XCTAssertLessThan(r.status, 128, "\(command) died by a signal: \(r.stderr)")
            XCTAssertEqual(r.errorLines, [message], command)
            XCTAssertEqual(try read("out").count, 0, "\(command) wrote something")
        }
        XCTAssertFalse(exists("film.png"))
    }

    func testShardsWithAlpha() throws {
        try makePlanet("photo.ppm", width: 64, height: 48)
        try ok("""
            pamgradient black white black white 64 48 | pamdepth 255 > mask.pgm
            pamstack -tupletype RGB_ALPHA photo.ppm mask.pgm 2>/dev/null > a.pam
            pamflip -lr a.pam > b.pam && cat a.pam b.pam > ab.pam
            kmhist --alpha a.pam > a.kmh && kmhist --alpha b.pam > b.kmh
            kmfit --alpha -k 8 ab.pam > whole.pam && kmfit --alpha -k 8 b.kmh a.kmh > shards.pam
            """)
        XCTAssertEqual(try read("shards.pam"), try read("whole.pam"))
        // A histogram counted one way is not fitted the other.
        let opaque = try sh("kmfit -k 8 a.kmh")
        XCTAssertEqual(opaque.status, 1)
        XCTAssertEqual(opaque.stderr, "kmfit: a.kmh is a histogram with alpha (kmhist --alpha): give --alpha too\n")
        try ok("kmhist a.pam > plain.kmh")
        let withAlpha = try sh("kmhist --alpha a.kmh plain.kmh")
        XCTAssertEqual(withAlpha.status, 1)
        XCTAssertEqual(withAlpha.stderr, "kmhist: plain.kmh is a histogram without alpha: count the images again with kmhist --alpha\n")
    }

    /// The file is what the manual says: header, then every colour once in
    /// increasing order with its count, the counts those of the image's pixels.
    func testFormatIsTheDocumentedOne() throws {
        try makeFrames()
        try ok("cat f2.ppm f5.ppm > two.ppm && kmhist two.ppm > two.kmh")
        let bytes = [UInt8](try read("two.kmh"))
        func number(_ at: Int, _ size: Int) -> UInt64 { bytes[at..<at + size].reduce(0) { $0 << 8 | UInt64($1) } }
        XCTAssertEqual(Array(bytes[0..<6]), Array("KMHIST".utf8))
        XCTAssertEqual(bytes[6], 1, "version")
        XCTAssertEqual(bytes[7], 0, "flags: opaque")
        XCTAssertEqual(number(8, 2), 255, "maxval")
        XCTAssertEqual(number(10, 8), 2, "frames")
        var expected: [[Int]: UInt64] = [:]
        for frame in try images("two.ppm") {
            for p in 0..<frame.width * frame.height { expected[frame.rgb(p), default: 0] += 1 }
        }
        XCTAssertEqual(number(18, 8), UInt64(100 * 70 + 60 * 40), "pixels")
        XCTAssertEqual(number(26, 8), UInt64(expected.count), "colours")
        XCTAssertEqual(bytes.count, 34 + 11 * expected.count)
        var found: [[Int]] = []
        for at in stride(from: 34, to: bytes.count, by: 11) {
            let rgb = bytes[at..<at + 3].map(Int.init)
            found.append(rgb)
            XCTAssertEqual(number(at + 3, 8), expected[rgb], "\(rgb)")
        }
        XCTAssertEqual(found, found.sorted { $0.lexicographicallyPrecedes($1) }, "colours in increasing order")
        XCTAssertEqual(Set(found).count, found.count, "each colour once")

        // 16-bit samples: 2 bytes each.
        try ok("pamdepth 65535 f5.ppm > deep.ppm && kmhist deep.ppm > deep.kmh")
        let deep = [UInt8](try read("deep.kmh"))
        XCTAssertEqual(deep[8...9].reduce(0) { $0 << 8 | Int($1) }, 65535)
        XCTAssertEqual((deep.count - 34) % 14, 0, "6 bytes of samples and 8 of count a colour")
    }

    /// --bits bounds the colours (so the file and the memory), and costs little J.
    func testBitsBoundTheColoursAtLittleCost() throws {
        try makeFrames()
        try ok("kmhist all.ppm > full.kmh && kmhist --bits 5 all.ppm > b5.kmh && kmhist --bits 5 full.kmh > b5again.kmh")
        XCTAssertEqual(try read("b5again.kmh"), try read("b5.kmh"), "a histogram rounded = the images rounded")
        let full = [UInt8](try read("full.kmh")), rounded = [UInt8](try read("b5.kmh"))
        func number(_ b: [UInt8], _ at: Int, _ size: Int) -> Int { b[at..<at + size].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual(number(rounded, 8, 2), 31, "maxval 2^5 - 1")
        XCTAssertLessThanOrEqual(number(rounded, 26, 8), 32 * 32 * 32)
        XCTAssertLessThan(number(rounded, 26, 8), number(full, 26, 8) / 2, "far fewer colours")
        XCTAssertEqual(number(rounded, 18, 8), number(full, 18, 8), "every pixel still counted")
        try ok("kmfit -k 16 full.kmh > pf.ppm && kmfit -k 16 b5.kmh > p5.ppm")
        // J summed over the five images, each image's from kmcost.
        func j(_ palette: String) throws -> Double {
            try splitLines(ok("kmcost \(palette) all.ppm").text).map { try XCTUnwrap(costJ($0)) }.reduce(0, +)
        }
        let jFull = try j("pf.ppm"), j5 = try j("p5.ppm")
        XCTAssertLessThan(j5, jFull * 1.02, "a 5-bit histogram's palette, scored on the images themselves")
    }

    /// A million distinct colours, in two shards: both tools stay far under 1 GB.
    func testMillionColoursInLittleMemory() throws {
        try requireCommands("/usr/bin/time")
        let header = Data("P6\n1000 500\n255\n".utf8)
        for half in 0..<2 {
            var pixels = [UInt8](repeating: 0, count: 3 * 500_000)
            for i in 0..<500_000 {
                // An odd multiplier is a bijection on 24 bits: a million distinct colours over both halves.
                let c = (UInt32(half * 500_000 + i) &* 2_654_435_761) & 0xFF_FFFF
                (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]) = (UInt8(c >> 16), UInt8(c >> 8 & 0xFF), UInt8(c & 0xFF))
            }
            try write("half\(half).ppm", header + Data(pixels))
        }
        let peak = "/usr/bin/time -f %M -o"
        try ok("\(peak) m0 kmhist half0.ppm > h0.kmh && \(peak) m1 kmhist half1.ppm > h1.kmh")
        try ok("\(peak) mf kmfit -k 8 -r 1 --speed 10 -v h0.kmh h1.kmh > pal.ppm 2> said")
        XCTAssertTrue(try String(decoding: read("said"), as: UTF8.self).contains("1,000,000 distinct colours"))
        for name in ["m0", "m1", "mf"] {
            let kib = Int(String(decoding: try read(name), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max
            XCTAssertLessThan(kib, 512 * 1024, "\(name): peak \(kib) KiB")
        }
    }

    /// Tests/corpus/kmhist: hostile and broken histogram files, each through
    /// kmfit (named and on standard input) and kmhist, with the status and the
    /// start of the message its expected.tsv gives; never a crash.
    func testHostileHistograms() throws {
        let folder = Tools.packageRoot.appendingPathComponent("Tests/corpus/kmhist")
        let text = try String(contentsOf: folder.appendingPathComponent("expected.tsv"), encoding: .utf8)
        let rows = splitLines(text).filter { !$0.hasPrefix("#") }.map { $0.components(separatedBy: "\t") }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "expected.tsv" }
        XCTAssertEqual(Set(files), Set(rows.map { $0[0] }), "files of Tests/corpus/kmhist and the rows of its expected.tsv")
        for row in rows {
            let (file, status, message) = (row[0], Int32(row[1])!, row[2])
            for (tool, command, name) in [("kmfit", "kmfit -k 2 \(file)", file), ("kmfit", "kmfit -k 2 < \(file)", "standard input"),
                                          ("kmhist", "kmhist \(file)", file)] {
                let r = try sh("cd '\(folder.path)' && \(command) > /dev/null")
                XCTAssertEqual(r.status, status, "\(command): \(r.stderr)")
                if status != 0 {
                    XCTAssertEqual(r.errorLines.count, 1, "\(command) should say one line: \(r.stderr)")
                    let expected = "\(tool): " + message.replacingOccurrences(of: file, with: name)
                    XCTAssertTrue(r.stderr.hasPrefix(expected), "\(command): expected «\(expected)…», got «\(r.stderr)»")
                }
            }
        }
        // Where only images are read, a histogram is named for what it is.
        let mapped = try sh("cd '\(folder.path)' && kmmap h20-valid-16-bit h21-valid-two-records")
        XCTAssertEqual(mapped.status, 1)
        XCTAssertEqual(mapped.stderr, "kmmap: palette: h20-valid-16-bit is a kmhist histogram, not a netpbm image: only kmfit and kmhist read histograms\n")
    }
}
