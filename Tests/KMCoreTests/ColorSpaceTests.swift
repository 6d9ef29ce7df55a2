import XCTest
@testable import KMCore

/// The colour spaces (ColorSpace): coordinates, inverses, converters, cubes.
final class ColorSpaceTests: XCTestCase {
    /// Published values: sRGB red, green, blue and white in CIELAB (D65) and in OkLab (Ottosson's table).
    func testKnownColours() {
        let cases: [(SIMD3<Double>, ColorSpace, SIMD3<Double>, Double)] = [
            (SIMD3(1, 0, 0), .lab, SIMD3(53.2408, 80.0925, 67.2032), 1e-3),
            (SIMD3(0, 1, 0), .lab, SIMD3(87.7347, -86.1827, 83.1793), 1e-3),
            (SIMD3(0, 0, 1), .lab, SIMD3(32.2970, 79.1875, -107.8602), 1e-3),
            (SIMD3(1, 1, 1), .lab, SIMD3(100, 0, 0), 1e-3),
            (SIMD3(1, 0, 0), .oklab, SIMD3(0.627955, 0.224863, 0.125846), 1e-5),
            (SIMD3(0, 1, 0), .oklab, SIMD3(0.866440, -0.233888, 0.179498), 1e-5),
            (SIMD3(0, 0, 1), .oklab, SIMD3(0.452014, -0.032457, -0.311528), 1e-5),
            (SIMD3(1, 1, 1), .oklab, SIMD3(1, 0, 0), 1e-4),
        ]
        for (rgb, space, expected, tolerance) in cases {
            let got = space.coordinates(rgb)
            for i in 0..<3 {
                XCTAssertEqual(got[i], expected[i], accuracy: tolerance, "\(space) of \(rgb): \(got)")
            }
        }
        XCTAssertEqual(ColorSpace.rgb.coordinates(SIMD3(0.2, 0.4, 0.6)), SIMD3(0.2, 0.4, 0.6))
    }

    /// Every space's inverse gives back the 8-bit colour, and the table-driven
    /// converter gives exactly the coordinates of `coordinates(unit)`.
    func testRoundTripAndConverter() {
        for space in ColorSpace.allCases {
            let convert = space.converter(maxval: 255)
            for r in stride(from: 0, through: 255, by: 15) {
                for g in stride(from: 0, through: 255, by: 17) {
                    for b in stride(from: 0, through: 255, by: 5) {
                        let c = Color(red: UInt16(r), green: UInt16(g), blue: UInt16(b))
                        let p = space.coordinates(c.unit(maxval: 255))
                        XCTAssertEqual(convert(c.red, c.green, c.blue), p)
                        let back = Palette(unitPoints: [space.unitRGB(p)], maxval: 255).colors[0]
                        XCTAssertEqual(back, c, "\(space)")
                    }
                }
            }
        }
    }

    /// A point outside the gamut comes back clamped into the cube.
    func testOutOfGamutIsClamped() {
        let u = ColorSpace.lab.unitRGB(SIMD3(50, 150, -150))
        XCTAssertTrue((0...1).contains(u.x) && (0...1).contains(u.y) && (0...1).contains(u.z))
        let o = ColorSpace.oklab.unitRGB(SIMD3(1.2, 0, 0))
        XCTAssertEqual(Palette(unitPoints: [o], maxval: 255).colors, [Color(red: 255, green: 255, blue: 255)])
    }

    /// Every colour's coordinates lie in the space's binning cube.
    func testCubeHoldsEveryColour() {
        for space in ColorSpace.allCases {
            let (origin, side) = space.cube
            for r in stride(from: 0, through: 255, by: 51) {
                for g in stride(from: 0, through: 255, by: 51) {
                    for b in stride(from: 0, through: 255, by: 51) {
                        let p = space.coordinates(Color(red: UInt16(r), green: UInt16(g), blue: UInt16(b)).unit(maxval: 255))
                        let q = (p - origin) / side
                        XCTAssertTrue(q.min() >= 0 && q.max() <= 1, "\(space) \(r) \(g) \(b): \(p)")
                    }
                }
            }
        }
    }

    /// The RGB space's points are the unit cube's, so the default fit is the one before spaces existed.
    func testRGBPointsAreTheUnitCube() {
        var h = Histogram(maxval: 1000)
        for v in [0, 1, 333, 999, 1000] { h.add(Color(red: UInt16(v), green: UInt16(1000 - v), blue: 7)) }
        let points = WeightedPoints(h, space: .rgb)
        for (i, c) in h.entries().colors.enumerated() {
            XCTAssertEqual(points.point(i), ColorPoint(c.unit(maxval: 1000), 0))
        }
        XCTAssertEqual(points.cube.side, 1)
        XCTAssertEqual(points.cube.origin, .zero)
    }
}

extension ColorSpaceTests {
    /// DIN99's fixed points: white has L99 = 100 (105.51 ln(1 + 1.58)), greys lie on the lightness axis, and its
    /// logarithms compress: a chroma step far from grey is shorter than the same CIELAB step near grey.
    func testDIN99() {
        let white = ColorSpace.din99.coordinates(SIMD3(1, 1, 1))
        XCTAssertEqual(white.x, 100, accuracy: 0.01)
        let grey = ColorSpace.din99.coordinates(SIMD3(0.5, 0.5, 0.5))
        XCTAssertEqual(grey.y, 0, accuracy: 1e-4) // the sRGB matrix and the D65 white agree to 5 digits
        XCTAssertEqual(grey.z, 0, accuracy: 1e-4)
        XCTAssertEqual(grey.x, 105.51 * log(1 + 0.0158 * ColorSpace.lab.coordinates(SIMD3(0.5, 0.5, 0.5)).x), accuracy: 1e-9)
        func din99(lab: SIMD3<Double>) -> SIMD3<Double> {
            ColorSpace.din99.coordinates(ColorSpace.lab.unitRGB(lab)) // within the gamut: no clamping
        }
        let nearGrey = din99(lab: SIMD3(50, 5, 0)) - din99(lab: SIMD3(50, 0, 0))
        let farFromGrey = din99(lab: SIMD3(50, 55, 0)) - din99(lab: SIMD3(50, 50, 0))
        XCTAssertLessThan((farFromGrey * farFromGrey).sum(), 0.5 * (nearGrey * nearGrey).sum())
    }
}
