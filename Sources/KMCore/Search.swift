/// How k-means++ restarts are searched: each runs on a copy of the colours
/// merged into cubic bins of the RGB cube (each bin its weighted mean) and stops
/// on a relative change of J; the best few by that J (the finalists) get swap
/// trials there (K in `swapSearchK`: each its own random swap search; else
/// the best one `swapsPerCenter`'s one-step swaps); the finalists are refined
/// on all the colours; the best of those gets Hartigan's moves (large K) and
/// last Lloyd iterations. From `splitMinK` on, one split start replaces the restarts.
public struct Search: Sendable {
    /// The merged copy is the coarsest of `WeightedPoints.mergeSides` that
    /// leaves at least this many colours a centre (else the finest that halves
    /// them, or from `quarterMergeMinK` quarters them); > 0.
    public var colorsPerCenter = 150
    /// From this K, when no merged copy leaves `colorsPerCenter` colours a
    /// centre, the finest that leaves at most a quarter of them is taken, not
    /// half: there the restarts gain nothing from more (the bench's quality
    /// table the same at K = 256) and take more time (the notebook image:
    /// 20,547 colours against 9,787, 1.35x the time). Below, half (the hubble image at
    /// K = 64: the median of 8 seeds 0.9953 of the best anchor's J, 0.9987 with a quarter).
    public var quarterMergeMinK = 128
    /// Colours are not merged at all when they number fewer than this many a
    /// centre, or fewer than `fewColors`: so few (graphics: flat fills and
    /// their antialiased edges) are cheap to iterate, and bins would merge the
    /// very colours a palette of that size can keep. >= 0.
    public var fewColorsPerCenter = 50
    /// Fewer colours than this are never merged, and get `fewColorsRestarts`
    /// times the restarts (a restart on them costs little). >= 0.
    public var fewColors = 4096
    /// The restarts' multiplier on fewer than `fewColors` colours, >= 1 (1
    /// when the restarts are given, not the speed's).
    public var fewColorsRestarts = 2

    /// Whether `colors` distinct colours are few (`fewColors`): never merged,
    /// and `fewColorsRestarts` times the restarts.
    public func isFew(_ colors: Int) -> Bool { colors < fewColors }
    /// A search run stops when an iteration lowers its J by less than this
    /// fraction; 0 runs to the fixed point.
    public var relativeTolerance = 1e-5
    /// Runs refined on all the colours, the lowest merged J first; >= 1.
    public var finalists = 2
    /// Above this K only the lowest merged run (the one the one-step swaps
    /// went to) is refined, whatever `finalists`: at K = 256 and 512 it came
    /// out lowest on all the colours in all 62 fits measured (the bench's
    /// images, seeds 1 to 4; at 128 in 35 of 39), and refining a second cost
    /// 15-20 % of the fit's time.
    public var finalistsMaxK = 128
    /// Above `finalistsMaxK` centres, where only the lowest merged run is
    /// refined, the k-means++ restarts on more than few colours are at most
    /// this many (Int.max: as many as asked): at K = 200, 256 and 512 the best
    /// of 2 had the J of the best of 3 on the bench's photos, to 0.1 % (9 photos
    /// x 2 seeds at K = 200 and 256, 5 at 512).
    public var largeKRestarts = 2
    /// Up to this many colours the finalists are refined side by side, the
    /// threads shared between them (each iteration's passes over so few then
    /// leave threads waiting: at K = 16 on a 250-high photo, 8.7 -> 7.6 ms by
    /// stage timing in a scratch build);
    /// above, one after the other on all threads, since a second run's tables
    /// (about 60 bytes a colour) would raise the peak memory by a third.
    public var sideBySideMaxColors = 131_072
    /// A refinement stops when an iteration lowers J by less than this fraction.
    public var refineTolerance = 1e-5
    /// Passes of Hartigan's moves over the kept run when K >= `hartiganMinK`; 0 for none.
    /// From K = 16 at the default level: the kept run's J is then at or below the
    /// best k-means library's in 4 more of `bench/run --quality`'s 448 fits, for
    /// about 5 % more time at K = 64 and none measurable at 16.
    public var hartiganPasses = 5
    public var hartiganMinK = 16
    /// The kept run's last Lloyd iterations stop when J falls by less than
    /// this fraction; 0 runs to the fixed point (or `tolerance`).
    public var finalTolerance = 1e-6
    /// Work allowed to each Lloyd stage on all the colours, in colours x
    /// iterations: at most max(10, this / colours) iterations a stage, so that
    /// millions of colours (noise) are not iterated for minutes.
    public var fullWork = 100_000_000
    /// Lloyd iterations each stage on all the colours (the refinement, the
    /// last iterations) runs at most, whatever `fullWork` allows; >= 1.
    public var fullIterations = 300
    /// One-step swap trials (`swapped`) a centre given to the best search run
    /// before it is refined, where random swap trials are not (K outside
    /// `swapSearchK`), and on few colours before them; 0 for none.
    public var swapsPerCenter = 4
    /// Work allowed to the swaps, in trials x points: at most this / points
    /// trials, so that a large K (with --init kmeans++) does not cost K x points.
    public var swapWork = 60_000_000
    /// Random swap trials (`swapSearch`, each judged after `swapSearchSteps`
    /// Lloyd iterations) every finalist gets on the merged colours, or the best
    /// run on few colours, when K is in `swapSearchK`: there they replace the
    /// one-step swaps, which at such K keep almost none (a swap needs a few
    /// iterations to settle). This many up to K = 16, K / 16 times as many
    /// above (`swapSearchTrials(k:)`). 0 for none.
    public var swapSearchTrials = 40
    /// Lloyd iterations a random swap trial runs before it is judged, >= 1.
    public var swapSearchSteps = 4
    /// A random swap trial is given up after its step s (from 1) when its J
    /// (every cluster at its mean) is more than `swapTrialLimits[s - 1]` times
    /// the run's; none after the last listed. No kept trial was above half
    /// these margins (1.0087, 1.0026 and 1.0004 of the run's J after steps 1
    /// to 3 in 328 kept trials of 1,400, kmfit -k 16 and 64 on six of the
    /// bench's images), and a quarter of the steps at K = 16 were spent on
    /// trials above them (a tenth at K = 64).
    public var swapTrialLimits = [1.02, 1.005, 1.001]
    /// The K given random swap trials; above, the one-step swaps. Below, they
    /// find nothing (at K = 3 every seed's J on the bench is the same with or
    /// without them) and only add time.
    public var swapSearchK = 8...64

