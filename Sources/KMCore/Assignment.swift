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
///
/// Its tables are UncheckedArrays, held by reference; the type is `~Copyable`
/// so that no two assignments ever share them.
struct BoundedAssignment: ~Copyable {
    // Per point, n entries each (n = the points' count, fixed at init).
    private let xs: UncheckedArray<Double>, ys: UncheckedArray<Double>, zs: UncheckedArray<Double>
    /// Transparency (ColorPoint.w) and weight.
    private let ts: UncheckedArray<Double>, ws: UncheckedArray<Double>
    private let label: UncheckedArray<Int32>
    /// Distance to the own centre, minus that centre's drift when measured.
    private let upper: UncheckedArray<Double>
    /// Distance to the nearest other centre, plus the overall drift when measured.
    private let lower: UncheckedArray<Double>
    // Per centre, k entries each (k = the centres' count at the last rescanAll).
    private var centerDrift: UncheckedArray<Double>
    private var sums: UncheckedArray<ColorPoint>
    private var weights: UncheckedArray<Double>
    private var drift = 0.0
    /// Sum over the points of weight x squared norm, and the total weight.
    private let sumSquares: Double, totalWeight: Double

    /// Made for a swap trial's steps (`init(_:k:start:)`), where a few centres
    /// move far and the rest little: there a point whose bounds fail measures
    /// the step's `movers` before its full search (at K = 48 1.4x faster than
    /// without), as every assignment does above CenterIndex.laneMaxK, where
    /// the full search walks. Elsewhere (Lloyd from a start, every
    /// centre moving some) the full search at once, eight centres at a time,
    /// is faster: restarts at K = 16 1.4x, refinement 1.2x (kmfit, two threads).
    private let forSwapTrials: Bool

    /// The current label of every point.
    var labels: [Int32] { label.array }

    /// Exact labels by a full search for every point. Later calls must pass
    /// the same points (their coordinates and weights are copied here).
    init(_ points: WeightedPoints, _ centers: [ColorPoint], threads: Int = 1) {
        self.init(copying: points, forSwapTrials: false)
        _ = rescanAll(points, centers, threads: threads)
    }

    /// Each point's label, its distance to that centre and a lower bound on
    /// its distance to every other (Euclidean) given by `start(i)`, as a caller
    /// that knows them without a search has them (a swap trial): no search;
    /// its steps measure the movers first (`forSwapTrials`). Later calls must
    /// pass the same points.
    init(_ points: WeightedPoints, k: Int, start: (Int) -> (label: Int32, upper: Double, lower: Double)) {
        self.init(copying: points, forSwapTrials: true)
        restart(k: k, start: start)
    }

    /// The points' coordinates and weights copied, their tables made, no
    /// centres yet: each public init then labels the points its own way.
    private init(copying points: WeightedPoints, forSwapTrials: Bool) {
        self.forSwapTrials = forSwapTrials
        let n = points.count
        precondition(points.x.count == n && points.y.count == n && points.z.count == n && points.w.count == n)
        xs = UncheckedArray(points.x)
        ys = UncheckedArray(points.y)
        zs = UncheckedArray(points.z)
        ts = UncheckedArray(points.w)
        ws = UncheckedArray(points.weight)
        label = UncheckedArray(repeating: 0, count: n)
        upper = UncheckedArray(repeating: 0, count: n)
        lower = UncheckedArray(repeating: 0, count: n)
        centerDrift = UncheckedArray(repeating: 0, count: 0)
        var squares = 0.0
        for i in 0..<n { squares += points.weight[i] * (points.x[i] * points.x[i] + points.y[i] * points.y[i] + points.z[i] * points.z[i] + points.w[i] * points.w[i]) }
        sumSquares = squares
        totalWeight = points.totalWeight
        sums = UncheckedArray(repeating: .zero, count: 0)
        weights = UncheckedArray(repeating: 0, count: 0)
    }

