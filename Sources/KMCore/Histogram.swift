/// The distinct colours of one or more images and how many pixels have each,
/// opaque, or with their opacity when the histogram `hasAlpha`. Memory grows
/// with the number of distinct colours, not with pixels.
public struct Histogram: Sendable {
    /// The scale of the colours held (1...65535).
    public private(set) var maxval: Int
    /// Colours are counted with their alpha, every fully transparent pixel as
    /// transparent black (RGBA.transparent); otherwise every colour is opaque.
    public let hasAlpha: Bool
    /// Pixels counted so far.
    public private(set) var pixelCount: UInt64 = 0

    /// An open-addressing table of RGBA keys and their counts, interleaved (slot
    /// s: key at 2s, count at 2s + 1, one cache line for both); a slot is empty
    /// where its count is 0 (every key is some colour's: with alpha, all ones is
    /// opaque white at maxval 65535). Opaque histograms keep alpha 0 in their keys.
    private var table: [UInt64]
    private var slotCount: Int { table.count / 2 }
    private var used = 0
    private var shift = 64 - 12

    /// An empty histogram of colours on the scale 0...maxval, with their alpha or not.
    public init(maxval: Int, alpha: Bool = false) {
        precondition((1...65535).contains(maxval))
        self.maxval = maxval
        hasAlpha = alpha
        table = [UInt64](repeating: 0, count: 2 << 12)
    }

    /// Distinct colours counted so far.
    public var colorCount: Int { used }

    /// Counts interleaved RGB samples (3 per pixel) on the scale 0...`maxval`.
    /// Samples on another scale than the histogram's are rescaled to it; when
    /// it does not hold theirs exactly, the histogram first moves to one that
    /// holds both (`commonScale`).
    public mutating func add(rgb samples: some Collection<UInt16>, maxval: Int) {
        samples.withSamples { add(rgb: $0, maxval: maxval) }
    }

