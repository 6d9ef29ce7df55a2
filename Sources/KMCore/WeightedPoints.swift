/// A colour as a point where the fit measures distances: x, y, z its
/// coordinates in a ColorSpace (for RGB, the unit cube), premultiplied by its
/// opacity when it has one, and w its transparency, 1 - alpha (0...1): 0 for
/// every opaque colour, so that opaque colours are the same points with or
/// without alpha, and the squared distance between two colours is what one
/// shows over black where the other should be (RGBA.premultiplied).
public typealias ColorPoint = SIMD4<Double>

/// Weighted points (colours as ColorPoints), stored as a structure of arrays.
public struct WeightedPoints: Sendable {
    public var x: [Double], y: [Double], z: [Double]
    /// Transparency, 1 - alpha: all 0 when `isOpaque`.
    public var w: [Double]
    public var weight: [Double]
    public var totalWeight: Double
    /// A cube holding every point's x, y, z, where the merged copy's bins are
    /// cut (w is cut on 0...1).
    public var cube: (origin: SIMD3<Double>, side: Double) = (.zero, 1)
    /// Every w is 0.
    public var isOpaque: Bool

    public var count: Int { weight.count }

    init(x: [Double], y: [Double], z: [Double], w: [Double], weight: [Double], totalWeight: Double) {
        (self.x, self.y, self.z, self.w, self.weight, self.totalWeight) = (x, y, z, w, weight, totalWeight)
        isOpaque = !w.contains { $0 != 0 }
    }

    /// The histogram's colours at their points, weighted by pixel count:
    /// their coordinates in `space` (for `rgb`, the unit cube), or with alpha
    /// their premultiplied points (RGBA.point; `space` must be `rgb`).
    public init(_ histogram: Histogram, space: ColorSpace = .rgb) {
        if histogram.hasAlpha {
            precondition(space == .rgb)
            let (colors, counts) = histogram.colorsWithAlpha()
            let points = colors.map { $0.point(maxval: histogram.maxval) }
            self.init(x: points.map { $0.x }, y: points.map { $0.y }, z: points.map { $0.z }, w: points.map { $0.w },
                      weight: counts.map { Double($0) }, totalWeight: counts.reduce(0) { $0 + Double($1) })
            return
        }
        let (colors, counts) = histogram.entries()
        let convert = space.converter(maxval: histogram.maxval)
        var x = [Double](), y = [Double](), z = [Double](), weight = [Double]()
        x.reserveCapacity(colors.count); y.reserveCapacity(colors.count); z.reserveCapacity(colors.count)
        weight.reserveCapacity(colors.count)
        for (color, count) in zip(colors, counts) {
            let p = convert(color.red, color.green, color.blue)
            x.append(p.x); y.append(p.y); z.append(p.z)
            weight.append(Double(count))
        }
        self.init(x: x, y: y, z: z, w: [Double](repeating: 0, count: colors.count), weight: weight, totalWeight: weight.reduce(0, +))
        cube = space.cube
    }

    @inline(__always) func point(_ i: Int) -> ColorPoint { ColorPoint(x[i], y[i], z[i], w[i]) }
}

extension WeightedPoints {
    /// The bins a side of the points' cube the merged copy may have, coarsest
    /// first: steps of about 1.25x in side (2x in bins), so that the copy is
    /// not up to 8 times the colours asked for, as with powers of two (at
    /// K = 16, 2,400 asked: the notebook image 3,471 colours, 9,787 with
    /// powers of two; the astronaut 2,645, 8,683).
    static let mergeSides = [16, 20, 25, 32, 40, 50, 64]

