import Foundation
import XCTest

/// What an installed kmtools gives beyond the pipelines: --version, the shell
/// completions (bash driven as readline would, through COMP_WORDS/COMP_CWORD),
/// the man pages, kmmap's swapped-arguments warning and kmfit's progress line.
final class InstallTests: EndToEndCase {
    static let tools = ["kmfit", "kmmap", "kmcost", "kmplot", "kmquant", "kmhist"]

    /// `TOOL --version` prints "TOOL VERSION", as GNU and netpbm tools do, the same version for every tool.
    func testEveryToolSaysItsNameAndTheSameVersion() throws {
        var versions: Set<String> = []
        for tool in Self.tools {
            let result = try ok("\(tool) --version")
            XCTAssertEqual(result.lines.count, 1, "\(tool): \(result.text)")
            let words = (result.lines.first ?? "").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(words.count, 2, result.text)
            XCTAssertEqual(words.first, tool, result.text)
            XCTAssertTrue(matches(words.last ?? "", "[0-9]+\\.[0-9]+\\.[0-9]+"), result.text)
            versions.insert(words.last ?? "")
            XCTAssertEqual(result.stderr, "", tool)
        }
        XCTAssertEqual(versions.count, 1, "\(versions)")
        XCTAssertEqual(try ok("kmplot cube --version").text, try ok("kmplot --version").text)
        // What scripts/make-deb takes as the version.
        XCTAssertEqual(try ok("kmfit --version | awk '{print $NF}'").lines, [versions.first ?? "?"])
    }

    /// The words bash's completion function for `tool` offers for `line`
    /// (the cursor at its end; a trailing space starts an empty word), with the
    /// package's completions/TOOL.bash sourced.
    func complete(_ line: String) throws -> [String] {
        let tool = String(line.prefix { $0 != " " })
        let script = Tools.packageRoot.appendingPathComponent("completions/\(tool).bash").path
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map { "'\($0)'" }
        let result = try ok("""
            source '\(script)'
            COMP_WORDS=(\(words.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
            COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _\(tool) \(tool) "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """)
        return result.lines.filter { !$0.isEmpty }
    }

    func testBashCompletesFileNamesForEveryPathAndOptionsByName() throws {
        try ok("touch palette.ppm pal2.ppm notes.txt && mkdir pics")
        // Each tool's file arguments: positional and option values.
        for line in ["kmmap pal", "kmmap palette.ppm pal", "kmfit -o pal", "kmfit --report pal", "kmfit --init-palette pal",
                     "kmfit pal", "kmcost pal", "kmcost --reference pal", "kmcost palette.ppm pal",
                     "kmplot cube pal", "kmplot cube --palette pal", "kmplot swatch pal", "kmplot swatch --image pal",
                     "kmplot runs pal", "kmplot elbow pal", "kmplot compare pal", "kmplot compare -o pal"] {
            XCTAssertEqual(Set(try complete(line)), ["palette.ppm", "pal2.ppm"], line)
        }
        // An empty word where a file goes: the files (and folders), and never the parser's "help".
        for line in ["kmfit ", "kmmap ", "kmcost ", "kmfit -k 4 ", "kmmap pal.ppm "] {
            let words = try complete(line)
            XCTAssertTrue(words.contains("palette.ppm") && words.contains("pics"), "\(line): \(words)")
            XCTAssertFalse(words.contains("help"), "\(line): \(words)")
        }
        XCTAssertFalse(try complete("kmfit x.ppm ").contains("help"))
        // Options by name, values by their list.
        XCTAssertEqual(try complete("kmfit --max-it"), ["--max-iterations"])
        XCTAssertEqual(try complete("kmfit --vers"), ["--version"])
        XCTAssertEqual(Set(try complete("kmmap --dither ")), ["none", "fs", "sierra", "bayer"])
        XCTAssertEqual(Set(try complete("kmplot c")), ["cube", "compare"])
    }