    mutating func add(rgb samples: UnsafeBufferPointer<UInt16>, maxval sampleMaxval: Int) {
        moveToScale(Histogram.commonScale(maxval, sampleMaxval))
        reserve(colors: used + samples.count / 3)
        let from = sampleMaxval, to = maxval
        precondition(!hasAlpha)
        var lastKey: UInt64 = 0, run: UInt64 = 0
        var i = 0
        while i + 2 < samples.count {
            var r = samples[i], g = samples[i + 1], b = samples[i + 2]
            if from != to {
                r = KMCore.rescaleSample(r, from: from, to: to); g = KMCore.rescaleSample(g, from: from, to: to); b = KMCore.rescaleSample(b, from: from, to: to)
            }
            let key = UInt64(r) << 48 | UInt64(g) << 32 | UInt64(b) << 16
            if key == lastKey && run > 0 {
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

    /// Counts pixels stored as `format` (grey replicated; an image without
    /// alpha is opaque) into a histogram with alpha. Samples on another scale
    /// are rescaled as by `add(rgb:maxval:)`.
    public mutating func add(_ samples: some Collection<UInt16>, format: PixelFormat) {
        samples.withSamples { add($0, format: format) }
    }

    mutating func add(_ samples: UnsafeBufferPointer<UInt16>, format: PixelFormat) {
        precondition(hasAlpha)
        let m = format.maxval
        moveToScale(Histogram.commonScale(maxval, m))
        let d = format.depth
        reserve(colors: used + samples.count / d)
        var lastKey: UInt64 = 0, run: UInt64 = 0
        for p in 0..<samples.count / d {
            let pixel = format.rgba(samples, pixel: p)
            let key = pixel.alpha == 0 ? RGBA.transparent.key : pixel.rescaled(from: m, to: maxval).key
            if key == lastKey && run > 0 {
                run += 1
            } else {
                if run > 0 { insert(lastKey, run) }
                (lastKey, run) = (key, 1)
            }
        }
        if run > 0 { insert(lastKey, run) }
        pixelCount += UInt64(samples.count / d)
    }

    /// Adds `count` pixels of `color`, given on the histogram's own scale.
    public mutating func add(_ color: Color, count: UInt64 = 1) {
        precondition(!hasAlpha)
        insert(color.key << 16, count)
        pixelCount += count
    }

    /// Adds `count` pixels of `color`, given on the histogram's own scale, to
    /// a histogram with alpha (a fully transparent one counts as transparent black).
    public mutating func add(_ color: RGBA, count: UInt64 = 1) {
        precondition(hasAlpha)
        insert(color.alpha == 0 ? RGBA.transparent.key : color.key, count)
        pixelCount += count
    }

    /// Adds every pixel counted in `other`, which has alpha if this one does.
    public mutating func merge(_ other: Histogram) {
        precondition(other.hasAlpha == hasAlpha)
        moveToScale(Histogram.commonScale(maxval, other.maxval))
        // At least the other's table size first: keys taken in the order of a larger
        // table would pile up in runs of a smaller one.
        if slotCount < other.slotCount { grow(to: other.slotCount) }
        // In the other's table order: the sum is the same in any order, and
        // every reader of the colours sorts them.
        for (key, n) in other.occupied {
            insert(Histogram.key(key, from: other.maxval, to: maxval, alpha: hasAlpha), n)
        }
        pixelCount += other.pixelCount
    }

    /// Whether some pixel counted has `color` (on the histogram's scale; fully
    /// transparent colours are transparent black; alpha ignored without `hasAlpha`).
    public func contains(_ color: RGBA) -> Bool {
        let key = hasAlpha ? (color.alpha == 0 ? RGBA.transparent.key : color.key) : color.color.key << 16
        let mask = slotCount - 1
        var s = Histogram.slot(key, shift)
        while table[2 * s + 1] != 0 {
            if table[2 * s] == key { return true }
            s = (s + 1) & mask
        }
        return false
    }

    /// The distinct colours in increasing order, with their pixel counts (with
    /// alpha, the colours' RGB: see `colorsWithAlpha`).
    public func entries() -> (colors: [Color], counts: [UInt64]) {
        let (keys, counts) = sortedKeys()
        return (keys.map { Color(key: $0 >> 16) }, counts)
    }

    /// The distinct colours with their alpha (opaque when the histogram has
    /// none), in increasing order, with their pixel counts.
    public func colorsWithAlpha() -> (colors: [RGBA], counts: [UInt64]) {
        let (keys, counts) = sortedKeys(), opaque = UInt16(maxval)
        return (keys.map { hasAlpha ? RGBA(key: $0) : RGBA(Color(key: $0 >> 16), alpha: opaque) }, counts)
    }

    /// The keys in increasing order with their counts: a least-significant-digit
    /// radix sort, a byte a pass, passes over bytes every key shares skipped.
    private func sortedKeys() -> (keys: [UInt64], counts: [UInt64]) {
        var keys = UncheckedArray<UInt64>(repeating: 0, count: used), counts = UncheckedArray<UInt64>(repeating: 0, count: used)
        var otherKeys = UncheckedArray<UInt64>(repeating: 0, count: used), otherCounts = UncheckedArray<UInt64>(repeating: 0, count: used)
        var all: UInt64 = ~0, any: UInt64 = 0
        // In bounds: `used` slots of the table are occupied, each copied once;
        // a pass places each key at its byte's running start, below `used`.
        table.withUnsafeBufferPointer { table in
            var m = 0
            for s in stride(from: 0, to: table.count, by: 2) where table[s + 1] != 0 {
                (keys[m], counts[m]) = (table[s], table[s + 1])
                all &= table[s]
                any |= table[s]
                m += 1
            }
        }
        let start = UncheckedArray<Int>(repeating: 0, count: 257)
        for shift in stride(from: UInt64(0), to: 64, by: 8) where (all ^ any) >> shift & 0xFF != 0 {
            for b in 0...256 { start[b] = 0 }
            for i in 0..<used { start[Int(keys[i] >> shift & 0xFF) + 1] += 1 }
            for b in 0..<256 { start[b + 1] += start[b] }
            for i in 0..<used {
                let b = Int(keys[i] >> shift & 0xFF)
                (otherKeys[start[b]], otherCounts[start[b]]) = (keys[i], counts[i])
                start[b] += 1
            }
            swap(&keys, &otherKeys)
            swap(&counts, &otherCounts)
        }
        return (keys.array, counts.array)
    }

    /// The same pixels on the scale 0...`newMaxval` (1...65535), each colour
    /// rounded to the nearest (colours that round alike become one).
    public func rescaled(to newMaxval: Int) -> Histogram {
        var moved = self
        moved.moveToScale(newMaxval)
        return moved
    }

    /// The scale a histogram moves to when counting colours of two scales: the
    /// least common multiple, where both are exact, or 65535 when that is larger.
    /// Every colour is rescaled once from its own scale to the final one (a move
    /// between multiples is exact), so the colours counted, not their order,
    /// decide the histogram: shards add up to the whole stream.
    public static func commonScale(_ a: Int, _ b: Int) -> Int {
        if a == b { return a }
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        let lcm = a / x * b
        return lcm <= 65535 ? lcm : 65535
    }

    private mutating func moveToScale(_ newMaxval: Int) {
        if newMaxval == maxval { return }
        var moved = Histogram(maxval: newMaxval, alpha: hasAlpha)
        for (key, n) in occupied { moved.insert(Histogram.key(key, from: maxval, to: newMaxval, alpha: hasAlpha), n) }
        moved.pixelCount = pixelCount
        self = moved
    }

    /// A key on another scale; with `alpha`, a colour whose alpha rounds to 0
    /// becomes transparent black (opaque keys hold alpha 0 throughout).
    private static func key(_ key: UInt64, from maxval: Int, to newMaxval: Int, alpha: Bool) -> UInt64 {
        if maxval == newMaxval { return key }
        let color = RGBA(key: key).rescaled(from: maxval, to: newMaxval)
        return alpha && color.alpha == 0 ? RGBA.transparent.key : color.key
    }

    @inline(__always) private static func slot(_ key: UInt64, _ shift: Int) -> Int {
        Color.slot(key, bits: 64 - shift)
    }

    private mutating func insert(_ key: UInt64, _ n: UInt64) {
        let mask = slotCount - 1
        var s = Histogram.slot(key, shift)
        while true {
            if table[2 * s + 1] == 0 { break }
            if table[2 * s] == key { table[2 * s + 1] += n; return }
            s = (s + 1) & mask
        }
        table[2 * s] = key
        table[2 * s + 1] = n
        used += 1
        if used * 2 > slotCount { grow(to: 2 * slotCount) }
    }

    /// Most distinct colours `reserve` makes room for: 65,536 (a table of 2 MiB), a
    /// 250-high photo's worth; beyond, the table grows as colours come.
    private static let reserveMax = 1 << 16

    /// Room for `colors` distinct colours (at most `reserveMax`) made at once,
    /// so that a table about to fill is not grown again and again, each time
    /// moving every key (a photo of 50,000 pixels: 5 times). The counts do not
    /// depend on it.
    private mutating func reserve(colors: Int) {
        var slots = slotCount
        while slots < 2 * min(colors, Histogram.reserveMax) { slots *= 2 }
        if slots > slotCount { grow(to: slots) }
    }

    /// The table moved to `slots` slots (a power of two, more than now), every key rehashed.
    private mutating func grow(to slots: Int) {
        let old = table
        table = [UInt64](repeating: 0, count: 2 * slots)
        let mask = slotCount - 1
        shift = 64 - mask.nonzeroBitCount
        for at in stride(from: 0, to: old.count, by: 2) where old[at + 1] != 0 {
            var s = Histogram.slot(old[at], shift)
            while table[2 * s + 1] != 0 { s = (s + 1) & mask }
            table[2 * s] = old[at]
            table[2 * s + 1] = old[at + 1]
        }
    }

    /// The keys held, with their counts, in table order.
    private var occupied: some Sequence<(key: UInt64, count: UInt64)> {
        stride(from: 0, to: table.count, by: 2).lazy.filter { [table] in table[$0 + 1] != 0 }.map { [table] in (table[$0], table[$0 + 1]) }
    }
}
