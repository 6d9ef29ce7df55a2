import Foundation
import XCTest

/// Frames and video: the manual's "Frames and video" commands run in order,
/// then what they made is checked; examples/scenes and examples/Makefile in depth.
final class VideoTests: EndToEndCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try requireCommands("ffmpeg", "parallel", "make", "rsync", "ssh", "/usr/sbin/sshd")
        try ok("ln -s '\(Tools.packageRoot.appendingPathComponent("examples").path)' examples")
    }

    func testReadmeFramesAndVideoSection() throws {
        let section = try DocSection("Frames and video", in: "docs/manual.md")
        XCTAssertEqual(section.blocks["sh"]?.count, 8, "the section's sh blocks")
        // PARALLEL: options every parallel run takes; its job log names the host of each job.
        try ok("set -eu\nexport PARALLEL='--joblog +jobs.log'\n" + (try startHosts())
            + section.blocks["sh", default: []].joined(separator: "\n"))

        // ffmpeg in and out: 12 frames, each only palette colours.
        try ok("ffmpeg -v error -i clip.mkv -f image2pipe -vcodec ppm - > clip.ppm")
        try ok("ffmpeg -v error -i clip64.mkv -f image2pipe -vcodec ppm - > clip64.ppm")
        let clip = try images("clip.ppm"), clip64 = try images("clip64.ppm")
        let palette = try image("pal.ppm")
        XCTAssertEqual(clip.count, 12)
        XCTAssertEqual(clip64.count, 12)
        XCTAssertEqual([palette.width, palette.height], [64, 1])
        let colours = Set(palette.pixels)
        for (n, frame) in clip64.enumerated() {
            XCTAssertEqual([frame.width, frame.height], [320, 180])
            XCTAssertTrue(Set(frame.pixels).isSubset(of: colours), "frame \(n + 1) holds colours not in pal.ppm")
        }

        // The scene pass: the table shown in the manual, refits at the four cuts.
        let table = try String(decoding: read("scenes.tsv"), as: UTF8.self)
        try assertSameTable(table, section.blocks["tsv"]?.first ?? "")
        let rows = splitLines(table).dropFirst().map { $0.components(separatedBy: "\t") }
        XCTAssertEqual(rows.filter { $0[2] != "no" }.map { $0[0] }, ["001", "004", "007", "010"])
        // A refit keeps the warm start unless a fresh fit is over 10 % lower in J.
        try ok("pngtopnm frames/004.png > cut.ppm && kmfit -k 16 --init-palette out/scenes/001.ppm cut.ppm > warm.ppm")
        let warm = try ok("kmcost warm.ppm cut.ppm").text
        let warmJ = Double(warm.split(separator: " ")[0].dropFirst(2))!
        XCTAssertEqual(rows[3][2], "fresh")
        XCTAssertLessThan(Double(rows[3][4])!, 0.9 * warmJ, "the fresh fit of frame 004 against the warm one")
        // J of a kept palette is kmcost's J of that frame's palette.
        let j = try ok("pngtopnm frames/005.png | kmcost out/palettes/005.ppm").text
        XCTAssertTrue(j.hasPrefix("J=\(rows[4][4]) "), "\(j) vs the table's \(rows[4][4])")

        // make: every frame mapped with its scene's palette, and only its colours.
        for row in rows {
            let name = row[0], scene = String(format: "%03d", Int(row[1])!)
            XCTAssertEqual(try read("out/palettes/\(name).ppm"), try read("out/scenes/\(scene).ppm"), name)
            try ok("pngtopnm out/\(name).png > q.ppm")
            let sceneColours = Set(try image("out/scenes/\(scene).ppm").pixels)
            XCTAssertTrue(Set(try image("q.ppm").pixels).isSubset(of: sceneColours), "out/\(name).png")
        }

        // parallel's frames, local and from the two ssh hosts, are the video's frames.
        for n in 1...12 {
            try ok(String(format: "pngtopnm out64/%03d.png > p.ppm", n))
            XCTAssertEqual(try image("p.ppm"), clip64[n - 1], "out64/\(n)")
            try ok(String(format: "pngtopnm %03d-64.png > r.ppm", n))
            XCTAssertEqual(try image("r.ppm"), clip64[n - 1], "\(n)-64.png")
        }
        // The film's palette, fitted to the histograms the hosts counted of its four parts,
        // is the palette of the whole clip; the parts mapped and joined are the clip mapped.
        XCTAssertEqual(try read("film.ppm"), try read("pal.ppm"), "the parts' histograms fit to another palette")
        XCTAssertEqual(try ok("ls part??.kmh | wc -l").text, "4\n", "four parts, each counted")
        try ok("ffmpeg -v error -i film64.mkv -f image2pipe -vcodec ppm - > film64.ppm")
        XCTAssertEqual(try images("film64.ppm"), clip64, "the parts mapped and joined")
        let hosts = try ok("awk -F'\\t' '$1 ~ /^[0-9]+$/ && $7 == 0 { print $2 }' jobs.log | sort | uniq -c").text
        let jobs = Dictionary(uniqueKeysWithValues: splitLines(hosts).map {
            let f = $0.split(separator: " "); return (String(f[1]), Int(f[0])!)
        })
        XCTAssertEqual(jobs.values.reduce(0, +), 32, "runs of 12, 12, 4 and 4 jobs that succeeded: \(hosts)")
        XCTAssertEqual(jobs[":"], 12, "the local run: \(hosts)")
        XCTAssertGreaterThan(jobs["host1"] ?? 0, 0, "no job ran on host1: \(hosts)")
        XCTAssertGreaterThan(jobs["host2"] ?? 0, 0, "no job ran on host2: \(hosts)")
    }

    /// Starts an sshd on 127.0.0.1 that answers to the names host1 and host2 (aliases in
    /// ssh/ssh_config), with the tools on its PATH, for GNU parallel's -S; returns the shell
    /// line that points parallel's ssh at it. Stopped at the end of the test.
    private func startHosts() throws -> String {
        guard geteuid() == 0 else { throw XCTSkip("sshd for the parallel -S line needs root (CI runs as root)") }
        let tools = Tools.directory!.path, ssh = dir.appendingPathComponent("ssh").path
        try ok("""
            mkdir -p /run/sshd ssh && cd ssh
            ssh-keygen -q -t ed25519 -N '' -f host_key && ssh-keygen -q -t ed25519 -N '' -f user_key
            cp user_key.pub authorized_keys
            """)
        var last = ""
        for _ in 0..<5 {
            let port = Int.random(in: 20000..<60000)
            try write("ssh/sshd_config", Data("""
                ListenAddress 127.0.0.1:\(port)
                HostKey \(ssh)/host_key
                AuthorizedKeysFile \(ssh)/authorized_keys
                PidFile \(ssh)/sshd.pid
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                SetEnv PATH=\(tools):/usr/local/bin:/usr/bin:/bin

                """.utf8))
            try write("ssh/ssh_config", Data("""
                Host host1 host2
                    HostName 127.0.0.1
                    Port \(port)
                    IdentityFile \(ssh)/user_key
                    StrictHostKeyChecking no
                    UserKnownHostsFile /dev/null
                    LogLevel ERROR

                """.utf8))
            let started = try sh("/usr/sbin/sshd -f \(ssh)/sshd_config -E \(ssh)/log && ssh -F \(ssh)/ssh_config host2 true")
            if started.status == 0 {
                addTeardownBlock { [self] in _ = try? sh("kill $(cat \(ssh)/sshd.pid)") }
                return "export PARALLEL_SSH='ssh -F \(ssh)/ssh_config'\n"
            }
            last = started.stderr + ((try? String(decoding: read("ssh/log"), as: UTF8.self)) ?? "")
            _ = try? sh("[ -f ssh/sshd.pid ] && kill $(cat ssh/sshd.pid); rm -f ssh/sshd.pid")
        }
        throw PNM.ParseError(description: "could not start sshd for the -S test: \(last)")
    }

    /// Eight 96x54 frames a second apart, four scenes of two; mandelbrot, the scene with many colours, last.
    private func makeFrames() throws {
        try ok("""
            mkdir -p frames
            for scene in testsrc smptebars rgbtestsrc mandelbrot; do
                ffmpeg -v error -f lavfi -i $scene=size=96x54:rate=1 -frames:v 2 -f image2pipe -vcodec ppm -
            done | pamsplit - 'f%d.ppm' 2>/dev/null
            for n in 0 1 2 3 4 5 6 7; do pnmtopng f$n.ppm > frames/00$((n + 1)).png; done
            """)
    }

    private let make = "make -f examples/Makefile -j2 IN=frames OUT=out"

    /// The quantized frames written since the last `mark()`.
    private func rebuilt() throws -> [String] {
        try ok("find out -maxdepth 1 -name '*.png' -newer marker | sort").lines.map { ($0 as NSString).lastPathComponent }
    }

    /// Marks now, after a second so that every later write is newer at any timestamp resolution.
    private func mark() throws { try ok("sleep 1; touch marker; sleep 0.01") }

    func testMakefileRebuildsOnlyWhatChanged() throws {
        try makeFrames()
        try ok(make)
        try ok("ls out/*.png | wc -l | grep -qx 8")
        XCTAssertEqual(try ok("cut -f3 out/scenes.tsv | grep -c -e warm -e fresh").text, "4\n", "four scenes")

        try mark()
        try ok(make)
        XCTAssertEqual(try rebuilt(), [], "nothing changed")

        try mark()
        try ok("touch frames/003.png")
        try ok(make)
        XCTAssertEqual(try rebuilt(), ["003.png"], "a touched frame rebuilds that frame only")

        // The first frame of the last scene darkened by 5 %: the scene's palette, fitted
        // on it, changes, and still holds for the next frame; both are rebuilt, no other.
        try ok("mkdir -p before && cp out/palettes/*.ppm before/")
        try mark()
        try ok("pngtopnm frames/007.png | pamfunc -multiplier=0.95 | pnmtopng > dark.png && mv dark.png frames/007.png")
        try ok(make)
        XCTAssertEqual(try ok("cut -f1,2,3 out/scenes.tsv | tail -2").lines, ["007\t4\tfresh", "008\t4\tno"])
        XCTAssertEqual(try rebuilt(), ["007.png", "008.png"])
        let changed = try ok("for p in before/*.ppm; do cmp -s $p out/palettes/${p#before/} || basename $p; done").lines
        XCTAssertEqual(changed, ["007.ppm", "008.ppm"], "palettes that changed")

        // New map options remap every frame.
        try mark()
        try ok(make + " MAPFLAGS='--dither fs'")
        XCTAssertEqual(try rebuilt().count, 8)

        // A removed frame's output goes; the frames before it stay.
        try mark()
        try ok("mv frames/008.png removed.png")
        try ok(make + " MAPFLAGS='--dither fs'")
        XCTAssertFalse(exists("out/008.png"))
        XCTAssertFalse(exists("out/palettes/008.ppm"))
        XCTAssertEqual(try rebuilt(), [])
        try ok("mv removed.png frames/008.png")
        try ok(make)

        // A missing palette is rewritten by the scene pass, not taken as built.
        try mark()
        try ok("rm out/palettes/005.ppm")
        try ok(make)
        XCTAssertTrue(exists("out/palettes/005.ppm"))
        XCTAssertEqual(try rebuilt(), ["005.png"])
    }

    func testMakefileFailureLeavesNoHalfWrittenTarget() throws {
        try makeFrames()
        try ok(make)
        let table = try read("out/scenes.tsv"), frame = try read("out/004.png")

        // A broken frame: the scene pass fails, and the old complete files stay.
        try ok("cp frames/004.png good.png && head -c 100 good.png > frames/004.png")
        var result = try sh(make)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("pngtopnm:"), result.stderr)
        XCTAssertEqual(try read("out/scenes.tsv"), table)
        XCTAssertEqual(try read("out/004.png"), frame)
        XCTAssertEqual(try ok("find out -name '*.tmp'").text, "")

        // A failing map step: no target, no temporary file left.
        try ok("cp good.png frames/004.png && rm out/002.png")
        result = try sh(make + " 'MAPFLAGS=--dither bogus'")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("kmmap:"), result.stderr)
        XCTAssertFalse(exists("out/002.png"))
        XCTAssertEqual(try ok("find out -name '*.tmp'").text, "")

        try ok(make)
        XCTAssertTrue(exists("out/002.png"))

        result = try sh("make -f examples/Makefile IN=nothing OUT=out")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("no PNG frames in nothing/"), result.stderr)
    }

    func testScenesThresholdsAndErrors() throws {
        try makeFrames()
        // An absolute threshold of 0: every frame that its palette does not hold exactly refits.
        let exact = try ok("examples/scenes -k 4 -t 0 -o s frames/*.png").lines.dropFirst()
        for row in exact.map({ $0.components(separatedBy: "\t") }) where row[0] != "001" {
            XCTAssertEqual(row[2] != "no", Double(row[3])! > 0, row.joined(separator: " "))
        }
        // A huge one: one scene.
        let one = try ok("examples/scenes -k 4 -t 3 -o s frames/*.png | cut -f2 | sort -u").lines
        XCTAssertEqual(one, ["1", "scene"])

        var result = try sh("examples/scenes -k x frames/001.png")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errorLines, ["scenes: -k must be a number of colours, not 'x'"])
        result = try sh("examples/scenes frames/001.png nothing.ppm")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.errorLines, ["scenes: nothing.ppm: cannot read it"])
        result = try sh("echo P6 > bad.ppm; examples/scenes -o s frames/001.png bad.ppm")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("scenes: bad.ppm: kmcost: "), result.stderr)
        XCTAssertFalse(result.stderr.contains("frame.pnm"), result.stderr)
        result = try sh("head -c 100 frames/002.png > cut.png; examples/scenes -o s frames/001.png cut.png")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("scenes: cut.png: pngtopnm: "), result.stderr)
        result = try sh("examples/scenes -k 0 frames/001.png")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errorLines, ["scenes: -k must be a number of colours, not '0'"])
        result = try sh("examples/scenes -x frames/001.png")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errorLines.first, "scenes: unknown option -x")

        // A list file, as the Makefile passes it; palettes of frames no longer given go.
        try ok("ls frames/*.png > list && examples/scenes -o s -f list > all.tsv")
        try ok("examples/scenes -o s frames/00[1-4].png > some.tsv")
        XCTAssertEqual(try ok("ls s/palettes s/scenes").lines, ["s/palettes:", "001.ppm", "002.ppm", "003.ppm", "004.ppm", "",
                                                                 "s/scenes:", "001.ppm", "002.ppm"])
        result = try sh("mkdir -p b; cp frames/001.png b/; examples/scenes frames/001.png b/001.png")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.errorLines, ["scenes: two frames are named 001: b/001.png and frames/001.png"])
    }

    /// Compares two scene tables: the same cells, J values within 2e-6 (another CPU may round ffmpeg's
    /// mandelbrot differently in the last place).
    private func assertSameTable(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = splitLines(actual).map { $0.components(separatedBy: "\t") }
        let e = splitLines(expected).map { $0.components(separatedBy: "\t") }
        XCTAssertEqual(a.count, e.count, "rows:\n\(actual)", file: file, line: line)
        for (x, y) in zip(a, e) {
            XCTAssertEqual(x.count, y.count, file: file, line: line)
            for (u, v) in zip(x, y) where u != v {
                guard let p = Double(u), let q = Double(v), abs(p - q) <= 2e-6 else {
                    XCTFail("scenes.tsv differs from the manual: \(x) vs \(y)", file: file, line: line)
                    break
                }
            }
        }
    }
}

/// The fenced blocks of one `## ` section of a Markdown file of the package (README.md,
/// docs/manual.md), by their language tag, each block's lines joined with a final newline.
struct DocSection {
    var blocks: [String: [String]] = [:]

    init(_ title: String, in file: String = "README.md") throws {
        let text = try String(contentsOf: Tools.packageRoot.appendingPathComponent(file), encoding: .utf8)
        var inSection = false, tag: String?, body: [String] = []
        for line in text.components(separatedBy: "\n") {
            if tag == nil && line.hasPrefix("## ") { inSection = line == "## " + title; continue }
            guard inSection else { continue }
            if line.hasPrefix("```") {
                if let open = tag {
                    blocks[open, default: []].append(body.joined(separator: "\n") + "\n")
                    tag = nil
                } else {
                    tag = String(line.dropFirst(3)); body = []
                }
            } else if tag != nil {
                body.append(line)
            }
        }
        if blocks.isEmpty { throw PNM.ParseError(description: "\(file) has no section '\(title)' with code blocks") }
    }
}
