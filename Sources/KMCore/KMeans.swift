/// How the first centres of a k-means run are chosen.
public enum Initialization: String, CaseIterable, Sendable {
    /// Greedy k-means++: each new centre is the best of a few candidates drawn
    /// with probability proportional to weight x squared distance to the nearest centre.
    case kmeansPlusPlus = "kmeans++"
    /// K distinct colours drawn as random pixels (the notebook's method).
    case random
    /// One deterministic start, the means of a top-down variance split
    /// (splitCenters): one run, whatever the restarts.
    case split
}

/// Settings of a k-means fit.
public struct KMeansOptions: Sendable {
    /// Number of centres, >= 1.
    public var k = 16
    /// Independent runs from different starts; the lowest-cost run is kept. >= 1
    /// (`runs(colors:)` says how many are made: more on few colours, fewer at large K).
    public var restarts = 10
    /// Upper bound on Lloyd iterations per run, >= 1.
    public var maxIterations = 300
    /// A run stops when no centre moved farther than this (the points' units:
    /// the unit cube for RGB)
    /// (or when no point changed cluster). >= 0.
    public var tolerance = 1e-7
    public var initialization = Initialization.kmeansPlusPlus
    public var seed: UInt64 = 1
    /// Centres to start from (the points' coordinates), say an earlier frame's palette: then
    /// there is one run, from the `fixed` centres and then the first `k - fixed.count` of
    /// these that are not fixed ones, completed by k-means++ when there are fewer;
    /// `restarts` and `initialization` are unused.
    public var start: [ColorPoint]? = nil
    /// Centres that never move (the points' coordinates), say a brand colour or
    /// pure white: every run has them as its first centres, and the other
    /// `k - fixed.count` are fitted around them. Lloyd leaves them where they are,
    /// with or without points; Hartigan's moves take points into and out of
    /// them but never move them. Distinct, at most `k` of them.
    public var fixed: [ColorPoint] = []
    /// Threads to use, >= 1. Results do not depend on it.
    public var threads = 1
    /// How the restarts search before the best are refined (k-means++ starts only).
    public var search = Search()
    /// Give every run its J on all the colours, also those not refined (for
    /// reports: it costs one pass over the colours a run).
    public var scoreEveryRun = false

    public init() {}

    /// The runs `kmeans` makes on `colors` points (distinct colours): one from
    /// `start` or a split; with k-means++ starts, `search.fewColorsRestarts`
    /// times the restarts on few colours (`search.isFew`), else at most
    /// `search.largeKRestarts` above `search.finalistsMaxK` centres; else the restarts.
    public func runs(colors: Int) -> Int {
        if !(start ?? []).isEmpty || initialization == .split { return 1 }
        guard initialization == .kmeansPlusPlus else { return restarts }
        if search.isFew(colors) { return restarts * max(search.fewColorsRestarts, 1) }
        return k > search.finalistsMaxK ? min(restarts, max(search.largeKRestarts, 1)) : restarts
    }
}

/// One k-means run.
public struct KMeansRun: Sendable {
    /// 0-based restart number.
    public var restart: Int
    /// Centres as ColorPoints (for opaque RGB, the unit cube; with alpha,
    /// premultiplied), the fixed ones first.
    public var centers: [ColorPoint]
    /// Weighted mean squared distance of the points to their nearest centre (J).
    public var cost: Double
    /// Lloyd iterations done.
    public var iterations: Int
}

