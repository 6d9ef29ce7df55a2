#if canImport(Glibc)
import Glibc
#endif

/// Index of a point drawn with probability proportional to `mass`.
func draw(_ mass: [Double], total: Double, rng: inout SeededGenerator) -> Int {
    draw(count: mass.count, total: total, rng: &rng) { mass[$0] }
}

/// Index in 0..<count drawn with probability proportional to `mass(i)` (>= 0,
/// summing to `total`): the first whose running sum passes a uniform target,
/// else the last with mass (0 when none has).
func draw(count: Int, total: Double, rng: inout SeededGenerator, mass: (Int) -> Double) -> Int {
    let target = rng.unit() * total
    var acc = 0.0, last = 0
    for i in 0..<count {
        let m = mass(i)
        guard m > 0 else { continue }
        acc += m
        last = i
        if acc > target { return i }
    }
    return last
}

/// The running sums of masses (>= 0) in index order, for many draws from the
/// same masses: each draw the index `draw(count:total:rng:mass:)` returns for
/// the same generator state (the same sums, formed in the same order), found
/// by a binary search.
struct RunningMass {
    private let running: UncheckedArray<Double>
    /// The last index with mass (0 when none has).
    private let last: Int

    init(count: Int, mass: (Int) -> Double) {
        running = UncheckedArray(repeating: 0, count: count)
        var acc = 0.0, last = 0
        // In bounds: i < count.
        for i in 0..<count {
            let m = mass(i)
            if m > 0 { acc += m; last = i }
            running[i] = acc
        }
        self.last = last
    }

