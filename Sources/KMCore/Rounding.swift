/// The rounded centres nudged on the palette's integer grid. Rounding each
/// centre to the nearest stored colour is the best choice while every colour
/// keeps its centre, but not once colours may change centre: here each free
/// entry tries one step up and one down in each channel, a step kept when J
/// on `points` (nearest assignment, exact) falls, in sweeps until none is kept
/// or `sweeps` are done. A trial costs one pass over the points: J with entry
/// j moved follows from each point's two nearest entries. Opaque RGB only
/// (`points` in the unit cube). The first `fixed` entries never move.
func nudged(_ palette: [Color], fixed: Int, points: WeightedPoints, maxval: Int, sweeps: Int = 3) -> [Color] {
    let n = points.count, k = palette.count, m = Double(maxval)
    guard k > fixed, k >= 2, n > k else { return palette }
    var centers = palette.map { ColorPoint($0.unit(maxval: maxval), 0) }
    var label = [Int](repeating: 0, count: n), second = [Int](repeating: 0, count: n)
    var d1 = [Double](repeating: 0, count: n), d2 = [Double](repeating: 0, count: n)
    func assign(_ i: Int) {
        let p = points.point(i)
        var best = 0, next = 0, near = Double.infinity, far = Double.infinity
        for j in 0..<k {
            let d = p - centers[j]
            let dd = (d * d).sum()
            if dd < near { (far, next, near, best) = (near, best, dd, j) } else if dd < far { (far, next) = (dd, j) }
        }
        (label[i], second[i], d1[i], d2[i]) = (best, next, near, far)
    }
    for i in 0..<n { assign(i) }
    var total = 0.0
    for i in 0..<n { total += points.weight[i] * d1[i] }
    func dq(_ i: Int, _ c: ColorPoint) -> Double {
        let e = points.point(i) - c
        return (e * e).sum()
    }
    for _ in 0..<sweeps {
        var kept = false
        for j in fixed..<k {
            for channel in 0..<3 {
                for step in [-1, 1] {
                    var c = centers[j]
                    let value = Int((c[channel] * m).rounded()) + step
                    guard (0...maxval).contains(value) else { continue }
                    c[channel] = Double(value) / m
                    var after = 0.0
                    for i in 0..<n {
                        let e = points.point(i) - c
                        let dc = (e * e).sum()
                        after += points.weight[i] * min(dc, label[i] == j ? d2[i] : d1[i])
                    }
                    guard after < total * (1 - 1e-12) else { continue }
                    centers[j] = c
                    kept = true
                    total = after
                    // Only points whose two nearest held j, or that j now comes nearer than their second, change.
                    for i in 0..<n where label[i] == j || second[i] == j || dq(i, c) < d2[i] { assign(i) }
                }
            }
        }
        if !kept { break }
    }
    func sample(_ x: Double) -> UInt16 { UInt16((x * m).rounded()) }
    return centers.map { Color(red: sample($0.x), green: sample($0.y), blue: sample($0.z)) }
}
