@testable import KMCore
import XCTest

final class DeltaETests: XCTestCase {
    /// Table 1 of Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference
    /// formula: implementation notes, supplementary test data, and mathematical
    /// observations": L1 a1 b1, L2 a2 b2, ΔE00 to 4 decimals. Pairs 7-16 sit on
    /// the hue discontinuities (mean hue and hue difference across 0/360 degrees).
    static let sharma: [(SIMD3<Double>, SIMD3<Double>, Double)] = [
        (SIMD3(50.0000, 2.6772, -79.7751), SIMD3(50.0000, 0.0000, -82.7485), 2.0425),
        (SIMD3(50.0000, 3.1571, -77.2803), SIMD3(50.0000, 0.0000, -82.7485), 2.8615),
        (SIMD3(50.0000, 2.8361, -74.0200), SIMD3(50.0000, 0.0000, -82.7485), 3.4412),
        (SIMD3(50.0000, -1.3802, -84.2814), SIMD3(50.0000, 0.0000, -82.7485), 1.0000),
        (SIMD3(50.0000, -1.1848, -84.8006), SIMD3(50.0000, 0.0000, -82.7485), 1.0000),
        (SIMD3(50.0000, -0.9009, -85.5211), SIMD3(50.0000, 0.0000, -82.7485), 1.0000),
        (SIMD3(50.0000, 0.0000, 0.0000), SIMD3(50.0000, -1.0000, 2.0000), 2.3669),
        (SIMD3(50.0000, -1.0000, 2.0000), SIMD3(50.0000, 0.0000, 0.0000), 2.3669),
        (SIMD3(50.0000, 2.4900, -0.0010), SIMD3(50.0000, -2.4900, 0.0009), 7.1792),
        (SIMD3(50.0000, 2.4900, -0.0010), SIMD3(50.0000, -2.4900, 0.0010), 7.1792),
        (SIMD3(50.0000, 2.4900, -0.0010), SIMD3(50.0000, -2.4900, 0.0011), 7.2195),
        (SIMD3(50.0000, 2.4900, -0.0010), SIMD3(50.0000, -2.4900, 0.0012), 7.2195),
        (SIMD3(50.0000, -0.0010, 2.4900), SIMD3(50.0000, 0.0009, -2.4900), 4.8045),
        (SIMD3(50.0000, -0.0010, 2.4900), SIMD3(50.0000, 0.0010, -2.4900), 4.8045),
        (SIMD3(50.0000, -0.0010, 2.4900), SIMD3(50.0000, 0.0011, -2.4900), 4.7461),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(50.0000, 0.0000, -2.5000), 4.3065),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(73.0000, 25.0000, -18.0000), 27.1492),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(61.0000, -5.0000, 29.0000), 22.8977),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(56.0000, -27.0000, -3.0000), 31.9030),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(58.0000, 24.0000, 15.0000), 19.4535),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(50.0000, 3.1736, 0.5854), 1.0000),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(50.0000, 3.2972, 0.0000), 1.0000),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(50.0000, 1.8634, 0.5757), 1.0000),
        (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(50.0000, 3.2592, 0.3350), 1.0000),
        (SIMD3(60.2574, -34.0099, 36.2677), SIMD3(60.4626, -34.1751, 39.4387), 1.2644),
        (SIMD3(63.0109, -31.0961, -5.8663), SIMD3(62.8187, -29.7946, -4.0864), 1.2630),
        (SIMD3(61.2901, 3.7196, -5.3901), SIMD3(61.4292, 2.2480, -4.9620), 1.8731),
        (SIMD3(35.0831, -44.1164, 3.7933), SIMD3(35.0232, -40.0716, 1.5901), 1.8645),
        (SIMD3(22.7233, 20.0904, -46.6940), SIMD3(23.0331, 14.9730, -42.5619), 2.0373),
        (SIMD3(36.4612, 47.8580, 18.3852), SIMD3(36.2715, 50.5065, 21.2231), 1.4146),
        (SIMD3(90.8027, -2.0831, 1.4410), SIMD3(91.1528, -1.6435, 0.0447), 1.4441),
        (SIMD3(90.9257, -0.5406, -0.9208), SIMD3(88.6381, -0.8985, -0.7239), 1.5381),
        (SIMD3(6.7747, -0.2908, -2.4247), SIMD3(5.8714, -0.0985, -2.2286), 0.6377),
        (SIMD3(2.0776, 0.0795, -1.1350), SIMD3(0.9033, -0.0636, -0.5514), 0.9082),
    ]

    func testSharmaWuDalalTable() {
        XCTAssertEqual(Self.sharma.count, 34)
        for (i, (a, b, expected)) in Self.sharma.enumerated() {
            // The table gives 4 decimals: equal once rounded there.
            XCTAssertEqual(deltaE2000(a, b), expected, accuracy: 0.00005, "pair \(i + 1)")
        }
    }

    func testSymmetric() {
        for (i, (a, b, _)) in Self.sharma.enumerated() {
            XCTAssertEqual(deltaE2000(a, b), deltaE2000(b, a), accuracy: 1e-12, "pair \(i + 1)")
        }
    }

    func testZeroOnEqualColours() {
        let colours: [SIMD3<Double>] = Self.sharma.flatMap { [$0.0, $0.1] } + [SIMD3(0, 0, 0), SIMD3(100, 0, 0)]
        for c in colours { XCTAssertEqual(deltaE2000(c, c), 0, "\(c)") }
        XCTAssertGreaterThan(deltaE2000(SIMD3(50, 0, 0), SIMD3(50.01, 0, 0)), 0)
    }

    func testOfSRGBColoursThroughLab() {
        // Black against white is the whole lightness scale: ΔL* = 100, S_L = 1 at L* = 50.
        let black = ColorSpace.lab.coordinates(SIMD3(0, 0, 0)), white = ColorSpace.lab.coordinates(SIMD3(1, 1, 1))
        XCTAssertEqual(deltaE2000(black, white), 100, accuracy: 1e-4)  // white is L* 100 to the matrix's 7 digits
    }
}