    /// Starts again from `start(i)` for every point, as `init(_:k:start:)`
    /// does, on the same points: for many trials on them, each from its own labels.
    mutating func restart(k: Int, start: (Int) -> (label: Int32, upper: Double, lower: Double)) {
        drift = 0
        centerDrift = UncheckedArray(repeating: 0, count: k)
        var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
        // In bounds: i < n, the per-point count; a label from `start` is below k.
        for i in 0..<label.count {
            let (a, u, l) = start(i)
            (label[i], upper[i], lower[i]) = (a, u, l)
            let p = ColorPoint(xs[i], ys[i], zs[i], ts[i])
            sums[Int(a)] += p * ws[i]
            weights[Int(a)] += ws[i]
        }
        self.sums = UncheckedArray(sums)
        self.weights = UncheckedArray(weights)
    }

    /// Points a piece of work: the split of the points, and so the order in
    /// which the cluster sums are added, never depends on the thread count.
    static let piece = 8192

    /// Centres, the step's largest moves, that `update` measures for a point
    /// whose bound fails before it searches them all (in swap trials, and
    /// above CenterIndex.laneMaxK): 8 was the fastest of 2, 4, 8, 16 and 32
    /// (kmfit -k 16, 64, 256 on two photos, when every assignment measured them).
    static let movers = 8

    /// A full search for every point and fresh cluster sums; returns how many labels changed.
    mutating func rescanAll(_ points: WeightedPoints, _ centers: [ColorPoint], threads: Int = 1) -> Int {
        let n = label.count, k = centers.count
        precondition(points.count == n, "not the points given at init")
        let index = CenterIndex(centers)
        drift = 0
        centerDrift = UncheckedArray(repeating: 0, count: k)
        let xs = xs, ys = ys, zs = zs, ts = ts, ws = ws
        let label = label, upper = upper, lower = lower
        let pieces = (n + Self.piece - 1) / Self.piece
        // Per piece: its changed count, and its clusters' sums and weights.
        let partial = Parallel.map(pieces, threads: threads) { c -> (Int, [ColorPoint], [Double]) in
            var changed = 0
            var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
            // In bounds: i < n, the per-point count; best is a centre index
            // from twoNearest, below k. Pieces write disjoint ranges of i.
            for i in c * Self.piece..<min(n, (c + 1) * Self.piece) {
                let p = ColorPoint(xs[i], ys[i], zs[i], ts[i])
                let (best, d1, d2) = index.twoNearest(p)
                upper[i] = d1.squareRoot()
                lower[i] = d2.squareRoot()
                if label[i] != Int32(best) { label[i] = Int32(best); changed += 1 }
                sums[best] += p * ws[i]
                weights[best] += ws[i]
            }
            return (changed, sums, weights)
        }
        var changed = 0
        var sums = [ColorPoint](repeating: .zero, count: k), weights = [Double](repeating: 0, count: k)
        for (c, s, w) in partial {
            changed += c
            for j in 0..<k { sums[j] += s[j]; weights[j] += w[j] }
        }
        self.sums = UncheckedArray(sums)
        self.weights = UncheckedArray(weights)
        return changed
    }

    /// J under the current labels, from the cluster sums (exact up to rounding;
    /// for stopping tests): each cluster measured to its mean, but the first
    /// `fixed.count` to those centres (fixed ones, not their means).
    func cost(fixed: [ColorPoint] = []) -> Double {
        var between = 0.0
        for j in 0..<weights.count where weights[j] > 0 {
            if j < fixed.count {
                // sum of w |p - c|^2 = sum of w |p|^2 - (2 c.S - W |c|^2)
                let c = fixed[j]
                between += 2 * (c * sums[j]).sum() - weights[j] * (c * c).sum()
            } else {
                between += (sums[j] * sums[j]).sum() / weights[j]
            }
        }
        return max(sumSquares - between, 0) / totalWeight
    }

    /// The weighted mean of each cluster, or nil for an empty one.
    func means() -> [ColorPoint?] {
        (0..<weights.count).map { j in weights[j] > 0 ? sums[j] / weights[j] : nil }
    }

