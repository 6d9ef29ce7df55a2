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

    public func rescaled(from maxval: Int, to newMaxval: Int) -> RGBA {
        if maxval == newMaxval { return self }
        return RGBA(color.rescaled(from: maxval, to: newMaxval), alpha: rescaleSample(alpha, from: maxval, to: newMaxval))
    }
}

/// The distinct colours with opacity of one or more images and how many pixels
/// have each, on a scale 0...maxval. Every fully transparent pixel counts as
/// transparent black.
public struct AlphaHistogram: Sendable {
    /// The scale of the colours held (1...65535).
    public private(set) var maxval: Int
    private var counts: [UInt64: UInt64] = [:]
    /// Pixels counted so far.
    public private(set) var pixelCount: UInt64 = 0

    /// An empty histogram of colours on the scale 0...maxval.
    public init(maxval: Int) {
        precondition((1...65535).contains(maxval))
        self.maxval = maxval
    }

    /// Distinct colours counted so far.
    public var colorCount: Int { counts.count }

    /// Counts pixels stored as `format`: grey is replicated, and pixels of an
    /// image without alpha are opaque. Samples on another scale are rescaled to
    /// the histogram's; when they are on a finer one, the histogram first moves
    /// to maxval 65535.
    public mutating func add(_ samples: UnsafeBufferPointer<UInt16>, format: PixelFormat) {
        let m = format.maxval
        if m > maxval && maxval != 65535 { moveToScale(65535) }
        let d = format.depth, color = format.isGray ? 1 : 3, to = maxval
        func scaled(_ v: UInt16) -> UInt16 { m == to ? v : rescaleSample(v, from: m, to: to) }
        var lastKey: UInt64 = 0, run: UInt64 = 0
        for p in 0..<samples.count / d {
            let s = d * p
            let a = format.hasAlpha ? samples[s + d - 1] : UInt16(m)
            let key = a == 0 ? RGBA.transparent.key
                : RGBA(Color(red: scaled(samples[s]), green: scaled(samples[s + color / 2]), blue: scaled(samples[s + color - 1])),
                       alpha: scaled(a)).key
            if key == lastKey && run > 0 {
                run += 1
            } else {
                if run > 0 { counts[lastKey, default: 0] += run }
                (lastKey, run) = (key, 1)
            }
        }
        if run > 0 { counts[lastKey, default: 0] += run }
        pixelCount += UInt64(samples.count / d)
    }

    /// The distinct colours in increasing order, with their pixel counts.
    public func entries() -> (colors: [RGBA], counts: [UInt64]) {
        let keys = counts.keys.sorted()
        return (keys.map(RGBA.init(key:)), keys.map { counts[$0]! })
    }

    private mutating func moveToScale(_ newMaxval: Int) {
        var moved: [UInt64: UInt64] = [:]
        for (key, n) in counts {
            moved[RGBA(key: key).rescaled(from: maxval, to: newMaxval).key, default: 0] += n
        }
        (counts, maxval) = (moved, newMaxval)
    }
}

extension RGBA {
    /// The colour of a `key`.
    @inlinable public init(key: UInt64) {
        self.init(Color(key: key >> 16), alpha: UInt16(truncatingIfNeeded: key))
    }
}
