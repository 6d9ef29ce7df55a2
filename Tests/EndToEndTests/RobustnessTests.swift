import Foundation
import XCTest

/// Failed writes, closed pipes, unusable outputs and bad options.
final class RobustnessTests: EndToEndCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try makePlanet("x.ppm", width: 60, height: 40, seed: 21)
        try ok("kmfit -k 4 -r 1 x.ppm > pal.ppm")
    }

    func testFullDiskIsAnError() throws {
        for command in ["kmfit -r 1 x.ppm", "kmmap pal.ppm x.ppm", "kmcost pal.ppm x.ppm", "kmmap --indices pal.ppm x.ppm"] {
            let r = try sh("\(command) > /dev/full")
            XCTAssertEqual(r.status, 1, command)
            let tool = command.split(separator: " ")[0]
            XCTAssertEqual(r.errorLines, ["\(tool): error writing standard output: No space left on device"], command)
        }
    }

    /// Help, the version and completion scripts are output too: a failed write is status 1.
    func testHelpToAFullDiskIsAnError() throws {
        for command in ["kmfit --help", "kmquant --version", "kmplot cube --help", "kmmap --generate-completion-script bash"] {
            let r = try sh("\(command) > /dev/full")
            XCTAssertEqual(r.status, 1, command)
            XCTAssertEqual(r.errorLines.first, "\(command.prefix(while: { $0 != " " })): error writing standard output: No space left on device", command)
        }
        XCTAssertEqual(try sh("kmfit --help > /dev/null").status, 0)
    }

    /// The messages the hostile review found misleading.
    func testMessagesNameTheRealCause() throws {
        // An option kmcost does not have is named, not blamed on what follows it.
        let dither = try sh("kmcost --dither fs pal.ppm x.ppm")
        XCTAssertEqual(dither.status, 64)
        XCTAssertEqual(dither.errorLines.first, "kmcost: Unknown option '--dither'")
        // A photo given as a palette: its pixels are counted, and called pixels.
        try ok("pamscale -xsize 300 -ysize 300 x.ppm > photo.ppm")
        let photo = try sh("kmfit --fixed photo.ppm -k 8 x.ppm")
        XCTAssertEqual(photo.status, 1)
        XCTAssertEqual(photo.stderr, "kmfit: --fixed: photo.ppm has 90,000 pixels; a palette holds at most 65,536 colours, one a pixel (an image given as the palette?)\n")
        // A directory on standard input is a directory, not an empty input.
        for tool in ["kmfit", "kmmap pal.ppm", "kmcost pal.ppm", "kmquant 4"] {
            XCTAssertEqual(try sh("\(tool) < /").stderr, "\(tool.prefix(while: { $0 != " " })): cannot read standard input: Is a directory\n")
        }
        // A name of 254 bytes, as long as a file name may be, is written (the temporary name is cut, not the target's).
        let long = String(repeating: "a", count: 250) + ".ppm"
        try ok("kmfit -k 4 -r 1 -o \(long) x.ppm && cmp \(long) pal.ppm")
        XCTAssertFalse(try ok("ls -a").lines.contains { $0.hasPrefix(".a") }, "a temporary file was left")
        // One byte more, or none: refused before any work, not at the rename after it.
        let tooLong = try sh("kmquant 4 x.ppm -o ab\(long)")
        XCTAssertEqual(tooLong.stderr, "kmquant: cannot open 'ab\(long)': File name too long\n")
        XCTAssertEqual(try sh("kmquant 4 x.ppm -o ''").stderr, "kmquant: cannot open '': No such file or directory\n")
        // A short option no tool has is named too.
        XCTAssertEqual(try sh("kmcost -d fs pal.ppm x.ppm").errorLines.first, "kmcost: Unknown option '-d'")
        // Negative angles may follow their option as separate arguments.
        try ok("kmplot cube --azimuth -30 --elevation -10 x.ppm > cube.ppm")
    }

    func testClosedPipeEndsQuietly() throws {
        // Like netpbm's tools: the write to a closed pipe ends the process by SIGPIPE, silently.
        try ok("pamscale 8 x.ppm > big.ppm")
        let r = try sh("kmmap pal.ppm big.ppm 2> err.txt | head -c 10 > /dev/null; echo ${PIPESTATUS[0]}")
        XCTAssertEqual(r.text, "141\n")
        XCTAssertEqual(try read("err.txt").count, 0)
    }

    func testUnusableOutputFailsBeforeAnyWork() throws {
        try ok("echo not a folder > file")
        for command in ["kmfit -o file/pal.ppm", "kmmap -o file/out.ppm pal.ppm", "kmfit -o /nonexistent/pal.ppm"] {
            // Standard input is zeros: reading it first would fail with a bad magic number instead.
            let r = try sh("timeout 10 \(command) < /dev/zero")
            XCTAssertEqual(r.status, 1, command)
            XCTAssertEqual(r.errorLines.count, 1, command)
            XCTAssertTrue(r.stderr.hasPrefix(command.prefix(5) + ": cannot open"), "\(command): \(r.stderr)")
        }
    }

    func testBadOptionsAreUsageErrors() throws {
        let bad: [String] = [
            "kmfit -k abc x.ppm", "kmfit -k -3 x.ppm", "kmfit -k 0 x.ppm", "kmfit -k 70000 x.ppm",
            "kmfit -k 99999999999999999999 x.ppm", "kmfit -r 0 x.ppm", "kmfit -r x x.ppm",
            "kmfit --max-iterations 0 x.ppm", "kmfit --tolerance -1 x.ppm", "kmfit --tolerance nan x.ppm",
            "kmfit --seed -1 x.ppm", "kmfit --threads 0 x.ppm", "kmfit --threads 5000 x.ppm",
            "kmfit --maxval 0 x.ppm", "kmfit --maxval 65536 x.ppm", "kmfit --init nope x.ppm",
            "kmfit -k 3 -k 4 x.ppm", "kmfit -k 3 --colors 4 x.ppm", "kmfit -v --verbose x.ppm",
            "kmfit - x.ppm -", "kmfit --colr 3 x.ppm",
            "kmquant x.ppm", "kmquant", "kmquant -k 3 4 x.ppm", "kmquant -k 3 --colors 4 x.ppm", "kmquant 3 x.ppm x.ppm",
            "kmmap", "kmmap --dither nope pal.ppm x.ppm", "kmmap --dither fs --dither bayer pal.ppm x.ppm",
            "kmmap --threads -2 pal.ppm x.ppm", "kmmap pal.ppm x.ppm x.ppm", "kmmap -o a -o b pal.ppm",
            "kmcost", "kmcost --max-cost abc pal.ppm x.ppm", "kmcost --json --json pal.ppm x.ppm",
            "kmcost --reference x.ppm a b", "kmcost pal.ppm x.ppm x.ppm", "kmcost --max-cost inf pal.ppm x.ppm",
        ]
        for command in bad {
            let r = try sh(command)
            let tool = String(command.split(separator: " ")[0])
            XCTAssertEqual(r.status, 64, "\(command): \(r.stderr)")
            XCTAssertEqual(r.errorLines.count >= 2 ? r.errorLines[1].hasPrefix("Usage: \(tool)") : false, true,
                           "\(command) should print the usage line: \(r.stderr)")
            XCTAssertTrue(r.errorLines.first?.hasPrefix("\(tool): ") ?? false, "\(command): \(r.stderr)")
        }
        // An unknown option comes with the nearest known one.
        XCTAssertTrue(try sh("kmfit --colr 3 x.ppm").stderr.hasPrefix("kmfit: Unknown option '--colr'. Did you mean '--colors'?"))
        // pngquant's options, with what to use instead; the option named works as said.
        for (command, instead) in [("kmquant --quality 60-80 16 x.ppm", "--min-psnr dB"), ("kmquant --nofs 16 x.ppm", "(--dither fs)"),
                                   ("kmquant --floyd=0.5 16 x.ppm", "--dither-strength 0-1"), ("kmquant 16 --ext .png x.ppm", "pipe it to pnmtopng")] {
            let r = try sh(command)
            XCTAssertEqual(r.status, 64, command)
            let option = command.split(separator: " ").first { $0.hasPrefix("--") }!.split(separator: "=")[0]
            XCTAssertTrue(r.errorLines.first?.hasPrefix("kmquant: Unknown option '\(option)': ") ?? false, r.stderr)
            XCTAssertTrue(r.errorLines.first?.contains(instead) ?? false, r.stderr)
            XCTAssertFalse(r.stderr.contains("Did you mean"), r.stderr)
        }
        let psnr = try ok("kmquant --min-psnr 25 x.ppm | kmcost --reference x.ppm").text
        XCTAssertGreaterThanOrEqual(Double(scoreFields(psnr)["psnr"] ?? "") ?? 0, 25)
    }

    func testMemoryLimitGivesAMessageNotACoreDump() throws {
        if ProcessInfo.processInfo.environment["KMTOOLS_SANITIZER"] != nil {
            throw XCTSkip("sanitizers reserve more address space than the limit allows")
        }
        // 1.4 million distinct 16-bit colours: the histogram cannot grow under 150 MB of address space.
        try ok("""
            for s in 1 2 3; do pgmnoise -maxval 65535 -randomseed $s 1200 1200 2>/dev/null > n$s.pgm; done
            rgb3toppm n1.pgm n2.pgm n3.pgm > noise.ppm
            """)
        let r = try sh("ulimit -v 150000; kmfit -k 4 -r 1 noise.ppm")
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.errorLines.last?.hasPrefix("kmfit: stopped: aborted (most often: the memory limit") ?? false, r.stderr)
        XCTAssertEqual(r.stdout.count, 0)
    }

    func testHugeHeaderIsRefusedBeforeItsMemoryIsTaken() throws {
        if ProcessInfo.processInfo.environment["KMTOOLS_SANITIZER"] != nil {
            throw XCTSkip("sanitizers reserve more address space than the limit allows")
        }
        // 19 bytes claiming a 20000x20000 raster (1.2 GB): each tool says the input ends early
        // under a 400 MB address-space limit, instead of allocating for the header first.
        try ok("printf 'P6\\n20000 20000\\n255\\n' > huge.ppm")
        for command in ["kmfit huge.ppm", "kmmap pal.ppm huge.ppm", "kmcost pal.ppm huge.ppm", "kmplot compare huge.ppm",
                        "kmplot cube huge.ppm", "kmplot swatch --image huge.ppm pal.ppm"] {
            let r = try sh("ulimit -v 400000; \(command)")
            let tool = command.split(separator: " ")[0]
            XCTAssertEqual(r.status, 1, "\(command): \(r.stderr)")
            XCTAssertEqual(r.errorLines, ["\(tool): huge.ppm: premature end of input: image 1 ends after 0 of its 20000 rows"],
                           command)
        }
    }
}
