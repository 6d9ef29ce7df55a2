@testable import KMCore
import XCTest

/// smallestPalette: the fewest colours that meet a PSNR target, by warm-started
/// doubling then bisection.
final class TargetTests: XCTestCase {
    /// 3000 seeded random colours, one pixel each.
    private func randomHistogram() -> Histogram {
        var rng = SeededGenerator(seed: 5)
        var h = Histogram(maxval: 255)
        for _ in 0..<3000 {
            h.add(Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256)))
        }
        return h
    }

    private func options(_ k: Int) -> KMeansOptions {
        var o = KMeansOptions()
        o.k = k
        o.restarts = 2
        return o
    }

    func testTheChosenKMeetsTheTargetAndKMinusOneDoesNot() {
        let h = randomHistogram()
        var steps: [TargetStep] = []
        let chosen = smallestPalette(h, minPSNR: 20, maxColors: 256, options: options) { steps.append($0) }
        XCTAssertTrue(chosen.meets && chosen.psnr >= 20)
        XCTAssertEqual(chosen.fit.palette.count, chosen.k)
        let below = steps.first { $0.k == chosen.k - 1 }
        XCTAssertNotNil(below, "\(steps.map(\.k))")
        XCTAssertFalse(below?.meets ?? true)
        // Its PSNR is the palette's, scored as kmcost scores it.
        XCTAssertEqual(chosen.psnr, psnr(cost: PaletteScorer(chosen.fit.palette, space: .rgb).score(h).rgbCost), accuracy: 1e-9)
        // Doubling from 1, then warm starts from the largest K that fell short: log2 steps, not K fits.
        let powers = steps.prefix { !$0.meets }.map(\.k)
        XCTAssertEqual(powers, (0..<powers.count).map { 1 << $0 })
        XCTAssertNil(steps[0].startK)
        // The search, then K - 1 afresh (no start), as kmfit -k fits it: short of the target.
        let fresh = Array(steps.dropFirst().reversed().prefix { $0.startK == nil }.reversed())
        XCTAssertEqual(fresh.last?.k, chosen.k > 2 ? chosen.k - 1 : nil, "\(steps.map(\.k))")
        XCTAssertEqual(fresh.map(\.meets), fresh.indices.map { $0 != fresh.indices.last }, "\(steps.map(\.k))")
        for step in steps.dropFirst().dropLast(fresh.count) {
            let start = steps.first { $0.k == step.startK }
            XCTAssertTrue(start != nil && start!.k < step.k && !start!.meets, "K=\(step.k) from \(String(describing: step.startK))")
        }
        XCTAssertLessThanOrEqual(steps.count, 17)
    }

    /// Fixed colours are in every fit of the search, which starts at their number.
    func testFixedColoursAreInEveryFit() {
        let fixed = Palette(colors: [Color(red: 255, green: 255, blue: 255), Color(red: 0, green: 0, blue: 0),
                                     Color(red: 200, green: 30, blue: 90)], maxval: 255)
        var steps: [TargetStep] = []
        let chosen = smallestPalette(randomHistogram(), minPSNR: 18, maxColors: 64, fixed: fixed, options: options) {
            steps.append($0)
        }
        XCTAssertTrue(chosen.meets)
        XCTAssertEqual(steps.first?.k, 3)
        for step in steps {
            XCTAssertTrue(Set(fixed.colors).isSubset(of: Set(step.fit.palette.colors)), "K=\(step.k)")
        }
        XCTAssertEqual(steps.first { $0.k == chosen.k - 1 }?.meets, false)
    }

    func testATargetNotMetReturnsTheLargestKAllowed() {
        var steps: [Int] = []
        let chosen = smallestPalette(randomHistogram(), minPSNR: 60, maxColors: 12, options: options) { steps.append($0.k) }
        XCTAssertFalse(chosen.meets)
        XCTAssertEqual(chosen.k, 12)
        // Doubling to the most allowed, then that K afresh, as kmfit -k fits it.
        XCTAssertEqual(steps, [1, 2, 4, 8, 12, 12])
    }

    func testFewColoursAreMetExactly() {
        var h = Histogram(maxval: 255)
        h.add(Color(red: 255, green: 0, blue: 0), count: 10)
        h.add(Color(red: 0, green: 0, blue: 255), count: 10)
        h.add(Color(red: 0, green: 255, blue: 0), count: 10)
        var steps: [Int] = []
        let chosen = smallestPalette(h, minPSNR: 90, maxColors: 256, options: options) { steps.append($0.k) }
        // 1 and 2 fall short, 4 holds all three colours (psnr inf), then 3 does too; 2 afresh does not.
        XCTAssertEqual(steps, [1, 2, 4, 3, 2])
        XCTAssertEqual(chosen.k, 3)
        XCTAssertEqual(chosen.psnr, .infinity)
        XCTAssertEqual(Set(chosen.fit.palette.colors).count, 3)
    }
}
