import ArgumentParser
import KMCore

/// What `-o` and `--report` do with each kind of path (Output), in one
/// paragraph for the tools' help; the man pages' OUTPUT FILES section has the whole rules.
public let outputRules = """
    A regular file (or a new path) is replaced atomically when the whole run succeeded, its mode \
    kept; a symbolic link's final target likewise, the link kept; /dev/stdout, /dev/fd/N, a FIFO \
    or a device is written as it goes, as > would. See OUTPUT FILES in the man page.
    """

/// The options kmfit and kmmap share (`@OptionGroup`): the output path and the
/// number of threads.
public struct SharedOptions: ParsableArguments {
    @Option(help: "Threads to use (default: all processors); the output does not depend on it.")
    public var threads: Int?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Write to this file instead of standard output.", discussion: outputRules, valueName: "file"))
    public var output: String?

    public init() {}

    /// Threads to run on, 1...1024: --threads, else every processor.
    public var threadCount: Int { threads ?? Parallel.processorCount }

    public func validate() throws {
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024, not \(threads)") }
    }
}
