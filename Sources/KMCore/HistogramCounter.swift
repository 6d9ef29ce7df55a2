/// Counts colours on several threads: each run of pixels is split into a fixed
/// number of shares, each counted into its own partial histogram, and the parts
/// are merged at the end. A histogram is a multiset, so the result is the same
/// for any number of threads.
public struct HistogramCounter {
    private var parts: [Histogram]

    /// A counter of colours on the scale 0...maxval, over `threads` threads (at least 1).
    public init(maxval: Int, threads: Int) {
        parts = Array(repeating: Histogram(maxval: maxval), count: max(threads, 1))
    }

    /// Counts interleaved RGB samples (3 a pixel) on the scale 0...`maxval`.
    public mutating func add(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int) {
        let pixels = samples.count / 3, share = (pixels + parts.count - 1) / parts.count
        parts.withUnsafeMutableBufferPointer { parts in
            // Each thread writes only its own part.
            let parts = parts
            Parallel.forEach(parts.count, threads: parts.count) { t in
                let range = min(t * share, pixels)..<min((t + 1) * share, pixels)
                let piece = UnsafeBufferPointer(rebasing: samples[3 * range.lowerBound..<3 * range.upperBound])
                parts[t].add(rgb: piece, maxval: maxval)
            }
        }
    }

    /// Every pixel counted so far, in one histogram.
    public func histogram() -> Histogram {
        var histogram = parts[0]
        for part in parts.dropFirst() { histogram.merge(part) }
        return histogram
    }
}