/// k-means over weighted points: `restarts` runs, each seeded from its own
/// random stream, and the best returned. `report` sees every run, in restart order.
///
/// With k-means++ starts, as `options.search` says: the restarts run on a
/// merged copy of the points (colours merged in bins of the RGB cube, each bin
/// its weighted mean) that costs a fraction of the full set; the lowest merged
/// J gets swap trials there (`swapped`); the finalists, the lowest merged J
/// first, are refined on all the points; the best of them (ties to the
/// earlier) gets Hartigan's moves at large K and the last Lloyd iterations,
/// and is returned. Runs not refined are reported with their J on all the
/// points when `options.scoreEveryRun`, else NaN. Without a merged copy (few
/// colours) or with random starts, every run is iterated on all the points
/// and the lowest-cost one returned (ties to the earlier restart); with
/// k-means++ it first gets the swaps, Hartigan's moves and last iterations on
/// all the points, and few colours get `search.fewColorsRestarts` times the
/// restarts. A split start is one run: the split, Lloyd, the same polish.
/// Every run starts from `options.fixed` and keeps them (see there).
/// Requires more points than centres to fit (`k - fixed.count`).
public func kmeans(_ points: WeightedPoints, options: KMeansOptions,
                   report: (KMeansRun) -> Void = { _ in }) -> KMeansRun {
    let fixed = options.fixed, free = options.k - fixed.count
    precondition(options.k >= 1 && free >= 0 && points.count >= free)
    if let given = options.start, !given.isEmpty {
        var rng = SeededGenerator(seed: options.seed, stream: 0)
        let moving = given.filter { !fixed.contains($0) }.prefix(free)
        let start = kmeansPlusPlus(points, k: options.k, rng: &rng, given: fixed + moving)
        let run = lloyd(points, from: start, options: options, threads: options.threads)
        report(run)
        return run
    }
    if options.initialization == .split {
        var options = options
        options.search.refineTolerance = max(options.search.refineTolerance, options.search.splitTolerance)
        options.search.finalTolerance = max(options.search.finalTolerance, options.search.splitTolerance)
        var start = fixed + splitCenters(points, k: free)
        if start.count < options.k {
            var rng = SeededGenerator(seed: options.seed, stream: 0)
            start = kmeansPlusPlus(points, k: options.k, rng: &rng, given: start)
        }
        let (first, labels) = lloydLabelled(points, from: start, options: options,
                                            relativeTolerance: options.search.refineTolerance, threads: options.threads)
        let run = polished(first, points, options: options, maxIterations: options.maxIterations, labels: labels)
        report(run)
        return run
    }
    guard options.initialization == .kmeansPlusPlus, let merged = points.merged(forK: options.k, search: options.search) else {
        // Few colours get more restarts: each costs little.
        var runs = Parallel.map(options.runs(colors: points.count), threads: options.threads) { r in
            var rng = SeededGenerator(seed: options.seed, stream: r)
            let start: [ColorPoint]
            switch options.initialization {
            case .kmeansPlusPlus: start = kmeansPlusPlus(points, k: options.k, rng: &rng, given: fixed)
            case .random, .split: start = fixed + randomPixels(points, k: free, rng: &rng) // (split returned above)
            }
            return lloyd(points, from: start, options: options, threads: options.restarts == 1 ? options.threads : 1)
        }
        for r in runs.indices { runs[r].restart = r }
        if options.initialization == .kmeansPlusPlus {
            let best = lowest(runs)
            // Both kinds of swaps: on so few colours the one-step ones are cheap and still find some.
            var swapped = afterSwaps(runs[best], points, options: options)
            if options.search.searchesSwaps(k: options.k) {
                swapped = afterSwapSearch(swapped, points, stream: 0, options: options)
            }
            runs[best] = polished(swapped, points, options: options, maxIterations: options.maxIterations)
        }
        return keepBest(runs, report: report)
    }
    let search = options.search
    var runs = Parallel.map(options.runs(colors: points.count), threads: options.threads) { r in
        var rng = SeededGenerator(seed: options.seed, stream: r)
        let start = kmeansPlusPlus(merged, k: options.k, rng: &rng, given: fixed)
        var run = lloyd(merged, from: start, options: options, relativeTolerance: search.relativeTolerance)
        run.restart = r
        return run
    }
    // The finalists: the lowest merged J, given swaps there, then refined on all the colours.
    let refinedCount = options.k > search.finalistsMaxK ? 1 : max(search.finalists, 1)
    let finalists = Array(runs.indices.sorted { (runs[$0].cost, $0) < (runs[$1].cost, $1) }.prefix(refinedCount))
    if search.searchesSwaps(k: options.k) {
        let searched = Parallel.map(finalists.count, threads: options.threads) { f in
            afterSwapSearch(runs[finalists[f]], merged, stream: f, options: options)
        }
        for f in finalists.indices { runs[finalists[f]] = searched[f] }
    } else {
        runs[finalists[0]] = afterSwaps(runs[finalists[0]], merged, options: options)
    }
    var full = options
    full.maxIterations = min(options.maxIterations, search.fullIterations, max(10, search.fullWork / points.count))
    // On few enough colours the finalists side by side, the threads shared
    // between them; on more, each on all the threads in turn (there its passes
    // keep the threads busy, and a second assignment's tables would cost memory).
    // The result does not depend on the threads.
    let sideBySide = points.count <= search.sideBySideMaxColors ? min(finalists.count, max(options.threads, 1)) : 1
    let labelled = Parallel.map(finalists.count, threads: sideBySide) { f in
        lloydLabelled(points, from: runs[finalists[f]].centers, options: full, relativeTolerance: search.refineTolerance,
                      threads: max(1, options.threads / sideBySide))
    }
    var refined = labelled.map(\.run)
    let winner = lowest(refined)
    refined[winner] = polished(refined[winner], points, options: options, maxIterations: full.maxIterations,
                               labels: labelled[winner].labels)
    // J on all the colours for the runs not refined, when asked for (NaN otherwise).
    let scores: [Double?] = options.scoreEveryRun
        ? Parallel.map(runs.count, threads: options.threads) { r in
            finalists.contains(r) ? nil : cost(points, runs[r].centers, BoundedAssignment(points, runs[r].centers).labels)
        }
        : Array(repeating: nil, count: runs.count)
    for r in runs.indices {
        if let i = finalists.firstIndex(of: r) {
            let iterations = runs[r].iterations + refined[i].iterations
            runs[r] = refined[i]
            runs[r].restart = r
            runs[r].iterations = iterations
        } else {
            runs[r].cost = scores[r] ?? .nan
        }
    }
    for run in runs { report(run) }
    return runs[finalists[winner]]
}

