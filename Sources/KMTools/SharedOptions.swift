import ArgumentParser
import KMCore

/// What `-o` and `--report` do with each kind of path (Output), in one
/// paragraph for the tools' help; the man pages' OUTPUT FILES section has the whole rules.
public let outputRules = """
    A regular file (or a new path) is replaced atomically when the whole run succeeded, its mode \
    kept; a symbolic link's final target likewise, the link kept; /dev/stdout, /dev/fd/N, a FIFO \
    or a device is written as it goes, as > would. See OUTPUT FILES in the man page.
    """

/// -o/--output, the path every tool writes to instead of standard output
/// (`@OptionGroup`; nil for standard output), taken by `Output(path:)`.
public struct OutputOption: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Write to this file instead of standard output.", discussion: outputRules, valueName: "file"), completion: .file())
    public var output: String?

    public init() {}
}

/// The options kmfit, kmmap and kmquant share (`@OptionGroup`): the number of threads
/// and the output path.
public struct SharedOptions: ParsableArguments {
    @Option(help: "Threads to use (default: all processors); the output does not depend on it.")
    public var threads: Int?

    @OptionGroup public var destination: OutputOption

    public init() {}

    /// -o's path, nil for standard output.
    public var output: String? { destination.output }

    /// Threads to run on, 1...1024: --threads, else every processor.
    public var threadCount: Int { threads ?? Parallel.processorCount }

    public func validate() throws {
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024, not \(threads)") }
    }
}