    /// The first index whose running sum passes a uniform target in 0..<total
    /// (it has mass), else the last with mass.
    func draw(total: Double, rng: inout SeededGenerator) -> Int {
        let target = rng.unit() * total
        var lo = 0, hi = running.count
        // In bounds: lo <= mid < hi <= count.
        while lo < hi {
            let mid = (lo + hi) / 2
            if running[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo < running.count ? lo : last
    }
}

/// Greedy k-means++ seeding with 2 + ln k candidates per centre: each
/// candidate is drawn with probability proportional to weight x squared
/// distance to the nearest centre so far, and the one that lowers the total
/// most is kept. With `given` centres, only the missing ones are chosen.
///
/// Points are grouped by their nearest centre, each group sorted by distance
/// to it (rounded up to a Float), farthest first. A candidate at distance D
/// from a group's centre can only take the group's points farther than D / 2
/// from that centre (the triangle inequality), so each group is read only down
/// to there, and groups whose farthest point is nearer are not read at all.
///
/// Up to k = `passesMaxK` (or as `byPasses` says) the groups are not kept:
/// each candidate is measured by a pass over every point
/// (kmeansPlusPlusByPasses), the same choices but where two candidates'
/// totals differ only by rounding (the sums are added in another order).
func kmeansPlusPlus(_ points: WeightedPoints, k: Int, rng: inout SeededGenerator,
                    given: [ColorPoint] = [], byPasses: Bool? = nil) -> [ColorPoint] {
    let n = points.count
    let trials = 2 + Int(log(Double(k)))
    var centers = given.isEmpty ? [points.point(draw(points.weight, total: points.totalWeight, rng: &rng))] : given
    if centers.count >= k { return centers }
    if byPasses ?? (k <= passesMaxK) { return kmeansPlusPlusByPasses(points, k: k, trials: trials, centers: centers, rng: &rng) }
    var nearest = [Double](repeating: .infinity, count: n)
    var owner = [Int](repeating: 0, count: n)
    for i in 0..<n {
        for (j, c) in centers.enumerated() {
            let d = points.point(i) - c
            let dd = (d * d).sum()
            if dd < nearest[i] { nearest[i] = dd; owner[i] = j }
        }
    }
    var members = [[Int]](repeating: [], count: centers.count)
    for i in 0..<n { members[owner[i]].append(i) }
    for j in members.indices { members[j] = farthestFirst(members[j], nearest) }
    var radius = members.map { group in (group.first.map { Double(roundedUp(nearest[$0])) } ?? 0).squareRoot() }
    var potential = 0.0
    for i in 0..<n { potential += points.weight[i] * nearest[i] }

    /// The groups a centre at q may take points from, and the total it would leave.
    func effect(of q: ColorPoint) -> (groups: [Int], potential: Double) {
        var groups: [Int] = []
        var pot = potential
        for (j, c) in centers.enumerated() {
            let d = q - c
            let dd = (d * d).sum()
            guard dd < 4 * radius[j] * radius[j] else { continue }
            groups.append(j)
            let limit = dd / 4
            for i in members[j] {
                if Double(roundedUp(nearest[i])) <= limit { break }
                let e = points.point(i) - q
                let ee = (e * e).sum()
                if ee < nearest[i] { pot -= points.weight[i] * (nearest[i] - ee) }
            }
        }
        return (groups, pot)
    }

    while centers.count < k {
        let candidates = drawCandidates(trials, weight: points.weight, nearest: nearest, potential: potential, rng: &rng)

        var best = candidates[0]
        var bestEffect = effect(of: points.point(best))
        for c in candidates.dropFirst() {
            let e = effect(of: points.point(c))
            if e.potential < bestEffect.potential { best = c; bestEffect = e }
        }
        let q = points.point(best)
        let newIndex = centers.count
        centers.append(q)
        var taken: [Int] = []
        for j in bestEffect.groups {
            // Still farthest first: those not taken keep their order.
            let d = q - centers[j]
            let limit = (d * d).sum() / 4
            var kept: [Int] = []
            kept.reserveCapacity(members[j].count)
            for (at, i) in members[j].enumerated() {
                if Double(roundedUp(nearest[i])) <= limit {
                    kept.append(contentsOf: members[j][at...])
                    break
                }
                let e = points.point(i) - q
                let dd = (e * e).sum()
                if dd < nearest[i] {
                    nearest[i] = dd
                    owner[i] = newIndex
                    taken.append(i)
                } else {
                    kept.append(i)
                }
            }
            members[j] = kept
            radius[j] = (kept.first.map { Double(roundedUp(nearest[$0])) } ?? 0).squareRoot()
        }
        taken = farthestFirst(taken, nearest)
        members.append(taken)
        radius.append((taken.first.map { Double(roundedUp(nearest[$0])) } ?? 0).squareRoot())
        potential = bestEffect.potential
    }
    return centers
}

/// Up to this k, greedy k-means++ reads every point for each candidate
/// (kmeansPlusPlusByPasses): the groups prune little there, and a pass costs less than keeping them.
let passesMaxK = 256

/// `trials` points drawn with probability proportional to weight x `nearest`
/// (whose weighted sum is `potential`), in one pass over the cumulative mass, in index order.
private func drawCandidates(_ trials: Int, weight: [Double], nearest: [Double], potential: Double,
                            rng: inout SeededGenerator) -> [Int] {
    let targets = (0..<trials).map { _ in rng.unit() * potential }.sorted()
    var candidates: [Int] = []
    var acc = 0.0, last = 0
    for i in 0..<weight.count where candidates.count < trials {
        let m = weight[i] * nearest[i]
        guard m > 0 else { continue }
        acc += m
        last = i
        while candidates.count < trials && acc > targets[candidates.count] { candidates.append(i) }
    }
    while candidates.count < trials { candidates.append(last) }
    return candidates
}

/// kmeansPlusPlus for small k: the total each candidate would leave is summed
/// over every point (four at a time), the kept one's distances updated in one more pass.
private func kmeansPlusPlusByPasses(_ points: WeightedPoints, k: Int, trials: Int, centers given: [ColorPoint],
                                    rng: inout SeededGenerator) -> [ColorPoint] {
    let n = points.count
    var centers = given
    var nearest = [Double](repeating: .infinity, count: n)
    var potential = 0.0
    points.x.withUnsafeBufferPointer { xs in points.y.withUnsafeBufferPointer { ys in
    points.z.withUnsafeBufferPointer { zs in points.w.withUnsafeBufferPointer { ts in
    points.weight.withUnsafeBufferPointer { ws in
        /// Sum over the points of weight x min(nearest, squared distance to q), and those minima when `keep`.
        func pass(_ q: ColorPoint, keep: Bool, _ nearest: UnsafeMutableBufferPointer<Double>) -> Double {
            @inline(__always) func load(_ b: UnsafeBufferPointer<Double>, _ i: Int) -> SIMD4<Double> {
                UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self)
            }
            var sum = SIMD4<Double>.zero, tail = 0.0
            var i = 0
            while i + 4 <= n {
                // In bounds: i + 3 < n, the count of every buffer.
                let dx = load(xs, i) - q.x, dy = load(ys, i) - q.y, dz = load(zs, i) - q.z, dt = load(ts, i) - q.w
                let d = dx * dx + dy * dy + dz * dz + dt * dt
                let near = UnsafeRawPointer(nearest.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self)
                // Lane by lane (pointwiseMin is an outlined generic call); no distance is NaN or -0.
                let m = SIMD4(min(near[0], d[0]), min(near[1], d[1]), min(near[2], d[2]), min(near[3], d[3]))
                if keep { UnsafeMutableRawPointer(nearest.baseAddress! + i).storeBytes(of: m, as: SIMD4<Double>.self) }
                sum += load(ws, i) * m
                i += 4
            }
            while i < n {
                let e = ColorPoint(xs[i], ys[i], zs[i], ts[i]) - q
                let m = min(nearest[i], (e * e).sum())
                if keep { nearest[i] = m }
                tail += ws[i] * m
                i += 1
            }
            return sum.sum() + tail
        }
        nearest.withUnsafeMutableBufferPointer { near in
            for c in centers { potential = pass(c, keep: true, near) }
        }
        while centers.count < k {
            let candidates = drawCandidates(trials, weight: points.weight, nearest: nearest, potential: potential, rng: &rng)
            var best = candidates[0], lowest = Double.infinity
            nearest.withUnsafeMutableBufferPointer { near in
                for c in candidates {
                    let total = pass(points.point(c), keep: false, near)
                    if total < lowest { (best, lowest) = (c, total) }
                }
                potential = pass(points.point(best), keep: true, near)
            }
            centers.append(points.point(best))
        }
    } } } } }
    return centers
}

/// `d` rounded up to a Float: never below `d`, so that a list sorted by it
/// can be cut where it falls to a bound.
@inline(__always) private func roundedUp(_ d: Double) -> Float {
    let f = Float(d)
    return Double(f) < d ? f.nextUp : f
}

/// `group` ordered by `distance` rounded up to a Float, largest first (ties to
/// the lower index). Distances are >= 0, whose Float bits sort as the values.
private func farthestFirst(_ group: [Int], _ distance: [Double]) -> [Int] {
    var keys = group.map { UInt64(UInt32.max - roundedUp(distance[$0]).bitPattern) << 32 | UInt64($0) }
    keys.sort()
    return keys.map { Int(UInt32(truncatingIfNeeded: $0)) }
}

/// K distinct colours drawn as random pixels: with probability proportional to
/// weight, without replacement.
func randomPixels(_ points: WeightedPoints, k: Int, rng: inout SeededGenerator) -> [ColorPoint] {
    var mass = points.weight
    var total = points.totalWeight
    var centers: [ColorPoint] = []
    for _ in 0..<k {
        let i = draw(mass, total: total, rng: &rng)
        centers.append(points.point(i))
        total -= mass[i]
        mass[i] = 0
    }
    return centers
}
