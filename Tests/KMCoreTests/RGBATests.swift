@testable import KMCore
import XCTest

/// Colours with opacity (RGBA): premultiplied points and back.
final class RGBATests: XCTestCase {
    func testPremultipliedPointsRoundTrip() {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            let c = RGBA(Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256)),
                         alpha: UInt16(1 + rng.next() % 255))
            XCTAssertEqual(RGBA(premultiplied: c.premultiplied(maxval: 255), maxval: 255), c)
        }
        XCTAssertEqual(RGBA(Color(red: 9, green: 9, blue: 9), alpha: 0).premultiplied(maxval: 255), .zero)
        XCTAssertEqual(RGBA(premultiplied: SIMD4(0.3, 0.2, 0.1, 0.001), maxval: 255), .transparent)
    }
}
