#if canImport(Glibc)
import Glibc
#endif

/// How the first centres of a k-means run are chosen.
public enum Initialization: String, CaseIterable, Sendable {
    /// Greedy k-means++: each new centre is the best of a few candidates drawn
    /// with probability proportional to weight x squared distance to the nearest centre.
    case kmeansPlusPlus = "kmeans++"
    /// K distinct colours drawn as random pixels (the notebook's method).
    case random
}

/// Settings of a k-means fit.
public struct KMeansOptions: Sendable {
    /// Number of centres, >= 1.
    public var k = 16
    /// Independent runs from different starts; the lowest-cost run is kept. >= 1.
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
}

/// How k-means++ restarts are searched: each runs on a copy of the colours
/// merged into cubic bins of the RGB cube (each bin its weighted mean) and stops
/// on a relative change of J; the best few, by that J, are refined on all the
/// colours; the best of those gets Hartigan's moves (large K) and last Lloyd
/// iterations.
public struct Search: Sendable {
    /// The merged copy is the coarsest of 4...6 bits a channel that leaves at
    /// least this many colours a centre (else the finest that halves them); > 0.
    public var colorsPerCenter = 200
    /// A search run stops when an iteration lowers its J by less than this
    /// fraction; 0 runs to the fixed point.
    public var relativeTolerance = 1e-5
    /// Runs refined on all the colours, the lowest merged J first; >= 1.
    public var finalists = 2
    /// A refinement stops when an iteration lowers J by less than this fraction.
    public var refineTolerance = 1e-5
    /// Passes of Hartigan's moves over the kept run when K >= `hartiganMinK`; 0 for none.
    public var hartiganPasses = 5
    public var hartiganMinK = 128
    /// The kept run's last Lloyd iterations stop when J falls by less than
    /// this fraction; 0 runs to the fixed point (or `tolerance`).
    public var finalTolerance = 1e-6
    /// Work allowed to each Lloyd stage on all the colours, in colours x
    /// iterations: at most max(10, this / colours) iterations a stage, so that
    /// millions of colours (noise) are not iterated for minutes.
    public var fullWork = 100_000_000

    public init() {}

