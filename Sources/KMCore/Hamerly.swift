/// Nearest-centre labels kept up to date with Hamerly's bounds: for each point
/// an upper bound on the distance to its centre and a lower bound on the
/// distance to any other, so that most points skip the scan of all centres
/// once the centres move little. Distances are Euclidean, unit-cube units.
struct HamerlyAssignment {
    var labels: [Int32]
    private var upper: [Double]
    private var lower: [Double]

    /// Exact labels by a full scan of every point.
    init(_ points: WeightedPoints, _ centers: [SIMD3<Double>]) {
        labels = [Int32](repeating: 0, count: points.count)
        upper = [Double](repeating: 0, count: points.count)
        lower = [Double](repeating: 0, count: points.count)
        _ = rescanAll(points, centers)
    }

    /// Full scan of every point; returns how many labels changed.
    mutating func rescanAll(_ points: WeightedPoints, _ centers: [SIMD3<Double>]) -> Int {
        var changed = 0
        centers.withUnsafeBufferPointer { c in
            for i in 0..<points.count where scan(points, c, i) { changed += 1 }
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
                var best = 0, d1 = Double.infinity, d2 = Double.infinity
                for j in 0..<c.count {
                    let e = p - c[j]
                    let dd = (e * e).sum()
                    if dd < d1 { d2 = d1; d1 = dd; best = j } else if dd < d2 { d2 = dd }
                }
                upper[i] = d1.squareRoot()
                lower[i] = d2.squareRoot()
                if a != best { labels[i] = Int32(best); changed += 1 }
            }
        } } } } } } } } }
        return changed
    }

    /// Finds point i's nearest and second nearest centre (ties to the lower
    /// index); returns whether its label changed.
    private mutating func scan(_ points: WeightedPoints, _ c: UnsafeBufferPointer<SIMD3<Double>>, _ i: Int) -> Bool {
        let p = points.point(i)
        var best = 0, d1 = Double.infinity, d2 = Double.infinity
        for j in 0..<c.count {
            let d = p - c[j]
            let dd = (d * d).sum()
            if dd < d1 { d2 = d1; d1 = dd; best = j } else if dd < d2 { d2 = dd }
        }
        upper[i] = d1.squareRoot()
        lower[i] = d2.squareRoot()
        let old = labels[i]
        labels[i] = Int32(best)
        return old != Int32(best)
    }
}