    /// Whether k centres get random swap trials (`swapSearchTrials`).
    func searchesSwaps(k: Int) -> Bool { swapSearchTrials > 0 && swapSearchSteps > 0 && swapSearchK.contains(k) }

    /// The random swap trials a finalist gets for k centres: `swapSearchTrials`
    /// up to k = 16, in proportion to k above. A trial's new centre is one of k
    /// places to try; at K = 64 with the trials of K = 16 the median of 8 seeds
    /// was above the best anchor's J on three of five photos (up to +0.19 %),
    /// with four times as many on none (bench/RESULTS.md).
    public func swapSearchTrials(k: Int) -> Int { swapSearchTrials * max(k, 16) / 16 }

    /// Up to this K (at most 32), an RGB palette's rounding is nudged on the
    /// integer grid where that lowers J (`nudged`: a sweep costs a pass over
    /// the colours and six trials on each entry's share of them).
    public static let nudgeMaxK = 32
    /// The nudge's sweeps at most (`nudged`); 0 for none.
    public var nudgeSweeps = 3

    /// From this K on, the default start is one split (splitCenters) instead
    /// of k-means++ restarts, whose seeding costs K^2.
    public var splitMinK = 1024
    /// A split start's run (its Lloyd iterations and last iterations) stops
    /// when an iteration lowers J by less than this fraction, if that is
    /// looser than `refineTolerance` and `finalTolerance`: at such K, J moves
    /// by hundredths of a per cent past 1e-4 (levels 1 and 2: 0, no change).
    public var splitTolerance = 1e-4

    /// The default start for k centres: k-means++ below `splitMinK`, else split.
    public func initialization(k: Int) -> Initialization {
        k < splitMinK ? .kmeansPlusPlus : .split
    }

    public init() {}

    /// One row of the speed table: the restarts at k = 16 and the fewest at
    /// any k, then the search settings.
    private struct Level {
        var restartsAt16, leastRestarts: Int
        var search: Search
        init(restartsAt16: Int, leastRestarts: Int, colorsPerCenter: Int, tolerance: Double,
             finalists: Int, refine: Double, hartiganPasses: Int, hartiganMinK: Int, last: Double, swaps: Int,
             searchTrials: Int, nudgeSweeps: Int, fullIterations: Int = 300, split: Double = 1e-4,
             largeKRestarts: Int = 2) {
            self.restartsAt16 = restartsAt16
            self.leastRestarts = leastRestarts
            search = Search()
            search.colorsPerCenter = colorsPerCenter
            search.relativeTolerance = tolerance
            search.finalists = finalists
            search.refineTolerance = refine
            search.hartiganPasses = hartiganPasses
            search.hartiganMinK = hartiganMinK
            search.finalTolerance = last
            search.swapsPerCenter = swaps
            search.swapSearchTrials = searchTrials
            search.nudgeSweeps = nudgeSweeps
            search.fullIterations = fullIterations
            search.splitTolerance = split
            search.largeKRestarts = largeKRestarts
        }
    }

