/// How a run of pixels is stored: `depth` samples a pixel on 0...maxval,
/// colour first (1 grey sample or 3 RGB), then alpha when `hasAlpha`.
public struct PixelFormat: Sendable {
    public var depth: Int
    public var isGray: Bool
    public var hasAlpha: Bool
    public var maxval: Int

    public init(depth: Int, isGray: Bool, hasAlpha: Bool, maxval: Int) {
        (self.depth, self.isGray, self.hasAlpha, self.maxval) = (depth, isGray, hasAlpha, maxval)
    }
}

/// Maps images, row by row from the top, to palette colours (RGB, plus the
/// alpha plane rescaled to the palette's maxval when the input has one) or to
/// palette indices (one sample a pixel). What depends only on the palette and
/// the dither is prepared once, at `init`; `beginImage` starts each image.
/// Without dithering and with pattern dithering, the pixels are split over
/// threads; error diffusion runs in order. The output never depends on the
/// number of threads.
public struct Mapper {
    public let nearest: NearestColor
    /// The nearest-colour search on the current image's scale.
    private var search: NearestColor.Search
    public let dither: Dither
    /// Write palette indices instead of colours.
    public let indices: Bool
    /// How the current image's pixels are stored, and its width.
    public private(set) var format = PixelFormat(depth: 3, isGray: false, hasAlpha: false, maxval: 255)
    public private(set) var width = 1
    /// The palette on the current image's scale.
    private var palette: [SIMD3<Float>] = []
    private var diffusion: ErrorDiffusion?
    private let pattern: PatternDither?

    /// A mapper to `nearest`'s palette: the pattern dither's ordering (K log K) made here, once.
    public init(_ nearest: NearestColor, dither: Dither = .none, indices: Bool = false) {
        self.nearest = nearest
        search = nearest.own
        self.dither = dither
        self.indices = indices
        pattern = dither.method == .bayer ? PatternDither(nearest.palette, strength: dither.strength) : nil
    }

    /// Starts an image `width` pixels wide stored as `format`: no error carried
    /// over from the last one; the palette rescaled only when the scale changes.
    public mutating func beginImage(format: PixelFormat, width: Int) {
        if palette.isEmpty || format.maxval != self.format.maxval {
            let toInput = Float(format.maxval) / Float(nearest.palette.maxval)
            palette = nearest.palette.colors.map { SIMD3(Float($0.red), Float($0.green), Float($0.blue)) * toInput }
            search = nearest.search(maxval: format.maxval)
        }
        self.format = format
        self.width = width
        switch dither.method {
        case .fs, .sierra: diffusion = ErrorDiffusion(dither.method, strength: dither.strength, width: width)
        case .none, .bayer: diffusion = nil
        }
    }

    /// Output samples per pixel.
    public var outputDepth: Int { indices ? 1 : (format.hasAlpha ? 4 : 3) }

    /// Maps whole rows of 8-bit samples to 8-bit output (palette maxval <= 255).
    public mutating func map8(_ src: UnsafeBufferPointer<UInt8>, firstRow: Int,
                              into dst: UnsafeMutableBufferPointer<UInt8>, threads: Int) {
        run(src, firstRow: firstRow, into: dst, threads: threads)
    }

    /// Maps whole rows of 16-bit samples to 16-bit output.
    public mutating func map16(_ src: UnsafeBufferPointer<UInt16>, firstRow: Int,
                               into dst: UnsafeMutableBufferPointer<UInt16>, threads: Int) {
        run(src, firstRow: firstRow, into: dst, threads: threads)
    }

    @inline(__always)
    private mutating func run<In: FixedWidthInteger, Out: FixedWidthInteger>(
        _ src: UnsafeBufferPointer<In>, firstRow: Int, into dst: UnsafeMutableBufferPointer<Out>, threads: Int
    ) {
        let pixels = src.count / format.depth
        if diffusion != nil {
            diffuse(src, pixels: pixels, firstRow: firstRow, into: dst)
            return
        }
        // Each pixel's output depends on it alone, so any split gives the same bytes: one
        // share a thread, each with its own caches, warm for the whole share.
        let shares = min(max(threads, 1), max(pixels >> 12, 1))
        let share = (pixels + shares - 1) / shares
        if pattern == nil && format.depth == 3 && !format.isGray && !format.hasAlpha {
            nearestRGB(src, shares: shares, share: share, pixels: pixels, into: dst)
            return
        }
        let this = self
        Parallel.forEach(shares, threads: shares) { n in
            var cache = NearestColor.Cache(this.search)
            var patterns = this.pattern.map { _ in PatternCache() }
            for p in n * share..<min(pixels, (n + 1) * share) {
                let (r, g, b) = this.color(src, p)
                let index: Int
                if let pattern = this.pattern {
                    let row = firstRow + p / this.width, column = p % this.width
                    index = patterns!.candidate(PatternDither.slot(row: row, column: column), of: r, g, b) { out in
                        pattern.candidates(SIMD3(Float(r), Float(g), Float(b)), maxval: this.format.maxval,
                                           palette: this.palette, nearest: { Int(cache.index($0, $1, $2)) }, into: out)
                    }
                } else {
                    index = Int(cache.index(r, g, b))
                }
                this.emit(index, src, p, into: dst)
            }
        }
    }