    /// Relabels after centre j moved by `moves[j]`; returns how many labels changed.
    /// `points` must be those given at init; `centers` must have the count of
    /// the last rescanAll. The result does not depend on `threads`.
    mutating func update(_ points: WeightedPoints, _ centers: [ColorPoint], moves: [Double], threads: Int = 1) -> Int {
        let n = label.count, k = centerDrift.count
        precondition(points.count == n && centers.count == k && moves.count == k)
        let before = drift
        drift += moves.max() ?? 0
        for j in 0..<k { centerDrift[j] += moves[j] }
        let drift = self.drift
        // Whether a point whose bounds fail is searched at once (`forSwapTrials`).
        let direct = !forSwapTrials && k <= CenterIndex.laneMaxK
        // The `movers` centres that moved most in this step, and the largest
        // move of the rest (`others`). A point whose bound fails on the largest
        // move (often one centre's: a swap's new one settling) still keeps its
        // centre, without a search, when it is nearer to it than to each mover
        // (measured) and than its bound before this step less `others` (every
        // other centre). Exact, as the search would be: the same labels.
        var movers: [Int] = []  // by move, largest first; none when searched at once
        for j in direct ? 0..<0 : 0..<k where movers.count < Self.movers + 1 || moves[j] > moves[movers[Self.movers]] {
            movers.insert(j, at: movers.firstIndex { moves[$0] < moves[j] } ?? movers.count)
            if movers.count > Self.movers + 1 { movers.removeLast() }
        }
        let others = movers.count > Self.movers ? moves[movers.removeLast()] : 0
        let moved = UncheckedArray(movers.map { Int32($0) }), movedAt = UncheckedArray(movers.map { centers[$0] })
        // Locals, so that the loop reads each table's storage without going
        // through self (they are the same objects).
        let c = UncheckedArray(centers), own = centerDrift
        let xs = xs, ys = ys, zs = zs, ts = ts, ws = ws
        let label = label, upper = upper, lower = lower
        let index = CenterIndex(centers)
        // Half the distance from each centre to its nearest other: a point
        // nearer than that to its own centre keeps it, whatever its lower bound
        // (the triangle inequality: Elkan's first lemma).
        let half = UncheckedArray(centers.map { 0.5 * index.twoNearest($0).2.squareRoot() })
        let pieces = (n + Self.piece - 1) / Self.piece
        // Per piece: its changed count, and the changes to the clusters' sums
        // and weights (nil when no label changed).
        let partial = Parallel.map(pieces, threads: threads) { piece -> (Int, [ColorPoint], [Double])? in
            var changed = 0
            var sums: [ColorPoint] = [], weights: [Double] = []
            // In bounds: i < n, the count of every per-point table; a (a label)
            // and best (from twoNearest) are centre indices, below k, the count
            // of c, own and half (checked above). Pieces write disjoint ranges of i.
            for i in piece * Self.piece..<min(n, (piece + 1) * Self.piece) {
                let a = Int(label[i])
                if upper[i] + own[a] + drift <= lower[i] || upper[i] + own[a] < half[a] { continue }
                let p = ColorPoint(xs[i], ys[i], zs[i], ts[i])
                if !direct {
                    let d = p - c[a]
                    let u = (d * d).sum().squareRoot()
                    upper[i] = u - own[a]
                    if u + drift <= lower[i] || u < half[a] { continue }
                    // The movers' nearest by squared distance, one square root:
                    // the same bound (a rounded square root never reverses an order).
                    var mover = Double.infinity
                    for t in 0..<moved.count where Int(moved[t]) != a {
                        let e = p - movedAt[t]
                        mover = min(mover, (e * e).sum())
                    }
                    let bound = min(lower[i] - before - others, mover.squareRoot())
                    if u < bound {
                        lower[i] = bound + drift
                        continue
                    }
                }
                let (best, d1, d2) = index.twoNearest(p)
                upper[i] = d1.squareRoot() - own[best]
                lower[i] = d2.squareRoot() + drift
                if a != best {
                    label[i] = Int32(best)
                    changed += 1
                    if sums.isEmpty {
                        sums = [ColorPoint](repeating: .zero, count: k)
                        weights = [Double](repeating: 0, count: k)
                    }
                    let wp = p * ws[i]
                    sums[a] -= wp; weights[a] -= ws[i]
                    sums[best] += wp; weights[best] += ws[i]
                }
            }
            return changed == 0 ? nil : (changed, sums, weights)
        }
        var changed = 0
        for case let (count, s, w)? in partial {
            changed += count
            for j in 0..<k { sums[j] += s[j]; weights[j] += w[j] }
        }
        // Rounding may leave a vanishing weight where a cluster emptied.
        for j in 0..<k where weights[j] < 0.5 {
            weights[j] = 0
            sums[j] = .zero
        }
        return changed
    }
}

