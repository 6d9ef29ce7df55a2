/// Swaps of one centre for a colour, each kept only when it lowers J (random
/// swap clustering, Fränti 2018, with the swap chosen as in Lattanzi and
/// Sohler's local search for k-means++, 2019). A candidate colour is drawn
/// with probability proportional to weight x squared distance to its nearest
/// centre, where the palette serves worst. J with the candidate in place of
/// each centre follows for all centres at once from every point's two nearest
/// centres, so the centre whose loss costs least is the one swapped out; the
/// points then go to their nearest of the new centres, every cluster moves to
/// its mean (one Lloyd step), and the swap is kept when that J is lower.
/// Lloyd alone cannot leave a local minimum this way, since a swap moves a
/// centre across the cube, from colours several share to colours none serves well.
///
/// A trial reads only the points the candidate comes nearer to than their
/// second nearest centre (and the swapped-out cluster): losing its nearest
/// costs every other point the same whatever the candidate, summed once a
/// cluster when the two nearest are found. Such points are found by blocks of
/// nearby points (Morton order), each block passed over whole when the
/// candidate is farther from its bounding box than any of its points' second
/// nearest. At K = 256 on a photo's merged copy a trial so reads about a
/// tenth of the points, under 1 % of them near it (kmfit -k 256 on three of
/// the bench's photos).
///
/// The first `fixed` centres are never swapped out nor moved. The passes over
/// all the points (finding the two nearest, J after a promising trial) are
/// shared by `threads` in pieces of 2,048 points, whatever their number (the
/// blocks a kept swap can reach, in runs of 64 blocks); a
/// trial's reads run on one thread: the result does not depend on `threads`.
/// Returns the centres and how many swaps were kept.
/// `searchAll` searches every point again after a kept swap, not only those
/// whose two nearest may have changed, and reads every block in a trial (the
/// same result, for tests).
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
    // The points in blocks near one another, and the largest squared distance
    // to the second nearest centre among each block's points (kept by `assign`).
    let blocks = PointBlocks(points)
    let farthest = UncheckedArray<Double>(repeating: 0, count: blocks.count)
    // Per centre: weight x (second nearest - nearest) summed over its points,
    // what losing it costs them when the candidate is no nearer than their
    // second (`loss`); its points (`members[start[j]..<start[j + 1]]`).
    var loss = [Double](repeating: 0, count: k)
    var start = [Int](repeating: 0, count: k + 1)
    let members = UncheckedArray<Int32>(repeating: 0, count: n)
    // The trial in which each point was last found near the candidate (its dq then set).
    let nearIn = UncheckedArray<Int>(repeating: -1, count: n)
    // The candidates' draw from `mass` (kept by `assign`).
    var masses = RunningMass(count: 0) { _ in 0 }
    /// Every point's two nearest centres, and the clusters' sums. After a
    /// kept swap (`before`: the centres before it, `out`: the slot swapped),
    /// few centres have moved (Lloyd's step moves those whose cluster changed,
    /// the others by a rounding at most): a point's two nearest then change
    /// only in a block of points that a moved centre (or `out`) was or is now
    /// no farther from than the block's farthest second nearest; elsewhere
    /// its entries stay as they are. In those blocks its two nearest are found
    /// among its old two, `out`, and the moved centres that now come that near
    /// the block; every other centre is where it was or farther than its old
    /// second. Only where the nearer two of those are no nearer than the old
    /// second is the point searched again. The same two as a search, to the
    /// bit, ties included (both go to the lower index).
    func assign(before: [ColorPoint]? = nil, out: Int = -1) {
        let index = CenterIndex(centers), now = centers
        // The blocks where a point's two nearest may have changed: those no
        // farther than their farthest second nearest from a moved centre, where
        // it was or where it is (`out` too: the centre replaced, now the
        // candidate). Elsewhere every point's two nearest are where they were,
        // at the same distances, and its entries stay as they are. Per open
        // block, the moved centres but `out` that can have come nearer to its
        // points than their second nearest: near[first[b]..<first[b + 1]].
        let open = UncheckedArray<Bool>(repeating: before == nil, count: blocks.count)
        var first = [Int](repeating: 0, count: blocks.count + 1), near: [Int32] = []
        if let before {
            let moved = (0..<k).filter { $0 != out && now[$0] != before[$0] }
            // By runs of blocks, their lists joined in order.
            let run = 64, runs = (blocks.count + run - 1) / run
            let lists = Parallel.map(runs, threads: threads) { r -> (counts: [Int], near: [Int32]) in
                var counts: [Int] = [], near: [Int32] = []
                // In bounds: b < blocks.count, the count of open and farthest.
                for b in r * run..<min(blocks.count, (r + 1) * run) {
                    let reach = farthest[b] * (1 + 1e-9)
                    var isOpen = blocks.gap(b, before[out]) <= reach || blocks.gap(b, now[out]) <= reach
                    let listed = near.count
                    for j in moved {
                        let comes = blocks.gap(b, now[j]) <= reach
                        if comes { near.append(Int32(j)) }
                        isOpen = isOpen || comes || blocks.gap(b, before[j]) <= reach
                    }
                    open[b] = isOpen
                    counts.append(near.count - listed)
                }
                return (counts, near)
            }
            var b = 0
            for list in lists {
                for count in list.counts { first[b + 1] = first[b] + count; b += 1 }
                near += list.near
            }
        }
        let nearStart = UncheckedArray(first), nearCenters = UncheckedArray(near)
        /// i's two nearest (ties to the lower index) from its old two, `out`
        /// and the moved centres that can have come nearer to its block than
        /// its old second, when they are nearer than that second; else nil.
        @inline(__always) func kept(_ i: Int, _ p: ColorPoint, block: Int) -> (Int, Double, Int, Double)? {
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
            // In bounds: the block's range of nearCenters; its entries < k.
            for t in nearStart[block]..<nearStart[block + 1] {
                let j = Int(nearCenters[t])
                if j != a && j != b { consider(j) }
            }
            // Every other centre is as far as it was, at least `old` (computed alike): exact, no margin.
            return two.far < old || (two.far == old && two.next == b) ? (two.best, two.near, two.next, two.far) : nil
        }
        let parts = Parallel.map(pieces, threads: threads) { c -> (Double, [ColorPoint], [Double], [Double]) in
            var t = 0.0, s = [ColorPoint](repeating: .zero, count: k), w = [Double](repeating: 0, count: k)
            var l = [Double](repeating: 0, count: k)
            for i in range(c) {
                let p = point(i), block = Int(blocks.block[i])
                let (best, near, next, far) = !open[block] ? (Int(label[i]), d1[i], Int(second[i]), d2[i])
                    : (before == nil ? nil : kept(i, p, block: block)) ?? index.twoNearestIDs(p)
                (label[i], second[i], d1[i], d2[i]) = (Int32(best), Int32(next), near, far)
                mass[i] = ws[i] * near
                t += mass[i]
                s[best] += p * ws[i]
                w[best] += ws[i]
                l[best] += ws[i] * (far - near)
            }
            return (t, s, w, l)
        }
        total = 0
        for j in 0..<k { (sums[j], weights[j], loss[j]) = (.zero, 0, 0) }
        for (t, s, w, l) in parts {
            total += t
            for j in 0..<k { sums[j] += s[j]; weights[j] += w[j]; loss[j] += l[j] }
        }
        masses = RunningMass(count: n) { mass[$0] }
        for b in 0..<blocks.count where open[b] {
            var most = 0.0
            for t in blocks.range(b) { most = max(most, d2[Int(blocks.order[t])]) }
            farthest[b] = most
        }
        for j in 0...k { start[j] = 0 }
        for i in 0..<n { start[Int(label[i]) + 1] += 1 }
        for j in 0..<k { start[j + 1] += start[j] }
        var fill = start
        // In bounds: fill[j] < start[j + 1] <= n while cluster j's points are placed.
        for i in 0..<n {
            members[fill[Int(label[i])]] = Int32(i)
            fill[Int(label[i])] += 1
        }
    }
    assign()
    var kept = 0
    var near: [Int32] = []
    for trial in 0..<trials {
        guard total > 0 else { break }
        let q = point(masses.draw(total: total, rng: &rng))
        // Removing centre j with q added costs delta[j] more than adding q alone:
        // loss[j], but where q is no farther than a point's second nearest.
        var delta = loss
        near.removeAll(keepingCapacity: true)
        for b in 0..<blocks.count {
            if blocks.gap(b, q) > farthest[b] && !searchAll { continue }
            for t in blocks.range(b) {
                let i = Int(blocks.order[t])
                let e = point(i) - q
                let d = (e * e).sum()
                guard d <= d2[i] else { continue }
                dq[i] = d
                nearIn[i] = trial
                near.append(Int32(i))
                delta[Int(label[i])] += ws[i] * ((d - min(d, d1[i])) - (d2[i] - d1[i]))
            }
        }
        var out = fixed
        for j in fixed..<k where delta[j] < delta[out] { out = j }
        /// Point i's cluster once q is in slot `out` (farther than its second
        /// nearest when not found near it in this trial).
        @inline(__always) func destination(_ i: Int) -> Int {
            let from = Int(label[i])
            guard nearIn[i] == trial else { return from == out ? Int(second[i]) : from }
            return swapDestination(from: from, second: Int(second[i]), out: out, d1: d1[i], d2: d2[i], dq: dq[i])
        }
        // The clusters with q in slot `out`, and J once each is at its mean:
        // only the points near q and those of `out` can change cluster.
        var s = sums, w = weights
        @inline(__always) func move(_ i: Int) {
            let from = Int(label[i]), to = destination(i)
            guard to != from else { return }
            let wp = point(i) * ws[i]
            s[from] -= wp; w[from] -= ws[i]
            s[to] += wp; w[to] += ws[i]
        }
        for i in near { move(Int(i)) }
        for t in start[out]..<start[out + 1] where nearIn[Int(members[t])] != trial { move(Int(members[t])) }
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
/// nearest centres and its distance to the colour, without a search. A trial
/// whose J after a step is still too far above the run's to come below it
/// (`Search.swapTrialLimits`) is given up there. The
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
    let limits = options.search.swapTrialLimits
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
        let bar = run.cost
        let trial = lloydLabelled(points, from: centers, assignment: &assignment, options: settle) { step, cost in
            step <= limits.count && cost > bar * limits[step - 1]
        }.run
        guard trial.cost < run.cost * (1 - 1e-9) else { continue }
        run.centers = trial.centers
        run.iterations += trial.iterations
        kept += 1
        measure()
    }
    return (run, kept)
}
