/// The rounded centres nudged on the palette's integer grid. Rounding each
/// centre to the nearest stored colour is the best choice while every colour
/// keeps its centre, but not once colours may change centre: here each free
/// entry tries one step up and one down in each channel, a step kept when J
/// on `points` (nearest assignment, exact) falls, in sweeps until none is kept
/// or `sweeps` are done. Opaque RGB only (`points` in the unit cube), K <= 32. The
/// first `fixed` entries never move. The passes over the points use `threads`;
/// the result does not depend on it.
///
/// J with entry j moved follows from each point's two nearest entries, and
/// only the points j can concern in any sweep are read (one pass over the
/// points finds them, before the first), once for all six of its trials until
/// one is kept.
///
/// `listed`, for tests: called at the start of every sweep after the first
/// with whether every point's nearest entry and two nearest distances are
/// those a search finds now (the second's index may differ in a tie: the
/// trials read only its distance), and the entries this sweep can concern for
/// it (within its second nearest + 2 x `reach` now) all among those it is
/// listed for.
func nudged(_ palette: [Color], fixed: Int, points: WeightedPoints, maxval: Int, sweeps: Int = 3,
            threads: Int = 1, listed: ((Bool) -> Void)? = nil) -> [Color] {
    let n = points.count, k = palette.count, m = Double(maxval)
    guard k > fixed, k >= 2, k <= 32, n > k else { return palette }
    var centers = palette.map { $0.unit(maxval: maxval) }
    // The full searches' index of the entries, made again when one moves (k <= 32: every entry measured).
    var index = CenterIndex(centers.map { ColorPoint($0, 0) })
    let blocks = (k + 7) / 8
    // Per point (n entries each): its coordinates and weight, its two nearest
    // entries and their squared distances, and (a bit an entry) the entries it can concern.
    let xs = UncheckedArray(points.x), ys = UncheckedArray(points.y), zs = UncheckedArray(points.z)
    let ws = UncheckedArray(points.weight)
    let label = UncheckedArray<Int32>(repeating: 0, count: n), second = UncheckedArray<Int32>(repeating: 0, count: n)
    let d1 = UncheckedArray<Double>(repeating: 0, count: n), d2 = UncheckedArray<Double>(repeating: 0, count: n)
    let concerns = UncheckedArray<UInt32>(repeating: 0, count: n)
    // Per entry j, its points: members[start[j]..<start[j + 1]] (made below).
    var start = [Int](repeating: 0, count: k + 1)
    // In bounds below: i < n; j, label and second values < k <= 32; t within members.
    @inline(__always) func dq(_ i: Int, _ c: SIMD3<Double>) -> Double {
        let dx = xs[i] - c.x, dy = ys[i] - c.y, dz = zs[i] - c.z
        return dx * dx + dy * dy + dz * dz
    }
    // Point i's squared distance to each entry, eight a block, as the last `assign(i)` found them.
    let dist = UncheckedArray<SIMD8<Double>>(repeating: SIMD8(), count: blocks)
    /// Point i's two nearest entries by a full search (ties to the lower index).
    @inline(__always) func assign(_ i: Int, _ dist: UncheckedArray<SIMD8<Double>>) {
        let (best, near, next, far) = index.twoNearestIDs(ColorPoint(xs[i], ys[i], zs[i], 0), distances: dist)
        (label[i], d1[i], second[i], d2[i]) = (Int32(best), near, Int32(next), far)
    }
    /// Point i's two nearest once entry j alone has moved, to squared distance
    /// q: what `assign(i)` would find (the other distances are as they were),
    /// searching again only when j was one of the two and is now past the second.
    @inline(__always) func moved(_ i: Int, _ j: Int32, _ q: Double) {
        let a = label[i], b = second[i]
        if a == j {
            if q < d2[i] || (q == d2[i] && j < b) { d1[i] = q } else { assign(i, dist) }
        } else if b == j {
            if q < d1[i] || (q == d1[i] && j < a) {
                (label[i], d1[i], second[i], d2[i]) = (j, q, a, d1[i])
            } else if q <= d2[i] {
                d2[i] = q
            } else {
                assign(i, dist)
            }
        } else if q < d2[i] {
            if q < d1[i] || (q == d1[i] && j < a) {
                (label[i], d1[i], second[i], d2[i]) = (j, q, a, d1[i])
            } else {
                (second[i], d2[i]) = (j, q)
            }
        }
    }
    // How far an entry gets in a sweep: one step in each channel from where it started.
    let reach = 3.squareRoot() / m * (1 + 1e-9)
    /// The entries (a bit each) within `margin` of point i's second nearest,
    /// from its distances `dist` to them (a missing entry's +inf: never within).
    @inline(__always) func within(_ i: Int, _ margin: Double, _ dist: UncheckedArray<SIMD8<Double>>) -> UInt32 {
        let band = d2[i].squareRoot() + margin, limit = band * band
        var bits: UInt32 = 0
        for b in 0..<blocks {
            let d = dist[b]
            for l in 0..<8 where d[l] <= limit { bits |= UInt32(1) << UInt32(8 * b + l) }
        }
        return bits
    }
    // The points each entry can concern in any sweep: those whose two nearest
    // hold it, and those it may come nearer to than their second nearest once
    // both have moved (the others keep their two nearest). Each entry moves at
    // most `reach` a sweep, so a point's distances to the entries, and so to
    // its second nearest, move at most `sweeps` x `reach` in all: the entries
    // within its second nearest + 2 x `sweeps` x `reach` now hold every one it
    // can concern in any sweep. A point listed that no trial concerns adds 0
    // to the trial's change, and `moved` leaves it as it is. Shared by
    // `threads` in pieces of the same size whatever their number, their sums
    // added in piece order: the result does not depend on `threads`.
    let piece = 8192, pieces = (n + piece - 1) / piece
    let parts = Parallel.map(pieces, threads: threads) { c -> [Int] in
        let dist = UncheckedArray<SIMD8<Double>>(repeating: SIMD8(), count: blocks)
        var count = [Int](repeating: 0, count: k)
        for i in c * piece..<min(n, (c + 1) * piece) {
            assign(i, dist)
            let bits = within(i, 2 * Double(sweeps) * reach, dist)
            concerns[i] = bits
            var rest = bits
            while rest != 0 { count[rest.trailingZeroBitCount] += 1; rest &= rest - 1 }
        }
        return count
    }
    var count = [Int](repeating: 0, count: k)
    for part in parts { for j in 0..<k { count[j] += part[j] } }
    for j in 0..<k { start[j + 1] = start[j] + count[j] }
    let members = UncheckedArray<Int32>(repeating: 0, count: start[k])
    let fill = UncheckedArray(Array(start.prefix(k)))
    for i in 0..<n {
        var rest = concerns[i]
        while rest != 0 {
            let j = rest.trailingZeroBitCount
            members[fill[j]] = Int32(i)
            fill[j] += 1
            rest &= rest - 1
        }
    }
    for sweep in 0..<sweeps {
        if let listed, sweep > 0 {
            // In bounds: `assign` writes blocks entries of `dist`.
            listed((0..<n).allSatisfy { i in
                let (a, near, far) = (label[i], d1[i], d2[i])
                assign(i, dist)
                return label[i] == a && d1[i] == near && d2[i] == far
                    && within(i, 2 * reach, dist) & ~concerns[i] == 0
            })
        }
        // J x the total weight under the two nearest as they are (`moved` keeps them exact), by pieces.
        var total = 0.0
        for c in 0..<pieces {
            var part = 0.0
            for i in c * piece..<min(n, (c + 1) * piece) { part += ws[i] * d1[i] }
            total += part
        }
        let begin = centers.map { ($0 * m).rounded(.toNearestOrAwayFromZero) }
        var kept = false
        for j in fixed..<k {
            let mine = Int32(j)
            // Entry j's six trials in order (trial t: channel t / 2, a step down
            // when t is even, else up), each from where j is when its turn comes.
            // Those from `next` on are measured in one pass over j's points, each
            // trial's change summed in the points' order as if alone; the first
            // kept moves j, and the ones after it are measured again from there.
            var next = 0
            while next < 6 {
                var at = [SIMD3<Double>?](repeating: nil, count: 6)
                var ax = SIMD8<Double>(), ay = SIMD8<Double>(), az = SIMD8<Double>()
                for t in next..<6 {
                    var c = centers[j]
                    let channel = t / 2, value = (c[channel] * m).rounded() + (t % 2 == 0 ? -1 : 1)
                    guard value >= 0 && value <= m && abs(value - begin[j][channel]) <= 1 else { continue }
                    c[channel] = value / m
                    at[t] = c
                    (ax[t], ay[t], az[t]) = (c.x, c.y, c.z)
                }
                var change = SIMD8<Double>()
                for t in start[j]..<start[j + 1] {
                    let i = Int(members[t])
                    let dx = xs[i] - ax, dy = ys[i] - ay, dz = zs[i] - az
                    let d = dx * dx + dy * dy + dz * dz
                    let other = label[i] == mine ? d2[i] : d1[i], near = d1[i], w = ws[i]
                    var part = SIMD8<Double>()
                    for l in 0..<6 { part[l] = w * (min(d[l], other) - near) }
                    change += part
                }
                var keptAt = 6
                for t in next..<6 {
                    guard let c = at[t], change[t] < -1e-12 * total else { continue }
                    centers[j] = c
                    index = CenterIndex(centers.map { ColorPoint($0, 0) })
                    kept = true
                    total += change[t]
                    for u in start[j]..<start[j + 1] { moved(Int(members[u]), mine, dq(Int(members[u]), c)) }
                    keptAt = t
                    break
                }
                next = keptAt + 1
            }
        }
        if !kept { break }
    }
    return centers.map { Color(unit: $0, maxval: maxval) }
}
