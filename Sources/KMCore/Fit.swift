/// A palette fitted to a histogram.
public struct PaletteFit: Sendable {
    /// The colours, ordered by how many pixels each takes, most first.
    public var palette: Palette
    /// J of `palette` itself (rounded colours, nearest assignment) on the
    /// histogram, in the fit's space (its squared distance units).
    public var cost: Double
    /// The best k-means run (its centres the fixed ones first), or nil when the
    /// histogram had no more colours than K besides the fixed ones.
    public var best: KMeansRun?
    /// Distinct colours in the histogram.
    public var distinctColors: Int
}

/// The K-colour palette for `histogram` on the scale 0...`maxval`: k-means on
/// the colours' points (ColorPoint) with restarts, the best run's centres
/// taken back to colours and rounded to `maxval`. Opaque colours are fitted in
/// `space`; a histogram with alpha is fitted on premultiplied points (a
/// difference costs what it shows over black, so colours under alpha 0 cost
/// nothing and faint ones little; J is then 0...4), in RGB only: a colour
/// space's coordinates of a colour seen through alpha are not a premultiplied
/// mix.
///
/// `fixed` colours are in the palette as given (rescaled to `maxval`, each
/// once by point, so every fully transparent one is the same; opaque unless
/// the histogram has alpha) and K counts them: k-means fits the other K - F
/// around them and never moves them (they replace `options.fixed`). When a
/// histogram with alpha has fully transparent pixels, transparent black is one
/// more fixed colour, so that they stay exactly transparent, unless a fixed
/// colour is already fully transparent, the fixed colours fill K, or K is 1.
/// `start`, say an earlier frame's palette, gives the one run's first centres
/// as KMeansOptions.start does (it replaces `options.start`).
///
/// When the histogram's colours other than the fixed ones number no more than
/// K - F, the palette is the fixed colours and those colours (shorter than K
/// when there are fewer). The palette is ordered by the pixels each colour
/// takes, most first, equal shares in colour order.
public func fitPalette(_ histogram: Histogram, options: KMeansOptions, maxval: Int = 255,
                       space: ColorSpace = .rgb, fixed: Palette? = nil, start: Palette? = nil,
                       report: (KMeansRun) -> Void = { _ in }) -> PaletteFit {
    let alpha = histogram.hasAlpha
    precondition(!alpha || space == .rgb, "alpha is fitted in RGB")
    let points = WeightedPoints(histogram, space: space)
    /// Where a colour is the same as another: its premultiplied point, or for opaque colours its unit RGB.
    func identity(_ c: RGBA, _ m: Int) -> ColorPoint { alpha ? c.point(maxval: m) : ColorPoint(c.color.unit(maxval: m), 0) }
    func point(_ c: RGBA) -> ColorPoint { alpha ? c.point(maxval: maxval) : space.point(c.color.unit(maxval: maxval)) }
    let opaque = UInt16(maxval)
    var fixedColors: [RGBA] = []
    if let fixed {
        var seen = Set<ColorPoint>()
        let given = alpha ? fixed.distinctRGBA(at: maxval) : fixed.distinct(at: maxval).colors.map { RGBA($0, alpha: opaque) }
        for c in given where seen.insert(identity(c, maxval)).inserted { fixedColors.append(c) }
    }
    precondition(fixedColors.count <= options.k, "more fixed colours than K")
    if alpha && histogram.contains(.transparent) && !fixedColors.contains(where: { $0.alpha == 0 })
        && fixedColors.count < options.k && options.k > 1 {
        fixedColors.insert(.transparent, at: 0)
    }
    var options = options
    options.fixed = fixedColors.map(point)
    if let start {
        // Its colours as they are (not rounded to `maxval`), each once.
        var seen = Set<ColorPoint>()
        options.start = start.colors.indices.map { i in
            alpha ? start.rgba(i).point(maxval: start.maxval) : space.point(start.colors[i].unit(maxval: start.maxval))
        }.filter { seen.insert($0).inserted }
    }
    // The histogram's colours other than the fixed ones, when they may number no more than K - F.
    var others: [RGBA]? = nil
    if histogram.colorCount <= options.k {
        let fixedIdentities = Set(fixedColors.map { identity($0, maxval) })
        others = histogram.colorsWithAlpha().colors.filter { !fixedIdentities.contains(identity($0, histogram.maxval)) }
    }
    var best: KMeansRun?
    var palette = fixedColors
    if let others, others.count <= options.k - fixedColors.count {
        var seen = Set(palette)
        for c in others.map({ $0.rescaled(from: histogram.maxval, to: maxval) }) where seen.insert(c).inserted { palette.append(c) }
    } else {
        best = kmeans(points, options: options, report: report)
        palette += best!.centers.dropFirst(fixedColors.count).map { p in
            alpha ? RGBA(point: p, maxval: maxval)
                : RGBA(Color(unit: space.unitRGB(SIMD3(p.x, p.y, p.z)), maxval: maxval), alpha: opaque)
        }
        // Small palettes in RGB: the rounding nudged where that lowers J.
        if !alpha && space == .rgb && options.k <= Search.nudgeMaxK && options.search.nudgeSweeps > 0 {
            palette = nudged(palette.map(\.color), fixed: fixedColors.count, points: points, maxval: maxval,
                             sweeps: options.search.nudgeSweeps, threads: options.threads)
                .map { RGBA($0, alpha: opaque) }
        }
    }
    let fitted = Palette(colors: palette.map(\.color), maxval: maxval, alphas: alpha ? palette.map(\.alpha) : nil)
    let (shares, cost) = alpha ? histogram.nearestTotals(fitted)
        : points.nearestTotals(fitted, space: space, threads: options.threads)
    let order = palette.indices.sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : palette[$0] < palette[$1] }
    let sorted = order.map { palette[$0] }
    return PaletteFit(palette: Palette(colors: sorted.map(\.color), maxval: maxval, alphas: alpha ? sorted.map(\.alpha) : nil),
                      cost: cost, best: best, distinctColors: histogram.colorCount)
}