/// The two nearest of the centres considered so far: their indices and
/// squared distances, ties to the lower index whatever the order considered
/// (-1 and +inf until there are two).
struct TwoNearest {
    var best = -1, near = Double.infinity, next = -1, far = Double.infinity

    @inline(__always) mutating func consider(_ j: Int, _ d: Double) {
        if d < near || (d == near && j < best) {
            (far, next, near, best) = (near, best, d, j)
        } else if d < far || (d == far && j < next) {
            (far, next) = (d, j)
        }
    }

    /// `consider` for centres taken in increasing index order, where a tie
    /// already goes to the one held: two comparisons fewer (the lanes' hot loop).
    @inline(__always) mutating func considerInOrder(_ j: Int, _ d: Double) {
        if d < near {
            (far, next, near, best) = (near, best, d, j)
        } else if d < far {
            (far, next) = (d, j)
        }
    }
}

/// A point's two nearest centres, exact, measured eight at a time. Up to
/// `laneMaxK` centres every one is measured, in index order; above, the
/// centres are sorted by their coordinate along the principal axis of their
/// spread and taken eight a block in that order, and the search walks out
/// from the point's block in both directions until a block's gap along the
/// axis alone exceeds the second nearest distance (a gap along a unit axis is
/// never more than a distance).
struct CenterIndex {
    /// The centres eight a block: per block its x, y, z and w lanes (4 entries
    /// a block; a missing centre's x is +inf). In index order up to
    /// `laneMaxK` centres, else in the walk's order.
    private let lanes: UncheckedArray<SIMD8<Double>>
    /// Above `laneMaxK` (else empty): each lane's centre (8 a block, Int.max
    /// for a missing one), and each block's least and greatest coordinate along `axis`.
    private let ids: UncheckedArray<Int>
    private let low: UncheckedArray<Double>, high: UncheckedArray<Double>
    /// The walk's direction, of unit length.
    private let axis: ColorPoint
    /// More than the rounding of a coordinate along `axis` can err by, per unit
    /// of the largest coordinate of the centres (the point's added at each search):
    /// a gap is taken to exceed a distance only when it does by more.
    private let slack: Double
    /// Whether every centre's w (transparency) is 0: then so is an opaque point's
    /// term in w, and it is not computed (adding it would change no distance).
    private let opaque: Bool
    /// Up to this many centres, every point is measured against all of them,
    /// which costs less than the walk (kmfit -k K on the notebook's image, one
    /// thread: 1.12x less time at K = 32, 1.05x at 48, 1.03x at 64; above, the
    /// walk is faster: 1.08x at 80, 1.22x at 128).
    static let laneMaxK = 64

