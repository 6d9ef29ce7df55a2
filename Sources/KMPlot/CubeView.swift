#if canImport(Glibc)
import Glibc
#endif

/// An orthographic view of the unit RGB cube: red along x, green up, blue
/// along z, turned by `azimuth` degrees about the green axis and tilted by
/// `elevation` degrees, scaled so the whole cube fits a square of `size` pixels.
public struct CubeView: Sendable {
    public var size: Int
    public var azimuth: Double
    public var elevation: Double

    public init(size: Int, azimuth: Double = 35, elevation: Double = 25) {
        (self.size, self.azimuth, self.elevation) = (size, azimuth, elevation)
    }

    /// Where a point of the unit cube lands, in pixels from the top left, and
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

    /// The cube's 12 edges as pairs of corners.
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
