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