    init(_ centers: [ColorPoint]) {
        let k = centers.count, walks = k > Self.laneMaxK
        let axis = walks ? Self.principalAxis(centers) : ColorPoint(1, 0, 0, 0)
        let key = walks ? centers.map { ($0 * axis).sum() } : []
        let order = walks ? centers.indices.sorted { (key[$0], $0) < (key[$1], $1) } : Array(centers.indices)
        var lanes: [SIMD8<Double>] = [], ids: [Int] = [], low: [Double] = [], high: [Double] = []
        for block in stride(from: 0, to: k, by: 8) {
            var x = SIMD8<Double>(repeating: .infinity), y = SIMD8<Double>(), z = SIMD8<Double>(), w = SIMD8<Double>()
            let inBlock = order[block..<min(k, block + 8)]
            for (l, j) in inBlock.enumerated() {
                (x[l], y[l], z[l], w[l]) = (centers[j].x, centers[j].y, centers[j].z, centers[j].w)
            }
            lanes += [x, y, z, w]
            if walks {
                ids += inBlock + repeatElement(Int.max, count: 8 - inBlock.count)
                low.append(key[inBlock.first!])
                high.append(key[inBlock.last!])
            }
        }
        self.lanes = UncheckedArray(lanes)
        self.ids = UncheckedArray(ids)
        self.low = UncheckedArray(low)
        self.high = UncheckedArray(high)
        self.axis = axis
        slack = 1e-12 * (1 + centers.reduce(0) { Swift.max($0, Self.largest($1)) })
        opaque = centers.allSatisfy { $0.w == 0 }
    }

    /// The nearest centre (ties to the lower index), its squared distance, and
    /// the squared distance to the second nearest (+inf with one centre).
    @inline(__always)
    func twoNearest(_ p: ColorPoint) -> (Int, Double, Double) {
        let (best, d1, _, d2) = twoNearestIDs(p)
        return (best, d1, d2)
    }

    /// The nearest centre and its squared distance, the second nearest and its
    /// squared distance (-1 and +inf with one centre); ties to the lower index.
    @inline(__always)
    func twoNearestIDs(_ p: ColorPoint) -> (Int, Double, Int, Double) {
        low.count == 0 ? twoNearestInLanes(p) : twoNearestAlongAxis(p)
    }

    /// A block's squared distances to p: dx² + dy² + dz², then + dw² unless
    /// `withW` is false (every w 0), the same to the bit whichever path measures.
    @inline(__always)
    private func distances(_ block: Int, _ px: SIMD8<Double>, _ py: SIMD8<Double>, _ pz: SIMD8<Double>,
                           _ pw: SIMD8<Double>, withW: Bool) -> SIMD8<Double> {
        // In bounds: callers pass block < lanes.count / 4.
        let dx = lanes[4 * block] - px, dy = lanes[4 * block + 1] - py, dz = lanes[4 * block + 2] - pz
        var dd = dx * dx + dy * dy + dz * dz
        if withW {
            let dw = lanes[4 * block + 3] - pw
            dd += dw * dw
        }
        return dd
    }

    /// The least of eight (SIMD's min() is an outlined generic call).
    @inline(__always) private static func least(_ dd: SIMD8<Double>) -> Double {
        let h = SIMD4(Swift.min(dd[0], dd[4]), Swift.min(dd[1], dd[5]), Swift.min(dd[2], dd[6]), Swift.min(dd[3], dd[7]))
        return Swift.min(Swift.min(h[0], h[2]), Swift.min(h[1], h[3]))
    }

    /// `twoNearestIDs` for at most `laneMaxK` centres, also writing p's
    /// squared distance to every centre into `distances`, eight a block in
    /// index order (a missing centre's +inf; (k + 7) / 8 entries).
    @inline(__always)
    func twoNearestIDs(_ p: ColorPoint, distances: UncheckedArray<SIMD8<Double>>) -> (Int, Double, Int, Double) {
        assert(low.count == 0, "distances in index order only up to laneMaxK centres")
        return twoNearestInLanes(p, storing: distances)
    }

