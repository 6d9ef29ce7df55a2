/// A linear map from data values to pixels along one axis of a chart.
public struct AxisScale: Sendable {
    public var low: Double, high: Double
    public var from: Double, to: Double

    /// Maps low...high (widened when empty) to pixels from...to.
    public init(low: Double, high: Double, from: Double, to: Double) {
        let pad = high > low ? 0 : max(abs(low) * 0.05, 1e-9)
        (self.low, self.high, self.from, self.to) = (low - pad, high + pad, from, to)
    }

    public func callAsFunction(_ v: Double) -> Double {
        from + (v - low) / (high - low) * (to - from)
    }
}
