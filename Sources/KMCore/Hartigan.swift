/// Hartigan's single-point moves after Lloyd: a point leaves its cluster for
/// the nearest other one whenever that lowers J once both means move with it,
/// which Lloyd (points to the nearest mean, means after) cannot see. Each move
/// lowers J strictly, so the result is never worse than `start`.
///
/// The first `fixed` centres stay where they are (fixed colours): points still
/// join and leave them, a change in J of their weight x squared distance to it.
///
/// Passes over the points in order, at most `passes` of them, until one moves
/// nothing. A point's candidate is the nearest other centre as the pass began.
/// `labels`, each point's nearest of `start` when known, saves a search.
/// Returns the new centres (the clusters' means, the fixed ones as they were)
/// and the moves made.
///
/// After the first pass, a point is passed over without a search when its
/// distance to every other centre, as last searched less the farthest any
/// centre has been since from where it was then, shows that joining one would
/// cost more than leaving its own saves: the same moves as searching every
/// point every pass (at K = 16 to 256 a pass makes tens to hundreds of moves
/// among tens of thousands of colours). Searches made as a pass begins run on up to
/// `threads` threads, the moves in order: the same result for any thread count.
func hartigan(_ points: WeightedPoints, from start: [ColorPoint], passes: Int,
              fixed: Int = 0, labels: [Int32]? = nil, threads: Int = 1) -> (centers: [ColorPoint], moves: Int) {
    let n = points.count, k = start.count
    let label = UncheckedArray(labels ?? BoundedAssignment(points, start).labels)
    var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
    for i in 0..<n {
        let j = Int(label[i])
        sums[j] += points.point(i) * points.weight[i]
        weights[j] += points.weight[i]
    }
    var centers = (0..<k).map { $0 >= fixed && weights[$0] > 0 ? sums[$0] / weights[$0] : start[$0] }
    // Per point, from its last search: the pass that made it (-1 before any),
    // the nearest centre and the nearest other than its own as that pass
    // began, and the distance to the latter (-inf once the point moves, so
    // that it is searched again).
    let searched = UncheckedArray<Int32>(repeating: -1, count: n)
    let first = UncheckedArray<Int32>(repeating: 0, count: n), second = UncheckedArray<Int32>(repeating: 0, count: n)
    let other = UncheckedArray<Double>(repeating: 0, count: n)
    // Per pass begun: its centres, and the farthest any has been from them since.
    var began: [[ColorPoint]] = [], farthest: [Double] = []
    // The searches the last pass made: after one that made more than one in
    // `upFront` points, a pass searches up front, on the threads, the points
    // whose bounds already fail (at K = 256 a third to half of them; at 16 one
    // in fifty, where a pass over all the points up front costs more than it saves).
    var moves = 0, searches = 0
    let upFront = 8
    for pass in 0..<passes {
        let index = CenterIndex(centers)
        began.append(centers)
        farthest.append(0)
        // The lightest cluster that moves with a point, or a lower weight:
        // joining any costs at least this fraction of the squared distance (a
        // fixed one all of it).
        var lightest = (fixed..<k).map { weights[$0] }.min() ?? .infinity
        // In bounds below: i < n, every per-point table's count; labels and
        // the indices from twoNearestIDs are below k.
        @inline(__always) func search(_ i: Int, _ p: ColorPoint, _ a: Int) {
            let (near, d1, next, d2) = index.twoNearestIDs(p)
            (first[i], second[i], other[i], searched[i]) = (Int32(near), Int32(next), (near == a ? d2 : d1).squareRoot(), Int32(pass))
        }
        if pass == 0 || searches * upFront > n {
            // Pieces of a fixed size, each writing only its own points.
            let piece = 4096
            let counts = Parallel.map((n + piece - 1) / piece, threads: threads) { [weights, centers, farthest, lightest] j in
                var count = 0
                for i in j * piece..<min(n, (j + 1) * piece) {
                    let a = Int(label[i]), w = points.weight[i], p = points.point(i)
                    guard let leave = leaving(p, w, a, centers, weights, fixed: fixed) else { continue }
                    if searched[i] >= 0 && stays(leave, reach: other[i] - farthest[Int(searched[i])], lightest: lightest, weight: w) {
                        continue
                    }
                    search(i, p, a)
                    count += 1
                }
                return count
            }
            searches = counts.reduce(0, +)
        } else {
            searches = 0
        }
        var movedNow = 0
        for i in 0..<n {
            let a = Int(label[i]), w = points.weight[i], p = points.point(i)
            guard let leave = leaving(p, w, a, centers, weights, fixed: fixed) else { continue }
            if searched[i] != pass {
                if searched[i] >= 0 && stays(leave, reach: other[i] - farthest[Int(searched[i])], lightest: lightest, weight: w) {
                    continue
                }
                search(i, p, a)
                searches += 1
            }
            let b = first[i] == a ? Int(second[i]) : Int(first[i])
            guard b >= 0 else { continue }
            let db = p - centers[b]
            // A mean moves with the point, a fixed centre does not.
            let join = (b < fixed ? 1 : weights[b] / (weights[b] + w)) * (db * db).sum()
            guard join < leave else { continue }
            let wp = p * w
            sums[a] -= wp; weights[a] -= w
            sums[b] += wp; weights[b] += w
            for j in 0..<2 {
                let j = j == 0 ? a : b
                guard j >= fixed else { continue }
                centers[j] = sums[j] / weights[j]
                for s in 0...pass {
                    let d = centers[j] - began[s][j]
                    farthest[s] = max(farthest[s], (d * d).sum().squareRoot())
                }
            }
            // Only a's weight fell: the least stays a bound from below without a search of all k.
            if a >= fixed { lightest = min(lightest, weights[a]) }
            label[i] = Int32(b)
            other[i] = -.infinity
            movedNow += 1
        }
        moves += movedNow
        if movedNow == 0 { break }
    }
    return (centers, moves)
}

/// Whether a point whose leaving its cluster would lower J by `leave` per unit
/// weight stays: every other centre is at least `reach` from it (a last
/// search's distance less the farthest any centre has been since from where
/// it was then; <= 0 says nothing), and joining one costs at least the
/// lightest moving cluster's share of that squared (its weight over its weight
/// plus the point's). A margin of 1e-9 leaves ties to the exact test.
@inline(__always)
private func stays(_ leave: Double, reach: Double, lightest: Double, weight: Double) -> Bool {
    reach > 0 && leave * (1 + 1e-9) < min(1, lightest / (lightest + weight)) * reach * reach
}

/// What leaving cluster a saves per unit weight for point p of weight w: its
/// squared distance, scaled as the cluster's mean moves away with it (a fixed
/// centre does not move). Nil when it may not leave: a cluster that moves keeps
/// its last point (a fixed one may empty).
@inline(__always)
private func leaving(_ p: ColorPoint, _ w: Double, _ a: Int, _ centers: [ColorPoint], _ weights: [Double],
                     fixed: Int) -> Double? {
    guard a < fixed || weights[a] > w else { return nil }
    let d = p - centers[a]
    return (a < fixed ? 1 : weights[a] / (weights[a] - w)) * (d * d).sum()
}
