/// Nearest-centre labels kept up to date cheaply between Lloyd iterations.
///
/// For each point, a bound on the distance to its own centre, kept against that
/// centre's drift (the running sum of its moves), and a bound on the distance
/// to every other centre, kept against the overall drift (the running sum of
/// each iteration's largest move). While the first plus its drift stays below
/// the second minus the overall drift, the point cannot have changed centre,
/// and is skipped by one comparison. Late iterations, where centres move little, then
/// cost a pass of comparisons plus the few points near a boundary. The cluster
/// sums are updated only where labels change. Distances are Euclidean, in
/// unit-cube units; the labels are those of a full search.
struct BoundedAssignment {
    private(set) var labels: [Int32]
    /// Distance to the own centre, minus that centre's drift when measured.
    private var upper: [Double]
    /// Distance to the nearest other centre, plus the overall drift when measured.
    private var lower: [Double]
    private var drift = 0.0
    private var centerDrift: [Double] = []
    private var sums: [SIMD3<Double>]
    private var weights: [Double]

    /// Exact labels by a full search for every point.
    init(_ points: WeightedPoints, _ centers: [SIMD3<Double>]) {
        labels = [Int32](repeating: 0, count: points.count)
        upper = [Double](repeating: 0, count: points.count)
        lower = [Double](repeating: 0, count: points.count)
        sums = []
        weights = []
        _ = rescanAll(points, centers)
    }

    /// A full search for every point and fresh cluster sums; returns how many labels changed.
    mutating func rescanAll(_ points: WeightedPoints, _ centers: [SIMD3<Double>]) -> Int {
        let index = CenterIndex(centers)
        var changed = 0
        drift = 0
        centerDrift = [Double](repeating: 0, count: centers.count)
        for i in 0..<points.count {
            let (best, d1, d2) = index.twoNearest(points.point(i))
            upper[i] = d1.squareRoot()
            lower[i] = d2.squareRoot()
            if labels[i] != Int32(best) { labels[i] = Int32(best); changed += 1 }
        }
        sums = [SIMD3<Double>](repeating: .zero, count: centers.count)
        weights = [Double](repeating: 0, count: centers.count)
        for i in 0..<points.count {
            let j = Int(labels[i])
            sums[j] += points.point(i) * points.weight[i]
            weights[j] += points.weight[i]
        }
        return changed
    }

    /// The weighted mean of each cluster, or nil for an empty one.
    func means() -> [SIMD3<Double>?] {
        zip(sums, weights).map { $1 > 0 ? $0 / $1 : nil }
    }

    /// Relabels after centre j moved by `moves[j]`; returns how many labels changed.
    mutating func update(_ points: WeightedPoints, _ centers: [SIMD3<Double>], moves: [Double]) -> Int {
        drift += moves.max() ?? 0
        for j in moves.indices { centerDrift[j] += moves[j] }
        let drift = self.drift
        var index: CenterIndex?
        var changed = 0
        let n = points.count
        // Unchecked buffers, for the hot loop over every point. In bounds because
        // i < n and every per-point array (coordinates, weights, labels, bounds) has
        // n entries, and every label and `best` is a centre index, below the
        // count of centres, sums, weights and drifts. No buffer outlives its closure,
        // and none is resized inside.
        centers.withUnsafeBufferPointer { c in
        points.x.withUnsafeBufferPointer { xs in
        points.y.withUnsafeBufferPointer { ys in
        points.z.withUnsafeBufferPointer { zs in
        points.weight.withUnsafeBufferPointer { ws in
        labels.withUnsafeMutableBufferPointer { labels in
        upper.withUnsafeMutableBufferPointer { upper in
        lower.withUnsafeMutableBufferPointer { lower in
        centerDrift.withUnsafeBufferPointer { own in
        sums.withUnsafeMutableBufferPointer { sums in
        weights.withUnsafeMutableBufferPointer { weights in
            for i in 0..<n {
                let a = Int(labels[i])
                if upper[i] + own[a] + drift <= lower[i] { continue }
                let p = SIMD3(xs[i], ys[i], zs[i])
                let d = p - c[a]
                let u = (d * d).sum().squareRoot()
                upper[i] = u - own[a]
                if u + drift <= lower[i] { continue }
                if index == nil { index = CenterIndex(centers) }
                let (best, d1, d2) = index!.twoNearest(p)
                upper[i] = d1.squareRoot() - own[best]
                lower[i] = d2.squareRoot() + drift
                if a != best {
                    labels[i] = Int32(best)
                    changed += 1
                    let wp = p * ws[i]
                    sums[a] -= wp; weights[a] -= ws[i]
                    sums[best] += wp; weights[best] += ws[i]
                }
            }
        } } } } } } } } } } }
        // Rounding may leave a vanishing weight where a cluster emptied.
        for j in weights.indices where weights[j] < 0.5 {
            weights[j] = 0
            sums[j] = .zero
        }
        return changed
    }
}

/// Centres sorted along the red axis, so that the search for a point's two
/// nearest centres walks outward from the point's red value and stops once
/// the red gap alone exceeds the second-best distance.
struct CenterIndex {
    private let xs: [Double], ys: [Double], zs: [Double]
    private let ids: [Int]

    init(_ centers: [SIMD3<Double>]) {
        let order = centers.indices.sorted { (centers[$0].x, $0) < (centers[$1].x, $1) }
        xs = order.map { centers[$0].x }
        ys = order.map { centers[$0].y }
        zs = order.map { centers[$0].z }
        ids = order
    }

    /// The nearest centre (ties to the lower index), its squared distance, and
    /// the squared distance to the second nearest (+inf with one centre).
    @inline(__always)
    func twoNearest(_ p: SIMD3<Double>) -> (Int, Double, Double) {
        // Unchecked buffers: every index visited lies in 0..<k (the walk stops
        // at both ends), and xs, ys, zs and ids all have k entries.
        xs.withUnsafeBufferPointer { xs in
        ys.withUnsafeBufferPointer { ys in
        zs.withUnsafeBufferPointer { zs in
        ids.withUnsafeBufferPointer { ids in
            let k = xs.count
            // First position whose x is >= p.x.
            var lo = 0, hi = k
            while lo < hi {
                let mid = (lo + hi) >> 1
                if xs[mid] < p.x { lo = mid + 1 } else { hi = mid }
            }
            var best = Int.max, d1 = Double.infinity, d2 = Double.infinity
            @inline(__always) func visit(_ s: Int) {
                let dx = xs[s] - p.x, dy = ys[s] - p.y, dz = zs[s] - p.z
                let dd = dx * dx + dy * dy + dz * dz
                let id = ids[s]
                if dd < d1 || (dd == d1 && id < best) {
                    d2 = d1; d1 = dd; best = id
                } else if dd < d2 {
                    d2 = dd
                }
            }
            var right = lo, left = lo - 1
            var rightOpen = right < k, leftOpen = left >= 0
            while rightOpen || leftOpen {
                if rightOpen {
                    let gap = xs[right] - p.x
                    if gap * gap > d2 { rightOpen = false } else {
                        visit(right); right += 1; rightOpen = right < k
                    }
                }
                if leftOpen {
                    let gap = p.x - xs[left]
                    if gap * gap > d2 { leftOpen = false } else {
                        visit(left); left -= 1; leftOpen = left >= 0
                    }
                }
            }
            return (best, d1, d2)
        } } } }
    }
}
