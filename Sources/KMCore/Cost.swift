#if canImport(Glibc)
import Glibc
#endif

/// How far an image's pixels are from the colours they are replaced by (a
/// palette's nearest colours, or a reference image's pixels), summed over
/// pixels: the cost J in a colour space, J in RGB, and the CIEDE2000
/// differences; or, for colours with opacity, J of premultiplied colours
/// alone. Each entry is a distinct colour (or pair of colours) with its
/// pixel count, so memory grows with those, not with pixels.
public struct ErrorTally: Sendable {
    /// The space J is measured in.
    public let space: ColorSpace
    /// Whether the distances are between premultiplied colours (red, green and
    /// blue times alpha, and alpha, on [0,1]: 0...4 a pixel); then space is rgb,
    /// `rgbCost` is `cost` and there is no ΔE00 (0).
    public let premultiplied: Bool
    /// Pixels counted.
    public private(set) var pixels: UInt64 = 0
    /// Sum of squared distances in `space`'s coordinates.
    public private(set) var sum = 0.0
    /// Sum of squared distances in the RGB unit cube, summed over channels.
    public private(set) var rgbSum = 0.0
    /// Sum of ΔE00.
    public private(set) var deltaESum = 0.0
    /// Each distinct ΔE00 added, with its pixels (unsorted, values may repeat).
    private var deltaEs: [(value: Double, pixels: UInt64)] = []

    public init(space: ColorSpace, premultiplied: Bool = false) {
        precondition(!premultiplied || space == .rgb)
        (self.space, self.premultiplied) = (space, premultiplied)
    }

    /// Adds `count` pixels, each at squared distance `squared` in `space`,
    /// `rgbSquared` in the RGB unit cube and `deltaE` (ΔE00) from its replacement.
    public mutating func add(squared: Double, rgbSquared: Double, deltaE: Double, count: UInt64) {
        let n = Double(count)
        pixels += count
        sum += squared * n
        rgbSum += rgbSquared * n
        deltaESum += deltaE * n
        deltaEs.append((deltaE, count))
    }

    /// Adds `count` pixels, each at squared premultiplied distance `squared`
    /// (0...4) from its replacement.
    public mutating func add(premultipliedSquared squared: Double, count: UInt64) {
        precondition(premultiplied)
        pixels += count
        sum += squared * Double(count)
        rgbSum = sum
    }

    /// J: the mean squared distance in `space` (rgb: 0...3; lab: ΔE*ab squared;
    /// oklab: OkLab units squared); 0 for no pixels.
    public var cost: Double { pixels == 0 ? 0 : sum / Double(pixels) }

    /// J in the RGB unit cube (0...3), the notebook's: what PSNR is taken from.
    public var rgbCost: Double { pixels == 0 ? 0 : rgbSum / Double(pixels) }

    /// The mean ΔE00 over pixels; 0 for no pixels.
    public var meanDeltaE: Double { pixels == 0 ? 0 : deltaESum / Double(pixels) }

    /// The `percent` percentile (0...100) of ΔE00 over pixels: the smallest ΔE00
    /// such that at least `percent` % of the pixels are at or below it. 0 for
    /// no pixels.
    public func deltaEPercentile(_ percent: Int) -> Double {
        precondition((0...100).contains(percent))
        var below: UInt64 = 0
        for (value, n) in deltaEs.sorted(by: { $0.value < $1.value }) {
            below += n
            if below * 100 >= UInt64(percent) * pixels { return value }
        }
        return 0
    }
}

/// Scores a palette: every colour goes to its nearest palette colour in a
/// space through kmmap's search (NearestColor), ties to the lower index; a
/// palette with alphas scores a histogram with alpha, by premultiplied distance.
public struct PaletteScorer: Sendable {
    public let space: ColorSpace
    let exact: NearestColor, nearest: NearestPoint
    /// The palette's colours in the RGB unit cube and in CIELAB.
    let unit: [SIMD3<Double>], lab: [SIMD3<Double>]

    public init(_ palette: Palette, space: ColorSpace) {
        self.space = space
        exact = NearestColor(palette, space: space)
        nearest = NearestPoint(palette, space: space)
        unit = palette.unitColors
        lab = unit.map { ColorSpace.lab.coordinates($0) }
    }

    /// The tally of every pixel of `histogram` against its nearest palette
    /// colour. The histogram has alpha exactly when the palette has alphas.
    public func score(_ histogram: Histogram) -> ErrorTally {
        precondition(histogram.hasAlpha == (exact.palette.alphas != nil))
        let maxval = histogram.maxval
        let search = exact.search(maxval: maxval)
        if histogram.hasAlpha {
            var tally = ErrorTally(space: .rgb, premultiplied: true)
            let (colors, counts) = histogram.colorsWithAlpha()
            for (c, n) in zip(colors, counts) { tally.add(premultipliedSquared: search.index(c).distance, count: n) }
            return tally
        }
        let coordinates = space.converter(maxval: maxval), labOf = ColorSpace.lab.converter(maxval: maxval)
        var tally = ErrorTally(space: space)
        let (colors, counts) = histogram.entries()
        for (c, n) in zip(colors, counts) {
            let p = coordinates(c.red, c.green, c.blue)
            let i = search.index(c.red, c.green, c.blue)
            let d = p - nearest.points[i], rgb = c.unit(maxval: maxval) - unit[i]
            let cLab = space == .lab ? p : labOf(c.red, c.green, c.blue)
            tally.add(squared: (d * d).sum(), rgbSquared: (rgb * rgb).sum(), deltaE: deltaE2000(cLab, lab[i]), count: n)
        }
        return tally
    }
}

