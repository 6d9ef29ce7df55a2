/// Hartigan's single-point moves after Lloyd: a point leaves its cluster for
/// the nearest other one whenever that lowers J once both means move with it,
/// which Lloyd (points to the nearest mean, means after) cannot see. Each move
/// lowers J strictly, so the result is never worse than `start`.
///
/// The first `fixed` centres stay where they are (fixed colours): points still
/// join and leave them, a change in J of their weight x squared distance to it.
///
/// Passes over the points in order, at most `passes` of them, until one moves
/// nothing. `labels`, each point's nearest of `start` when known, saves a search. Returns the new centres (the clusters' means, the fixed ones as
/// they were) and the moves made. Each pass's candidate clusters are searched
/// on up to `threads` threads before its moves, which run in order: the same
/// result for any thread count.
func hartigan(_ points: WeightedPoints, from start: [ColorPoint], passes: Int,
              fixed: Int = 0, labels: [Int32]? = nil, threads: Int = 1) -> (centers: [ColorPoint], moves: Int) {
    let n = points.count, k = start.count
    var label = labels ?? BoundedAssignment(points, start).labels
    var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
    for i in 0..<n {
        let j = Int(label[i])
        sums[j] += points.point(i) * points.weight[i]
        weights[j] += points.weight[i]
    }
    var centers = (0..<k).map { $0 >= fixed && weights[$0] > 0 ? sums[$0] / weights[$0] : start[$0] }
    var moves = 0
    for _ in 0..<passes {
        // The candidates come from the centres at the start of the pass; the
        // test itself uses the means as they are.
        let index = CenterIndex(centers)
        // Each point's two nearest of them, searched up front (they depend on nothing the
        // moves change): in pieces of a fixed size, so on any number of threads.
        let piece = 4096
        let nearest = Parallel.map((n + piece - 1) / piece, threads: threads) { j in
            (j * piece..<min(n, (j + 1) * piece)).map { i -> SIMD2<Int32> in
                let (first, _, second, _) = index.twoNearestIDs(points.point(i))
                return SIMD2(Int32(first), Int32(second))
            }
        }
        var moved = 0
        for i in 0..<n {
            let p = points.point(i), w = points.weight[i]
            let a = Int(label[i])
            // A cluster that moves keeps a point; a fixed one may empty.
            guard a < fixed || weights[a] > w else { continue }
            let two = nearest[i / piece][i % piece], first = Int(two.x), second = Int(two.y)
            let b = first == a ? second : first
            guard b >= 0 else { continue }
            let da = p - centers[a], db = p - centers[b]
            // The change in J per unit weight: a mean moves with the point, a fixed centre does not.
            let leave = (a < fixed ? 1 : weights[a] / (weights[a] - w)) * (da * da).sum()
            let join = (b < fixed ? 1 : weights[b] / (weights[b] + w)) * (db * db).sum()
            guard join < leave else { continue }
            let wp = p * w
            sums[a] -= wp; weights[a] -= w
            sums[b] += wp; weights[b] += w
            if a >= fixed { centers[a] = sums[a] / weights[a] }
            if b >= fixed { centers[b] = sums[b] / weights[b] }
            label[i] = Int32(b)
            moved += 1
        }
        moves += moved
        if moved == 0 { break }
    }
    return (centers, moves)
}
