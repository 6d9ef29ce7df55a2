/// The K-colour palette with opacity for `histogram`, on the scale 0...`maxval`:
/// k-means on premultiplied points (RGBA.premultiplied: a difference costs what
/// it shows, so colours under alpha 0 cost nothing and faint ones little), the
/// cost J being the weighted mean squared distance between them (0 to 4).
///
/// `fixed` colours (on the scale 0...maxval; each once by premultiplied point,
/// so every fully transparent one is the same; at most K of them) are in the
/// palette as given and never move; K counts them. When the histogram has fully
/// transparent pixels, transparent black is one more fixed colour, so that
/// they stay exactly transparent, unless a fixed colour is already fully
/// transparent, the fixed colours fill K, or K is 1 (then the one colour is
/// fitted to every pixel). With `options.start` unused (it is 3-D), `start`
/// gives the run's first centres, as KMeansOptions.start does.
///
/// Runs `options.restarts` Lloyd runs (k-means++ or random-pixel starts, each
/// from its own random stream of `options.seed`) and keeps the lowest J. With
/// many colours, k-means++ runs iterate on a merged copy (the points' weighted
/// means in bins, AlphaPoints.merged) and the `options.search.finalists` best
/// are refined on all of them, as in the RGB fit.
/// `options.search` and Hartigan's moves are not used. The palette is ordered by
/// the pixels each colour takes, most first; `best.centers` is empty (the
/// centres are 4-D; the palette holds them rounded).
public func fitAlphaPalette(_ histogram: AlphaHistogram, options: KMeansOptions, maxval: Int = 255,
                            fixed: [RGBA] = [], start: [RGBA]? = nil,
                            report: (KMeansRun) -> Void = { _ in }) -> PaletteFit {
    let (colors, counts) = histogram.entries()
    let hm = histogram.maxval, k = options.k
    var fixedColors: [RGBA] = [], seen = Set<SIMD4<Double>>()
    for c in fixed where seen.insert(c.premultiplied(maxval: maxval)).inserted { fixedColors.append(c) }
    precondition(fixedColors.count <= k, "more fixed colours than K")
    if colors.first == .transparent && !seen.contains(.zero) && fixedColors.count < k && k > 1 {
        fixedColors.insert(.transparent, at: 0)
    }
    let fixedPoints = fixedColors.map { $0.premultiplied(maxval: maxval) }
    let points = AlphaPoints(points: colors.map { $0.premultiplied(maxval: hm) }, weights: counts.map { Double($0) })
    let others = colors.filter { !fixedPoints.contains($0.premultiplied(maxval: hm)) }
    var best: KMeansRun?
    var palette: [RGBA]
    if others.count <= k - fixedColors.count {
        palette = fixedColors
        for c in others.map({ $0.rescaled(from: hm, to: maxval) }) where !palette.contains(c) { palette.append(c) }
    } else {
        let given = start.map { $0.map { $0.premultiplied(maxval: maxval) } }
        let run = points.kmeans(k: k, fixed: fixedPoints, start: given, options: options, report: report)
        best = run.run
        palette = fixedColors + run.centers.dropFirst(fixedColors.count).map { RGBA(premultiplied: $0, maxval: maxval) }
    }
    let nearest = AlphaNearest(Palette(colors: palette.map(\.color), maxval: maxval, alphas: palette.map(\.alpha)))
        .search(maxval: hm)
    var shares = [Double](repeating: 0, count: palette.count), sum = 0.0
    for (c, n) in zip(colors, points.weights) {
        let (j, d) = nearest.index(c)
        shares[j] += n
        sum += n * d
    }
    let order = palette.indices.sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : palette[$0] < palette[$1] }
    let sorted = order.map { palette[$0] }
    return PaletteFit(palette: Palette(colors: sorted.map(\.color), maxval: maxval, alphas: sorted.map(\.alpha)),
                      cost: sum / points.total, best: best, distinctColors: colors.count)
}

/// Weighted premultiplied points.
struct AlphaPoints {
    var points: [SIMD4<Double>]
    var weights: [Double]
    var total: Double

    init(points: [SIMD4<Double>], weights: [Double]) {
        (self.points, self.weights) = (points, weights)
        total = weights.reduce(0, +)
    }

    /// The points merged in bins, each bin their weighted mean, as
    /// KMeans.merged does in 3-D: the coarsest of 4...6 bits an axis that
    /// leaves at least `perCenter` x k points, else the finest that leaves at
    /// most half of them; nil when none does, or when fewer than k are left.
    func merged(k: Int, perCenter: Int) -> AlphaPoints? {
        var kept: AlphaPoints?
        for bits in 4...6 {
            let merged = binned(bits: bits)
            if merged.points.count > points.count / 2 { break }
            kept = merged
            if merged.points.count >= perCenter * k { break }
        }
        guard let kept, kept.points.count >= k else { return nil }
        return kept
    }