    /// The settings of speed `level`, 1 (slowest, lowest J) to 10 (fastest),
    /// and the restarts it runs for k centres: fewer as k grows, since the
    /// spread of J between restarts shrinks (about 10 x sqrt(16 / k) at level 3).
    public static func level(_ level: Int, k: Int) -> (search: Search, restarts: Int) {
        precondition((1...10).contains(level))
        // restarts at k = 16, least restarts, colours a centre, search, finalists, refine, Hartigan passes, its least k, last
        let table: [(Int, Int, Int, Double, Int, Double, Int, Int, Double)] = [
            (20, 4, 400, 1e-6, 4, 1e-6, 10, 32, 0),
            (12, 3, 200, 1e-5, 3, 1e-5, 10, 64, 0),
            (10, 3, 200, 1e-5, 2, 1e-5, 5, 128, 1e-6),
            (8, 2, 100, 1e-4, 2, 1e-4, 3, 128, 1e-6),
            (6, 2, 80, 1e-4, 1, 1e-4, 2, 128, 1e-5),
            (4, 1, 40, 1e-4, 1, 1e-4, 0, 0, 1e-4),
            (3, 1, 20, 1e-3, 1, 1e-3, 0, 0, 1e-3),
            (2, 1, 20, 1e-3, 1, 1e-3, 0, 0, 1e-3),
            (1, 1, 10, 1e-2, 1, 1e-2, 0, 0, 1e-2),
            (1, 1, 10, 3e-2, 1, 3e-2, 0, 0, 3e-2),
        ]
        let t = table[level - 1]
        var search = Search()
        search.colorsPerCenter = t.2
        search.relativeTolerance = t.3
        search.finalists = t.4
        search.refineTolerance = t.5
        search.hartiganPasses = t.6
        search.hartiganMinK = t.7
        search.finalTolerance = t.8
        let scaled = (Double(t.0) * (16 / Double(max(k, 1))).squareRoot()).rounded()
        return (search, min(t.0, max(t.1, Int(scaled))))
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

/// A colour as a point where the fit measures distances: x, y, z its
/// coordinates in a ColorSpace (for RGB, the unit cube), premultiplied by its
/// opacity when it has one, and w its transparency, 1 - alpha (0...1): 0 for
/// every opaque colour, so that opaque colours are the same points with or
/// without alpha, and the squared distance between two colours is what one
/// shows over black where the other should be (RGBA.premultiplied).
public typealias ColorPoint = SIMD4<Double>

/// Weighted points (colours as ColorPoints), stored as a structure of arrays.
public struct WeightedPoints: Sendable {
    public var x: [Double], y: [Double], z: [Double]
    /// Transparency, 1 - alpha: all 0 when `isOpaque`.
    public var w: [Double]
    public var weight: [Double]
    public var totalWeight: Double
    /// A cube holding every point's x, y, z, where the merged copy's bins are
    /// cut (w is cut on 0...1).
    public var cube: (origin: SIMD3<Double>, side: Double) = (.zero, 1)
    /// Every w is 0.
    public var isOpaque: Bool

    public var count: Int { weight.count }

    init(x: [Double], y: [Double], z: [Double], w: [Double], weight: [Double], totalWeight: Double) {
        (self.x, self.y, self.z, self.w, self.weight, self.totalWeight) = (x, y, z, w, weight, totalWeight)
        isOpaque = !w.contains { $0 != 0 }
    }

    /// The histogram's colours at their points, weighted by pixel count:
    /// their coordinates in `space` (for `rgb`, the unit cube), or with alpha
    /// their premultiplied points (RGBA.point; `space` must be `rgb`).
    public init(_ histogram: Histogram, space: ColorSpace = .rgb) {
        if histogram.hasAlpha {
            precondition(space == .rgb)
            let (colors, counts) = histogram.colorsWithAlpha()
            let points = colors.map { $0.point(maxval: histogram.maxval) }
            self.init(x: points.map(\.x), y: points.map(\.y), z: points.map(\.z), w: points.map(\.w),
                      weight: counts.map { Double($0) }, totalWeight: counts.reduce(0) { $0 + Double($1) })
            return
        }
        let (colors, counts) = histogram.entries()
        let convert = space.converter(maxval: histogram.maxval)
        let points = colors.map { convert($0.red, $0.green, $0.blue) }
        let weight = counts.map { Double($0) }
        self.init(x: points.map(\.x), y: points.map(\.y), z: points.map(\.z), w: [Double](repeating: 0, count: points.count),
                  weight: weight, totalWeight: weight.reduce(0, +))
        cube = space.cube
    }

    @inline(__always) func point(_ i: Int) -> ColorPoint { ColorPoint(x[i], y[i], z[i], w[i]) }
}

/// k-means over weighted points: `restarts` runs, each seeded from its own
/// random stream, and the best returned. `report` sees every run, in restart order.
///
/// With k-means++ starts, as `options.search` says: the restarts run on a
/// merged copy of the points (colours merged in bins of the RGB cube, each bin
/// its weighted mean) that costs a fraction of the full set; the finalists, the
/// lowest merged J first, are refined on all the points; the best of them
/// (ties to the earlier) gets Hartigan's moves at large K and the last Lloyd
/// iterations, and is returned. Runs not refined are reported with their J on
/// all the points when `options.scoreEveryRun`, else NaN. Without a merged copy
/// (too few colours) or with random starts, every run is iterated on all the
/// points and the lowest-cost one returned (ties to the earlier restart).
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
    guard options.initialization == .kmeansPlusPlus, let merged = points.merged(forK: options.k, search: options.search) else {
        var runs = Parallel.map(options.restarts, threads: options.threads) { r in
            var rng = SeededGenerator(seed: options.seed, stream: r)
            let start: [ColorPoint]
            switch options.initialization {
            case .kmeansPlusPlus: start = kmeansPlusPlus(points, k: options.k, rng: &rng, given: fixed)
            case .random: start = fixed + randomPixels(points, k: free, rng: &rng)
            }
            return lloyd(points, from: start, options: options, threads: options.restarts == 1 ? options.threads : 1)
        }
        for r in runs.indices { runs[r].restart = r }
        return keepBest(runs, report: report)
    }
    let search = options.search
    var runs = Parallel.map(options.restarts, threads: options.threads) { r in
        var rng = SeededGenerator(seed: options.seed, stream: r)
        let start = kmeansPlusPlus(merged, k: options.k, rng: &rng, given: fixed)
        var run = lloyd(merged, from: start, options: options, relativeTolerance: search.relativeTolerance)
        run.restart = r
        return run
    }
    // The finalists: the lowest merged J, refined on all the colours.
    let finalists = Array(runs.indices.sorted { (runs[$0].cost, $0) < (runs[$1].cost, $1) }.prefix(max(search.finalists, 1)))
    var full = options
    full.maxIterations = min(options.maxIterations, max(10, search.fullWork / points.count))
    var refined = finalists.map { r in
        lloyd(points, from: runs[r].centers, options: full, relativeTolerance: search.refineTolerance, threads: options.threads)
    }
    var winner = 0
    for i in refined.indices where refined[i].cost < refined[winner].cost { winner = i }
    // The best of them: Hartigan's moves, then Lloyd to the last tolerance.
    var centers = refined[winner].centers
    let hartigan = search.hartiganPasses > 0 && options.k >= search.hartiganMinK
    if hartigan {
        centers = KMCore.hartigan(points, from: centers, passes: search.hartiganPasses, fixed: fixed.count).centers
    }
    if hartigan || search.finalTolerance < search.refineTolerance {
        let last = lloyd(points, from: centers, options: full, relativeTolerance: search.finalTolerance,
                         threads: options.threads)
        refined[winner].centers = last.centers
        refined[winner].cost = last.cost
        refined[winner].iterations += last.iterations
    }
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

/// Reports every run in order and returns the lowest-cost one (ties to the earlier).
private func keepBest(_ runs: [KMeansRun], report: (KMeansRun) -> Void) -> KMeansRun {
    var best = runs[0]
    for run in runs {
        report(run)
        if run.cost < best.cost { best = run }
    }
    return best
}

/// Lloyd iterations from `start` (centres in the points' coordinates) until a fixed
/// point, `options.tolerance` or `options.maxIterations`. Labels are kept by
/// distance bounds (BoundedAssignment): the labels of a full search at a
/// fraction of its cost. The first `options.fixed.count` centres of `start`
/// never move (their move is 0, so the bounds hold), nor are they reseeded when
/// empty. Requires `points.count >= start.count - options.fixed.count`.
public func lloyd(_ points: WeightedPoints, from start: [ColorPoint], options: KMeansOptions,
                  relativeTolerance: Double = 0, threads: Int = 1) -> KMeansRun {
    var centers = start
    let fixed = Array(start.prefix(options.fixed.count))
    var assignment = BoundedAssignment(points, centers, threads: threads)
    var iterations = 0
    var lastCost = Double.infinity
    while iterations < options.maxIterations {
        var means = assignment.means()
        for j in fixed.indices { means[j] = fixed[j] }
        var moves = [Double](repeating: 0, count: centers.count)
        for j in centers.indices {
            guard let m = means[j] else { continue }
            let d = m - centers[j]
            moves[j] = (d * d).sum().squareRoot()
            centers[j] = m
        }
        let largest = moves.max() ?? 0
        iterations += 1
        let changed: Int
        if means.contains(where: { $0 == nil }) {
            reseedEmpty(points, &centers, means: means, labels: assignment.labels)
            changed = assignment.rescanAll(points, centers, threads: threads)
        } else {
            changed = assignment.update(points, centers, moves: moves, threads: threads)
        }
        if changed == 0 || largest <= options.tolerance { break }
        if relativeTolerance > 0 {
            let j = assignment.cost(fixed: fixed)
            if lastCost - j <= relativeTolerance * j { break }
            lastCost = j
        }
    }
    return KMeansRun(restart: 0, centers: centers,
                     cost: cost(points, centers, assignment.labels), iterations: iterations)
}

extension WeightedPoints {
    /// The points merged in cubic bins of side 2^-bits, each bin becoming the
    /// weighted mean of its points: the coarsest bits in 4...6 that leave at
    /// least `search.colorsPerCenter` x k bins, or else the finest that leaves
    /// at most half the points; nil when none does, or when fewer than k are left.
    func merged(forK k: Int, search: Search) -> WeightedPoints? {
        var kept: WeightedPoints?
        for bits in 4...6 {
            let merged = binned(bits: bits)
            if merged.count > count / 2 { break }
            kept = merged
            if merged.count >= search.colorsPerCenter * k { break }
        }
        guard let kept, kept.count >= k else { return nil }
        return kept
    }

    /// The points merged in cubic bins of side 2^-bits (1...7) (with
    /// transparency, w cut in as many), each bin becoming the weighted mean of
    /// its points, in bin order.
    func binned(bits: Int) -> WeightedPoints {
        precondition((1...7).contains(bits))
        let side = 1 << bits, scale = Double(side), top = side - 1
        let (origin, extent) = cube
        @inline(__always) func cell(_ v: Double, _ o: Double, _ e: Double) -> Int { min(max(Int((v - o) / e * scale), 0), top) }
        // Opaque points: a table of every cube bin; otherwise a dictionary of the bins used.
        var table = [Int32](repeating: -1, count: isOpaque ? side * side * side : 0)
        var used: [Int: Int32] = [:]
        var keys: [Int] = [], sums: [ColorPoint] = [], weights: [Double] = []
        for i in 0..<count {
            let b = (cell(x[i], origin.x, extent) << (2 * bits)) | (cell(y[i], origin.y, extent) << bits) | cell(z[i], origin.z, extent)
            let key = isOpaque ? b : b << bits | cell(w[i], 0, 1)
            var j = isOpaque ? table[key] : used[key, default: -1]
            if j < 0 {
                j = Int32(sums.count)
                if isOpaque { table[key] = j } else { used[key] = j }
                keys.append(key)
                sums.append(.zero)
                weights.append(0)
            }
            sums[Int(j)] += point(i) * weight[i]
            weights[Int(j)] += weight[i]
        }
        // In bin order, so that the copy does not depend on the points' order.
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        let means = order.map { sums[$0] / weights[$0] }
        var out = WeightedPoints(x: means.map(\.x), y: means.map(\.y), z: means.map(\.z), w: means.map(\.w),
                                 weight: order.map { weights[$0] }, totalWeight: totalWeight)
        out.cube = cube
        return out
    }
}

/// J of centres under the given labels.
func cost(_ points: WeightedPoints, _ centers: [ColorPoint], _ labels: [Int32]) -> Double {
    var total = 0.0
    for i in 0..<points.count {
        let d = points.point(i) - centers[Int(labels[i])]
        total += points.weight[i] * (d * d).sum()
    }
    return total / points.totalWeight
}

/// Gives each empty cluster (nil mean) the point that costs most where it is.
func reseedEmpty(_ points: WeightedPoints, _ centers: inout [ColorPoint],
                 means: [ColorPoint?], labels: [Int32]) {
    var taken = Set<Int>()
    for j in centers.indices where means[j] == nil {
        var worst = 0, worstCost = -1.0
        for i in 0..<points.count where !taken.contains(i) {
            let d = points.point(i) - centers[Int(labels[i])]
            let e = points.weight[i] * (d * d).sum()
            if e > worstCost { worstCost = e; worst = i }
        }
        taken.insert(worst)
        centers[j] = points.point(worst)
    }
}

/// Index of a point drawn with probability proportional to `mass`.
func draw(_ mass: [Double], total: Double, rng: inout SeededGenerator) -> Int {
    let target = rng.unit() * total
    var acc = 0.0
    for (i, m) in mass.enumerated() {
        acc += m
        if acc > target && m > 0 { return i }
    }
    return mass.lastIndex { $0 > 0 } ?? 0
}

/// Greedy k-means++ seeding with 2 + ln k candidates per centre: each
/// candidate is drawn with probability proportional to weight x squared
/// distance to the nearest centre so far, and the one that lowers the total
/// most is kept. With `given` centres, only the missing ones are chosen.
///
/// Points are grouped by their nearest centre, each group sorted by distance
/// to it (rounded up to a Float), farthest first. A candidate at distance D
/// from a group's centre can only take the group's points farther than D / 2
/// from that centre (the triangle inequality), so each group is read only down
/// to there, and groups whose farthest point is nearer are not read at all.
func kmeansPlusPlus(_ points: WeightedPoints, k: Int, rng: inout SeededGenerator,
                    given: [ColorPoint] = []) -> [ColorPoint] {
    let n = points.count
    let trials = 2 + Int(log(Double(k)))
    var centers = given.isEmpty ? [points.point(draw(points.weight, total: points.totalWeight, rng: &rng))] : given
    if centers.count >= k { return centers }
    var nearest = [Double](repeating: .infinity, count: n)
    var owner = [Int](repeating: 0, count: n)
    for i in 0..<n {
        for (j, c) in centers.enumerated() {
            let d = points.point(i) - c
            let dd = (d * d).sum()
            if dd < nearest[i] { nearest[i] = dd; owner[i] = j }
        }
    }
    var members = [[Int]](repeating: [], count: centers.count)
    for i in 0..<n { members[owner[i]].append(i) }
    for j in members.indices { members[j] = farthestFirst(members[j], nearest) }
    var radius = members.map { group in (group.first.map { Double(roundedUp(nearest[$0])) } ?? 0).squareRoot() }
    var potential = 0.0
    for i in 0..<n { potential += points.weight[i] * nearest[i] }

    /// The groups a centre at q may take points from, and the total it would leave.
    func effect(of q: ColorPoint) -> (groups: [Int], potential: Double) {
        var groups: [Int] = []
        var pot = potential
        for (j, c) in centers.enumerated() {
            let d = q - c
            let dd = (d * d).sum()
            guard dd < 4 * radius[j] * radius[j] else { continue }
            groups.append(j)
            let limit = dd / 4
            for i in members[j] {
                if Double(roundedUp(nearest[i])) <= limit { break }
                let e = points.point(i) - q
                let ee = (e * e).sum()
                if ee < nearest[i] { pot -= points.weight[i] * (nearest[i] - ee) }
            }
        }
        return (groups, pot)
    }

    while centers.count < k {
        // All candidates in one pass over the cumulative mass.
        let targets = (0..<trials).map { _ in rng.unit() * potential }.sorted()
        var candidates: [Int] = []
        var acc = 0.0, last = 0
        for i in 0..<n where candidates.count < trials {
            let m = points.weight[i] * nearest[i]
            guard m > 0 else { continue }
            acc += m
            last = i
            while candidates.count < trials && acc > targets[candidates.count] { candidates.append(i) }
        }
        while candidates.count < trials { candidates.append(last) }

        var best = candidates[0]
        var bestEffect = effect(of: points.point(best))
        for c in candidates.dropFirst() {
            let e = effect(of: points.point(c))
            if e.potential < bestEffect.potential { best = c; bestEffect = e }
        }
        let q = points.point(best)
        let newIndex = centers.count
        centers.append(q)
        var taken: [Int] = []
        for j in bestEffect.groups {
            // Still farthest first: those not taken keep their order.
            let d = q - centers[j]
            let limit = (d * d).sum() / 4
            var kept: [Int] = []
            kept.reserveCapacity(members[j].count)
            for (at, i) in members[j].enumerated() {
                if Double(roundedUp(nearest[i])) <= limit {
                    kept.append(contentsOf: members[j][at...])
                    break
                }
                let e = points.point(i) - q
                let dd = (e * e).sum()
                if dd < nearest[i] {
                    nearest[i] = dd
                    owner[i] = newIndex
                    taken.append(i)
                } else {
                    kept.append(i)
                }
            }
            members[j] = kept
            radius[j] = (kept.first.map { Double(roundedUp(nearest[$0])) } ?? 0).squareRoot()
        }
        taken = farthestFirst(taken, nearest)
        members.append(taken)
        radius.append((taken.first.map { Double(roundedUp(nearest[$0])) } ?? 0).squareRoot())
        potential = bestEffect.potential
    }
    return centers
}

/// `d` rounded up to a Float: never below `d`, so that a list sorted by it
/// can be cut where it falls to a bound.
@inline(__always) private func roundedUp(_ d: Double) -> Float {
    let f = Float(d)
    return Double(f) < d ? f.nextUp : f
}

/// `group` ordered by `distance` rounded up to a Float, largest first (ties to
/// the lower index). Distances are >= 0, whose Float bits sort as the values.
private func farthestFirst(_ group: [Int], _ distance: [Double]) -> [Int] {
    var keys = group.map { UInt64(UInt32.max - roundedUp(distance[$0]).bitPattern) << 32 | UInt64($0) }
    keys.sort()
    return keys.map { Int(UInt32(truncatingIfNeeded: $0)) }
}

/// K distinct colours drawn as random pixels: with probability proportional to
/// weight, without replacement.
func randomPixels(_ points: WeightedPoints, k: Int, rng: inout SeededGenerator) -> [ColorPoint] {
    var mass = points.weight
    var total = points.totalWeight
    var centers: [ColorPoint] = []
    for _ in 0..<k {
        let i = draw(mass, total: total, rng: &rng)
        centers.append(points.point(i))
        total -= mass[i]
        mass[i] = 0
    }
    return centers
}

