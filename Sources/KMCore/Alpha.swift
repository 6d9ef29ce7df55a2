/// A colour with its opacity, samples on a scale 0...maxval held by whatever
/// holds it (alpha maxval: opaque, 0: fully transparent).
public struct RGBA: Hashable, Comparable, Sendable {
    public var color: Color
    public var alpha: UInt16

    public init(_ color: Color, alpha: UInt16) {
        self.color = color
        self.alpha = alpha
    }

    /// Fully transparent black: the one colour every fully transparent pixel counts as.
    public static let transparent = RGBA(Color(red: 0, green: 0, blue: 0), alpha: 0)

    public static func < (a: RGBA, b: RGBA) -> Bool { (a.color, a.alpha) < (b.color, b.alpha) }

    /// The colour packed in 64 bits: red, green, blue, alpha from high to low.
    @inlinable public var key: UInt64 { color.key << 16 | UInt64(alpha) }

    /// The premultiplied point (red x alpha, green x alpha, blue x alpha, alpha),
    /// each sample / maxval: what the colour adds over a black background, and its
    /// cover. Colours that differ only where they are invisible are the same point.
    @inlinable public func premultiplied(maxval: Int) -> SIMD4<Double> {
        let m = Double(maxval), a = Double(alpha) / m
        return SIMD4(Double(color.red) / m * a, Double(color.green) / m * a, Double(color.blue) / m * a, a)
    }

    /// The premultiplied point on the integer scale maxval²: (red x alpha, green x
    /// alpha, blue x alpha, alpha x maxval), `premultiplied(maxval:)` x maxval²,
    /// whose squared distances are exact in a Double for maxval <= 4096.
    @inlinable public func premultipliedSamples(maxval: Int) -> SIMD4<Double> {
        let a = Double(alpha)
        return SIMD4(Double(color.red) * a, Double(color.green) * a, Double(color.blue) * a, a * Double(maxval))
    }

    /// The colour whose premultiplied point is nearest to `p` on the scale 0...maxval
    /// (alpha clamped to 0...1 and rounded; colour divided by the unrounded alpha,
    /// clamped and rounded; transparent black when the alpha rounds to 0).
    public init(premultiplied p: SIMD4<Double>, maxval: Int) {
        let m = Double(maxval), a = min(max(p.w, 0), 1)
        let alpha = (a * m).rounded()
        guard alpha > 0 else { self = .transparent; return }
        func sample(_ x: Double) -> UInt16 { UInt16(min(max((x / a * m).rounded(), 0), m)) }
        self.init(Color(red: sample(p.x), green: sample(p.y), blue: sample(p.z)), alpha: UInt16(alpha))
    }

    /// The colour as the fit's point (ColorPoint): premultiplied red, green,
    /// blue in the unit cube and transparency 1 - alpha; an opaque colour's is
    /// its RGB point with w 0.
    @inlinable public func point(maxval: Int) -> ColorPoint {
        let m = Double(maxval), a = Double(alpha) / m
        return ColorPoint(Double(color.red) / m * a, Double(color.green) / m * a, Double(color.blue) / m * a, 1 - a)
    }

    /// The colour whose point (ColorPoint) is nearest to `p`, as
    /// init(premultiplied:maxval:).
    public init(point p: ColorPoint, maxval: Int) {
        self.init(premultiplied: SIMD4(p.x, p.y, p.z, 1 - p.w), maxval: maxval)
    }

    public func rescaled(from maxval: Int, to newMaxval: Int) -> RGBA {
        if maxval == newMaxval { return self }
        return RGBA(color.rescaled(from: maxval, to: newMaxval), alpha: rescaleSample(alpha, from: maxval, to: newMaxval))
    }
}

extension RGBA {
    /// The colour of a `key`.
    @inlinable public init(key: UInt64) {
        self.init(Color(key: key >> 16), alpha: UInt16(truncatingIfNeeded: key))
    }
}

/// The nearest palette colour by premultiplied distance: the squared distance
/// between premultiplied points (RGBA.premultiplied), ties to the lower index.
/// A fully transparent pixel is nearest to a fully transparent colour whatever
/// its RGB. Distances are taken on the input's integer scale (maxval², where
/// the palette's points are scaled from its own), so that they are exact for
/// inputs of maxval up to 4096 whose maxval the palette's divides (8-bit
/// palettes on 8- and 16-bit images), and ties are ties.
public struct AlphaNearest: Sendable {
    public let palette: Palette
    /// The search for inputs on the palette's own scale, made at init.
    public let own: Search

    public init(_ palette: Palette) {
        precondition(palette.count > 0)
        self.palette = palette
        own = Search(palette, maxval: palette.maxval)
    }

    /// The search for inputs on the scale 0...`maxval`: `own` for the palette's.
    public func search(maxval: Int) -> Search {
        maxval == palette.maxval ? own : Search(palette, maxval: maxval)
    }

    /// The nearest colour for inputs on one scale 0...maxval (1...65535).
    public struct Search: Sendable {
        public let palette: Palette
        public let maxval: Int
        /// The palette's first occurrences on the scale maxval².
        let diagonal: DiagonalSearch
        /// 1 / maxval⁴: from a squared distance on that scale to the unit cube's.
        let toUnit: Double

        init(_ palette: Palette, maxval: Int) {
            (self.palette, self.maxval) = (palette, maxval)
            let first = palette.firstIndices, s = Double(maxval) / Double(palette.maxval)
            diagonal = DiagonalSearch(first.map { palette.rgba($0).premultipliedSamples(maxval: palette.maxval) * (s * s) },
                                      indices: first)
            let m2 = Double(maxval) * Double(maxval)
            toUnit = 1 / (m2 * m2)
        }

