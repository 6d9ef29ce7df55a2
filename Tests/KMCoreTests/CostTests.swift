@testable import KMCore
import XCTest

final class CostTests: XCTestCase {
    func testCostOfAPaletteByHand() {
        // Two pixels: (255,0,0) against palette {black, (0,0,255)} -> nearest black, distance 1.
        // (0,0,204) -> nearest blue, distance (51/255)^2 = 0.04. J = (1 + 0.04) / 2 = 0.52.
        let palette = Palette(colors: [Color(red: 0, green: 0, blue: 0), Color(red: 0, green: 0, blue: 255)], maxval: 255)
        let samples: [UInt16] = [255, 0, 0, 0, 0, 204]
        let sum = samples.withUnsafeBufferPointer { NearestPoint(palette).cost(rgb: $0, maxval: 255) }
        XCTAssertEqual(sum.pixels, 2)
        XCTAssertEqual(sum.cost, 0.52, accuracy: 1e-12)
    }

    func testCostSumsTheThreeChannels() {
        // Grey 255 against black: 1 per channel, J = 3 (not 1).
        let palette = Palette(colors: [Color(red: 0, green: 0, blue: 0)], maxval: 255)
        let sum = [UInt16](arrayLiteral: 255, 255, 255).withUnsafeBufferPointer {
            NearestPoint(palette).cost(rgb: $0, maxval: 255)
        }
        XCTAssertEqual(sum.cost, 3, accuracy: 1e-12)
        XCTAssertEqual(psnr(cost: 3), 0, accuracy: 1e-12)
    }

    func testCostIsScaleFree() {
        // The same colours at maxval 65535 cost the same as at 255.
        let palette = Palette(colors: [Color(red: 10, green: 20, blue: 30)], maxval: 255)
        let eight: [UInt16] = [0, 40, 90]
        let sixteen = eight.map { $0 * 257 }
        let a = eight.withUnsafeBufferPointer { NearestPoint(palette).cost(rgb: $0, maxval: 255) }
        let b = sixteen.withUnsafeBufferPointer { NearestPoint(palette).cost(rgb: $0, maxval: 65535) }
        XCTAssertEqual(a.cost, (100.0 + 400 + 3600) / (255 * 255), accuracy: 1e-12)
        XCTAssertEqual(a.cost, b.cost, accuracy: 1e-12)
    }

    func testDifferenceBetweenImages() {
        let a: [UInt16] = [0, 0, 0, 255, 255, 255]
        let b: [UInt16] = [255, 0, 0, 255, 255, 0]
        let d = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
            difference(rgb: a, maxval: 255, rgb: b, maxval: 255)
        } }
        XCTAssertEqual(d.cost, 1, accuracy: 1e-12)
        XCTAssertEqual(psnr(cost: 1), 10 * log10(3.0), accuracy: 1e-12)
        XCTAssertEqual(psnr(cost: 0), .infinity)
    }

    func testPaletteCostOnHistogramMatchesPixelCost() {
        var rng = SeededGenerator(seed: 3)
        var samples: [UInt16] = []
        var h = Histogram(maxval: 255)
        for _ in 0..<2000 { samples.append(UInt16(rng.next() % 256)) }
        samples.removeLast(samples.count % 3)
        samples.withUnsafeBufferPointer { h.add(rgb: $0, maxval: 255) }
        let palette = Palette(colors: (0..<5).map { _ in
            Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256))
        }, maxval: 255)
        let direct = samples.withUnsafeBufferPointer { NearestPoint(palette).cost(rgb: $0, maxval: 255) }
        XCTAssertEqual(cost(of: palette, on: h), direct.cost, accuracy: 1e-12)
    }

    func testBitsPerPixel() {
        XCTAssertEqual([1, 2, 3, 4, 16, 17, 256, 65536].map { bitsPerPixel(colors: $0) }, [0, 1, 2, 2, 4, 5, 8, 16])
    }
}