    /// The points merged in cubic bins (`mergeSides` a side of their cube),
    /// each bin becoming the weighted mean of its points: the coarsest that
    /// leaves at least `search.colorsPerCenter` x k bins and at most half the
    /// points, or else the finest that leaves at most half of them (from
    /// `search.quarterMergeMinK`, a quarter; or the coarsest, when it leaves
    /// more); nil when none leaves at most half, when fewer than k are left,
    /// or when there are fewer than `search.fewColorsPerCenter` x k points or
    /// than `search.fewColors`.
    func merged(forK k: Int, search: Search) -> WeightedPoints? {
        if count < search.fewColorsPerCenter * k || search.isFew(count) { return nil }
        let most = k >= search.quarterMergeMinK ? count / 4 : count / 2
        // Chosen by the bins each side fills (a bitmap), then made once.
        var kept: (side: Int, bins: Int)?
        for side in Self.mergeSides {
            let bins = occupiedBins(side: side)
            if bins > count / 2 { break }
            if bins >= search.colorsPerCenter * k { kept = (side, bins); break }
            if kept == nil || bins <= most { kept = (side, bins) }
        }
        guard let kept, kept.bins >= k else { return nil }
        return binned(side: kept.side)
    }

    /// The bins of `binned(side:)` (its count), counted without merging.
    func occupiedBins(side: Int) -> Int {
        let bins = Bins(side: side, cube: cube)
        guard isOpaque else { return Set((0..<count).map { bins.key(x[$0], y[$0], z[$0], w[$0]) }).count }
        // In bounds: a key is below side^3, the bitmap's bits.
        let bits = UncheckedArray<UInt64>(repeating: 0, count: (side * side * side + 63) / 64)
        let xs = UncheckedArray(x), ys = UncheckedArray(y), zs = UncheckedArray(z)
        var used = 0
        for i in 0..<count {
            let b = bins.key(xs[i], ys[i], zs[i])
            let mask = UInt64(1) << UInt64(b & 63), word = bits[b >> 6]
            if word & mask == 0 { bits[b >> 6] = word | mask; used += 1 }
        }
        return used
    }

    /// The points merged in cubic bins, `side` (2...128) a side of their cube
    /// (with transparency, w cut in as many), each bin becoming the weighted mean of
    /// its points, in bin order.
    func binned(side: Int) -> WeightedPoints {
        let bins = Bins(side: side, cube: cube)
        // Opaque points: a table of every cube bin; otherwise a dictionary of the bins used.
        var table = [Int32](repeating: -1, count: isOpaque ? side * side * side : 0)
        var used: [Int: Int32] = [:]
        var keys: [Int] = [], sums: [ColorPoint] = [], weights: [Double] = []
        for i in 0..<count {
            let key = isOpaque ? bins.key(x[i], y[i], z[i]) : bins.key(x[i], y[i], z[i], w[i])
            var j = isOpaque ? table[key] : used[key, default: -1]
            if j < 0 {
                j = Int32(sums.count)
                if isOpaque { table[key] = j } else { used[key] = j }
                keys.append(key)
                sums.append(.zero)
                weights.append(0)
            }
            sums[Int(j)] += point(i) * weight[i]
            weights[Int(j)] += weight[i]
        }
        // In bin order, so that the copy does not depend on the points' order.
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        let means = order.map { sums[$0] / weights[$0] }
        var out = WeightedPoints(x: means.map { $0.x }, y: means.map { $0.y }, z: means.map { $0.z }, w: means.map { $0.w },
                                 weight: order.map { weights[$0] }, totalWeight: totalWeight)
        out.cube = cube
        return out
    }
}

/// Cubic bins, `side` (2...128) a side of a cube (and of w's 0...1).
private struct Bins {
    let side: Int, scale: Double, origin: SIMD3<Double>, extent: Double

    init(side: Int, cube: (origin: SIMD3<Double>, side: Double)) {
        precondition((2...128).contains(side))
        (self.side, scale, origin, extent) = (side, Double(side), cube.origin, cube.side)
    }

    @inline(__always) private func cell(_ v: Double, _ o: Double, _ e: Double) -> Int {
        min(max(Int((v - o) / e * scale), 0), side - 1)
    }

    /// The bin of opaque coordinates, 0..<side^3.
    @inline(__always) func key(_ x: Double, _ y: Double, _ z: Double) -> Int {
        (cell(x, origin.x, extent) * side + cell(y, origin.y, extent)) * side + cell(z, origin.z, extent)
    }

    /// The bin with w cut in `side` too, 0..<side^4.
    @inline(__always) func key(_ x: Double, _ y: Double, _ z: Double, _ w: Double) -> Int {
        key(x, y, z) * side + cell(w, 0, 1)
    }
}