    /// The points merged in bins of side 2^-bits of each axis (1...15), each
    /// bin becoming their weighted mean, in bin order.
    func binned(bits: Int) -> AlphaPoints {
        let side = 1 << bits
        var bins: [Int: Int] = [:], sums: [SIMD4<Double>] = [], weights: [Double] = [], keys: [Int] = []
        for (p, w) in zip(points, self.weights) {
            let c = SIMD4<Int>(p * Double(side), rounding: .down).clamped(lowerBound: .zero, upperBound: SIMD4(repeating: side - 1))
            let key = ((c.x << bits | c.y) << bits | c.z) << bits | c.w
            let j = bins[key] ?? { bins[key] = sums.count; sums.append(.zero); weights.append(0); keys.append(key); return sums.count - 1 }()
            sums[j] += p * w
            weights[j] += w
        }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        return AlphaPoints(points: order.map { sums[$0] / weights[$0] }, weights: order.map { weights[$0] })
    }

    /// The runs of fitAlphaPalette (see there), the best returned with its centres.
    func kmeans(k: Int, fixed: [SIMD4<Double>], start: [SIMD4<Double>]?, options: KMeansOptions,
                report: (KMeansRun) -> Void) -> (run: KMeansRun, centers: [SIMD4<Double>]) {
        let free = k - fixed.count
        if let start, !start.isEmpty {
            var rng = SeededGenerator(seed: options.seed, stream: 0)
            let moving = Array(start.filter { !fixed.contains($0) }.prefix(free))
            let centers = seed(k: k, given: fixed + moving, rng: &rng)
            let run = lloyd(from: centers, fixed: fixed.count, options: options, threads: options.threads)
            report(KMeansRun(restart: 0, centers: [], cost: run.cost, iterations: run.iterations))
            return (KMeansRun(restart: 0, centers: [], cost: run.cost, iterations: run.iterations), run.centers)
        }
        let copy = options.initialization == .kmeansPlusPlus ? merged(k: k, perCenter: options.search.colorsPerCenter) : nil
        let on = copy ?? self
        // Work on all the colours is bounded as the RGB fit bounds it: at most
        // max(10, fullWork / colours) iterations a run, so that noise is not iterated for minutes.
        var full = options
        full.maxIterations = min(options.maxIterations, max(10, options.search.fullWork / points.count))
        let runs = Parallel.map(options.restarts, threads: options.threads) { r in
            var rng = SeededGenerator(seed: options.seed, stream: r)
            let centers = options.initialization == .random
                ? fixed + on.randomPixels(free, rng: &rng) : on.seed(k: k, given: fixed, rng: &rng)
            return on.lloyd(from: centers, fixed: fixed.count, options: copy == nil ? full : options,
                            threads: options.restarts == 1 ? options.threads : 1)
        }
        // On a merged copy: the finalists, the lowest merged J first, refined on all the points.
        var outcome = runs
        var finalists = Array(runs.indices)
        if copy != nil {
            finalists = Array(runs.indices.sorted { (runs[$0].cost, $0) < (runs[$1].cost, $1) }.prefix(max(options.search.finalists, 1)))
            for r in finalists {
                let refined = lloyd(from: runs[r].centers, fixed: fixed.count, options: full, threads: options.threads)
                outcome[r] = (refined.centers, refined.cost, runs[r].iterations + refined.iterations)
            }
        }
        var winner = finalists[0]
        for r in finalists where (outcome[r].cost, r) < (outcome[winner].cost, winner) { winner = r }
        for r in runs.indices {
            let cost = finalists.contains(r) ? outcome[r].cost : options.scoreEveryRun ? self.cost(runs[r].centers) : .nan
            report(KMeansRun(restart: r, centers: [], cost: cost, iterations: outcome[r].iterations))
        }
        return (KMeansRun(restart: winner, centers: [], cost: outcome[winner].cost, iterations: outcome[winner].iterations),
                outcome[winner].centers)
    }

