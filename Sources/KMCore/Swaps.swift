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
/// The first `fixed` centres are never swapped out nor moved. Returns the
/// centres and how many swaps were kept.
func swapped(_ points: WeightedPoints, _ start: [ColorPoint], trials: Int, fixed: Int,
             rng: inout SeededGenerator) -> (centers: [ColorPoint], kept: Int) {
    let n = points.count, k = start.count
    guard k > fixed, n > k, trials > 0 else { return (start, 0) }
    var centers = start
    var label = [Int](repeating: 0, count: n), second = [Int](repeating: 0, count: n)
    var d1 = [Double](repeating: 0, count: n), d2 = [Double](repeating: 0, count: n)
    var mass = [Double](repeating: 0, count: n), dq = [Double](repeating: 0, count: n)
    var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
    var squares = 0.0
    for i in 0..<n { squares += points.weight[i] * (points.point(i) * points.point(i)).sum() }
    var total = 0.0
    func assign() {
        let index = CenterIndex(centers)
        total = 0
        for j in 0..<k { (sums[j], weights[j]) = (.zero, 0) }
        for i in 0..<n {
            let p = points.point(i), w = points.weight[i]
            let (best, near, next, far) = index.twoNearestIDs(p)
            (label[i], second[i], d1[i], d2[i]) = (best, next, near, far)
            mass[i] = w * near
            total += mass[i]
            sums[best] += p * w
            weights[best] += w
        }
    }
    assign()
    var kept = 0
    var delta = [Double](repeating: 0, count: k)
    for _ in 0..<trials {
        guard total > 0 else { break }
        let q = points.point(draw(mass, total: total, rng: &rng))
        // Removing centre j with q added costs delta[j] more than adding q alone.
        for j in 0..<k { delta[j] = 0 }
        for i in 0..<n {
            let e = points.point(i) - q
            dq[i] = (e * e).sum()
            let m1 = min(dq[i], d1[i])
            delta[label[i]] += points.weight[i] * (min(dq[i], d2[i]) - m1)
        }
        var out = fixed
        for j in fixed..<k where delta[j] < delta[out] { out = j }
        // The clusters with q in slot `out`, and J once each is at its mean.
        var s = sums, w = weights
        for i in 0..<n {
            let from = label[i]
            let to = dq[i] < d1[i] ? out : from == out ? (dq[i] <= d2[i] ? out : second[i]) : from
            guard to != from else { continue }
            let wp = points.point(i) * points.weight[i]
            s[from] -= wp; w[from] -= points.weight[i]
            s[to] += wp; w[to] += points.weight[i]
        }
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
        var after = 0.0
        for i in 0..<n {
            let from = label[i]
            let to = dq[i] < d1[i] ? out : from == out ? (dq[i] <= d2[i] ? out : second[i]) : from
            let e = points.point(i) - moved[to]
            after += points.weight[i] * (e * e).sum()
        }
        guard after < total * (1 - 1e-9) else { continue }
        centers = moved
        kept += 1
        assign()
    }
    return (centers, kept)
}
