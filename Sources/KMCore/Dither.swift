/// How pixels between palette colours are rendered: a method and its strength.
public struct Dither: Equatable, Sendable {
    public enum Method: String, CaseIterable, Sendable {
        /// Each pixel becomes its nearest palette colour.
        case none
        /// Floyd-Steinberg error diffusion (weights 7, 3, 5, 1 / 16), serpentine.
        case fs
        /// Sierra's three-row error diffusion (weights 5, 3 / 2, 4, 5, 4, 2 / 2, 3, 2 / 32), serpentine.
        case sierra
        /// Ordered pattern dithering (Knoll): each pixel picks, by the 4 x 4 Bayer
        /// matrix, one of 16 palette colours whose mix approximates it.
        case bayer
    }

    public var method: Method
    /// How much of the error is carried (diffusion) or how wide the mix is
    /// (pattern): 0 (nearest colour, byte for byte) to 1 (full).
    public var strength: Double

    /// A dither of `method` at `strength` (clamped to 0...1); strength 0 is no dithering.
    public init(_ method: Method, strength: Double = 1) {
        let s = strength.isNaN ? 0 : min(max(strength, 0), 1)
        self.method = s == 0 ? .none : method
        self.strength = method == .none ? 0 : s
    }

    public static let none = Dither(.none)
    public static let fs = Dither(.fs)
    public static let sierra = Dither(.sierra)
    public static let bayer = Dither(.bayer)
}

/// Error diffusion over rows in order, serpentine (even rows left to right),
/// carrying its state from one run of rows to the next.
///
/// Each pixel's value plus the error it received (times the strength) is clamped
/// to 0...maxval, mapped to its nearest palette colour, and the difference between
/// the clamped value and that colour is passed on, all of it. Passing on all of it
/// is what keeps the local average: a flat 10 % grey with a black and white palette
/// comes out 10 % white. (pnmremap passes on only the pixel's own error, original
/// minus colour: less noise, but that grey comes out black.) The clamp keeps the
/// error bounded where the palette cannot reach a colour. A pixel whose own value
/// is within `snap` of its nearest palette colour takes that colour: the error
/// that reached it is dropped and only its own (under `snap`) passed on, so areas
/// the palette already renders stay clean instead of taking on their
/// neighbours' noise (pngquant likewise leaves them undithered). A fully
/// transparent pixel neither receives nor passes on error (as kmfit leaves it
/// out): it takes its own nearest colour, and the error that reached it is
/// dropped. Values are RGB (4th sample 0) or premultiplied points (Mapper), on
/// the input's scale.
struct ErrorDiffusion {
    /// (columns ahead, rows down, weight) of each share of the error.
    let taps: [(dx: Int, dy: Int, weight: Float)]
    let strength: Float
    let width: Int
    /// The distance (Euclidean, as a fraction of maxval: 0.01 is 2.55 levels of
    /// 255) within which a pixel takes its nearest colour undithered. Chosen with
    /// `bench/run --png`'s measure over 0.5 to 1.5 %: smaller PNGs with a
    /// blurred J still below pngquant's.
    static let snap: Float = 0.01
    /// Error received, 4 floats a pixel, for the next `ring` rows (indexed by row
    /// number modulo `ring`), with 2 columns of padding each side.
    private var error: [SIMD4<Float>]
    private let ring: Int

    init(_ method: Dither.Method, strength: Double, width: Int) {
        switch method {
        case .sierra:
            taps = [(1, 0, 5), (2, 0, 3), (-2, 1, 2), (-1, 1, 4), (0, 1, 5), (1, 1, 4), (2, 1, 2),
                    (-1, 2, 2), (0, 2, 3), (1, 2, 2)].map { ($0.0, $0.1, Float($0.2) / 32) }
        default:
            taps = [(1, 0, 7), (-1, 1, 3), (0, 1, 5), (1, 1, 1)].map { ($0.0, $0.1, Float($0.2) / 16) }
        }
        self.strength = Float(strength)
        self.width = width
        ring = taps.map(\.dy).max()! + 1
        error = [SIMD4<Float>](repeating: .zero, count: ring * (width + 4))
    }

