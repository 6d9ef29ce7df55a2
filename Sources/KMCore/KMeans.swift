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
    /// A run stops when no centre moved farther than this in the unit cube
    /// (or when no point changed cluster). >= 0.
    public var tolerance = 1e-7
    public var initialization = Initialization.kmeansPlusPlus
    public var seed: UInt64 = 1
    /// Centres to start from (unit cube), say an earlier frame's palette: then
    /// there is one run, from the first `k` of them, completed by k-means++
    /// when there are fewer than `k`; `restarts` and `initialization` are unused.
    public var start: [SIMD3<Double>]? = nil
    /// Threads to use, >= 1. Results do not depend on it.
    public var threads = 1

    public init() {}
}

/// One k-means run.
public struct KMeansRun: Sendable {
    /// 0-based restart number.
    public var restart: Int
    /// Centres in the unit cube.
    public var centers: [SIMD3<Double>]
    /// Weighted mean squared distance of the points to their nearest centre (J).
    public var cost: Double
    /// Lloyd iterations done.
    public var iterations: Int
}

/// Weighted points in the unit cube, stored as a structure of arrays.
public struct WeightedPoints: Sendable {
    public var x: [Double], y: [Double], z: [Double]
    public var weight: [Double]
    public var totalWeight: Double

    public var count: Int { weight.count }

    init(x: [Double], y: [Double], z: [Double], weight: [Double], totalWeight: Double) {
        (self.x, self.y, self.z, self.weight, self.totalWeight) = (x, y, z, weight, totalWeight)
    }

    /// The histogram's colours scaled to the unit cube, weighted by pixel count.
    public init(_ histogram: Histogram) {
        let (colors, counts) = histogram.entries()
        let m = Double(histogram.maxval)
        x = colors.map { Double($0.red) / m }
        y = colors.map { Double($0.green) / m }
        z = colors.map { Double($0.blue) / m }
        weight = counts.map { Double($0) }
        totalWeight = weight.reduce(0, +)
    }

    @inline(__always) func point(_ i: Int) -> SIMD3<Double> { SIMD3(x[i], y[i], z[i]) }
}

/// k-means over weighted points: `restarts` runs, each seeded from its own
/// random stream, the lowest-cost one returned (ties to the earlier restart).
/// `report` sees every run, in restart order.
///
/// With k-means++ starts and more than one restart, the restarts run on a
/// coarse copy of the points (colours merged in bins of the RGB cube, each bin
/// its weighted mean), which costs a fraction of the full set; the few best of
/// them, judged on the full points, are then iterated on the full points.
/// Requires `points.count >= options.k`.
public func kmeans(_ points: WeightedPoints, options: KMeansOptions,
                   report: (KMeansRun) -> Void = { _ in }) -> KMeansRun {
    precondition(options.k >= 1 && points.count >= options.k)
    if let given = options.start, !given.isEmpty {
        var rng = SeededGenerator(seed: options.seed, stream: 0)
        let start = kmeansPlusPlus(points, k: options.k, rng: &rng, given: Array(given.prefix(options.k)))
        let run = lloyd(points, from: start, options: options)
        report(run)
        return run
    }
    let coarse = options.initialization == .kmeansPlusPlus && options.restarts > 1
        ? points.coarsened(forK: options.k) : nil
    var runs = Parallel.map(options.restarts, threads: options.threads) { r in
        var rng = SeededGenerator(seed: options.seed, stream: r)
        let data = coarse ?? points
        let start: [SIMD3<Double>]
        switch options.initialization {
        case .kmeansPlusPlus: start = kmeansPlusPlus(data, k: options.k, rng: &rng)
        case .random: start = randomPixels(data, k: options.k, rng: &rng)
        }
        var run = lloyd(data, from: start, options: options)
        run.restart = r
        if coarse != nil {
            run.cost = cost(points, run.centers, BoundedAssignment(points, run.centers).labels)
        }
        return run
    }
    if coarse != nil {
        let finalists = runs.indices.sorted { (runs[$0].cost, $0) < (runs[$1].cost, $1) }.prefix(3)
        let refined = Parallel.map(finalists.count, threads: options.threads) { i in
            lloyd(points, from: runs[finalists[finalists.startIndex + i]].centers, options: options)
        }
        for (i, r) in finalists.enumerated() {
            let iterations = runs[r].iterations + refined[i].iterations
            runs[r] = refined[i]
            runs[r].restart = r
            runs[r].iterations = iterations
        }
    }
    var best = runs[0]
    for run in runs {
        report(run)
        if run.cost < best.cost { best = run }
    }
    return best
}

