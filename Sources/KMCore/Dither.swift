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
/// error bounded where the palette cannot reach a colour. A fully transparent
/// pixel neither receives nor passes on error (as kmfit leaves it out): it takes
/// its own nearest colour, and the error that reached it is dropped.
struct ErrorDiffusion {
    /// (columns ahead, rows down, weight) of each share of the error.
    let taps: [(dx: Int, dy: Int, weight: Float)]
    let strength: Float
    let width: Int
    /// Error received, 3 floats a pixel, for the next `ring` rows (indexed by row
    /// number modulo `ring`), with 2 columns of padding each side.
    private var error: [Float]
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
        error = [Float](repeating: 0, count: ring * 3 * (width + 4))
    }

    /// Diffuses over `count` whole rows, the first being image row `firstRow`:
    /// `pixel(p)` is the colour of pixel p of the run (input scale) and whether
    /// it is visible (alpha above 0), `choose(p, r, g, b)` maps a value to a palette
    /// index and writes pixel p, and `palette[i]` is colour i on the input scale.
    mutating func run(rows count: Int, firstRow: Int, maxval: Int, palette: [SIMD3<Float>],
                      pixel: (Int) -> (color: SIMD3<Float>, visible: Bool),
                      choose: (Int, UInt16, UInt16, UInt16) -> Int) {
        let w = width, stride = 3 * (w + 4), top = Float(maxval)
        let taps = self.taps, strength = self.strength, ring = self.ring
        error.withUnsafeMutableBufferPointer { error in
            for row in 0..<count {
                let y = firstRow + row
                let forward = y % 2 == 0, dir = forward ? 1 : -1
                let base = (y % ring) * stride
                for step in 0..<w {
                    let x = forward ? step : w - 1 - step
                    let p = row * w + x
                    let (original, visible) = pixel(p)
                    let at = base + 3 * (x + 2)
                    var value = original
                    if visible {
                        value += strength * SIMD3(error[at], error[at + 1], error[at + 2])
                        value.clamp(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: top))
                    }
                    let rounded = value.rounded(.toNearestOrAwayFromZero)
                    let index = choose(p, UInt16(rounded.x), UInt16(rounded.y), UInt16(rounded.z))
                    guard visible else { continue }
                    let passed = value - palette[index]
                    for tap in taps {
                        let cell = ((y + tap.dy) % ring) * stride + 3 * (x + dir * tap.dx + 2)
                        error[cell] += passed.x * tap.weight
                        error[cell + 1] += passed.y * tap.weight
                        error[cell + 2] += passed.z * tap.weight
                    }
                }
                // This row's slot becomes row y + ring's.
                for i in base..<base + stride { error[i] = 0 }
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
    /// Rank of each palette colour by luminance (Rec. 601 weights), ties by index.
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
        let luma = palette.colors.map { 299 * Int($0.red) + 587 * Int($0.green) + 114 * Int($0.blue) }
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

    /// The 16 candidates of `c` (input scale 0...maxval), sorted by luminance,
    /// written to `out`.
    func candidates(_ c: SIMD3<Float>, maxval: Int, palette: [SIMD3<Float>],
                    nearest: (UInt16, UInt16, UInt16) -> Int, into out: UnsafeMutableBufferPointer<UInt16>) {
        var error = SIMD3<Float>(repeating: 0)
        let top = SIMD3(repeating: Float(maxval))
        for i in 0..<PatternDither.size {
            var t = c + strength * error
            t.clamp(lowerBound: SIMD3(repeating: 0), upperBound: top)
            let r = t.rounded(.toNearestOrAwayFromZero)
            let k = nearest(UInt16(r.x), UInt16(r.y), UInt16(r.z))
            error += c - palette[k]
            // Insertion by luminance rank keeps the list sorted as it grows.
            var j = i
            while j > 0 && rank[Int(out[j - 1])] > rank[k] {
                out[j] = out[j - 1]
                j -= 1
            }
            out[j] = UInt16(k)
        }
    }
}
