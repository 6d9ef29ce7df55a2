#if canImport(Glibc)
import Glibc
#endif
import KMCore

/// An orthographic view of a unit box: x across, y up, z away, turned by
/// `azimuth` degrees about the vertical axis and tilted by `elevation` degrees,
/// scaled so the whole box fits a square of `size` pixels.
///
/// Colours sit in the box by `space` (`place`): in `rgb` the box is the unit
/// RGB cube (red along x, green up, blue along z); in `lab` and `oklab` it
/// spans `extent`, with a (a*) along x, lightness up and b (b*) along z.
public struct CubeView: Sendable {
    public var size: Int
    public var azimuth: Double
    public var elevation: Double
    public var space: ColorSpace

    public init(size: Int, azimuth: Double = 35, elevation: Double = 25, space: ColorSpace = .rgb) {
        (self.size, self.azimuth, self.elevation, self.space) = (size, azimuth, elevation, space)
    }

    /// The coordinates the box spans in a perceptual space: lightness (bottom
    /// to top) and both of a and b (across and away). `lab`: L* 0...100, a*
    /// and b* -128...128; `oklab`: L 0...1, a and b -0.4...0.4; `din99`: L99
    /// 0...100, a99 and b99 -50...50. Each holds every sRGB colour with a margin
    /// (its a* and b* reach about -108...98, its OkLab a and b about -0.31...0.28,
    /// its a99 and b99 about -40...40). `rgb` has none: its box is the unit cube.
    public static func extent(_ space: ColorSpace) -> (lightness: ClosedRange<Double>, ab: ClosedRange<Double>) {
        switch space {
        case .lab: return (0...100, -128...128)
        case .din99: return (0...100, -50...50)
        case .rgb, .oklab: return (0...1, -0.4...0.4)
        }
    }

    /// Where a colour, given as a point of the sRGB unit cube, sits in the box
    /// (0...1 on each axis inside it): in `rgb` the point itself; in `lab` and
    /// `oklab`, its (a, L, b) coordinates scaled from `extent`, so that the
    /// greys lie on the vertical centre line, black at its foot, white at its top.
    public func place(_ unit: SIMD3<Double>) -> SIMD3<Double> {
        if space == .rgb { return unit }
        let c = space.coordinates(unit), (l, ab) = CubeView.extent(space)
        func scaled(_ v: Double, _ r: ClosedRange<Double>) -> Double { (v - r.lowerBound) / (r.upperBound - r.lowerBound) }
        return SIMD3(scaled(c.y, ab), scaled(c.x, l), scaled(c.z, ab))
    }

    /// The axes drawn in the box, in box coordinates: each a line from `from`
    /// towards `to` and its name at `to`. `rgb`: R, G and B from the black
    /// corner along the cube's edges. `lab`: L* up the grey line from the floor's
    /// centre, a* and b* across the floor through it, each name at the end of
    /// positive values; `oklab` the same named L, a and b, `din99` L99, a99, b99.
    public var axes: [(name: String, from: SIMD3<Double>, to: SIMD3<Double>)] {
        let end = 1.08
        if space == .rgb {
            return [("R", .zero, SIMD3(end, 0, 0)), ("G", .zero, SIMD3(0, end, 0)), ("B", .zero, SIMD3(0, 0, end))]
        }
        let star = space == .lab ? "*" : (space == .din99 ? "99" : "")
        let foot = SIMD3(0.5, 0, 0.5)
        return [("L" + star, foot, SIMD3(0.5, end, 0.5)), ("a" + star, SIMD3(0, 0, 0.5), SIMD3(end, 0, 0.5)),
                ("b" + star, SIMD3(0.5, 0, 0), SIMD3(0.5, 0, end))]
    }

    /// Where a point of the unit box lands, in pixels from the top left, and
    /// its depth (larger is nearer the viewer).
    public func project(_ p: SIMD3<Double>) -> (x: Double, y: Double, depth: Double) {
        let c = p - 0.5
        let a = azimuth * .pi / 180, e = elevation * .pi / 180
        // Turn about the vertical (green) axis, then tilt about the horizontal one.
        let x1 = c.x * cos(a) - c.z * sin(a)
        let z1 = c.x * sin(a) + c.z * cos(a)
        let y2 = c.y * cos(e) - z1 * sin(e)
        let z2 = c.y * sin(e) + z1 * cos(e)
        let scale = Double(size) * 0.9 / 3.0.squareRoot()
        return (Double(size) / 2 + x1 * scale, Double(size) / 2 - y2 * scale, -z2)
    }

    /// The box's 12 edges as pairs of corners.
    public static let edges: [(SIMD3<Double>, SIMD3<Double>)] = {
        var edges: [(SIMD3<Double>, SIMD3<Double>)] = []
        for a in 0..<8 {
            for axis in 0..<3 where a & (1 << axis) == 0 {
                let b = a | (1 << axis)
                func corner(_ i: Int) -> SIMD3<Double> { SIMD3(Double(i & 1), Double(i >> 1 & 1), Double(i >> 2 & 1)) }
                edges.append((corner(a), corner(b)))
            }
        }
        return edges
    }()
}
