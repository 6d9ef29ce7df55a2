import ArgumentParser
import KMCore

extension Initialization: ExpressibleByArgument {}
extension Dither.Method: ExpressibleByArgument {}

/// The k-means options kmfit and kmquant share (`@OptionGroup`), read into FitSettings.
public struct FitOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Effort, 1 (slowest, lowest cost) to 10 (fastest).",
        discussion: "Sets the restarts (fewer as K grows: 10 at K = 16 and 3 at K = 256 at level 3), how coarse the merged colours the restarts run on are, how many runs are refined on all the colours and how far, and whether Hartigan's moves polish the kept run (K >= 128 at levels 1-5). -r still sets the restarts. The README tables J and time per level beside pngquant's --speed.",
        valueName: "level"))
    public var speed = 3

    @Option(name: [.customShort("r"), .long], help: "k-means runs from different starts; the lowest-cost run is kept (default: by --speed).")
    public var restarts: Int?

    @Option(name: .customLong("max-iterations"), help: "Most Lloyd iterations per run.")
    public var maxIterations = 300

    @Option(help: "A run has converged when no centre moves farther than this (in --space units; unit RGB cube for rgb).")
    public var tolerance = 1e-7

    @Option(name: .customLong("init"), help: "How runs start: kmeans++ (greedy k-means++) or random (K distinct random pixels).")
    public var initialization = Initialization.kmeansPlusPlus

    @Option(help: "Seed of the random starts; the same seed gives the same palette.")
    public var seed: UInt64 = 1

    public init() {}

    public func validate() throws {
        if let restarts, !(1...100_000).contains(restarts) { throw ValidationError("--restarts must be 1 to 100000, not \(restarts)") }
        guard (1...10).contains(speed) else { throw ValidationError("--speed must be 1 to 10, not \(speed)") }
        guard (1...1_000_000).contains(maxIterations) else {
            throw ValidationError("--max-iterations must be 1 to 1000000, not \(maxIterations)")
        }
        guard tolerance >= 0 && tolerance.isFinite else { throw ValidationError("--tolerance must be 0 or more, not \(tolerance)") }
    }

    /// These options as FitSettings, run on `threads` threads.
    public func settings(threads: Int) -> FitSettings {
        var s = FitSettings()
        (s.speed, s.restarts, s.maxIterations, s.tolerance) = (speed, restarts, maxIterations, tolerance)
        (s.initialization, s.seed, s.threads) = (initialization, seed, threads)
        return s
    }
}
