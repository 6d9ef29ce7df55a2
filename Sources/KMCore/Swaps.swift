/// Swaps of one centre for a colour, each kept only when it lowers J (random
/// swap clustering, Fränti 2018, with the swap chosen as in Lattanzi and
/// Sohler's local search for k-means++, 2019). A candidate colour is drawn
/// with probability proportional to weight x squared distance to its nearest
/// centre, where the palette serves worst. J with the candidate in place of
/// each centre follows for all centres at once from every point's two nearest
/// centres, so the centre whose loss costs least is the one swapped out; the
/// points then go to their nearest of the new centres, every cluster moves to
/// its mean (one Lloyd step), and the swap is kept when that J is lower. A
/// trial costs two passes over the points, none over pairs of centres: Lloyd
/// alone cannot leave a local minimum this way, since a swap moves a centre
/// across the cube, from colours several share to colours none serves well.
///
/// The first `fixed` centres are never swapped out nor moved. Each pass is
/// shared by `threads` in pieces of 2,048 points, whatever their number, so
/// the result does not depend on it. Returns the centres and how many swaps were kept.
/// `searchAll` searches every point again after a kept swap, not only those
/// whose two nearest may have changed (the same result, for tests).
func swapped(_ points: WeightedPoints, _ start: [ColorPoint], trials: Int, fixed: Int, threads: Int = 1,
             searchAll: Bool = false, rng: inout SeededGenerator) -> (centers: [ColorPoint], kept: Int) {
    let n = points.count, k = start.count
    guard k > fixed, n > k, trials > 0 else { return (start, 0) }
    var centers = start
    // Per point (n entries each): coordinates, weight, two nearest centres and
    // their squared distances, weight x the nearest's, squared distance to the candidate.
    let xs = UncheckedArray(points.x), ys = UncheckedArray(points.y), zs = UncheckedArray(points.z)
    let ts = UncheckedArray(points.w), ws = UncheckedArray(points.weight)
    let label = UncheckedArray<Int32>(repeating: 0, count: n), second = UncheckedArray<Int32>(repeating: 0, count: n)
    let d1 = UncheckedArray<Double>(repeating: 0, count: n), d2 = UncheckedArray<Double>(repeating: 0, count: n)
    let mass = UncheckedArray<Double>(repeating: 0, count: n), dq = UncheckedArray<Double>(repeating: 0, count: n)
    // Every pass is split in the same pieces whatever `threads`, its partial
    // results added in piece order: the result does not depend on `threads`.
    // In bounds below: i < n within a piece; labels, second and `out` < k.
    let piece = 2048, pieces = (n + piece - 1) / piece
    func range(_ c: Int) -> Range<Int> { c * piece..<min(n, (c + 1) * piece) }
    @inline(__always) func point(_ i: Int) -> ColorPoint { ColorPoint(xs[i], ys[i], zs[i], ts[i]) }
    var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
    var squares = 0.0
    for i in 0..<n { squares += ws[i] * (point(i) * point(i)).sum() }
    var total = 0.0
    /// Every point's two nearest centres, and the clusters' sums. After a
    /// kept swap (`before`: the centres before it, `out`: the slot swapped),
    /// few centres have moved (Lloyd's step moves those whose cluster changed,
    /// the others by a rounding at most): a point's two nearest are then found
    /// among its old two, `out`, and the moved centres that can have come
    /// nearer than its old second (none nearer than its distance to it less
    /// how far it moved); every other centre is where it was, at least as far
    /// as that second. Only where the nearer two of those are no nearer than
    /// the old second is the point searched again. The same two as a search,
    /// to the bit (ties in second place aside, which the search breaks by its walk).
    func assign(before: [ColorPoint]? = nil, out: Int = -1) {
        let index = CenterIndex(centers), now = centers
        // The moved centres but `out`, farthest moved first, and how far.
        var movedBy: [(j: Int, by: Double)] = []
        if let before {
            for j in 0..<k where j != out && now[j] != before[j] {
                let e = now[j] - before[j]
                movedBy.append((j, (e * e).sum().squareRoot()))
            }
            movedBy.sort { ($0.by, $1.j) > ($1.by, $0.j) }
        }
        let moved = UncheckedArray(movedBy.map(\.j)), by = UncheckedArray(movedBy.map(\.by))
        /// i's two nearest (ties to the lower index) from its old two, `out`
        /// and the moved centres, when they are nearer than its old second; else nil.
        @inline(__always) func kept(_ i: Int, _ p: ColorPoint) -> (Int, Double, Int, Double)? {
            let a = Int(label[i]), b = Int(second[i]), old = d2[i]
            var two = TwoNearest()
            // The squared distance as CenterIndex measures it (same terms, same order).
            @inline(__always) func consider(_ j: Int) {
                let e = now[j] - p
                two.consider(j, e.x * e.x + e.y * e.y + e.z * e.z + e.w * e.w)
            }
            consider(a)
            consider(b)
            if out != a && out != b { consider(out) }
            // In bounds: m < moved.count == by.count; moved entries < k.
            let reach = old.squareRoot() * (1 - 1e-9)
            for m in 0..<moved.count {
                let j = moved[m]
                if by[m] * (1 + 1e-9) < reach - two.far.squareRoot() * (1 + 1e-9) { break }
                if j != a && j != b { consider(j) }
            }
            // Every other centre is as far as it was, at least `old` (computed alike): exact, no margin.
            return two.far < old || (two.far == old && two.next == b) ? (two.best, two.near, two.next, two.far) : nil
        }
        let parts = Parallel.map(pieces, threads: threads) { c -> (Double, [ColorPoint], [Double]) in
            var t = 0.0, s = [ColorPoint](repeating: .zero, count: k), w = [Double](repeating: 0, count: k)
            for i in range(c) {
                let p = point(i)
                let (best, near, next, far) = (before == nil ? nil : kept(i, p)) ?? index.twoNearestIDs(p)
                (label[i], second[i], d1[i], d2[i]) = (Int32(best), Int32(next), near, far)
                mass[i] = ws[i] * near
                t += mass[i]
                s[best] += p * ws[i]
                w[best] += ws[i]
            }
            return (t, s, w)
        }
        total = 0
        for j in 0..<k { (sums[j], weights[j]) = (.zero, 0) }
        for (t, s, w) in parts {
            total += t
            for j in 0..<k { sums[j] += s[j]; weights[j] += w[j] }
        }
    }
    assign()
    var kept = 0
    for _ in 0..<trials {
        guard total > 0 else { break }
        let q = point(draw(count: n, total: total, rng: &rng) { mass[$0] })
        // Removing centre j with q added costs delta[j] more than adding q alone.
        let deltas = Parallel.map(pieces, threads: threads) { c -> [Double] in
            var delta = [Double](repeating: 0, count: k)
            for i in range(c) {
                let e = point(i) - q
                dq[i] = (e * e).sum()
                delta[Int(label[i])] += ws[i] * (min(dq[i], d2[i]) - min(dq[i], d1[i]))
            }
            return delta
        }
        var delta = [Double](repeating: 0, count: k)
        for part in deltas { for j in 0..<k { delta[j] += part[j] } }
        var out = fixed
        for j in fixed..<k where delta[j] < delta[out] { out = j }
        /// Point i's cluster once q is in slot `out`.
        @inline(__always) func destination(_ i: Int) -> Int {
            swapDestination(from: Int(label[i]), second: Int(second[i]), out: out, d1: d1[i], d2: d2[i], dq: dq[i])
        }
        // The clusters with q in slot `out`, and J once each is at its mean.
        let changes = Parallel.map(pieces, threads: threads) { c -> ([ColorPoint], [Double])? in
            var s: [ColorPoint] = [], w: [Double] = []
            for i in range(c) {
                let from = Int(label[i]), to = destination(i)
                guard to != from else { continue }
                if s.isEmpty { (s, w) = ([ColorPoint](repeating: .zero, count: k), [Double](repeating: 0, count: k)) }
                let wp = point(i) * ws[i]
                s[from] -= wp; w[from] -= ws[i]
                s[to] += wp; w[to] += ws[i]
            }
            return s.isEmpty ? nil : (s, w)
        }
        var s = sums, w = weights
        for case let (cs, cw)? in changes { for j in 0..<k { s[j] += cs[j]; w[j] += cw[j] } }
        var between = 0.0
        for j in 0..<k where w[j] > 0.5 {
            if j < fixed {
                between += 2 * (centers[j] * s[j]).sum() - w[j] * (centers[j] * centers[j]).sum()
            } else {
                between += (s[j] * s[j]).sum() / w[j]
            }
        }
        guard squares - between < total * (1 - 1e-9) else { continue }
        // That J again, point by point (the difference of sums above loses
        // digits when J is a tiny part of the squares).
        var moved = centers
        moved[out] = q
        for j in fixed..<k where w[j] > 0.5 { moved[j] = s[j] / w[j] }
        let afters = Parallel.map(pieces, threads: threads) { c -> Double in
            var after = 0.0
            for i in range(c) {
                let e = point(i) - moved[destination(i)]
                after += ws[i] * (e * e).sum()
            }
            return after
        }
        guard afters.reduce(0, +) < total * (1 - 1e-9) else { continue }
        let before = centers
        centers = moved
        kept += 1
        assign(before: searchAll ? nil : before, out: out)
    }
    return (centers, kept)
}