/// Lloyd iterations from `start` (centres in the unit cube) until a fixed
/// point, `options.tolerance` or `options.maxIterations`. Labels are kept by
/// distance bounds (BoundedAssignment): the labels of a full search at a
/// fraction of its cost. Requires `points.count >= start.count`.
public func lloyd(_ points: WeightedPoints, from start: [SIMD3<Double>], options: KMeansOptions) -> KMeansRun {
    var centers = start
    var assignment = BoundedAssignment(points, centers)
    var iterations = 0
    while iterations < options.maxIterations {
        let means = assignment.means()
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
            changed = assignment.rescanAll(points, centers)
        } else {
            changed = assignment.update(points, centers, moves: moves)
        }
        if changed == 0 || largest <= options.tolerance { break }
    }
    return KMeansRun(restart: 0, centers: centers,
                     cost: cost(points, centers, assignment.labels), iterations: iterations)
}

extension WeightedPoints {
    /// The points merged in cubic bins of side 2^-bits, each bin becoming the
    /// weighted mean of its points, with the finest bits in 4...7 that leave
    /// at most half the points; nil when no such bits leave 10 points per
    /// centre, or nothing is gained.
    func coarsened(forK k: Int) -> WeightedPoints? {
        var bits = 7
        while bits >= 4 {
            let merged = binned(bits: bits)
            if merged.count <= count / 2 {
                return merged.count >= 10 * k ? merged : nil
            }
            bits -= 1
        }
        return nil
    }

    func binned(bits: Int) -> WeightedPoints {
        let scale = Double(1 << bits)
        let top = (1 << bits) - 1
        func cell(_ v: Double) -> Int { min(Int(v * scale), top) }
        let bins = (0..<count).map { i in (cell(x[i]) << (2 * bits)) | (cell(y[i]) << bits) | cell(z[i]) }
        let order = (0..<count).sorted { (bins[$0], $0) < (bins[$1], $1) }
        var out = WeightedPoints(x: [], y: [], z: [], weight: [], totalWeight: totalWeight)
        var i = 0
        while i < order.count {
            let b = bins[order[i]]
            var sum = SIMD3<Double>.zero, w = 0.0
            while i < order.count && bins[order[i]] == b {
                sum += point(order[i]) * weight[order[i]]
                w += weight[order[i]]
                i += 1
            }
            let mean = sum / w
            out.x.append(mean.x); out.y.append(mean.y); out.z.append(mean.z)
            out.weight.append(w)
        }
        return out
    }
}

/// J of centres under the given labels.
func cost(_ points: WeightedPoints, _ centers: [SIMD3<Double>], _ labels: [Int32]) -> Double {
    var total = 0.0
    for i in 0..<points.count {
        let d = points.point(i) - centers[Int(labels[i])]
        total += points.weight[i] * (d * d).sum()
    }
    return total / points.totalWeight
}

/// Gives each empty cluster (nil mean) the point that costs most where it is.
func reseedEmpty(_ points: WeightedPoints, _ centers: inout [SIMD3<Double>],
                 means: [SIMD3<Double>?], labels: [Int32]) {
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
/// Points are grouped by their nearest centre, with each group's radius; a
/// candidate can only take points of groups whose centre lies within twice
/// the radius of it, so the other groups are never visited.
func kmeansPlusPlus(_ points: WeightedPoints, k: Int, rng: inout SeededGenerator,
                    given: [SIMD3<Double>] = []) -> [SIMD3<Double>] {
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
    var radius = members.map { group in group.reduce(0.0) { max($0, nearest[$1]) }.squareRoot() }
    var potential = 0.0
    for i in 0..<n { potential += points.weight[i] * nearest[i] }

    /// The groups a centre at q may take points from, and the total it would leave.
    func effect(of q: SIMD3<Double>) -> (groups: [Int], potential: Double) {
        var groups: [Int] = []
        var pot = potential
        for (j, c) in centers.enumerated() {
            let d = q - c
            guard (d * d).sum().squareRoot() < 2 * radius[j] else { continue }
            groups.append(j)
            for i in members[j] {
                let e = points.point(i) - q
                let dd = (e * e).sum()
                if dd < nearest[i] { pot -= points.weight[i] * (nearest[i] - dd) }
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
            var kept: [Int] = []
            var r = 0.0
            for i in members[j] {
                let e = points.point(i) - q
                let dd = (e * e).sum()
                if dd < nearest[i] {
                    nearest[i] = dd
                    owner[i] = newIndex
                    taken.append(i)
                } else {
                    kept.append(i)
                    r = max(r, nearest[i])
                }
            }
            members[j] = kept
            radius[j] = r.squareRoot()
        }
        members.append(taken)
        radius.append(taken.reduce(0.0) { max($0, nearest[$1]) }.squareRoot())
        potential = bestEffect.potential
    }
    return centers
}

/// K distinct colours drawn as random pixels: with probability proportional to
/// weight, without replacement.
func randomPixels(_ points: WeightedPoints, k: Int, rng: inout SeededGenerator) -> [SIMD3<Double>] {
    var mass = points.weight
    var total = points.totalWeight
    var centers: [SIMD3<Double>] = []
    for _ in 0..<k {
        let i = draw(mass, total: total, rng: &rng)
        centers.append(points.point(i))
        total -= mass[i]
        mass[i] = 0
    }
    return centers
}