    // Level 4 keeps level 3's 5 passes of Hartigan's moves from K = 128: after
    // 3, the last Lloyd iterations ran long (at K = 256 on the notebook's image,
    // 39 ms against 9 by stage timing) and level 4 took more time than level 3
    // (195 against 179 ms, hyperfine), with 5 less (168).
    // From level 4 on, each level drops some of the work on all the colours
    // (finalists, the nudge, then iterations) before the search on the merged
    // copy, which costs little at small K: at K = 16 the fastest levels spend
    // most of their time reading and counting the colours, where Lloyd to
    // 1e-3 from one coarse start on all of them cost more than two starts on
    // the copy to 1e-4 and two iterations on all (bench/run --levels).
    private static let levels: [Level] = [
        Level(restartsAt16: 20, leastRestarts: 4, colorsPerCenter: 400, tolerance: 1e-6, finalists: 4, refine: 1e-6,
              hartiganPasses: 10, hartiganMinK: 16, last: 0, swaps: 8, searchTrials: 40, nudgeSweeps: 3, split: 0,
              largeKRestarts: .max),
        Level(restartsAt16: 12, leastRestarts: 3, colorsPerCenter: 200, tolerance: 1e-5, finalists: 3, refine: 1e-5,
              hartiganPasses: 10, hartiganMinK: 16, last: 0, swaps: 6, searchTrials: 40, nudgeSweeps: 3, split: 0,
              largeKRestarts: .max),
        Level(restartsAt16: 10, leastRestarts: 3, colorsPerCenter: 150, tolerance: 1e-5, finalists: 2, refine: 1e-5,
              hartiganPasses: 5, hartiganMinK: 16, last: 1e-6, swaps: 4, searchTrials: 40, nudgeSweeps: 3),
        Level(restartsAt16: 8, leastRestarts: 2, colorsPerCenter: 100, tolerance: 1e-5, finalists: 1, refine: 1e-5,
              hartiganPasses: 5, hartiganMinK: 128, last: 1e-5, swaps: 2, searchTrials: 30, nudgeSweeps: 1),
        Level(restartsAt16: 6, leastRestarts: 2, colorsPerCenter: 80, tolerance: 1e-4, finalists: 1, refine: 1e-4,
              hartiganPasses: 2, hartiganMinK: 128, last: 1e-4, swaps: 1, searchTrials: 20, nudgeSweeps: 0),
        Level(restartsAt16: 5, leastRestarts: 2, colorsPerCenter: 60, tolerance: 1e-4, finalists: 1, refine: 1e-4,
              hartiganPasses: 0, hartiganMinK: 0, last: 1e-4, swaps: 1, searchTrials: 10, nudgeSweeps: 0,
              fullIterations: 10),
        Level(restartsAt16: 4, leastRestarts: 1, colorsPerCenter: 40, tolerance: 1e-4, finalists: 1, refine: 1e-3,
              hartiganPasses: 0, hartiganMinK: 0, last: 1e-3, swaps: 1, searchTrials: 0, nudgeSweeps: 0,
              fullIterations: 6),
        Level(restartsAt16: 3, leastRestarts: 1, colorsPerCenter: 30, tolerance: 1e-4, finalists: 1, refine: 1e-3,
              hartiganPasses: 0, hartiganMinK: 0, last: 1e-3, swaps: 0, searchTrials: 0, nudgeSweeps: 0,
              fullIterations: 4),
        Level(restartsAt16: 2, leastRestarts: 1, colorsPerCenter: 20, tolerance: 1e-4, finalists: 1, refine: 1e-3,
              hartiganPasses: 0, hartiganMinK: 0, last: 1e-3, swaps: 0, searchTrials: 0, nudgeSweeps: 0,
              fullIterations: 3),
        Level(restartsAt16: 2, leastRestarts: 1, colorsPerCenter: 10, tolerance: 1e-4, finalists: 1, refine: 1e-3,
              hartiganPasses: 0, hartiganMinK: 0, last: 1e-3, swaps: 0, searchTrials: 0, nudgeSweeps: 0,
              fullIterations: 2),
    ]

    /// The settings of speed `level`, 1 (slowest, lowest J) to 10 (fastest),
    /// and the restarts it runs for k centres: fewer as k grows, since the
    /// spread of J between restarts shrinks (about 10 x sqrt(16 / k) at level 3;
    /// `largeKRestarts` caps them above `finalistsMaxK`, few colours double them).
    public static func level(_ level: Int, k: Int) -> (search: Search, restarts: Int) {
        precondition((1...10).contains(level))
        let row = levels[level - 1]
        let scaled = (Double(row.restartsAt16) * (16 / Double(max(k, 1))).squareRoot()).rounded()
        return (row.search, min(row.restartsAt16, max(row.leastRestarts, Int(scaled))))
    }
}
