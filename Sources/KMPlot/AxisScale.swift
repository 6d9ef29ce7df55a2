#if canImport(Glibc)
import Glibc
#endif

/// A linear map from data values to pixels along one axis of a chart.
public struct AxisScale: Sendable {
    public var low: Double, high: Double
    public var from: Double, to: Double

    /// Maps low...high (widened when empty) to pixels from...to.
    public init(low: Double, high: Double, from: Double, to: Double) {
        let pad = high > low ? 0 : max(abs(low) * 0.05, 1e-9)
        (self.low, self.high, self.from, self.to) = (low - pad, high + pad, from, to)
    }

    /// The pixel of value `v`.
    public func callAsFunction(_ v: Double) -> Double {
        from + (v - low) / (high - low) * (to - from)
    }

    /// The value at pixel `p`.
    public func value(at p: Double) -> Double {
        low + (p - from) / (to - from) * (high - low)
    }
}

/// Tick marks of a chart axis: round values, multiples of a step of 1, 2 or 5 x 10^n.
public struct Ticks: Sendable {
    /// The values marked, ascending, each a whole multiple of `step`.
    public var values: [Double]
    /// The distance between neighbouring ticks: 1, 2 or 5 x 10^n.
    public var step: Double
    /// Digits after the decimal point that show every tick exactly: -n when n < 0, else 0.
    public var decimals: Int

    /// Ticks within low...high (finite, low <= high): the finest step of 1, 2 or
    /// 5 x 10^n, not below `minimumStep`, that gives at most `maxCount` (2 or more) of them.
    public init(low: Double, high: Double, maxCount: Int = 6, minimumStep: Double = 0) {
        precondition(low.isFinite && high.isFinite && low <= high, "ticks of \(low)...\(high)")
        let most = Double(max(maxCount, 2))
        var n = Int(log10(max(high - low, 1e-300) / most).rounded(.down))
        func count(_ step: Double) -> Double { (high / step).rounded(.down) - (low / step).rounded(.up) + 1 }
        while true {
            let power = n < 0 ? 1 / pow(10, Double(-n)) : pow(10, Double(n))
            if let m = [1.0, 2, 5].first(where: { m in m * power >= minimumStep && count(m * power) <= most }) {
                step = m * power
                break
            }
            n += 1
        }
        decimals = max(0, -n)
        let step = self.step
        let first = Int((low / step).rounded(.up)), last = Int((high / step).rounded(.down))
        values = first <= last ? (first...last).map { Double($0) * step } : []
    }
}