    /// `twoNearestIDs` by measuring every centre, eight at a time, in index
    /// order; each block's distances written to `storing` when given.
    @inline(__always)
    private func twoNearestInLanes(_ p: ColorPoint, storing: UncheckedArray<SIMD8<Double>>? = nil) -> (Int, Double, Int, Double) {
        var two = TwoNearest()
        let px = SIMD8(repeating: p.x), py = SIMD8(repeating: p.y), pz = SIMD8(repeating: p.z)
        let pw = SIMD8(repeating: p.w), withW = !(opaque && p.w == 0)
        for block in 0..<lanes.count / 4 {
            let dd = distances(block, px, py, pz, pw, withW: withW)
            storing?[block] = dd
            guard Self.least(dd) < two.far else { continue }
            for l in 0..<8 { two.considerInOrder(8 * block + l, dd[l]) }
        }
        return (two.best, two.near, two.next, two.far)
    }

    /// `twoNearestIDs` by walking out from the point's block along the axis,
    /// in both directions. Every block passed over is farther than the second
    /// nearest, so ties go as `TwoNearest` says, whatever the order.
    @inline(__always)
    private func twoNearestAlongAxis(_ p: ColorPoint) -> (Int, Double, Int, Double) {
        var two = TwoNearest()
        let px = SIMD8(repeating: p.x), py = SIMD8(repeating: p.y), pz = SIMD8(repeating: p.z)
        let pw = SIMD8(repeating: p.w), withW = !(opaque && p.w == 0)
        let at = (p * axis).sum(), margin = slack + 1e-12 * Self.largest(p)
        @inline(__always) func measure(_ block: Int) {
            let dd = distances(block, px, py, pz, pw, withW: withW)
            // <=: a tie with the second may still take its place by index.
            guard Self.least(dd) <= two.far else { return }
            // In bounds: ids holds 8 entries a block.
            for l in 0..<8 { two.consider(ids[8 * block + l], dd[l]) }
        }
        /// Whether every centre of a block this far along the axis is farther than the second nearest.
        @inline(__always) func beyond(_ gap: Double) -> Bool {
            let sure = gap - margin
            return sure > 0 && sure * sure > two.far
        }
        // In bounds: the binary search reads only mid in lo..<hi within
        // 0..<blocks, and measure(b) is reached only with 0 <= b < blocks.
        let blocks = low.count
        // The first block whose greatest coordinate is at least p's, or the last.
        var lo = 0, hi = blocks - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if high[mid] < at { lo = mid + 1 } else { hi = mid }
        }
        measure(lo)
        var right = lo + 1, left = lo - 1
        var rightOpen = right < blocks, leftOpen = left >= 0
        while rightOpen || leftOpen {
            if rightOpen {
                if beyond(low[right] - at) { rightOpen = false } else {
                    measure(right); right += 1; rightOpen = right < blocks
                }
            }
            if leftOpen {
                if beyond(at - high[left]) { leftOpen = false } else {
                    measure(left); left -= 1; leftOpen = left >= 0
                }
            }
        }
        return (two.best, two.near, two.next, two.far)
    }

    /// The largest magnitude of p's coordinates.
    @inline(__always) private static func largest(_ p: ColorPoint) -> Double {
        Swift.max(Swift.max(abs(p.x), abs(p.y)), Swift.max(abs(p.z), abs(p.w)))
    }

    /// The centres' principal axis, of unit length (the x axis when they do
    /// not spread): the direction along which they are sorted, so that a
    /// point's walk passes the fewest (on photos' palettes of 256, about two
    /// thirds as many as along x).
    static func principalAxis(_ centers: [ColorPoint]) -> ColorPoint {
        let mean = centers.reduce(ColorPoint.zero, +) / Double(max(centers.count, 1))
        // The scatter matrix by columns, then a few steps of power iteration.
        var columns = [ColorPoint](repeating: .zero, count: 4)
        for c in centers {
            let d = c - mean
            for j in 0..<4 { columns[j] += d * d[j] }
        }
        var v = ColorPoint(1, 1, 1, 1)
        for _ in 0..<24 {
            let next = columns[0] * v.x + columns[1] * v.y + columns[2] * v.z + columns[3] * v.w
            let length = (next * next).sum().squareRoot()
            guard length > 0, length.isFinite else { return ColorPoint(1, 0, 0, 0) }
            v = next / length
        }
        return v
    }
}
