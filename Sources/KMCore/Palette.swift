/// The colours an image is reduced to, on the scale 0...maxval. As a file it is
/// a netpbm colormap: a PPM whose pixels, in row order, are the colours.
public struct Palette: Equatable, Sendable {
    public var colors: [Color]
    /// The scale of the colours (1...65535).
    public var maxval: Int

    public init(colors: [Color], maxval: Int) {
        self.colors = colors
        self.maxval = maxval
    }

    public var count: Int { colors.count }

    /// The colours as points of the unit cube (each channel sample / maxval).
    public var unitColors: [SIMD3<Double>] {
        colors.map { $0.unit(maxval: maxval) }
    }

    /// The palette whose colours are `points` (unit cube) rounded to 0...maxval.
    public init(unitPoints points: [SIMD3<Double>], maxval: Int) {
        let m = Double(maxval)
        func sample(_ x: Double) -> UInt16 { UInt16(min(max((x * m).rounded(), 0), m)) }
        self.init(colors: points.map { Color(red: sample($0.x), green: sample($0.y), blue: sample($0.z)) },
                  maxval: maxval)
    }

    /// How many of `histogram`'s pixels have each colour as their nearest
    /// (squared distance in the unit cube, ties to the lower index).
    public func pixelCounts(in histogram: Histogram) -> [UInt64] {
        let nearest = UnitNearest(self)
        var counts = [UInt64](repeating: 0, count: count)
        let (colors, n) = histogram.entries()
        for (c, k) in zip(colors, n) {
            counts[nearest.index(of: c.unit(maxval: histogram.maxval)).index] += k
        }
        return counts
    }

    /// The same colours ordered by how many of `histogram`'s pixels each takes,
    /// most first; equal counts in colour order.
    public func sortedByUse(in histogram: Histogram) -> Palette {
        let counts = pixelCounts(in: histogram)
        let order = colors.indices.sorted {
            counts[$0] != counts[$1] ? counts[$0] > counts[$1] : colors[$0] < colors[$1]
        }
        return Palette(colors: order.map { colors[$0] }, maxval: maxval)
    }
}

/// Nearest palette colour in the unit cube, in Double: used for costs, where a
/// colour may be on any scale.
public struct UnitNearest: Sendable {
    public let points: [SIMD3<Double>]

    public init(_ palette: Palette) { points = palette.unitColors }

    /// The index of the nearest point (ties to the lower index) and its squared distance.
    @inlinable public func index(of p: SIMD3<Double>) -> (index: Int, distance: Double) {
        var best = 0, bestD = Double.infinity
        for (i, c) in points.enumerated() {
            let d = p - c
            let dd = (d * d).sum()
            if dd < bestD { bestD = dd; best = i }
        }
        return (best, bestD)
    }
}

/// Exact nearest palette colour for integer pixels: least squared distance in
/// the unit cube, computed in integers, ties to the lower palette index.
public struct NearestColor: Sendable {
    public let palette: Palette
    @usableFromInline let red: [Int32], green: [Int32], blue: [Int32]

    public init(_ palette: Palette) {
        self.palette = palette
        red = palette.colors.map { Int32($0.red) }
        green = palette.colors.map { Int32($0.green) }
        blue = palette.colors.map { Int32($0.blue) }
    }

    /// The index of the palette colour nearest to (r, g, b), on the palette's scale.
    @inlinable public func index(_ r: Int32, _ g: Int32, _ b: Int32) -> Int {
        var best = 0
        var bestD = Int64.max
        red.withUnsafeBufferPointer { rs in
            green.withUnsafeBufferPointer { gs in
                blue.withUnsafeBufferPointer { bs in
                    for i in 0..<rs.count {
                        let dr = Int64(r - rs[i]), dg = Int64(g - gs[i]), db = Int64(b - bs[i])
                        let d = dr * dr + dg * dg + db * db
                        if d < bestD { bestD = d; best = i }
                    }
                }
            }
        }
        return best
    }

    /// The index of the palette colour nearest to (r, g, b) on the scale
    /// 0...`maxval`, compared exactly in the unit cube: both sides are brought
    /// to the common scale maxval x palette maxval in integers.
    @inlinable public func index(_ r: Int32, _ g: Int32, _ b: Int32, maxval: Int) -> Int {
        let mp = Int64(palette.maxval), mi = Int64(maxval)
        if mp == mi { return index(r, g, b) }
        let pr = Int64(r) * mp, pg = Int64(g) * mp, pb = Int64(b) * mp
        var best = 0
        var bestD = UInt128.max
        for i in 0..<red.count {
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
    public func indices(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int,
                        into out: UnsafeMutableBufferPointer<UInt16>) {
        var cache = Cache(self, maxval: maxval)
        for p in 0..<samples.count / 3 {
            out[p] = cache.index(samples[3 * p], samples[3 * p + 1], samples[3 * p + 2])
        }
    }

    /// Replaces each pixel of interleaved RGB `samples` (0...`maxval`) by its
    /// nearest palette colour, written to `out` on the palette's scale. Splits
    /// the work over `threads`; the result does not depend on it.
    public func map(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int,
                    into out: UnsafeMutableBufferPointer<UInt16>, threads: Int) {
        let pixels = samples.count / 3
        let piece = 1 << 15
        let pieces = (pixels + piece - 1) / piece
        let colors = palette.colors
        Parallel.forEach(pieces, threads: threads) { n in
            var cache = Cache(self, maxval: maxval)
            for p in n * piece..<min(pixels, (n + 1) * piece) {
                let c = colors[Int(cache.index(samples[3 * p], samples[3 * p + 1], samples[3 * p + 2]))]
                out[3 * p] = c.red; out[3 * p + 1] = c.green; out[3 * p + 2] = c.blue
            }
        }
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
            let key = UInt64(r) << 32 | UInt64(g) << 16 | UInt64(b)
            let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 52)
            if keys[slot] == key { return values[slot] }
            let n = UInt16(truncatingIfNeeded: nearest.index(Int32(r), Int32(g), Int32(b), maxval: maxval))
            keys[slot] = key
            values[slot] = n
            return n
        }
    }
}
