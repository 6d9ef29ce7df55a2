import Foundation
import KMPlot
import XCTest

/// Axis ticks: round values (multiples of 1, 2 or 5 x 10^n), a few of them, within the axis.
final class TicksTests: XCTestCase {
    /// Whether `step` is 1, 2 or 5 times a power of ten.
    func isRound(_ step: Double) -> Bool {
        let mantissa = step / pow(10, log10(step).rounded(.down))
        return [1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-9 }
    }

    func testRunsAxesGetRoundTicks() {
        XCTAssertEqual(Ticks(low: 1, high: 100, minimumStep: 1).values, [20, 40, 60, 80, 100])
        let j = Ticks(low: 0.005186, high: 0.007753)
        XCTAssertEqual(j.step, 0.0005, accuracy: 1e-15)
        XCTAssertEqual(j.values.count, 5)
        XCTAssertEqual(j.values.first ?? 0, 0.0055, accuracy: 1e-12)
        XCTAssertEqual(j.decimals, 4)
        XCTAssertEqual(Ticks(low: -3, high: 17).values, [0, 5, 10, 15])
    }

    func testTicksAreFewRoundAndWithinTheRangeForAnyRange() {
        var seeded = SplitMix(seed: 7)
        for _ in 0..<2000 {
            let span = pow(10, Double.random(in: -7...7, using: &seeded))
            let low = Double.random(in: -3...3, using: &seeded) * span
            let t = Ticks(low: low, high: low + span)
            XCTAssertTrue(isRound(t.step), "step \(t.step) of \(low)...\(low + span)")
            XCTAssertTrue((2...6).contains(t.values.count), "\(t.values.count) ticks over \(low)...\(low + span)")
            for v in t.values {
                XCTAssertTrue(v >= low - 1e-9 * span && v <= low + span + 1e-9 * span, "\(v) outside \(low)...\(low + span)")
                let multiple = v / t.step
                XCTAssertEqual(multiple, multiple.rounded(), accuracy: 1e-6, "\(v) not a multiple of \(t.step)")
                // The label shows the value exactly: printing with `decimals` digits and reading back gives v.
                let shown = Double(String(format: "%.\(t.decimals)f", v))!
                XCTAssertEqual(shown, v, accuracy: t.step * 1e-6)
            }
        }
    }

    func testCountsGetWholeTicks() {
        for high in 1...40 {
            let t = Ticks(low: 0.95, high: Double(high) + 0.05, minimumStep: 1)
            XCTAssertGreaterThanOrEqual(t.step, 1)
            XCTAssertTrue(t.values.allSatisfy { $0 == $0.rounded() }, "\(t.values)")
            XCTAssertFalse(t.values.isEmpty, "no tick over 1...\(high)")
        }
    }
}

/// A small seeded generator, so that the ranges tried are the same every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
