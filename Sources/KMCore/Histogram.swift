/// The distinct colours of one or more images and how many pixels have each.
/// Memory grows with the number of distinct colours, not with pixels.
public struct Histogram: Sendable {
    /// The scale of the colours held (1...65535).
    public private(set) var maxval: Int
    /// Pixels counted so far.
    public private(set) var pixelCount: UInt64 = 0

    private var keys: [UInt64]
    private var counts: [UInt64]
    private var used = 0
    private var shift = 64 - 12
    private static let empty = UInt64.max

    /// An empty histogram of colours on the scale 0...maxval.
    public init(maxval: Int) {
        precondition((1...65535).contains(maxval))
        self.maxval = maxval
        keys = [UInt64](repeating: Histogram.empty, count: 1 << 12)
        counts = [UInt64](repeating: 0, count: 1 << 12)
    }

    /// Distinct colours counted so far.
    public var colorCount: Int { used }

    /// Counts interleaved RGB samples (3 per pixel) on the scale 0...`maxval`.
    /// Samples on another scale than the histogram's are rescaled to it; when
    /// they are on a finer one, the histogram first moves to maxval 65535.
    public mutating func add(rgb samples: UnsafeBufferPointer<UInt16>, maxval sampleMaxval: Int) {
        if sampleMaxval > maxval && maxval != 65535 { moveToScale(65535) }
        let from = sampleMaxval, to = maxval
        var lastKey = Histogram.empty, run: UInt64 = 0
        var i = 0
        while i + 2 < samples.count {
            var r = samples[i], g = samples[i + 1], b = samples[i + 2]
            if from != to {
                r = KMCore.rescaleSample(r, from: from, to: to); g = KMCore.rescaleSample(g, from: from, to: to); b = KMCore.rescaleSample(b, from: from, to: to)
            }
            let key = UInt64(r) << 32 | UInt64(g) << 16 | UInt64(b)
            if key == lastKey {
                run += 1
            } else {
                if run > 0 { insert(lastKey, run) }
                lastKey = key
                run = 1
            }
            i += 3
        }
        if run > 0 { insert(lastKey, run) }
        pixelCount += UInt64(samples.count / 3)
    }

    /// Adds `count` pixels of `color`, given on the histogram's own scale.
    public mutating func add(_ color: Color, count: UInt64 = 1) {
        insert(color.key, count)
        pixelCount += count
    }

    /// Adds every pixel counted in `other`.
    public mutating func merge(_ other: Histogram) {
        let (colors, counts) = other.entries()
        if other.maxval > maxval && maxval != 65535 { moveToScale(65535) }
        for (c, n) in zip(colors, counts) {
            insert(c.rescaled(from: other.maxval, to: maxval).key, n)
        }
        pixelCount += other.pixelCount
    }

    /// The distinct colours in increasing order, with their pixel counts.
    public func entries() -> (colors: [Color], counts: [UInt64]) {
        var pairs: [(UInt64, UInt64)] = []
        pairs.reserveCapacity(used)
        for (k, c) in zip(keys, counts) where k != Histogram.empty { pairs.append((k, c)) }
        pairs.sort { $0.0 < $1.0 }
        return (pairs.map { Color(key: $0.0) }, pairs.map { $0.1 })
    }

    private mutating func moveToScale(_ newMaxval: Int) {
        let (colors, n) = entries()
        let old = maxval
        self = Histogram(maxval: newMaxval)
        for (c, k) in zip(colors, n) { add(c.rescaled(from: old, to: newMaxval), count: k) }
    }

    @inline(__always) private static func slot(_ key: UInt64, _ shift: Int) -> Int {
        Color.slot(key, bits: 64 - shift)
    }

    private mutating func insert(_ key: UInt64, _ n: UInt64) {
        let mask = keys.count - 1
        var s = Histogram.slot(key, shift)
        while true {
            let k = keys[s]
            if k == key { counts[s] += n; return }
            if k == Histogram.empty { break }
            s = (s + 1) & mask
        }
        keys[s] = key
        counts[s] = n
        used += 1
        if used * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts
        let size = keys.count * 2
        keys = [UInt64](repeating: Histogram.empty, count: size)
        counts = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        shift -= 1
        for (k, c) in zip(oldKeys, oldCounts) where k != Histogram.empty {
            var s = Histogram.slot(k, shift)
            while keys[s] != Histogram.empty { s = (s + 1) & mask }
            keys[s] = k
            counts[s] = c
        }
    }
}
