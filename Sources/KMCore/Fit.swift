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

/// The K-colour palette for `histogram` on the scale 0...`maxval`: k-means in
/// `space` with restarts, the best run's centres taken back to sRGB and rounded
/// to `maxval`. `options.start` is in `space`'s coordinates (ColorSpace.point).
///
/// `fixed` colours are in the palette as given (rescaled to `maxval`, each once)
/// and K counts them: k-means fits the other K - F around them and never moves
/// them (they replace `options.fixed`, as their coordinates in `space`).
///
/// When the histogram's colours other than the fixed ones number no more than
/// K - F, the palette is the fixed colours and those colours (shorter than K
/// when there are fewer).
public func fitPalette(_ histogram: Histogram, options: KMeansOptions, maxval: Int = 255,
                       space: ColorSpace = .rgb, fixed: Palette? = nil,
                       report: (KMeansRun) -> Void = { _ in }) -> PaletteFit {
    let distinct = histogram.colorCount
    let points = WeightedPoints(histogram, space: space)
    let fixedColors = fixed?.distinct(at: maxval).colors ?? []
    precondition(fixedColors.count <= options.k, "more fixed colours than K")
    var options = options
    options.fixed = fixedColors.map { space.point($0.unit(maxval: maxval)) }
    let fixedPoints = Set(fixedColors.map { $0.unit(maxval: maxval) })
    let others = histogram.entries().colors.filter { !fixedPoints.contains($0.unit(maxval: histogram.maxval)) }
    var best: KMeansRun?
    var palette: Palette
    if others.count <= options.k - fixedColors.count {
        palette = Palette(colors: fixedColors + others.map { $0.rescaled(from: histogram.maxval, to: maxval) },
                          maxval: maxval).distinct(at: maxval)
    } else {
        best = kmeans(points, options: options, report: report)
        let fitted = best!.centers.dropFirst(fixedColors.count).map { space.unitRGB(SIMD3($0.x, $0.y, $0.z)) }
        palette = Palette(colors: fixedColors + Palette(unitPoints: fitted, maxval: maxval).colors, maxval: maxval)
    }
    // Most used first, equal shares in colour order; the cost does not depend on the order.
    let (shares, cost) = points.nearestTotals(palette, space: space)
    let order = palette.colors.indices.sorted {
        shares[$0] != shares[$1] ? shares[$0] > shares[$1] : palette.colors[$0] < palette.colors[$1]
    }
    palette.colors = order.map { palette.colors[$0] }
    return PaletteFit(palette: palette, cost: cost, best: best, distinctColors: distinct)
}

/// The K-colour palette with opacity for `histogram`, on the scale 0...`maxval`:
/// the same k-means as fitPalette, on premultiplied points (ColorPoint: a
/// difference costs what it shows, so colours under alpha 0 cost nothing and
/// faint ones little), J being the weighted mean squared distance between them
/// (0 to 4). Only in RGB: a colour space's coordinates of a colour seen through
/// alpha are not a premultiplied mix.
///
/// `fixed` colours (on the scale 0...maxval; each once by premultiplied point,
/// so every fully transparent one is the same; at most K of them) are in the
/// palette as given and never move; K counts them. When the histogram has fully
/// transparent pixels, transparent black is one more fixed colour, so that
/// they stay exactly transparent, unless a fixed colour is already fully
/// transparent, the fixed colours fill K, or K is 1 (then the one colour is
/// fitted to every pixel). `start` gives the run's first centres, as
/// KMeansOptions.start does (which is unused). The palette is ordered by the
/// pixels each colour takes, most first.
public func fitAlphaPalette(_ histogram: AlphaHistogram, options: KMeansOptions, maxval: Int = 255,
                            fixed: [RGBA] = [], start: [RGBA]? = nil,
                            report: (KMeansRun) -> Void = { _ in }) -> PaletteFit {
    let (colors, _) = histogram.entries()
    let hm = histogram.maxval
    var fixedColors: [RGBA] = [], seen = Set<ColorPoint>()
    for c in fixed where seen.insert(c.point(maxval: maxval)).inserted { fixedColors.append(c) }
    precondition(fixedColors.count <= options.k, "more fixed colours than K")
    if colors.first == .transparent && !seen.contains(RGBA.transparent.point(maxval: maxval))
        && fixedColors.count < options.k && options.k > 1 {
        fixedColors.insert(.transparent, at: 0)
    }
    var options = options
    options.fixed = fixedColors.map { $0.point(maxval: maxval) }
    options.start = start?.map { $0.point(maxval: maxval) }
    let others = colors.filter { !options.fixed.contains($0.point(maxval: hm)) }
    var best: KMeansRun?
    var palette: [RGBA]
    if others.count <= options.k - fixedColors.count {
        palette = fixedColors
        for c in others.map({ $0.rescaled(from: hm, to: maxval) }) where !palette.contains(c) { palette.append(c) }
    } else {
        best = kmeans(WeightedPoints(histogram), options: options, report: report)
        palette = fixedColors + best!.centers.dropFirst(fixedColors.count).map { RGBA(point: $0, maxval: maxval) }
    }
    let fitted = Palette(colors: palette.map(\.color), maxval: maxval, alphas: palette.map(\.alpha))
    let nearest = AlphaNearest(fitted).search(maxval: hm)
    var shares = [UInt64](repeating: 0, count: palette.count), sum = 0.0
    let (_, counts) = histogram.entries()
    for (c, n) in zip(colors, counts) {
        let (j, d) = nearest.index(c)
        shares[j] += n
        sum += Double(n) * d
    }
    let order = palette.indices.sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : palette[$0] < palette[$1] }
    let sorted = order.map { palette[$0] }
    return PaletteFit(palette: Palette(colors: sorted.map(\.color), maxval: maxval, alphas: sorted.map(\.alpha)),
                      cost: sum / Double(histogram.pixelCount), best: best, distinctColors: colors.count)
}

extension WeightedPoints {
    /// For each palette colour, the weight of the points nearest to it in
    /// `space` (ties to the lower index), and J of the palette on the points.
    func nearestTotals(_ palette: Palette, space: ColorSpace) -> (shares: [Double], cost: Double) {
        let nearest = NearestPoint(palette, space: space)
        var shares = [Double](repeating: 0, count: palette.count)
        var sum = 0.0
        for i in 0..<count {
            let (j, d) = nearest.index(of: SIMD3(x[i], y[i], z[i]))
            shares[j] += weight[i]
            sum += weight[i] * d
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