    /// Each point's nearest centre (ties to the lower index), its squared
    /// distance, and a lower bound on its distance (not squared) to every other
    /// centre; in pieces of 4096 points over `threads`.
    ///
    /// `last`, the labels and bounds before the centres moved and the largest
    /// move since, makes it faster and leaves the answer as it is: a point keeps
    /// its centre unsearched when its distance to it is below its bound less the
    /// largest move (Hamerly's test), or below half that centre's distance to
    /// any other (Elkan's); the others' searches start from it.
    func assign(_ centers: [SIMD4<Double>], threads: Int,
                last: (labels: [Int32], lower: [Double], moved: Double)? = nil)
        -> (labels: [Int32], distances: [Double], lower: [Double]) {
        let n = points.count
        var labels = [Int32](repeating: 0, count: n), distances = [Double](repeating: 0, count: n)
        var lower = [Double](repeating: 0, count: n)
        let pieces = (n + 4095) / 4096
        let search = NearestTree(centers, indices: Array(centers.indices))
        // A quarter of each centre's squared distance to its nearest other; both
        // tests a hair stricter than exact, so that rounding never lets a tie or a
        // nearer centre through.
        var keeps = [Double](repeating: .infinity, count: centers.count)
        if last != nil {
            for j in centers.indices {
                for k in centers.indices where k != j {
                    let d = centers[j] - centers[k]
                    keeps[j] = min(keeps[j], (d * d).sum() / 4 * (1 - 1e-9))
                }
            }
        }
        labels.withUnsafeMutableBufferPointer { labels in
            distances.withUnsafeMutableBufferPointer { distances in
                lower.withUnsafeMutableBufferPointer { lower in
                    let (labels, distances, lower) = (labels, distances, lower)
                    Parallel.forEach(pieces, threads: threads) { piece in
                        for i in piece * 4096..<min(n, (piece + 1) * 4096) {
                            var start: (Int, Double)?
                            if let last {
                                let j = Int(last.labels[i]), d = points[i] - centers[j], dd = (d * d).sum()
                                let bound = last.lower[i] - last.moved
                                if dd < keeps[j] || dd.squareRoot() * (1 + 1e-9) < bound * (1 - 1e-9) {
                                    labels[i] = Int32(j)
                                    distances[i] = dd
                                    lower[i] = bound
                                    continue
                                }
                                start = (j, dd)
                            }
                            let found = search.twoNearest(points[i], start: start)
                            labels[i] = Int32(found.index)
                            distances[i] = found.distance
                            lower[i] = found.second.squareRoot()
                        }
                    }
                }
            }
        }
        return (labels, distances, lower)
    }

    func cost(_ centers: [SIMD4<Double>]) -> Double {
        zip(assign(centers, threads: 1).distances, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
    }

    /// Lloyd iterations from `start` until no point changes centre, no centre
    /// moves farther than `options.tolerance`, J falls by less than
    /// `options.search.refineTolerance` of itself, or `options.maxIterations`.
    /// The first `fixed` centres never move; an empty one takes the point that
    /// costs most where it is.
    func lloyd(from start: [SIMD4<Double>], fixed: Int, options: KMeansOptions,
               threads: Int) -> (centers: [SIMD4<Double>], cost: Double, iterations: Int) {
        var centers = start
        var (labels, distances, lower) = assign(centers, threads: threads)
        var iterations = 0, last = Double.infinity
        while iterations < options.maxIterations {
            var sums = [SIMD4<Double>](repeating: .zero, count: centers.count)
            var mass = [Double](repeating: 0, count: centers.count)
            for i in points.indices {
                sums[Int(labels[i])] += points[i] * weights[i]
                mass[Int(labels[i])] += weights[i]
            }
            var largest = 0.0
            var taken = Set<Int>()
            for j in fixed..<centers.count {
                var next: SIMD4<Double>
                if mass[j] > 0 {
                    next = sums[j] / mass[j]
                } else {
                    var worst = 0, worstCost = -1.0
                    for i in points.indices where !taken.contains(i) && weights[i] * distances[i] > worstCost {
                        (worst, worstCost) = (i, weights[i] * distances[i])
                    }
                    taken.insert(worst)
                    next = points[worst]
                }
                let d = next - centers[j]
                largest = max(largest, (d * d).sum().squareRoot())
                centers[j] = next
            }
            iterations += 1
            let previous = labels
            (labels, distances, lower) = assign(centers, threads: threads, last: (previous, lower, largest))
            let j = zip(distances, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
            if labels == previous || largest <= options.tolerance || last - j <= options.search.refineTolerance * j { break }
            last = j
        }
        return (centers, zip(distances, weights).reduce(0) { $0 + $1.0 * $1.1 } / total, iterations)
    }

    /// k-means++ seeding (one candidate a centre, drawn with probability
    /// proportional to weight x squared distance to the nearest centre so far)
    /// after the `given` centres.
    func seed(k: Int, given: [SIMD4<Double>], rng: inout SeededGenerator) -> [SIMD4<Double>] {
        var centers = given.isEmpty ? [points[draw(weights, total: total, rng: &rng)]] : given
        var nearest = [Double](repeating: .infinity, count: points.count)
        var seen = 0
        while centers.count < k {
            for c in centers[seen...] {
                for i in points.indices {
                    let d = points[i] - c
                    nearest[i] = min(nearest[i], (d * d).sum())
                }
            }
            seen = centers.count
            let mass = zip(weights, nearest).map { $0 * $1 }
            let sum = mass.reduce(0, +)
            // Every point already a centre: the rest repeat the first (Lloyd reseeds empties).
            centers.append(sum > 0 ? points[draw(mass, total: sum, rng: &rng)] : centers[0])
        }
        return centers
    }

    /// `n` distinct points drawn as random pixels (probability proportional to weight).
    func randomPixels(_ n: Int, rng: inout SeededGenerator) -> [SIMD4<Double>] {
        var mass = weights, left = total, centers: [SIMD4<Double>] = []
        for _ in 0..<n {
            let i = draw(mass, total: left, rng: &rng)
            centers.append(points[i])
            left -= mass[i]
            mass[i] = 0
        }
        return centers
    }
}