    func testZshAndFishCompleteFilesWithoutAHelpWord() throws {
        for tool in ["kmfit", "kmmap", "kmcost"] {
            let zsh = String(decoding: try Data(contentsOf: Tools.packageRoot.appendingPathComponent("completions/_\(tool)")), as: UTF8.self)
            let fish = String(decoding: try Data(contentsOf: Tools.packageRoot.appendingPathComponent("completions/\(tool).fish")), as: UTF8.self)
            XCTAssertFalse(zsh.contains("->command") || zsh.contains("'help:"), "_\(tool) offers a help subcommand")
            XCTAssertFalse(fish.contains("-fa 'help'") || fish.contains("\"\(tool) help\""), "\(tool).fish offers a help subcommand")
            // Every file argument: _files in zsh, -F in fish; no argument left without any.
            let zshFiles = zsh.split(separator: "\n").filter { $0.contains(":file:") || $0.contains(":palette:") || $0.contains(":reference:") || $0.contains(":arguments:") }
            XCTAssertFalse(zshFiles.isEmpty, tool)
            for line in zshFiles { XCTAssertTrue(line.hasSuffix("_files'"), "_\(tool): \(line)") }
            let option = tool == "kmcost" ? "-l 'reference'" : "-l 'output'"
            XCTAssertTrue(fish.split(separator: "\n").contains { $0.contains(option) && $0.hasSuffix(" -rF") }, "\(tool).fish: \(option)")
            XCTAssertTrue(fish.contains("__\(tool)_should_offer_completions_for_positional \"\(tool)\"") && fish.contains("' -F\n"), tool)
        }
    }

    func testFishCompletesFileNamesAndOptions() throws {
        try requireCommands("fish")
        try ok("touch palette.ppm pal2.ppm notes.txt")
        func complete(_ line: String) throws -> [String] {
            let tool = String(line.prefix { $0 != " " })
            let script = Tools.packageRoot.appendingPathComponent("completions/\(tool).fish").path
            return try ok("fish --no-config -c 'source \(script); complete -C\"\(line)\"'").lines.map {
                String($0.prefix { $0 != "\t" })
            }
        }
        for line in ["kmmap pal", "kmfit -o pa", "kmfit --report pa", "kmcost --reference pa", "kmcost pal", "kmplot cube --palette pa", "kmplot swatch pa"] {
            XCTAssertEqual(Set(try complete(line)), ["palette.ppm", "pal2.ppm"], line)
        }
        XCTAssertEqual(Set(try complete("kmfit ")), ["palette.ppm", "pal2.ppm", "notes.txt"])
        XCTAssertEqual(try complete("kmfit --max-it"), ["--max-iterations"])
    }

