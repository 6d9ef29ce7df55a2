/// K starting centres from a top-down split (a variance-based partition, after
/// Wu and Orchard-Bouman): all the points are one cluster; the cluster of the
/// largest squared error is cut in two by a plane across its principal axis,
/// where the two halves' squared errors sum lowest; until there are k clusters,
/// whose weighted means are returned. Deterministic, and O(n log n log k): no
/// pairwise work between centres, so it stays cheap at k in the thousands,
/// where k-means++ costs k^2. Fewer than k when fewer points differ.
func splitCenters(_ points: WeightedPoints, k: Int) -> [ColorPoint] {
    let n = points.count
    guard n > 0, k > 0 else { return [] }
    var order = Array(0..<n)
    var clusters: [SplitCluster] = [SplitCluster(points, order[...], range: 0..<n)]
    var heap = SplitHeap()
    heap.push(0, clusters)
    while clusters.count < k, let c = heap.pop(clusters) {
        guard let (left, right) = cut(points, &order, clusters[c]) else { continue }
        clusters[c] = left
        clusters.append(right)
        heap.push(c, clusters)
        heap.push(clusters.count - 1, clusters)
    }
    return clusters.map { $0.mean }
}

/// A range of the order array: its weight, weighted sum and squared error.
struct SplitCluster {
    var range: Range<Int>
    var weight: Double, sum: ColorPoint, error: Double
    var mean: ColorPoint { sum / weight }

    init(_ points: WeightedPoints, _ members: ArraySlice<Int>, range: Range<Int>) {
        var w = 0.0, s = ColorPoint.zero, q = 0.0
        for i in members {
            let p = points.point(i), pw = points.weight[i]
            w += pw
            s += p * pw
            q += pw * (p * p).sum()
        }
        self.init(range: range, weight: w, sum: s, squares: q)
    }

    init(range: Range<Int>, weight: Double, sum: ColorPoint, squares: Double) {
        self.range = range
        self.weight = weight
        self.sum = sum
        error = max(squares - (sum * sum).sum() / weight, 0)
    }
}

/// The cluster cut across its principal axis at the best place, its points
/// reordered in `order` so that each half is a range; nil when its points all
/// sit at one place.
private func cut(_ points: WeightedPoints, _ order: inout [Int], _ c: SplitCluster) -> (SplitCluster, SplitCluster)? {
    guard c.range.count > 1, c.error > 0 else { return nil }
    let mean = c.mean
    // Weighted covariance (4 x 4, symmetric), then its principal axis by power iteration.
    var cov = [ColorPoint](repeating: .zero, count: 4)
    for i in order[c.range] {
        let d = points.point(i) - mean, w = points.weight[i]
        for r in 0..<4 { cov[r] += d * (d[r] * w) }
    }
    var axis = ColorPoint.zero
    var widest = 0
    for r in 1..<4 where cov[r][r] > cov[widest][widest] { widest = r }
    axis[widest] = 1
    for _ in 0..<12 {
        var next = ColorPoint.zero
        for r in 0..<4 { next[r] = (cov[r] * axis).sum() }
        let norm = (next * next).sum().squareRoot()
        guard norm > 0 else { break }
        axis = next / norm
    }
    // The points along the axis (ties by index), and the cut between two of
    // them that leaves the least squared error in the two halves.
    // Sorted as integers: the projection's order-preserving bits, cut to 40,
    // above the index (24 bits; projections within about 4e-9 of each other
    // are taken in index order, and never cut between, below).
    precondition(points.count <= 1 << 24)
    var packed = order[c.range].map { i -> UInt64 in
        let bits = (points.point(i) * axis).sum().bitPattern
        let ordered = bits >> 63 == 0 ? bits | 1 << 63 : ~bits
        return (ordered >> 24) << 24 | UInt64(i)
    }
    packed.sort()
    let keyed = packed.map { key -> (Double, Int) in
        let i = Int(key & 0xFF_FFFF)
        return ((points.point(i) * axis).sum(), i)
    }
    var w = 0.0, s = ColorPoint.zero, q = 0.0
    var bestAt = -1, bestError = Double.infinity
    let totalSquares = c.error + (c.sum * c.sum).sum() / c.weight
    for at in 0..<(keyed.count - 1) {
        let i = keyed[at].1, p = points.point(i), pw = points.weight[i]
        w += pw
        s += p * pw
        q += pw * (p * p).sum()
        guard keyed[at].0 < keyed[at + 1].0 else { continue }
        let rw = c.weight - w, rs = c.sum - s
        let error = (q - (s * s).sum() / w) + (totalSquares - q - (rs * rs).sum() / rw)
        if error < bestError { bestError = error; bestAt = at }
    }
    guard bestAt >= 0 else { return nil }
    for (at, key) in keyed.enumerated() { order[c.range.lowerBound + at] = key.1 }
    let middle = c.range.lowerBound + bestAt + 1
    let left = SplitCluster(points, order[c.range.lowerBound..<middle], range: c.range.lowerBound..<middle)
    let right = SplitCluster(points, order[middle..<c.range.upperBound], range: middle..<c.range.upperBound)
    return (left, right)
}

/// A max-heap of cluster indices by squared error (ties to the lower index).
private struct SplitHeap {
    private var items: [Int] = []

    private func above(_ a: Int, _ b: Int, _ clusters: [SplitCluster]) -> Bool {
        (clusters[a].error, -a) > (clusters[b].error, -b)
    }

    mutating func push(_ c: Int, _ clusters: [SplitCluster]) {
        items.append(c)
        var at = items.count - 1
        while at > 0 {
            let parent = (at - 1) / 2
            guard above(items[at], items[parent], clusters) else { break }
            items.swapAt(at, parent)
            at = parent
        }
    }

    mutating func pop(_ clusters: [SplitCluster]) -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var at = 0
            while true {
                let l = 2 * at + 1, r = l + 1
                var m = at
                if l < items.count && above(items[l], items[m], clusters) { m = l }
                if r < items.count && above(items[r], items[m], clusters) { m = r }
                if m == at { break }
                items.swapAt(at, m)
                at = m
            }
        }
        return top
    }
}