/// The run after `options.search`'s swap trials on `points`, each kept when it lowers J.
private func afterSwaps(_ run: KMeansRun, _ points: WeightedPoints, options: KMeansOptions) -> KMeansRun {
    let trials = min(options.search.swapsPerCenter * options.k, options.search.swapWork / max(points.count, 1))
    guard trials > 0 else { return run }
    var rng = SeededGenerator(seed: options.seed, stream: Int.max)
    let swaps = swapped(points, run.centers, trials: trials, fixed: options.fixed.count, threads: options.threads, rng: &rng)
    guard swaps.kept > 0 else { return run }
    var out = lloyd(points, from: swaps.centers, options: options, relativeTolerance: options.search.refineTolerance)
    out.restart = run.restart
    out.iterations += run.iterations
    return out
}

/// The run after `options.search`'s random swap trials on `points` (`swapSearch`,
/// its own random stream `stream` of the seed), then Lloyd to the refining
/// tolerance; the run as it was when no swap is kept.
private func afterSwapSearch(_ run: KMeansRun, _ points: WeightedPoints, stream: Int,
                             options: KMeansOptions) -> KMeansRun {
    var rng = SeededGenerator(seed: options.seed, stream: Int.max - 1 - stream)
    let search = options.search
    let (swapped, kept) = swapSearch(points, from: run, trials: search.swapSearchTrials(k: options.k),
                                     steps: search.swapSearchSteps, options: options, rng: &rng)
    guard kept > 0 else { return run }
    var out = lloyd(points, from: swapped.centers, options: options, relativeTolerance: search.refineTolerance)
    out.restart = run.restart
    out.iterations += swapped.iterations
    return out
}

/// The kept run polished on all the points, as `options.search` says:
/// Hartigan's moves at large K, then Lloyd to the last tolerance (at most
/// `maxIterations` iterations); the run as it was when neither applies.
/// `labels`, each point's nearest of the run's centres when known, saves Hartigan a search.
private func polished(_ run: KMeansRun, _ points: WeightedPoints, options: KMeansOptions,
                      maxIterations: Int, labels: [Int32]? = nil) -> KMeansRun {
    let search = options.search
    var run = run, centers = run.centers
    let hartigan = search.hartiganPasses > 0 && options.k >= search.hartiganMinK
    if hartigan {
        centers = KMCore.hartigan(points, from: centers, passes: search.hartiganPasses, fixed: options.fixed.count,
                                  labels: labels, threads: options.threads).centers
    }
    if hartigan || search.finalTolerance < search.refineTolerance {
        var last = options
        last.maxIterations = maxIterations
        let polish = lloyd(points, from: centers, options: last, relativeTolerance: search.finalTolerance,
                           threads: options.threads)
        run.centers = polish.centers
        run.cost = polish.cost
        run.iterations += polish.iterations
    }
    return run
}

/// Reports every run in order and returns the lowest-cost one (ties to the earlier).
private func keepBest(_ runs: [KMeansRun], report: (KMeansRun) -> Void) -> KMeansRun {
    for run in runs { report(run) }
    return runs[lowest(runs)]
}

/// The index of the lowest-cost run (ties to the earlier).
private func lowest(_ runs: [KMeansRun]) -> Int {
    var best = 0
    for r in runs.indices where runs[r].cost < runs[best].cost { best = r }
    return best
}
