#if canImport(Glibc)
import Glibc
#endif

/// Where colours are compared: k-means, nearest colour and cost all use the
/// squared Euclidean distance between a colour's coordinates in this space.
/// Palettes and images stay sRGB; only the comparison moves.
///
/// - `rgb`: the sRGB samples scaled to the unit cube (0...1 a channel), the
///   notebook's J. Coordinates are the colour's `unit` point itself.
/// - `lab`: CIELAB (L* 0...100, a* and b* about -128...128): the sRGB transfer
///   curve undone, linear sRGB to CIE XYZ (D65), then L*a*b* with the D65 white.
///   A distance is ΔE*ab (CIE 1976).
/// - `oklab`: Björn Ottosson's OkLab (L 0...1, a and b about -0.5...0.5), from
///   linear sRGB with his published matrices.
/// - `din99`: DIN99 (DIN 6176; ASTM D2244), CIELAB with lightness and chroma
///   compressed logarithmically and the a*b* plane turned and squeezed, so that a
///   plain Euclidean distance follows perceived differences (L99 0...100, a99
///   and b99 about -40...40). Of these spaces, its distance tracks CIEDE2000 best.
public enum ColorSpace: String, CaseIterable, Sendable {
    case rgb, lab, oklab, din99

    /// The coordinates of a colour given as a point of the sRGB unit cube.
    @inlinable public func coordinates(_ unit: SIMD3<Double>) -> SIMD3<Double> {
        switch self {
        case .rgb: return unit
        case .lab, .oklab, .din99:
            return coordinates(linear: SIMD3(srgbToLinear(unit.x), srgbToLinear(unit.y), srgbToLinear(unit.z)))
        }
    }

    /// The coordinates of a colour given in linear sRGB (0...1 a channel).
    /// For `rgb`, the transfer curve is applied again (the unit cube is sRGB).
    @inlinable public func coordinates(linear c: SIMD3<Double>) -> SIMD3<Double> {
        switch self {
        case .rgb:
            return SIMD3(linearToSRGB(c.x), linearToSRGB(c.y), linearToSRGB(c.z))
        case .lab:
            let xyz = ColorSpace.xyzFromLinear * c
            let f = SIMD3(labF(xyz.x / ColorSpace.white.x), labF(xyz.y / ColorSpace.white.y),
                          labF(xyz.z / ColorSpace.white.z))
            return SIMD3(116 * f.y - 16, 500 * (f.x - f.y), 200 * (f.y - f.z))
        case .oklab:
            let lms = ColorSpace.lmsFromLinear * c
            return ColorSpace.oklabFromLMS * SIMD3(cbrt(lms.x), cbrt(lms.y), cbrt(lms.z))
        case .din99:
            // kE = kCH = 1: the a*b* plane turned by 16 degrees, f squeezed by 0.7, then the
            // chroma G and the lightness compressed by logarithms.
            let lab = ColorSpace.lab.coordinates(linear: c)
            let (cosH, sinH) = ColorSpace.din99Turn
            let e = lab.y * cosH + lab.z * sinH, f = 0.7 * (lab.z * cosH - lab.y * sinH)
            let g = (e * e + f * f).squareRoot()
            let c99 = log(1 + 0.045 * g) / 0.045
            let scale = g > 0 ? c99 / g : 0
            return SIMD3(105.51 * log(1 + 0.0158 * lab.x), e * scale, f * scale)
        }
    }

    /// The fit's point (ColorPoint) of an opaque colour given in the unit cube:
    /// its coordinates, w 0.
    @inlinable public func point(_ unit: SIMD3<Double>) -> ColorPoint {
        let c = coordinates(unit)
        return ColorPoint(c.x, c.y, c.z, 0)
    }

    /// The point of the sRGB unit cube with these coordinates, clamped to the
    /// cube (a mean of colours can fall just outside the sRGB gamut).
    public func unitRGB(_ p: SIMD3<Double>) -> SIMD3<Double> {
        let linear: SIMD3<Double>
        switch self {
        case .rgb: return p.clamped(lowerBound: .zero, upperBound: .one)
        case .lab:
            let fy = (p.x + 16) / 116
            let f = SIMD3(fy + p.y / 500, fy, fy - p.z / 200)
            let xyz = SIMD3(labFInverse(f.x), labFInverse(f.y), labFInverse(f.z)) * ColorSpace.white
            linear = ColorSpace.linearFromXYZ * xyz
        case .oklab:
            let lms = ColorSpace.lmsFromOklab * p
            linear = ColorSpace.linearFromLMS * (lms * lms * lms)
        case .din99:
            let (cosH, sinH) = ColorSpace.din99Turn
            let c99 = (p.y * p.y + p.z * p.z).squareRoot()
            let g = (exp(0.045 * c99) - 1) / 0.045
            let scale = c99 > 0 ? g / c99 : 0
            let e = p.y * scale, f = p.z * scale / 0.7
            let lab = SIMD3((exp(p.x / 105.51) - 1) / 0.0158, e * cosH - f * sinH, e * sinH + f * cosH)
            return ColorSpace.lab.unitRGB(lab)
        }
        let c = linear.clamped(lowerBound: .zero, upperBound: .one)
        return SIMD3(linearToSRGB(c.x), linearToSRGB(c.y), linearToSRGB(c.z)).clamped(lowerBound: .zero, upperBound: .one)
    }