/// A point's cluster once centre `out` is replaced by a colour q: q's slot
/// when q is nearer than its nearest centre (`from`, squared distance `d1`),
/// or when `from` is the one replaced and q is no farther than its second
/// (`second`, `d2`); else `second` if `from` was replaced, else `from`. `dq`:
/// its squared distance to q.
@inline(__always)
func swapDestination(from: Int, second: Int, out: Int, d1: Double, d2: Double, dq: Double) -> Int {
    dq < d1 ? out : from == out ? (dq <= d2 ? out : second) : from
}

/// Random swap clustering (Fränti 2018) from `start`: each trial swaps one
/// centre for a colour, both chosen as in `swapped` (the colour drawn by
/// weight x squared distance to its nearest centre, the centre whose loss
/// costs least with it in place), then runs up to `steps` Lloyd iterations
/// from there; the swap is kept when J is then lower. Lloyd needs a few
/// iterations to settle a swap (a cluster gone from one place, a new one
/// elsewhere): judged after one, as `swapped` judges, most good swaps at
/// small K look worse than where they started.
///
/// A trial's first labels and distance bounds follow from every point's two
/// nearest centres and its distance to the colour, without a search. The
/// first `options.fixed.count` centres are never swapped out nor moved.
/// One thread. Returns the run (its centres, J, the iterations of the kept
/// trials added to `start`'s) and how many swaps were kept.
func swapSearch(_ points: WeightedPoints, from start: KMeansRun, trials: Int, steps: Int,
                options: KMeansOptions, rng: inout SeededGenerator) -> (run: KMeansRun, kept: Int) {
    let n = points.count, k = start.centers.count, fixed = options.fixed.count
    guard k > fixed, k >= 2, n > k, trials > 0, steps > 0 else { return (start, 0) }
    var run = start, kept = 0
    var settle = options
    settle.maxIterations = steps
    // Per point (n entries each): the two nearest centres and their squared
    // distances, weight x the nearest's, the squared distance to the colour.
    let label = UncheckedArray<Int32>(repeating: 0, count: n), second = UncheckedArray<Int32>(repeating: 0, count: n)
    let d1 = UncheckedArray<Double>(repeating: 0, count: n), d2 = UncheckedArray<Double>(repeating: 0, count: n)
    let mass = UncheckedArray<Double>(repeating: 0, count: n), dq = UncheckedArray<Double>(repeating: 0, count: n)
    var total = 0.0
    // In bounds below: i < n; labels and `out` < k.
    func measure() {
        let index = CenterIndex(run.centers)
        total = 0
        for i in 0..<n {
            let (best, near, next, far) = index.twoNearestIDs(points.point(i))
            (label[i], second[i], d1[i], d2[i]) = (Int32(best), Int32(next), near, far)
            mass[i] = points.weight[i] * near
            total += mass[i]
        }
        // J of the centres as they are (a trial is judged against it).
        run.cost = total / points.totalWeight
    }
    measure()
    // One assignment for every trial (the points copied once), restarted by each.
    var assignment = BoundedAssignment(points, k: k) { i in (label[i], d1[i].squareRoot(), d2[i].squareRoot()) }
    for _ in 0..<trials {
        guard total > 0 else { break }
        let q = points.point(draw(count: n, total: total, rng: &rng) { mass[$0] })
        var delta = [Double](repeating: 0, count: k)
        for i in 0..<n {
            let e = points.point(i) - q
            dq[i] = (e * e).sum()
            delta[Int(label[i])] += points.weight[i] * (min(dq[i], d2[i]) - min(dq[i], d1[i]))
        }
        var out = fixed
        for j in fixed..<k where delta[j] < delta[out] { out = j }
        // Each point's cluster with q in slot `out`, its distance to it, and a
        // lower bound on its distance to every other (the third nearest old
        // centre is no nearer than the second).
        assignment.restart(k: k) { i in
            let from = Int(label[i]), to = swapDestination(from: from, second: Int(second[i]), out: out,
                                                            d1: d1[i], d2: d2[i], dq: dq[i])
            let lost = from == out
            return to == out ? (Int32(out), dq[i].squareRoot(), (lost ? d2[i] : d1[i]).squareRoot())
                : (Int32(to), (lost ? d2[i] : d1[i]).squareRoot(), min(dq[i], d2[i]).squareRoot())
        }
        var centers = run.centers
        centers[out] = q
        let trial = lloydLabelled(points, from: centers, assignment: &assignment, options: settle).run
        guard trial.cost < run.cost * (1 - 1e-9) else { continue }
        run.centers = trial.centers
        run.iterations += trial.iterations
        kept += 1
        measure()
    }
    return (run, kept)
}
