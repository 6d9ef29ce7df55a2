/// Nearest-centre labels kept up to date with Hamerly's bounds: for each point
/// an upper bound on the distance to its centre and a lower bound on the
/// distance to any other, so that most points skip the search once the centres
/// move little. Distances are Euclidean, unit-cube units.
struct HamerlyAssignment {
    var labels: [Int32]
    private var upper: [Double]
    private var lower: [Double]

    /// Exact labels by a full search for every point.
    init(_ points: WeightedPoints, _ centers: [SIMD3<Double>]) {
        labels = [Int32](repeating: 0, count: points.count)
        upper = [Double](repeating: 0, count: points.count)
        lower = [Double](repeating: 0, count: points.count)
        _ = rescanAll(points, centers)
    }

    /// A full search for every point; returns how many labels changed.
    mutating func rescanAll(_ points: WeightedPoints, _ centers: [SIMD3<Double>]) -> Int {
        let index = CenterIndex(centers)
        var changed = 0
        for i in 0..<points.count {
            let (best, d1, d2) = index.twoNearest(points.point(i))
            upper[i] = d1.squareRoot()
            lower[i] = d2.squareRoot()
            if labels[i] != Int32(best) { labels[i] = Int32(best); changed += 1 }
        }
        return changed
    }

    /// Relabels after the centres moved by `moved[j]`; returns how many labels changed.
    mutating func update(_ points: WeightedPoints, _ centers: [SIMD3<Double>], moved: [Double]) -> Int {
        let k = centers.count
        // The largest and second largest move, for the lower bounds.
        var first = 0, m1 = 0.0, m2 = 0.0
        for j in 0..<k {
            if moved[j] > m1 { m2 = m1; m1 = moved[j]; first = j } else if moved[j] > m2 { m2 = moved[j] }
        }
        // Half the distance from each centre to its nearest other centre.
        var half = [Double](repeating: .infinity, count: k)
        for j in 0..<k {
            for q in (j + 1)..<max(k, j + 1) {
                let d = centers[j] - centers[q]
                let dist = (d * d).sum().squareRoot() / 2
                if dist < half[j] { half[j] = dist }
                if dist < half[q] { half[q] = dist }
            }
        }
        let index = CenterIndex(centers)
        var changed = 0
        let n = points.count
        centers.withUnsafeBufferPointer { c in
        moved.withUnsafeBufferPointer { moved in
        half.withUnsafeBufferPointer { half in
        points.x.withUnsafeBufferPointer { xs in
        points.y.withUnsafeBufferPointer { ys in
        points.z.withUnsafeBufferPointer { zs in
        labels.withUnsafeMutableBufferPointer { labels in
        upper.withUnsafeMutableBufferPointer { upper in
        lower.withUnsafeMutableBufferPointer { lower in
            for i in 0..<n {
                let a = Int(labels[i])
                var u = upper[i] + moved[a]
                let l = lower[i] - (a == first ? m2 : m1)
                lower[i] = l
                let bound = max(half[a], l)
                if u <= bound { upper[i] = u; continue }
                let p = SIMD3(xs[i], ys[i], zs[i])
                let d = p - c[a]
                u = (d * d).sum().squareRoot()
                upper[i] = u
                if u <= bound { continue }
                let (best, d1, d2) = index.twoNearest(p)
                upper[i] = d1.squareRoot()
                lower[i] = d2.squareRoot()
                if a != best { labels[i] = Int32(best); changed += 1 }
            }
        } } } } } } } } }
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