    /// Nearest colour for RGB pixels without alpha (3 samples a pixel in, 3 or
    /// with `indices` 1 out): the common case, in `shares` shares of `share` pixels.
    private func nearestRGB<In: FixedWidthInteger, Out: FixedWidthInteger>(
        _ src: UnsafeBufferPointer<In>, shares: Int, share: Int, pixels: Int, into dst: UnsafeMutableBufferPointer<Out>
    ) {
        let search = self.search, indices = self.indices
        let colors = nearest.palette.colors.flatMap { [Out(truncatingIfNeeded: $0.red), Out(truncatingIfNeeded: $0.green),
                                                      Out(truncatingIfNeeded: $0.blue)] }
        Parallel.forEach(shares, threads: shares) { n in
            var cache = NearestColor.Cache(search)
            // In bounds: pixel p < pixels has samples 3p..<3p + 3 in src, and output 3p..<3p + 3
            // (p with indices) in dst; index i < palette count has colours 3i..<3i + 3.
            guard let s = src.baseAddress, let d = dst.baseAddress else { return }
            colors.withUnsafeBufferPointer { colors in
                guard let c = colors.baseAddress else { return }
                for p in n * share..<min(pixels, (n + 1) * share) {
                    let i = Int(cache.index(UInt16(truncatingIfNeeded: s[3 * p]), UInt16(truncatingIfNeeded: s[3 * p + 1]),
                                            UInt16(truncatingIfNeeded: s[3 * p + 2])))
                    if indices {
                        d[p] = Out(truncatingIfNeeded: i)
                    } else {
                        d[3 * p] = c[3 * i]
                        d[3 * p + 1] = c[3 * i + 1]
                        d[3 * p + 2] = c[3 * i + 2]
                    }
                }
            }
        }
    }

    /// Recent colours' pattern candidates: a direct-mapped table from colour to 16 indices.
    private struct PatternCache {
        var keys = [UInt64](repeating: .max, count: 1 << 14)
        var lists = [UInt16](repeating: 0, count: (1 << 14) * PatternDither.size)

        /// Candidate `slot` (0..<16) of (r, g, b)'s list, made by `make` when not remembered.
        @inline(__always) mutating func candidate(
            _ slot: Int, of r: UInt16, _ g: UInt16, _ b: UInt16, make: (UnsafeMutableBufferPointer<UInt16>) -> Void
        ) -> Int {
            let key = Color(red: r, green: g, blue: b).key
            let entry = Color.slot(key, bits: 14)
            let first = entry * PatternDither.size
            if keys[entry] != key {
                lists.withUnsafeMutableBufferPointer {
                    make(UnsafeMutableBufferPointer(rebasing: $0[first..<first + PatternDither.size]))
                }
                keys[entry] = key
            }
            return Int(lists[first + slot])
        }
    }
    @inline(__always)
    private func color<In: FixedWidthInteger>(_ src: UnsafeBufferPointer<In>, _ p: Int) -> (UInt16, UInt16, UInt16) {
        let base = p * format.depth
        if format.isGray {
            let v = UInt16(truncatingIfNeeded: src[base])
            return (v, v, v)
        }
        return (UInt16(truncatingIfNeeded: src[base]), UInt16(truncatingIfNeeded: src[base + 1]),
                UInt16(truncatingIfNeeded: src[base + 2]))
    }

    @inline(__always)
    private func emit<In: FixedWidthInteger, Out: FixedWidthInteger>(
        _ index: Int, _ src: UnsafeBufferPointer<In>, _ p: Int, into dst: UnsafeMutableBufferPointer<Out>
    ) {
        if indices {
            dst[p] = Out(truncatingIfNeeded: index)
            return
        }
        let c = nearest.palette.colors[index]
        let d = format.hasAlpha ? 4 : 3
        dst[d * p] = Out(truncatingIfNeeded: c.red)
        dst[d * p + 1] = Out(truncatingIfNeeded: c.green)
        dst[d * p + 2] = Out(truncatingIfNeeded: c.blue)
        if format.hasAlpha {
            let a = UInt16(truncatingIfNeeded: src[p * format.depth + format.depth - 1])
            dst[d * p + 3] = Out(truncatingIfNeeded: rescaleSample(a, from: format.maxval, to: nearest.palette.maxval))
        }
    }

    /// Error diffusion over whole rows, in order, carrying the error into the
    /// next call's first row.
    private mutating func diffuse<In: FixedWidthInteger, Out: FixedWidthInteger>(
        _ src: UnsafeBufferPointer<In>, pixels: Int, firstRow: Int, into dst: UnsafeMutableBufferPointer<Out>
    ) {
        // Taken out of self while it runs (the closures read self), so its error rows stay
        // uniquely held and are updated in place; beginImage made it fresh for this image.
        guard var diffusion = self.diffusion.take() else { return }
        var cache = NearestColor.Cache(search)
        diffusion.run(rows: pixels / width, firstRow: firstRow, maxval: format.maxval, palette: palette,
                      pixel: { p in
                          let (r, g, b) = self.color(src, p)
                          let visible = !self.format.hasAlpha || src[p * self.format.depth + self.format.depth - 1] != 0
                          return (SIMD3(Float(r), Float(g), Float(b)), visible)
                      },
                      choose: { p, r, g, b in
                          let index = Int(cache.index(r, g, b))
                          self.emit(index, src, p, into: dst)
                          return index
                      })
        self.diffusion = diffusion
    }
}
