/// How pixels between palette colours are rendered.
public enum Dither: String, CaseIterable, Sendable {
    /// Each pixel becomes its nearest palette colour.
    case none
    /// Floyd-Steinberg error diffusion, serpentine (even rows left to right).
    case fs
    /// Ordered dithering with the 8 x 8 Bayer matrix.
    case bayer
}

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

/// Maps the rows of one image, top to bottom, to palette colours (RGB, plus
/// the alpha plane rescaled to the palette's maxval when the input has one) or
/// to palette indices (one sample a pixel). Without dithering and with Bayer
/// dithering, rows are split over threads; Floyd-Steinberg runs in order. The
/// output never depends on the number of threads.
public struct Mapper {
    public let nearest: NearestColor
    public let format: PixelFormat
    public let width: Int
    public let dither: Dither
    /// Write palette indices instead of colours.
    public let indices: Bool
    /// Bayer: the spread of the thresholds, on the input's scale.
    private let amplitude: Float
    /// Floyd-Steinberg: the error carried into the next row, 3 per pixel, input scale.
    private var carried: [Float] = []

    /// A mapper for an image `width` pixels wide stored as `format`.
    public init(_ nearest: NearestColor, format: PixelFormat, width: Int, dither: Dither = .none, indices: Bool = false) {
        self.nearest = nearest
        self.format = format
        self.width = width
        self.dither = dither
        self.indices = indices
        amplitude = dither == .bayer
            ? Float(Mapper.typicalSpacing(nearest.palette) * Double(format.maxval)) : 0
    }

    /// The median distance from a palette colour to its nearest other colour
    /// (unit cube); 0 for a single colour.
    static func typicalSpacing(_ palette: Palette) -> Double {
        let points = palette.unitColors
        guard points.count > 1 else { return 0 }
        let spacing = points.indices.map { i in
            points.indices.filter { $0 != i }.map { j in ((points[i] - points[j]) * (points[i] - points[j])).sum() }.min()!
        }.sorted()
        return spacing[spacing.count / 2].squareRoot()
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
        if dither == .fs {
            diffuse(src, pixels: pixels, firstRow: firstRow, into: dst)
            return
        }
        let piece = 1 << 15
        let pieces = (pixels + piece - 1) / piece
        let this = self
        Parallel.forEach(pieces, threads: threads) { n in
            var cache = NearestColor.Cache(this.nearest, maxval: this.format.maxval)
            for p in n * piece..<min(pixels, (n + 1) * piece) {
                var (r, g, b) = this.color(src, p)
                if this.dither == .bayer {
                    let offset = this.bayerOffset(row: firstRow + p / this.width, column: p % this.width)
                    r = this.clamp(Float(r) + offset); g = this.clamp(Float(g) + offset); b = this.clamp(Float(b) + offset)
                }
                this.emit(Int(cache.index(r, g, b)), src, p, into: dst)
            }
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
            dst[d * p + 3] = Out(truncatingIfNeeded: rescale(a, format.maxval, nearest.palette.maxval))
        }
    }

    @inline(__always) private func clamp(_ v: Float) -> UInt16 {
        UInt16(min(max(v.rounded(), 0), Float(format.maxval)))
    }

    /// The 8 x 8 Bayer threshold at (row, column), in (-1/2, 1/2), times the
    /// amplitude: the median distance from a palette colour to its nearest
    /// other colour, on the input's scale.
    @inline(__always) private func bayerOffset(row: Int, column: Int) -> Float {
        Mapper.bayer[(row & 7) * 8 + (column & 7)] * amplitude
    }

    /// The Bayer matrix built by doubling [[0]] three times
    /// (M' = [[4M, 4M + 2], [4M + 3, 4M + 1]]), as thresholds (m + 1/2) / 64 - 1/2.
    static let bayer: [Float] = {
        var m = [0], size = 1
        for _ in 0..<3 {
            var next = [Int](repeating: 0, count: 4 * size * size)
            for y in 0..<2 * size {
                for x in 0..<2 * size {
                    let quadrant = [0, 2, 3, 1][(y / size) * 2 + x / size]
                    next[y * 2 * size + x] = 4 * m[(y % size) * size + x % size] + quadrant
                }
            }
            m = next
            size *= 2
        }
        return m.map { (Float($0) + 0.5) / 64 - 0.5 }
    }()

    /// Floyd-Steinberg over whole rows, in order, carrying the error into the
    /// next call's first row.
    private mutating func diffuse<In: FixedWidthInteger, Out: FixedWidthInteger>(
        _ src: UnsafeBufferPointer<In>, pixels: Int, firstRow: Int, into dst: UnsafeMutableBufferPointer<Out>
    ) {
        let w = width
        if firstRow == 0 || carried.count != 3 * w { carried = [Float](repeating: 0, count: 3 * w) }
        var next = [Float](repeating: 0, count: 3 * w)
        var cache = NearestColor.Cache(nearest, maxval: format.maxval)
        let toInput = Float(format.maxval) / Float(nearest.palette.maxval)
        let palette = nearest.palette.colors.map {
            (Float($0.red) * toInput, Float($0.green) * toInput, Float($0.blue) * toInput)
        }
        for row in 0..<pixels / w {
            let y = firstRow + row
            let leftToRight = y % 2 == 0
            for step in 0..<w {
                let x = leftToRight ? step : w - 1 - step
                let p = row * w + x
                let (r0, g0, b0) = color(src, p)
                let r = Float(r0) + carried[3 * x], g = Float(g0) + carried[3 * x + 1], b = Float(b0) + carried[3 * x + 2]
                let index = Int(cache.index(clamp(r), clamp(g), clamp(b)))
                emit(index, src, p, into: dst)
                let c = palette[index]
                let err = (r - c.0, g - c.1, b - c.2)
                let ahead = leftToRight ? x + 1 : x - 1, behind = leftToRight ? x - 1 : x + 1
                if ahead >= 0 && ahead < w {
                    carried[3 * ahead] += err.0 * 7 / 16; carried[3 * ahead + 1] += err.1 * 7 / 16; carried[3 * ahead + 2] += err.2 * 7 / 16
                    next[3 * ahead] += err.0 / 16; next[3 * ahead + 1] += err.1 / 16; next[3 * ahead + 2] += err.2 / 16
                }
                if behind >= 0 && behind < w {
                    next[3 * behind] += err.0 * 3 / 16; next[3 * behind + 1] += err.1 * 3 / 16; next[3 * behind + 2] += err.2 * 3 / 16
                }
                next[3 * x] += err.0 * 5 / 16; next[3 * x + 1] += err.1 * 5 / 16; next[3 * x + 2] += err.2 * 5 / 16
            }
            swap(&carried, &next)
            for i in next.indices { next[i] = 0 }
        }
    }
}
