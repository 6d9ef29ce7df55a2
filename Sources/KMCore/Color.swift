/// An RGB colour as integer samples on a scale 0...maxval (maxval 1...65535),
/// the maxval being held by whatever holds the colour (a Palette, a Histogram).
public struct Color: Hashable, Comparable, Sendable {
    public var red: UInt16
    public var green: UInt16
    public var blue: UInt16

    public init(red: UInt16, green: UInt16, blue: UInt16) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static func < (a: Color, b: Color) -> Bool {
        (a.red, a.green, a.blue) < (b.red, b.green, b.blue)
    }

    /// The colour packed in 48 bits: red, green, blue from high to low.
    @inlinable public var key: UInt64 {
        UInt64(red) << 32 | UInt64(green) << 16 | UInt64(blue)
    }

    /// Slot of a colour key in a table of 2^`bits` entries (Fibonacci hashing:
    /// the top `bits` bits of key x 2^64/golden ratio), for the colour tables
    /// (Histogram, the nearest-colour and pattern caches).
    @inline(__always) static func slot(_ key: UInt64, bits: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    @inlinable public init(key: UInt64) {
        red = UInt16(truncatingIfNeeded: key >> 32)
        green = UInt16(truncatingIfNeeded: key >> 16)
        blue = UInt16(truncatingIfNeeded: key)
    }

    /// The colour as a point of the unit cube: each sample / maxval, correctly
    /// rounded, so that equal colours on different scales give equal points.
    @inlinable public func unit(maxval: Int) -> SIMD3<Double> {
        SIMD3(Double(red), Double(green), Double(blue)) / Double(maxval)
    }

    /// The colour nearest to a point of the unit cube (each channel x maxval,
    /// rounded, clamped to 0...maxval).
    public init(unit p: SIMD3<Double>, maxval: Int) {
        let m = Double(maxval)
        func sample(_ x: Double) -> UInt16 { UInt16(min(max((x * m).rounded(), 0), m)) }
        self.init(red: sample(p.x), green: sample(p.y), blue: sample(p.z))
    }

    /// The same colour on another scale, rounded to the nearest sample.
    public func rescaled(from maxval: Int, to newMaxval: Int) -> Color {
        if maxval == newMaxval { return self }
        return Color(red: rescaleSample(red, from: maxval, to: newMaxval),
                     green: rescaleSample(green, from: maxval, to: newMaxval),
                     blue: rescaleSample(blue, from: maxval, to: newMaxval))
    }
}

/// `value` (0...from) on the scale 0...to (both 1...65535), rounded half up.
@inlinable public func rescaleSample(_ value: UInt16, from: Int, to: Int) -> UInt16 {
    UInt16((Int(value) * to + from / 2) / from)
}
