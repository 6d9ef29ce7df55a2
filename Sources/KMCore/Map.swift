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

    /// Pixel `p` of `samples` stored in this format: its colour (grey
    /// replicated) and alpha (maxval without an alpha plane), on 0...maxval.
    @inline(__always)
    func rgba<Samples: RandomAccessCollection<UInt16>>(_ samples: Samples, pixel p: Int) -> RGBA where Samples.Index == Int {
        let i = samples.startIndex + p * depth, color = isGray ? 1 : 3
        return RGBA(Color(red: samples[i], green: samples[i + color / 2], blue: samples[i + color - 1]),
                    alpha: hasAlpha ? samples[i + depth - 1] : UInt16(maxval))
    }
}

/// Maps images, row by row from the top, to palette colours or to palette
/// indices (one sample a pixel). Output colours are on the palette's scale: RGB,
/// plus the input's alpha plane rescaled when it has one; with a palette with
/// alphas, always 4 samples a pixel, the colour's RGB and alpha. What depends
/// only on the palette and the dither is prepared once, at `init`; `beginImage`
/// starts each image. Without dithering and with pattern dithering, the pixels
/// are split over threads; error diffusion runs in order. The output never
/// depends on the number of threads.
///
/// Dithering works on each pixel's value on the input's scale: its RGB (the
/// input's alpha plays no part), or with a palette with alphas its
/// premultiplied point (red x alpha / maxval, green ..., blue ..., alpha), so
/// that error diffusion spreads the premultiplied error and the pattern
/// dither mixes premultiplied colours: what a mix of pixels looks like over
/// any background. A dithered value is kept a pixel's (each sample 0...maxval,
/// and premultiplied colour at most its alpha) and mapped as the nearest
/// integer colour (RGBA(premultiplied:): alpha rounded, colour divided by the
/// alpha). A fully transparent pixel (alpha 0) is never dithered: it takes its
/// own nearest colour (with alphas, the palette's fully transparent colour
/// when it has one), and neither receives nor passes on error.
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
    /// Whether the palette has alphas: colours are RGBA, dithered premultiplied.
    private let premultiplied: Bool
    /// The palette's values (as a pixel's, below) on the current image's scale.
    private var palette: [SIMD4<Float>] = []
    private var diffusion: ErrorDiffusion?
    private let pattern: PatternDither?

    /// A mapper to `nearest`'s palette: the pattern dither's ordering (K log K) made here, once.
    public init(_ nearest: NearestColor, dither: Dither = .none, indices: Bool = false) {
        self.nearest = nearest
        search = nearest.own
        self.dither = dither
        self.indices = indices
        premultiplied = nearest.palette.alphas != nil
        pattern = dither.method == .bayer ? PatternDither(nearest.palette, strength: dither.strength) : nil
    }

    /// Starts an image `width` pixels wide stored as `format`: no error carried
    /// over from the last one; the palette rescaled only when the scale changes.
    public mutating func beginImage(format: PixelFormat, width: Int) {
        if palette.isEmpty || format.maxval != self.format.maxval {
            let p = nearest.palette, toInput = Float(format.maxval) / Float(p.maxval)
            palette = p.colors.indices.map { i in
                let c = p.colors[i]
                guard let alphas = p.alphas else { return SIMD4(Float(c.red), Float(c.green), Float(c.blue), 0) * toInput }
                let a = Float(alphas[i])
                return SIMD4(Float(c.red) * a / Float(p.maxval), Float(c.green) * a / Float(p.maxval),
                             Float(c.blue) * a / Float(p.maxval), a) * toInput
            }
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
    public var outputDepth: Int { indices ? 1 : (format.hasAlpha || premultiplied ? 4 : 3) }

    /// Maps whole rows of 8-bit samples to 8-bit output (palette maxval <= 255).
    public mutating func map8(_ src: [UInt8], firstRow: Int, into dst: inout [UInt8], threads: Int) {
        src.withSamples { s in dst.withUnsafeMutableBufferPointer { run(s, firstRow: firstRow, into: $0, threads: threads) } }
    }

    /// Maps whole rows of 16-bit samples to 16-bit output.
    public mutating func map16(_ src: [UInt16], firstRow: Int, into dst: inout [UInt16], threads: Int) {
        src.withSamples { s in dst.withUnsafeMutableBufferPointer { run(s, firstRow: firstRow, into: $0, threads: threads) } }
    }

    mutating func map16(_ src: UnsafeBufferPointer<UInt16>, firstRow: Int,
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
        if pattern == nil && format.depth == 3 && !format.isGray && !format.hasAlpha && !premultiplied {
            nearestRGB(src, shares: shares, share: share, pixels: pixels, into: dst)
            return
        }
        let this = self
        Parallel.forEach(shares, threads: shares) { n in
            var cache = ColorCache(this.search)
            var patterns = this.pattern.map { pattern in
                ColorCache<SIMD16<UInt16>>(this.search, bits: 14) { r, g, b, a in
                    pattern.candidates(this.value(r, g, b, a), top: Float(this.format.maxval), premultiplied: this.premultiplied,
                                       palette: this.palette, nearest: { this.nearest($0, &cache) })
                }
            }
            for p in n * share..<min(pixels, (n + 1) * share) {
                let (r, g, b, a) = this.color(src, p)
                let index: Int
                if let pattern = this.pattern, !(this.premultiplied && a == 0) {
                    let row = firstRow + p / this.width, column = p % this.width
                    let candidates = patterns!.value(r, g, b, a) { _ in
                        pattern.candidates(this.value(r, g, b, a), top: Float(this.format.maxval), premultiplied: this.premultiplied,
                                           palette: this.palette, nearest: { this.nearest($0, &cache) })
                    }
                    index = Int(candidates[PatternDither.slot(row: row, column: column)])
                } else {
                    index = Int(cache.index(r, g, b, a))
                }
                this.emit(index, src, p, into: dst)
            }
        }
    }

    /// Nearest colour for RGB pixels without alpha to an opaque palette (3
    /// samples a pixel in, 3 or with `indices` 1 out): the common case, in
    /// `shares` shares of `share` pixels.
    private func nearestRGB<In: FixedWidthInteger, Out: FixedWidthInteger>(
        _ src: UnsafeBufferPointer<In>, shares: Int, share: Int, pixels: Int, into dst: UnsafeMutableBufferPointer<Out>
    ) {
        let search = self.search, indices = self.indices
        let colors = nearest.palette.colors.flatMap { [Out(truncatingIfNeeded: $0.red), Out(truncatingIfNeeded: $0.green),
                                                      Out(truncatingIfNeeded: $0.blue)] }
        Parallel.forEach(shares, threads: shares) { n in
            var cache = ColorCache(search)
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

    /// Pixel p's samples: RGB (grey replicated) and alpha (maxval without an alpha plane).
    @inline(__always)
    private func color<In: FixedWidthInteger>(_ src: UnsafeBufferPointer<In>, _ p: Int) -> (UInt16, UInt16, UInt16, UInt16) {
        let base = p * format.depth
        let a = format.hasAlpha ? UInt16(truncatingIfNeeded: src[base + format.depth - 1]) : UInt16(format.maxval)
        if format.isGray {
            let v = UInt16(truncatingIfNeeded: src[base])
            return (v, v, v, a)
        }
        return (UInt16(truncatingIfNeeded: src[base]), UInt16(truncatingIfNeeded: src[base + 1]),
                UInt16(truncatingIfNeeded: src[base + 2]), a)
    }

    /// A pixel's value for dithering: its RGB, or its premultiplied point (see the type).
    @inline(__always) private func value(_ r: UInt16, _ g: UInt16, _ b: UInt16, _ a: UInt16) -> SIMD4<Float> {
        guard premultiplied else { return SIMD4(Float(r), Float(g), Float(b), 0) }
        let s = Float(a) / Float(format.maxval)
        return SIMD4(Float(r) * s, Float(g) * s, Float(b) * s, Float(a))
    }

    /// The index of the palette colour nearest to a dithered value `v`, kept a
    /// pixel's (clampPixel): its samples rounded, or for a premultiplied point
    /// the colour RGBA(premultiplied:) would give.
    @inline(__always) private func nearest(_ v: SIMD4<Float>, _ cache: inout ColorCache<UInt16>) -> Int {
        let rounded = v.rounded(.toNearestOrAwayFromZero)
        guard premultiplied else { return Int(cache.index(UInt16(rounded.x), UInt16(rounded.y), UInt16(rounded.z))) }
        guard rounded.w > 0 else { return Int(cache.index(0, 0, 0, 0)) }
        let top = Float(format.maxval), c = (v * (top / v.w)).rounded(.toNearestOrAwayFromZero)
        return Int(cache.index(UInt16(min(c.x, top)), UInt16(min(c.y, top)), UInt16(min(c.z, top)), UInt16(rounded.w)))
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
        let d = format.hasAlpha || premultiplied ? 4 : 3
        dst[d * p] = Out(truncatingIfNeeded: c.red)
        dst[d * p + 1] = Out(truncatingIfNeeded: c.green)
        dst[d * p + 2] = Out(truncatingIfNeeded: c.blue)
        if let alphas = nearest.palette.alphas {
            dst[d * p + 3] = Out(truncatingIfNeeded: alphas[index])
        } else if format.hasAlpha {
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
        var cache = ColorCache(search)
        diffusion.run(rows: pixels / width, firstRow: firstRow, maxval: format.maxval, premultiplied: premultiplied,
                      palette: palette,
                      pixel: { p in
                          let (r, g, b, a) = self.color(src, p)
                          return (self.value(r, g, b, a), !self.format.hasAlpha || a != 0)
                      },
                      nearest: { self.nearest($0, &cache) },
                      emit: { p, index in self.emit(index, src, p, into: dst) })
        self.diffusion = diffusion
    }
}
