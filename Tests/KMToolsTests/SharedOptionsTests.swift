import ArgumentParser
import KMCore
@testable import KMTools
import XCTest

final class SharedOptionsTests: XCTestCase {
    func testThreadsDefaultToEveryProcessor() throws {
        let options = try SharedOptions.parse([])
        XCTAssertNil(options.threads)
        XCTAssertEqual(options.threadCount, Parallel.processorCount)
        XCTAssertNil(options.output)
    }

    func testThreadsAndOutput() throws {
        let options = try SharedOptions.parse(["--threads", "1024", "-o", "p.ppm"])
        XCTAssertEqual(options.threadCount, 1024)
        XCTAssertEqual(options.output, "p.ppm")
        XCTAssertEqual(try SharedOptions.parse(["--output=-", "--threads=1"]).output, "-")
        XCTAssertEqual(try OutputOption.parse(["-o", "x.ppm"]).output, "x.ppm")
        XCTAssertNil(try OutputOption.parse([]).output)
    }

    func testThreadsOutsideTheRangeAreRefused() {
        for value in ["0", "1025", "-3"] {
            XCTAssertThrowsError(try SharedOptions.parse(["--threads", value])) { error in
                XCTAssertEqual(SharedOptions.exitCode(for: error), .validationFailure, value)
                if value != "-3" {
                    XCTAssertEqual(SharedOptions.message(for: error), "--threads must be 1 to 1024, not \(value)")
                }
            }
        }
        XCTAssertThrowsError(try SharedOptions.parse(["--threads", "two"]))
    }

    func testHelpStatesTheOutputRules() {
        let help = SharedOptions.helpMessage(columns: 1000)
        XCTAssertTrue(help.contains("-o, --output <file>"), help)
        XCTAssertTrue(help.contains(outputRules), help)
    }
}

final class RepeatedOptionTests: XCTestCase {
    struct Command: ParsableCommand {
        @Option(name: [.customShort("k"), .customLong("colors")]) var colors = 1
        @Flag(name: [.customShort("v"), .long]) var verbose = false
        @Option var label: [String] = []
        @OptionGroup var shared: SharedOptions
        @Argument var file: String?
    }

    func testNamesComeFromTheParser() {
        let names = Tool.optionNames(dump: Command._dumpHelp())
        XCTAssertTrue(names.contains(["-k", "--colors"]), "\(names)")
        XCTAssertTrue(names.contains(["-v", "--verbose"]), "\(names)")
        XCTAssertTrue(names.contains(["-o", "--output"]), "\(names)")
        XCTAssertTrue(names.contains(["--threads"]), "\(names)")
        XCTAssertFalse(names.contains(["--label"]), "an array option may be repeated")
    }

    func testRepeatedOptions() {
        let names = Tool.optionNames(dump: Command._dumpHelp())
        func repeated(_ arguments: [String]) -> String? { Tool.repeatedOption(arguments[...], in: names) }
        XCTAssertNil(repeated(["-k", "3", "--label", "a", "--label", "b", "-o", "x"]))
        XCTAssertEqual(repeated(["-k", "3", "--colors=4"]), "'--colors' (also given as '-k')")
        XCTAssertEqual(repeated(["-v", "-v"]), "'-v'")
        XCTAssertEqual(repeated(["--threads", "2", "--threads=3"]), "'--threads'")
        XCTAssertNil(repeated(["-v", "--", "-v"]))
    }

    /// The check on repeats is skipped only where no option can be repeated.
    func testMayRepeatAnOption() {
        XCTAssertFalse(Tool.mayRepeatAnOption(["-k", "16", "x.ppm"]))
        XCTAssertFalse(Tool.mayRepeatAnOption(["-k16", "-", "--", "-k"]))
        XCTAssertTrue(Tool.mayRepeatAnOption(["-k", "3", "--colors=4"]))
        XCTAssertTrue(Tool.mayRepeatAnOption(["-vv", "-v"]))
        // Every case above that testRepeatedOptions finds repeated passes the check.
        for arguments in [["-k", "3", "--colors=4"], ["-v", "-v"], ["--threads", "2", "--threads=3"]] {
            XCTAssertTrue(Tool.mayRepeatAnOption(arguments[...]))
        }
    }
}
