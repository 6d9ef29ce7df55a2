/// Exact nearest palette colour for integer pixels: least squared distance in
/// the unit cube, computed in integers, ties to the lower palette index.
///
/// A grid of 16 x 16 x 16 cells over the unit cube (up to 1024 colours) keeps, for each cell, the
/// palette colours that can be nearest to some point of it (those no farther
/// from the cell than the best colour's farthest corner), so that a search
/// looks at a few candidates instead of the whole palette.
public struct NearestColor: Sendable {
    public let palette: Palette
    @usableFromInline let red: [Int32], green: [Int32], blue: [Int32]
    /// Cells per axis: 16, or 1 (every colour a candidate) for palettes of
    /// more than 1024 colours, where the grid would cost more than it saves.
    private let cells: Int
    /// Candidates of cell c: candidates[start[c]..<start[c + 1]], in index order.
    private let start: [Int32]
    private let candidates: [Int32]

    public init(_ palette: Palette) {
        self.palette = palette
        red = palette.colors.map { Int32($0.red) }
        green = palette.colors.map { Int32($0.green) }
        blue = palette.colors.map { Int32($0.blue) }
        cells = palette.count > 1024 ? 1 : 16
        (start, candidates) = NearestColor.grid(palette.unitColors, cells: cells)
    }

    private static func grid(_ points: [SIMD3<Double>], cells g: Int) -> ([Int32], [Int32]) {
        let n = points.count, side = 1 / Double(g)
        // Per axis and slab of cells along it: each point's squared distance outside the
        // slab, and to the slab's far side; a cell's distances are the sums over its three slabs.
        var outside = [Double](repeating: 0, count: 3 * g * n), far = outside
        for axis in 0..<3 {
            for slab in 0..<g {
                let a = Double(slab) * side, b = a + side, row = (axis * g + slab) * n
                for (j, p) in points.enumerated() {
                    let v = p[axis]
                    let o = v < a ? a - v : (v > b ? v - b : 0), f = max(v - a, b - v)
                    outside[row + j] = o * o
                    far[row + j] = f * f
                }
            }
        }
        var start: [Int32] = [0]
        var candidates: [Int32] = []
        start.reserveCapacity(g * g * g + 1)
        var near = [Double](repeating: 0, count: n)
        outside.withUnsafeBufferPointer { outside in
            far.withUnsafeBufferPointer { far in
                for cr in 0..<g {
                    for cg in 0..<g {
                        for cb in 0..<g {
                            let r = cr * n, gg = (g + cg) * n, b = (2 * g + cb) * n
                            var bound = Double.infinity
                            for j in 0..<n {
                                near[j] = outside[r + j] + outside[gg + j] + outside[b + j]
                                bound = min(bound, far[r + j] + far[gg + j] + far[b + j])
                            }
                            let limit = bound * (1 + 1e-9) + 1e-12
                            for j in 0..<n where near[j] <= limit { candidates.append(Int32(j)) }
                            start.append(Int32(candidates.count))
                        }
                    }
                }
            }
        }
        return (start, candidates)
    }

    /// The index of the palette colour nearest to (r, g, b), on the palette's scale.
    @inlinable public func index(_ r: Int32, _ g: Int32, _ b: Int32) -> Int {
        index(r, g, b, maxval: palette.maxval)
    }

    /// The index of the palette colour nearest to (r, g, b) on the scale
    /// 0...`maxval`. Distances are compared exactly: both sides are brought to
    /// the common scale maxval x palette maxval in integers.
    public func index(_ r: Int32, _ g: Int32, _ b: Int32, maxval: Int) -> Int {
        let m = Int32(maxval), n = Int32(cells)
        let cell = Int(min(r * n / m, n - 1) * n * n + min(g * n / m, n - 1) * n + min(b * n / m, n - 1))
        return candidates.withUnsafeBufferPointer { list in
            nearest(r, g, b, maxval: maxval, among: UnsafeBufferPointer(rebasing: list[Int(start[cell])..<Int(start[cell + 1])]))
        }
    }

    private func nearest(_ r: Int32, _ g: Int32, _ b: Int32, maxval: Int,
                         among list: UnsafeBufferPointer<Int32>) -> Int {
        let mp = Int64(palette.maxval), mi = Int64(maxval)
        var best = Int(list[0])
        if mp == mi {
            var bestD = Int64.max
            for j in list {
                let i = Int(j)
                let dr = Int64(r - red[i]), dg = Int64(g - green[i]), db = Int64(b - blue[i])
                let d = dr * dr + dg * dg + db * db
                if d < bestD { bestD = d; best = i }
            }
            return best
        }
        let pr = Int64(r) * mp, pg = Int64(g) * mp, pb = Int64(b) * mp
        var bestD = UInt128.max
        for j in list {
            let i = Int(j)
            let dr = (pr - Int64(red[i]) * mi).magnitude
            let dg = (pg - Int64(green[i]) * mi).magnitude
            let db = (pb - Int64(blue[i]) * mi).magnitude
            let d = UInt128(dr * dr) + UInt128(dg * dg) + UInt128(db * db)
            if d < bestD { bestD = d; best = i }
        }
        return best
    }

    /// Writes, for each pixel of interleaved RGB `samples` on the scale
    /// 0...`maxval`, the index of its nearest palette colour.
    func indices(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int,
                        into out: UnsafeMutableBufferPointer<UInt16>) {
        var cache = Cache(self, maxval: maxval)
        for p in 0..<samples.count / 3 {
            out[p] = cache.index(samples[3 * p], samples[3 * p + 1], samples[3 * p + 2])
        }
    }

    /// Replaces each pixel of interleaved RGB `samples` (0...`maxval`) by its
    /// nearest palette colour, written to `out` on the palette's scale. Splits
    /// the work over `threads`; the result does not depend on it.
    func map(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int,
                    into out: UnsafeMutableBufferPointer<UInt16>, threads: Int) {
        let format = PixelFormat(depth: 3, isGray: false, hasAlpha: false, maxval: maxval)
        var mapper = Mapper(self)
        mapper.beginImage(format: format, width: max(samples.count / 3, 1))
        mapper.map16(samples, firstRow: 0, into: out, threads: threads)
    }

    /// Remembers recent answers: a direct-mapped table from colour to index.
    struct Cache {
        let nearest: NearestColor
        let maxval: Int
        var keys = [UInt64](repeating: .max, count: 1 << 12)
        var values = [UInt16](repeating: 0, count: 1 << 12)

        init(_ nearest: NearestColor, maxval: Int) {
            self.nearest = nearest
            self.maxval = maxval
        }

        @inline(__always) mutating func index(_ r: UInt16, _ g: UInt16, _ b: UInt16) -> UInt16 {
            let key = Color(red: r, green: g, blue: b).key
            let slot = Color.slot(key, bits: 12)
            if keys[slot] == key { return values[slot] }
            let n = UInt16(truncatingIfNeeded: nearest.index(Int32(r), Int32(g), Int32(b), maxval: maxval))
            keys[slot] = key
            values[slot] = n
            return n
        }
    }
}
