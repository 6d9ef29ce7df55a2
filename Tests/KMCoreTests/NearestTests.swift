@testable import KMCore
import XCTest

final class NearestTests: XCTestCase {
    /// Brute force: least squared distance in integers, first index on ties.
    func bruteForce(_ palette: Palette, _ r: Int, _ g: Int, _ b: Int) -> Int {
        var best = 0, bestD = Int.max
        for (i, c) in palette.colors.enumerated() {
            let d = (r - Int(c.red)) * (r - Int(c.red)) + (g - Int(c.green)) * (g - Int(c.green))
                + (b - Int(c.blue)) * (b - Int(c.blue))
            if d < bestD { bestD = d; best = i }
        }
        return best
    }

    func randomPalette(_ k: Int, maxval: Int, rng: inout SeededGenerator) -> Palette {
        Palette(colors: (0..<k).map { _ in
            let m = UInt64(maxval + 1)
            return Color(red: UInt16(rng.next() % m), green: UInt16(rng.next() % m), blue: UInt16(rng.next() % m))
        }, maxval: maxval)
    }

    func testEqualsBruteForceOnRandomData() {
        var rng = SeededGenerator(seed: 11)
        for k in [1, 2, 3, 16, 17, 64, 256] {
            var palette = randomPalette(k, maxval: 255, rng: &rng)
            if k > 4 { palette.colors[3] = palette.colors[1] }  // repeated colours: the first wins
            var samples: [UInt16] = []
            for _ in 0..<3000 { samples.append(UInt16(rng.next() % 256)) }
            samples += palette.colors.flatMap { [$0.red, $0.green, $0.blue] }
            var indices = [UInt16](repeating: 0, count: samples.count / 3)
            samples.withUnsafeBufferPointer { s in
                indices.withUnsafeMutableBufferPointer { NearestColor(palette).indices(rgb: s, maxval: 255, into: $0) }
            }
            for p in 0..<indices.count {
                XCTAssertEqual(Int(indices[p]), bruteForce(palette, Int(samples[3 * p]), Int(samples[3 * p + 1]), Int(samples[3 * p + 2])),
                               "k=\(k) pixel \(p)")
            }
        }
    }

    func testTiesGoToTheLowerIndex() {
        // 10 is exactly between 0 and 20.
        let palette = Palette(colors: [Color(red: 20, green: 0, blue: 0), Color(red: 0, green: 0, blue: 0)], maxval: 255)
        XCTAssertEqual(NearestColor(palette).index(10, 0, 0), 0)
        let swapped = Palette(colors: palette.colors.reversed(), maxval: 255)
        XCTAssertEqual(NearestColor(swapped).index(10, 0, 0), 0)
    }

    func testMapDoesNotDependOnThreads() {
        var rng = SeededGenerator(seed: 5)
        let palette = randomPalette(32, maxval: 255, rng: &rng)
        let samples = (0..<300_000).map { _ in UInt16(rng.next() % 256) }
        func mapped(_ threads: Int) -> [UInt16] {
            var out = [UInt16](repeating: 0, count: samples.count)
            samples.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { NearestColor(palette).map(rgb: s, maxval: 255, into: $0, threads: threads) }
            }
            return out
        }
        let one = mapped(1)
        XCTAssertEqual(one, mapped(2))
        XCTAssertEqual(one, mapped(7))
        for p in stride(from: 0, to: samples.count / 3, by: 997) {
            let c = palette.colors[bruteForce(palette, Int(samples[3 * p]), Int(samples[3 * p + 1]), Int(samples[3 * p + 2]))]
            XCTAssertEqual([one[3 * p], one[3 * p + 1], one[3 * p + 2]], [c.red, c.green, c.blue])
        }
    }

    func testSixteenBitInputIsRescaledToThePalette() {
        let palette = Palette(colors: [Color(red: 0, green: 0, blue: 0), Color(red: 255, green: 255, blue: 255)], maxval: 255)
        let samples: [UInt16] = [65535, 65535, 65535, 100, 100, 100]
        var out = [UInt16](repeating: 0, count: 2)
        samples.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { NearestColor(palette).indices(rgb: s, maxval: 65535, into: $0) }
        }
        XCTAssertEqual(out, [1, 0])
    }

    func testOtherScalesAreComparedExactlyInTheUnitCube() {
        // A palette on maxval 3 and inputs on 255 and 65535: the nearest colour is
        // the one nearest in the unit cube, not after rounding the input to maxval 3.
        var rng = SeededGenerator(seed: 8)
        let palette = randomPalette(9, maxval: 3, rng: &rng)
        let units = palette.unitColors
        for maxval in [255, 65535] {
            let samples = (0..<6000).map { _ in UInt16(rng.next() % UInt64(maxval + 1)) }
            var out = [UInt16](repeating: 0, count: 2000)
            samples.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { NearestColor(palette).indices(rgb: s, maxval: maxval, into: $0) }
            }
            for p in 0..<2000 {
                let q = Color(red: samples[3 * p], green: samples[3 * p + 1], blue: samples[3 * p + 2]).unit(maxval: maxval)
                let d = units.map { (($0 - q) * ($0 - q)).sum() }
                let sorted = d.sorted()
                if sorted.count > 1 && sorted[1] - sorted[0] < 1e-12 { continue }  // a tie: any answer is checked elsewhere
                XCTAssertEqual(Int(out[p]), d.firstIndex(of: sorted[0])!, "maxval \(maxval) pixel \(p)")
            }
        }
    }
}