extension Histogram {
    /// For each colour of `palette`, which has alphas, the pixels nearest to
    /// it by premultiplied distance (NearestColor), and J of the palette.
    func nearestTotals(_ palette: Palette) -> (shares: [Double], cost: Double) {
        let nearest = NearestColor(palette).search(maxval: maxval)
        var shares = [Double](repeating: 0, count: palette.count), sum = 0.0
        let (colors, counts) = colorsWithAlpha()
        for (c, n) in zip(colors, counts) {
            let (j, d) = nearest.index(c)
            shares[j] += Double(n)
            sum += Double(n) * d
        }
        return (shares, sum / Double(pixelCount))
    }
}

extension WeightedPoints {
    /// For each palette colour, the weight of the points nearest to it in
    /// `space` (ties to the lower index), and J of the palette on the points.
    /// The searches run on up to `threads` threads, the sums in point order:
    /// the same result for any thread count.
    func nearestTotals(_ palette: Palette, space: ColorSpace, threads: Int = 1) -> (shares: [Double], cost: Double) {
        let nearest = NearestPoint(palette, space: space)
        let piece = 8192
        let found = Parallel.map((count + piece - 1) / piece, threads: threads) { c in
            (c * piece..<Swift.min(count, (c + 1) * piece)).map { i in nearest.index(of: SIMD3(x[i], y[i], z[i])) }
        }
        var shares = [Double](repeating: 0, count: palette.count)
        var sum = 0.0
        for (c, part) in found.enumerated() {
            for (t, (j, d)) in part.enumerated() {
                let i = c * piece + t
                shares[j] += weight[i]
                sum += weight[i] * d
            }
        }
        return (shares, sum / totalWeight)
    }
}

/// J of `palette` on the pixels counted in `histogram`, in `space` (for tests:
/// the fit computes it with the shares).
func cost(of palette: Palette, on histogram: Histogram, space: ColorSpace = .rgb) -> Double {
    let nearest = NearestPoint(palette, space: space)
    let (colors, counts) = histogram.entries()
    var sum = 0.0
    for (c, n) in zip(colors, counts) {
        let p = space.coordinates(c.unit(maxval: histogram.maxval))
        sum += nearest.index(of: p).distance * Double(n)
    }
    return sum / Double(histogram.pixelCount)
}