        /// The index of the palette colour nearest to `c` (on the scale 0...maxval)
        /// and its squared premultiplied distance in the unit cube (0...4).
        public func index(_ c: RGBA) -> (index: Int, distance: Double) {
            let found = diagonal.nearest(c.premultipliedSamples(maxval: maxval))
            return (found.index, found.distance * toUnit)
        }

        /// Maps pixels stored as `format` (on the search's scale; grey replicated;
        /// an image without alpha is opaque) to their nearest palette colours: 4
        /// samples a pixel on the palette's scale (its RGB and alpha), or with
        /// `indices` one index a pixel. Splits the pixels over `threads`; the
        /// result does not depend on it.
        public func map(samples: UnsafeBufferPointer<UInt16>, format: PixelFormat, indices: Bool,
                        into out: UnsafeMutableBufferPointer<UInt16>, threads: Int) {
            let d = format.depth, color = format.isGray ? 1 : 3, pixels = samples.count / d
            let shares = min(max(threads, 1), max(pixels >> 12, 1)), share = (pixels + shares - 1) / shares
            precondition(format.maxval == maxval)
            let opaque = UInt16(format.maxval)
            Parallel.forEach(shares, threads: shares) { n in
                var cache = AlphaNearest.Cache()
                for p in n * share..<min(pixels, (n + 1) * share) {
                    let s = d * p
                    let c = RGBA(Color(red: samples[s], green: samples[s + color / 2], blue: samples[s + color - 1]),
                                 alpha: format.hasAlpha ? samples[s + d - 1] : opaque)
                    let i = cache.index(c) { index(c).index }
                    if indices {
                        out[p] = UInt16(i)
                    } else {
                        let q = palette.rgba(i)
                        out[4 * p] = q.color.red; out[4 * p + 1] = q.color.green; out[4 * p + 2] = q.color.blue
                        out[4 * p + 3] = q.alpha
                    }
                }
            }
        }
    }

    /// Recent colours' answers: a direct-mapped table keyed by RGBA.key.
    struct Cache {
        static let bits = 12
        var keys = [UInt64](repeating: 0, count: 1 << Cache.bits)
        var answers = [Int32](repeating: -1, count: 1 << Cache.bits)

        @inline(__always) mutating func index(_ c: RGBA, search: () -> Int) -> Int {
            let key = c.key, slot = Color.slot(key, bits: Cache.bits)
            if answers[slot] >= 0 && keys[slot] == key { return Int(answers[slot]) }
            let i = search()
            (keys[slot], answers[slot]) = (key, Int32(i))
            return i
        }
    }
}

/// Exact nearest point among a few (palette colours, k-means centres) in four
/// dimensions, ties to the lower index: the points sorted along the diagonal
/// (x + y + z + w) / 2, a unit direction, so that the distance along it never
/// exceeds the true distance; a search widens from the query's place on the
/// diagonal, nearer first, until that distance alone exceeds the best found.
struct DiagonalSearch: Sendable {
    /// The points sorted by `along`, with their indices.
    let points: [SIMD4<Double>], indices: [Int], along: [Double]

    /// A search among `points`, point i answering with `indices[i]`.
    init(_ points: [SIMD4<Double>], indices: [Int]) {
        precondition(!points.isEmpty && points.count == indices.count)
        let order = points.indices.sorted {
            (DiagonalSearch.diagonal(points[$0]), indices[$0]) < (DiagonalSearch.diagonal(points[$1]), indices[$1])
        }
        self.points = order.map { points[$0] }
        self.indices = order.map { indices[$0] }
        along = self.points.map(DiagonalSearch.diagonal)
    }

    @inline(__always) static func diagonal(_ p: SIMD4<Double>) -> Double { p.sum() / 2 }

    /// The index of the point nearest to `q` and its squared distance.
    func nearest(_ q: SIMD4<Double>) -> (index: Int, distance: Double) {
        let found = walk(q, start: nil, second: false)
        return (found.index, found.distance)
    }

    /// The index of the point nearest to `q`, its squared distance, and the
    /// squared distance of the nearest other point (infinity when there is
    /// none). `start`, a point's index and its squared distance to `q` (say,
    /// the last answer), only makes the search shorter: the answer is the same.
    func twoNearest(_ q: SIMD4<Double>, start: (index: Int, distance: Double)?) -> (index: Int, distance: Double, second: Double) {
        walk(q, start: start, second: true)
    }

    /// The search, widened until the distance along the diagonal exceeds the
    /// best distance, or with `second` the second best.
    @inline(__always)
    private func walk(_ q: SIMD4<Double>, start: (index: Int, distance: Double)?, second: Bool) -> (index: Int, distance: Double, second: Double) {
        let t = DiagonalSearch.diagonal(q)
        // The first place whose diagonal is >= t: search up from there and down from before it.
        var lo = 0, hi = along.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if along[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        var up = lo, down = lo - 1
        var (best, bestD) = start ?? (Int.max, Double.infinity)
        var secondD = Double.infinity
        while true {
            let gapUp = up < along.count ? along[up] - t : .infinity
            let gapDown = down >= 0 ? t - along[down] : .infinity
            let gap = min(gapUp, gapDown), limit = second ? secondD : bestD
            guard gap.isFinite && gap * gap <= limit else { break }  // not finite: every point seen
            let i: Int
            if gapUp <= gapDown {
                i = up
                up += 1
            } else {
                i = down
                down -= 1
            }
            guard indices[i] != best else { continue }
            let d = q - points[i], dd = (d * d).sum()
            if dd < bestD || (dd == bestD && indices[i] < best) {
                secondD = bestD
                (best, bestD) = (indices[i], dd)
            } else {
                secondD = min(secondD, dd)
            }
        }
        return (best, bestD, secondD)
    }
}