    func testManPagesHaveDefaultsExitStatusesSynopsesAndSeeAlso() throws {
        func page(_ tool: String) throws -> String {
            String(decoding: try Data(contentsOf: Tools.packageRoot.appendingPathComponent("man/\(tool).1")), as: UTF8.self)
        }
        for tool in Self.tools {
            let text = try page(tool)
            XCTAssertTrue(text.contains(".It 70\n"), "\(tool).1 lacks exit status 70")
            let seeAlso = try XCTUnwrap(text.components(separatedBy: ".Sh \"SEE ALSO\"").last)
            for other in Self.tools where other != tool {
                XCTAssertTrue(seeAlso.contains(".Xr \(other) 1"), "\(tool).1 lacks \(other) in SEE ALSO")
            }
        }
        let kmfit = try page("kmfit")
        // Each option's entry (.It Fl ... -option Ar ...), then its first line of help.
        let lines = kmfit.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (option, value) in [("-speed", "3"), ("-max-iterations", "300"), ("-tolerance", "1e-07"), ("-seed", "1"), ("-maxval", "255")] {
            let at = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(".It Fl ") && $0.contains(" \(option) Ar ") }, option)
            XCTAssertTrue(lines[at + 1].hasSuffix("(default: \(value))"), "kmfit.1 \(option): \(lines[at + 1])")
        }
        XCTAssertTrue(kmfit.contains("shorter than K"), "kmfit.1 does not say the palette can be shorter than K")
        XCTAssertTrue(try page("kmmap").contains("(default: none)"))
        XCTAssertTrue(try page("kmplot").contains("pixels. (default: 480)"))
        let synopsis = try XCTUnwrap(try page("kmcost").components(separatedBy: ".Sh SYNOPSIS\n").last?.components(separatedBy: ".Sh ").first)
        XCTAssertEqual(synopsis.components(separatedBy: ".Nm\n").count - 1, 2, "kmcost's two forms: \(synopsis)")
        XCTAssertTrue(synopsis.contains(".Fl -reference\n.Ar original\n") && !synopsis.contains("arguments"), synopsis)
    }

    func testKmmapWarnsWhenThePaletteLooksLikeAnImage() throws {
        try makePlanet("x.ppm", width: 100, height: 80)
        try ok("kmfit -k 16 x.ppm > pal.ppm && ppmmake red 1 1 > one.ppm")
        // The arguments swapped: the warning names both, and the tool still maps (status 0).
        let swapped = try ok("kmmap x.ppm pal.ppm > out.ppm")
        XCTAssertEqual(swapped.errorLines.count, 1, swapped.stderr)
        XCTAssertTrue(swapped.stderr.hasPrefix("kmmap: warning: the palette x.ppm (100x80, "), swapped.stderr)
        XCTAssertTrue(swapped.stderr.contains("the image pal.ppm (16x1)") && swapped.stderr.contains("swapped"), swapped.stderr)
        XCTAssertEqual(try image("out.ppm").width, 16)
        // The right way round, a 1x1 image, an image as its own palette: nothing on stderr.
        for command in ["kmmap pal.ppm x.ppm", "kmmap pal.ppm one.ppm", "kmmap x.ppm x.ppm", "kmmap pal.ppm < x.ppm"] {
            XCTAssertEqual(try ok(command + " > /dev/null").stderr, "", command)
        }
    }

    func testKmfitProgressOnlyOnATerminalOrWithVerbose() throws {
        try makePlanet("x.ppm", width: 60, height: 40)
        try ok("cat x.ppm x.ppm x.ppm > three.ppm")
        // Into a file or a pipe, without -v: nothing at all.
        XCTAssertEqual(try ok("kmfit -k 4 -r 2 three.ppm > p.ppm").stderr, "")
        XCTAssertEqual(try ok("kmfit -k 4 -r 2 three.ppm 2>&1 >/dev/null | cat").text, "")
        // -v into a pipe: one plain line with the frames and colours, no carriage return.
        let colors = try ok("pamtopnm x.ppm | ppmhist -noheader | wc -l").text.trimmingCharacters(in: .whitespacesAndNewlines)
        let verbose = try ok("kmfit -v -k 4 -r 2 three.ppm 2>&1 >/dev/null | cat").text
        XCTAssertEqual(verbose.split(separator: "\n").first.map(String.init),
                       "kmfit: 3 frames read, \(grouped(Int(colors)!)) distinct colours; k-means, 2 runs")
        XCTAssertFalse(verbose.contains("\r"), verbose)
        // On a terminal (script(1) gives kmfit one): the updating line, erased at the end.
        let tty = try ok("script -qec 'kmfit -k 4 -r 2 -o p.ppm three.ppm' /dev/null").text
        XCTAssertTrue(tty.hasPrefix("\rkmfit: "), tty.debugDescription)
        XCTAssertTrue(tty.contains("3 frames read, ") && tty.contains(" distinct colours; k-means, 2 runs"), tty.debugDescription)
        XCTAssertTrue(tty.hasSuffix("\r\u{1B}[K"), tty.debugDescription)
    }
}

/// 1234567 as "1,234,567".
private func grouped(_ n: Int) -> String {
    var digits = String(n), out = ""
    while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
    return digits + out
}