    /// A cube holding every colour's coordinates: where the fit bins colours
    /// (the unit cube for `rgb`, so its bins are the RGB cube's).
    public var cube: (origin: SIMD3<Double>, side: Double) {
        switch self {
        case .rgb: return (.zero, 1)
        case .lab: return (SIMD3(0, -128, -128), 256)
        case .oklab: return (SIMD3(0, -0.5, -0.5), 1)
        case .din99: return (SIMD3(0, -60, -60), 120)
        }
    }

    /// A function from samples 0...`maxval` to the coordinates of the colour
    /// (r, g, b): the transfer curve looked up in a table of maxval + 1 values.
    /// Gives the same coordinates as `coordinates(Color.unit(maxval:))`.
    public func converter(maxval: Int) -> Converter { Converter(space: self, maxval: maxval) }

    /// Coordinates of integer colours on one scale, the transfer curve tabled.
    public struct Converter: Sendable {
        public let space: ColorSpace
        public let maxval: Int
        let linear: [Double]

        init(space: ColorSpace, maxval: Int) {
            self.space = space
            self.maxval = maxval
            let m = Double(maxval)
            linear = space == .rgb ? [] : (0...maxval).map { srgbToLinear(Double($0) / m) }
        }

        /// The coordinates of (r, g, b), each 0...maxval.
        @inline(__always) public func callAsFunction(_ r: UInt16, _ g: UInt16, _ b: UInt16) -> SIMD3<Double> {
            if space == .rgb { return Color(red: r, green: g, blue: b).unit(maxval: maxval) }
            return space.coordinates(linear: SIMD3(linear[Int(r)], linear[Int(g)], linear[Int(b)]))
        }
    }

    /// DIN99's turn of the a*b* plane, 16 degrees: its cosine and sine.
    @usableFromInline static let din99Turn = (cos(16 * Double.pi / 180), sin(16 * Double.pi / 180))
    // Linear sRGB to XYZ (D65), IEC 61966-2-1; the inverse is computed, so a round trip is tight.
    @usableFromInline static let xyzFromLinear = Matrix3(
        SIMD3(0.4124564, 0.3575761, 0.1804375),
        SIMD3(0.2126729, 0.7151522, 0.0721750),
        SIMD3(0.0193339, 0.1191920, 0.9503041))
    static let linearFromXYZ = xyzFromLinear.inverse
    /// The D65 reference white, Y = 1.
    @usableFromInline static let white = SIMD3<Double>(0.95047, 1, 1.08883)
    // OkLab (Ottosson 2020): linear sRGB to LMS, cube roots to Lab, and his inverses.
    @usableFromInline static let lmsFromLinear = Matrix3(
        SIMD3(0.4122214708, 0.5363325363, 0.0514459929),
        SIMD3(0.2119034982, 0.6806995451, 0.1073969566),
        SIMD3(0.0883024619, 0.2817188376, 0.6299787005))
    @usableFromInline static let oklabFromLMS = Matrix3(
        SIMD3(0.2104542553, 0.7936177850, -0.0040720468),
        SIMD3(1.9779984951, -2.4285922050, 0.4505937099),
        SIMD3(0.0259040371, 0.7827717662, -0.8086757660))
    static let lmsFromOklab = oklabFromLMS.inverse
    static let linearFromLMS = lmsFromLinear.inverse
}

/// The sRGB transfer curve undone: an sRGB sample 0...1 to linear light 0...1.
@inlinable public func srgbToLinear(_ c: Double) -> Double {
    c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
}

/// The sRGB transfer curve: linear light 0...1 to an sRGB sample 0...1.
@inlinable public func linearToSRGB(_ c: Double) -> Double {
    c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
}

@inlinable func labF(_ t: Double) -> Double {
    let e = 6.0 / 29
    return t > e * e * e ? cbrt(t) : t / (3 * e * e) + 4.0 / 29
}

@inlinable func labFInverse(_ f: Double) -> Double {
    let e = 6.0 / 29
    return f > e ? f * f * f : 3 * e * e * (f - 4.0 / 29)
}

/// A 3x3 matrix by rows.
@usableFromInline struct Matrix3: Sendable {
    @usableFromInline let rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    init(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>) { rows = (a, b, c) }

    @inlinable static func * (m: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((m.rows.0 * v).sum(), (m.rows.1 * v).sum(), (m.rows.2 * v).sum())
    }

    /// The inverse, by cofactors (the matrices here are far from singular).
    var inverse: Matrix3 {
        let (a, b, c) = rows
        func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        }
        // The columns of the inverse are b x c, c x a, a x b over the determinant.
        let c0 = cross(b, c), c1 = cross(c, a), c2 = cross(a, b)
        let det = (a * c0).sum()
        return Matrix3(SIMD3(c0.x, c1.x, c2.x) / det, SIMD3(c0.y, c1.y, c2.y) / det, SIMD3(c0.z, c1.z, c2.z) / det)
    }
}