/// The pixels of an image and of a reference image of the same size, counted
/// by pair of colours (pixel of one, pixel at the same place in the other):
/// memory grows with distinct pairs, not with pixels. With alpha, a colour is
/// its RGBA and the pair is scored by premultiplied distance.
public struct PairHistogram {
    /// The scales of the image's and of the reference's samples (1...65535).
    public let maxval: Int, referenceMaxval: Int
    /// Whether colours are counted with their alpha (`add(_:format:reference:format:)`).
    public let alpha: Bool
    private var counts: [Pair: UInt64] = [:]

    private struct Pair: Hashable { var a: UInt64, b: UInt64 }

    public init(maxval: Int, referenceMaxval: Int, alpha: Bool = false) {
        (self.maxval, self.referenceMaxval, self.alpha) = (maxval, referenceMaxval, alpha)
    }

    /// Counts the pixels of two runs of as many pixels, each stored as its
    /// format says (grey replicated; without alpha, opaque), into a pair
    /// histogram with alpha.
    public mutating func add(_ a: [UInt16], format formatA: PixelFormat, reference b: [UInt16], format formatB: PixelFormat) {
        precondition(alpha && a.count / formatA.depth == b.count / formatB.depth)
        for p in 0..<a.count / formatA.depth {
            counts[Pair(a: formatA.rgba(a, pixel: p).key, b: formatB.rgba(b, pixel: p).key), default: 0] += 1
        }
    }

    /// Counts the pixels of two runs of interleaved RGB samples of the same length:
    /// the image's, on 0...maxval, and the reference's, on 0...referenceMaxval.
    public mutating func add(rgb a: some Collection<UInt16>, reference b: some Collection<UInt16>) {
        a.withSamples { a in b.withSamples { b in add(rgb: a, reference: b) } }
    }

    mutating func add(rgb a: UnsafeBufferPointer<UInt16>, reference b: UnsafeBufferPointer<UInt16>) {
        precondition(!alpha && a.count == b.count)
        var last = Pair(a: .max, b: .max), run: UInt64 = 0
        var i = 0
        while i + 2 < a.count {
            let pair = Pair(a: Color(red: a[i], green: a[i + 1], blue: a[i + 2]).key,
                            b: Color(red: b[i], green: b[i + 1], blue: b[i + 2]).key)
            if pair == last {
                run += 1
            } else {
                if run > 0 { counts[last, default: 0] += run }
                (last, run) = (pair, 1)
            }
            i += 3
        }
        if run > 0 { counts[last, default: 0] += run }
    }

    /// The tally of every pixel against the reference's pixel, in `space`
    /// (rgb with alpha: premultiplied).
    public func score(space: ColorSpace) -> ErrorTally {
        if alpha {
            precondition(space == .rgb)
            var tally = ErrorTally(space: .rgb, premultiplied: true)
            for (pair, n) in counts.sorted(by: { ($0.key.a, $0.key.b) < ($1.key.a, $1.key.b) }) {
                let d = RGBA(key: pair.a).premultiplied(maxval: maxval) - RGBA(key: pair.b).premultiplied(maxval: referenceMaxval)
                tally.add(premultipliedSquared: (d * d).sum(), count: n)
            }
            return tally
        }
        let coordinates = space.converter(maxval: maxval), referenceCoordinates = space.converter(maxval: referenceMaxval)
        let labOf = ColorSpace.lab.converter(maxval: maxval), referenceLabOf = ColorSpace.lab.converter(maxval: referenceMaxval)
        var tally = ErrorTally(space: space)
        // In key order, so that the sums do not depend on the dictionary's order.
        for (pair, n) in counts.sorted(by: { ($0.key.a, $0.key.b) < ($1.key.a, $1.key.b) }) {
            let a = Color(key: pair.a), b = Color(key: pair.b)
            let d = coordinates(a.red, a.green, a.blue) - referenceCoordinates(b.red, b.green, b.blue)
            let rgb = a.unit(maxval: maxval) - b.unit(maxval: referenceMaxval)
            let deltaE = deltaE2000(labOf(a.red, a.green, a.blue), referenceLabOf(b.red, b.green, b.blue))
            tally.add(squared: (d * d).sum(), rgbSquared: (rgb * rgb).sum(), deltaE: deltaE, count: n)
        }
        return tally
    }
}

/// Peak signal-to-noise ratio in dB for an RGB cost J (0...3): 10 log10(3 / J); +inf for J = 0.
public func psnr(cost: Double) -> Double {
    cost > 0 ? 10 * log10(3 / cost) : .infinity
}

/// Bits per pixel of an index stream into `colors` colours: ceil(log2 colors).
public func bitsPerPixel(colors: Int) -> Int {
    var bits = 0
    while (1 << bits) < colors { bits += 1 }
    return bits
}
