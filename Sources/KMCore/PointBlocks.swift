/// The points in blocks of `size` consecutive ones in Morton order, each with
/// its bounding box: a pass that concerns only the points within some distance
/// of a colour skips every block whose box is farther (`gap`).
struct PointBlocks {
    /// Points a block; the last may hold fewer.
    static let size = 32
    /// The points' indices in Morton order: block b is `order[range(b)]`.
    let order: UncheckedArray<Int32>
    /// Each block's bounding box, corner to corner.
    let low: UncheckedArray<ColorPoint>, high: UncheckedArray<ColorPoint>
    /// Each point's block (n entries).
    let block: UncheckedArray<Int32>
    /// The number of blocks.
    let count: Int

    init(_ points: WeightedPoints) {
        order = UncheckedArray(mortonOrder(points))
        count = (points.count + Self.size - 1) / Self.size
        low = UncheckedArray(repeating: .zero, count: count)
        high = UncheckedArray(repeating: .zero, count: count)
        block = UncheckedArray(repeating: 0, count: points.count)
        // In bounds: b < count; t within range(b), below n; order's entries are point indices.
        for b in 0..<count {
            var lo = points.point(Int(order[b * Self.size])), hi = lo
            for t in range(b) {
                block[Int(order[t])] = Int32(b)
                lo = pointwiseMin(lo, points.point(Int(order[t])))
                hi = pointwiseMax(hi, points.point(Int(order[t])))
            }
            (low[b], high[b]) = (lo, hi)
        }
    }

    /// The positions in `order` of block b's points.
    @inline(__always) func range(_ b: Int) -> Range<Int> { b * Self.size..<min(order.count, (b + 1) * Self.size) }

    /// The squared distance from q to block b's box: no point of the block is
    /// nearer to q (the same subtractions, squares and sum as a point's, each
    /// term no larger).
    @inline(__always) func gap(_ b: Int, _ q: ColorPoint) -> Double {
        let g = pointwiseMax(pointwiseMax(low[b] - q, q - high[b]), .zero)
        return (g * g).sum()
    }
}

/// The points' indices in Morton (Z-curve) order of x, y and z on a grid of
/// 1,024 steps a side over their range, ties in index order: runs of
/// consecutive indices then lie close together in the cube.
func mortonOrder(_ points: WeightedPoints) -> [Int32] {
    let n = points.count
    guard n > 0 else { return [] }
    func range(_ v: [Double]) -> (Double, Double) {
        let lo = v.min()!, hi = v.max()!
        return (lo, hi > lo ? 1023 / (hi - lo) : 0)
    }
    let (x0, xs) = range(points.x), (y0, ys) = range(points.y), (z0, zs) = range(points.z)
    /// v's 10 bits spread to every third bit.
    func spread(_ v: UInt64) -> UInt64 {
        var v = v & 0x3ff
        v = (v | v << 16) & 0x30000ff
        v = (v | v << 8) & 0x300f00f
        v = (v | v << 4) & 0x30c30c3
        v = (v | v << 2) & 0x9249249
        return v
    }
    let codes = (0..<n).map { i -> UInt64 in
        let a = spread(UInt64((points.x[i] - x0) * xs)), b = spread(UInt64((points.y[i] - y0) * ys))
        let c = spread(UInt64((points.z[i] - z0) * zs))
        return (a << 2 | b << 1 | c) << 32 | UInt64(i)
    }
    return codes.sorted().map { Int32(truncatingIfNeeded: $0 & 0xffff_ffff) }
}
