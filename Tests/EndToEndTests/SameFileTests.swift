import Foundation
import XCTest

/// Inputs that are also outputs, and outputs that are one file (checkFiles):
/// refused as bad usage before anything is read or written, so that no tool
/// reads its own output back without end, and no output silently replaces another.
final class SameFileTests: EndToEndCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try makePlanet("x.ppm", width: 40, height: 30, seed: 5)
        try ok("kmfit -k 4 -r 1 x.ppm > pal.ppm && cp x.ppm orig.ppm && cp pal.ppm origpal.ppm")
    }

    /// The appended-to input: each of these grew x.ppm without end before.
    func testInputAppendedToIsRefusedAndLeftAlone() throws {
        let commands = [
            "kmquant 4 x.ppm >> x.ppm", "kmquant 4 < x.ppm >> x.ppm", "kmmap pal.ppm x.ppm >> x.ppm",
            "kmmap pal.ppm < x.ppm >> x.ppm", "kmmap -o /dev/stdout pal.ppm x.ppm >> x.ppm", "kmfit x.ppm >> x.ppm",
            "kmcost pal.ppm x.ppm >> x.ppm", "kmmap pal.ppm x.ppm 1<> x.ppm", "kmplot cube -o /dev/fd/3 x.ppm 3>> x.ppm",
        ]
        for command in commands {
            let r = try sh("timeout 20 \(command)")
            XCTAssertEqual(r.status, 64, command)
            XCTAssertTrue(r.stderr.contains("is also standard output") || r.stderr.contains("is also -o"), "\(command): \(r.stderr)")
            XCTAssertEqual(try read("x.ppm"), try read("orig.ppm"), command)
        }
        // The palette appended to: refused the same way, and kept.
        let r = try sh("timeout 20 kmmap pal.ppm x.ppm >> pal.ppm")
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.hasPrefix("kmmap: the palette pal.ppm is also standard output"), r.stderr)
        XCTAssertEqual(try read("pal.ppm"), try read("origpal.ppm"))
    }

    /// Replacing the input with -o is safe (a temporary file, renamed at the
    /// end), and so is reading one file while writing another.
    func testInPlaceAndUnrelatedOutputsAreAllowed() throws {
        try ok("kmmap pal.ppm orig.ppm > want.ppm")
        try ok("cp x.ppm y.ppm && kmmap -o y.ppm pal.ppm y.ppm && cmp y.ppm want.ppm")
        try ok("cp x.ppm y.ppm && kmmap -o y.ppm pal.ppm < y.ppm && cmp y.ppm want.ppm")
        try ok("kmmap pal.ppm x.ppm >> other.ppm && cmp other.ppm want.ppm")
        // Standard output unused (-o elsewhere) may be the input's file.
        try ok("kmmap -o z.ppm pal.ppm x.ppm >> x.ppm && cmp z.ppm want.ppm && cmp x.ppm orig.ppm")
    }

    /// Two outputs named to one file: before, one of them was lost with status 0.
    func testSharedTargetsAreRefused() throws {
        try ok("ln x.ppm link1.ppm && ln x.ppm link2.ppm && ln -s S sym")
        let cases: [(String, String)] = [
            ("kmquant 4 x.ppm -o S --palette-out S", "kmquant: -o S and --palette-out S are one file"),
            ("kmquant 4 x.ppm -o S --palette-out ./S", "kmquant: -o S and --palette-out ./S are one file"),
            ("kmquant 4 x.ppm -o sym --palette-out S", "kmquant: -o sym and --palette-out S are one file"),
            ("kmquant 4 x.ppm -o link1.ppm --palette-out link2.ppm", "kmquant: -o link1.ppm and --palette-out link2.ppm are one file"),
            ("kmquant 4 x.ppm --palette-out -", "kmquant: standard output and standard output are one file"),
            ("kmquant 4 x.ppm --palette-out /dev/stdout > o.ppm", "kmquant: standard output and --palette-out /dev/stdout are one file"),
            ("kmquant 4 x.ppm --palette-out S > S", "kmquant: standard output and --palette-out S are one file"),
            ("kmfit -o R --report R x.ppm", "kmfit: -o R and --report R are one file"),
            ("kmfit --report /dev/stdout x.ppm > o.ppm", "kmfit: standard output and --report /dev/stdout are one file"),
            ("kmfit --report /dev/fd/1 x.ppm | cat", "kmfit: standard output and --report /dev/fd/1 are one file"),
            ("kmfit --report /dev/stderr x.ppm 2>&1 | cat >&2", "kmfit: standard output and --report /dev/stderr are one file"),
            // Standard error takes the tools' messages: an output there would be garbled by them.
            ("kmquant 4 x.ppm -o /dev/stderr 2> S; s=$?; cat S >&2; exit $s", "kmquant: -o /dev/stderr is also standard error"),
            ("kmfit -o /dev/null --report /dev/stderr x.ppm 2> R; s=$?; cat R >&2; exit $s", "kmfit: --report /dev/stderr is also standard error"),
        ]
        for (command, message) in cases {
            let r = try sh(command)
            XCTAssertEqual(r.status, 64, command)
            XCTAssertTrue(r.stderr.hasPrefix(message), "\(command): \(r.stderr)")
            // Neither output landed (a file there is empty, or holds the message sent to it).
            for name in ["S", "R"] where exists(name) {
                XCTAssertFalse(try read(name).starts(with: Data("P".utf8)), "\(command): \(name) was written")
            }
            try ok("rm -f S R")
        }
        XCTAssertEqual(try read("link1.ppm"), try read("orig.ppm"))
        // Discarding both is no conflict; two distinct files both land.
        try ok("kmfit -o /dev/null --report /dev/null x.ppm")
        try ok("kmquant 4 x.ppm -o q.ppm --palette-out p.ppm && kmmap p.ppm x.ppm | cmp - q.ppm")
    }

    /// A FIFO the tool writes to and reads from: it would map its own output
    /// without end (kmmap) or wait for an end that never comes (kmquant).
    func testAFIFOReadBackIsRefused() throws {
        try ok("mkfifo ff")
        for command in ["kmmap pal.ppm", "kmquant 4", "kmcost pal.ppm", "kmfit -o /dev/null --report /dev/stdout"] {
            let r = try sh("(cat x.ppm > ff &); timeout 20 \(command) < ff > ff")
            XCTAssertEqual(r.status, 64, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("the input (standard input) is also standard output"), "\(command): \(r.stderr)")
        }
    }

    func testTwoInputsOnStandardInputAreRefused() throws {
        let r = try sh("kmquant 4 - --init-palette - < x.ppm")
        XCTAssertEqual(r.status, 64)
        XCTAssertEqual(r.errorLines.first, "kmquant: the input and --init-palette both read standard input: give one of them as a file")
        XCTAssertEqual(try sh("kmmap - < pal.ppm").errorLines.first,
                       "kmmap: the palette and the input both read standard input: give one of them as a file")
    }

    /// /proc/self/cwd/x.ppm is a regular file: replaced at the end, not cut first.
    func testAFileNamedThroughProcIsReplacedAtTheEnd() throws {
        XCTAssertEqual(try sh("kmmap pal.ppm missing.ppm -o /proc/self/cwd/x.ppm").status, 1)
        XCTAssertEqual(try read("x.ppm"), try read("orig.ppm"))
        try ok("kmmap pal.ppm orig.ppm -o /proc/self/cwd/x.ppm && kmmap pal.ppm orig.ppm | cmp - x.ppm")
    }

    func testNonFiniteViewIsRefused() throws {
        for option in ["--azimuth nan", "--elevation nan", "--azimuth 1e309", "--elevation=-inf"] {
            let r = try sh("kmplot cube \(option) x.ppm")
            XCTAssertEqual(r.status, 64, option)
            XCTAssertTrue(r.stderr.contains("must be -1000000 to 1000000 degrees"), "\(option): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, option)
        }
    }
}
