#if canImport(Glibc)
import Glibc
#endif

/// The k-means cost J: mean over pixels of the squared RGB distance, channels
/// scaled to [0, 1] and summed over the three channels (so 0...3).
public struct CostSum: Sendable {
    /// Sum of squared distances, unit-cube units.
    public var sum = 0.0
    public var pixels: UInt64 = 0

    public init() {}

    /// J, or 0 for no pixels.
    public var cost: Double { pixels == 0 ? 0 : sum / Double(pixels) }

    public static func += (a: inout CostSum, b: CostSum) {
        a.sum += b.sum
        a.pixels += b.pixels
    }
}

/// Peak signal-to-noise ratio in dB for a cost J: 10 log10(3 / J); +inf for J = 0.
public func psnr(cost: Double) -> Double {
    cost > 0 ? 10 * log10(3 / cost) : .infinity
}

/// Bits per pixel of an index stream into `colors` colours: ceil(log2 colors).
public func bitsPerPixel(colors: Int) -> Int {
    var bits = 0
    while (1 << bits) < colors { bits += 1 }
    return bits
}

extension NearestPoint {
    /// The cost of mapping interleaved RGB `samples` (0...`maxval`) to their
    /// nearest palette colour.
    public func cost(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int) -> CostSum {
        var total = CostSum()
        var lastKey = UInt64.max, lastD = 0.0
        var i = 0
        while i + 2 < samples.count {
            let key = UInt64(samples[i]) << 32 | UInt64(samples[i + 1]) << 16 | UInt64(samples[i + 2])
            if key != lastKey {
                let p = Color(red: samples[i], green: samples[i + 1], blue: samples[i + 2]).unit(maxval: maxval)
                lastD = index(of: p).distance
                lastKey = key
            }
            total.sum += lastD
            i += 3
        }
        total.pixels = UInt64(samples.count / 3)
        return total
    }
}

/// The cost between two images' pixels: mean squared RGB distance in the unit
/// cube, summed over channels. Both runs of interleaved RGB samples have the same length.
public func difference(rgb a: UnsafeBufferPointer<UInt16>, maxval ma: Int,
                       rgb b: UnsafeBufferPointer<UInt16>, maxval mb: Int) -> CostSum {
    precondition(a.count == b.count)
    let sa = Double(ma), sb = Double(mb)
    var total = CostSum()
    for i in 0..<a.count {
        let d = Double(a[i]) / sa - Double(b[i]) / sb
        total.sum += d * d
    }
    total.pixels = UInt64(a.count / 3)
    return total
}