    /// Diffuses over `count` whole rows, the first being image row `firstRow`:
    /// `pixel(p)` is the value of pixel p of the run (input scale 0...maxval) and
    /// whether it is visible (alpha above 0), `nearest(value)` maps a value (kept
    /// a pixel's: clampPixel) to its palette index, `emit(p, index)` writes pixel
    /// p, and `palette[i]` is colour i's value on the input scale.
    mutating func run(rows count: Int, firstRow: Int, maxval: Int, premultiplied: Bool, palette: [SIMD4<Float>],
                      pixel: (Int) -> (value: SIMD4<Float>, visible: Bool),
                      nearest: (SIMD4<Float>) -> Int, emit: (Int, Int) -> Void) {
        let w = width, stride = w + 4, top = Float(maxval)
        let taps = self.taps, strength = self.strength, ring = self.ring
        let snap = ErrorDiffusion.snap * top, snap2 = snap * snap
        error.withUnsafeMutableBufferPointer { error in
            for row in 0..<count {
                let y = firstRow + row
                let forward = y % 2 == 0, dir = forward ? 1 : -1
                let base = (y % ring) * stride
                for step in 0..<w {
                    let x = forward ? step : w - 1 - step
                    let p = row * w + x
                    let (original, visible) = pixel(p)
                    let nearestToOriginal = nearest(original)
                    guard visible else {
                        emit(p, nearestToOriginal)
                        continue
                    }
                    var index = nearestToOriginal, passed = original - palette[index]
                    if (passed * passed).sum() >= snap2 {
                        let value = clampPixel(original + strength * error[base + x + 2], top: top,
                                               premultiplied: premultiplied)
                        index = nearest(value)
                        passed = value - palette[index]
                    }
                    emit(p, index)
                    for tap in taps { error[((y + tap.dy) % ring) * stride + x + dir * tap.dx + 2] += passed * tap.weight }
                }
                // This row's slot becomes row y + ring's.
                for i in base..<base + stride { error[i] = .zero }
            }
        }
    }
}

/// Knoll's pattern dithering for an arbitrary palette. For a colour c it builds
/// 16 candidates: each the palette colour nearest to c plus the error of
/// those chosen so far (times the strength), so that their mean tracks c; the
/// candidates, sorted by luminance, are indexed by the 4 x 4 Bayer threshold of
/// the pixel's position. Each pixel depends only on its own value and position.
struct PatternDither {
    /// Candidates a colour: one for each threshold of the 4 x 4 Bayer matrix.
    static let size = 16
    /// Rank of each palette colour by luminance (Rec. 601 weights; with alphas,
    /// premultiplied: times the alpha), ties by index.
    let rank: [Int32]
    /// The share of the candidates' error added when choosing the next one: the
    /// dither's strength, 0 (every candidate the nearest colour) to 1.
    let strength: Float
    /// The 4 x 4 Bayer matrix (0...15), built by doubling [[0]] twice:
    /// M' = [[4M, 4M + 2], [4M + 3, 4M + 1]].
    static let bayer: [Int] = {
        var m = [0], size = 1
        for _ in 0..<2 {
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
        return m
    }()

    init(_ palette: Palette, strength: Double) {
        let luma = palette.colors.indices.map { i in
            let c = palette.colors[i]
            return (299 * Int(c.red) + 587 * Int(c.green) + 114 * Int(c.blue)) * Int(palette.alphas?[i] ?? 1)
        }
        var rank = [Int32](repeating: 0, count: palette.count)
        for (r, i) in palette.colors.indices.sorted(by: { (luma[$0], $0) < (luma[$1], $1) }).enumerated() {
            rank[i] = Int32(r)
        }
        self.rank = rank
        self.strength = Float(strength)
    }

    /// Which of the 16 candidates (0...15) the pixel at (row, column) takes.
    @inline(__always) static func slot(row: Int, column: Int) -> Int {
        bayer[(row & 3) * 4 + (column & 3)]
    }

    /// The 16 candidates of the value `c` (RGB or premultiplied, on the input
    /// scale 0...top), sorted by luminance; `nearest` maps a value kept a
    /// pixel's (clampPixel) to its palette index, `palette[i]` is colour i's value.
    func candidates(_ c: SIMD4<Float>, top: Float, premultiplied: Bool, palette: [SIMD4<Float>],
                    nearest: (SIMD4<Float>) -> Int) -> SIMD16<UInt16> {
        var error = SIMD4<Float>(repeating: 0), out = SIMD16<UInt16>()
        for i in 0..<PatternDither.size {
            let k = nearest(clampPixel(c + strength * error, top: top, premultiplied: premultiplied))
            error += c - palette[k]
            // Insertion by luminance rank keeps the list sorted as it grows.
            var j = i
            while j > 0 && rank[Int(out[j - 1])] > rank[k] {
                out[j] = out[j - 1]
                j -= 1
            }
            out[j] = UInt16(k)
        }
        return out
    }
}

/// `v` as a pixel's value can be on the scale 0...top: each sample in 0...top,
/// and for a premultiplied point each colour sample at most its alpha.
@inline(__always) func clampPixel(_ v: SIMD4<Float>, top: Float, premultiplied: Bool) -> SIMD4<Float> {
    let t = v.clamped(lowerBound: .zero, upperBound: SIMD4(repeating: top))
    return premultiplied ? pointwiseMin(t, SIMD4(t.w, t.w, t.w, top)) : t
}
