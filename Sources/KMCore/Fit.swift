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
/// to `maxval`. `options.start` is in `space`'s coordinates.
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
    options.fixed = fixedColors.map { space.coordinates($0.unit(maxval: maxval)) }
    let fixedPoints = Set(fixedColors.map { $0.unit(maxval: maxval) })
    let others = histogram.entries().colors.filter { !fixedPoints.contains($0.unit(maxval: histogram.maxval)) }
    var best: KMeansRun?
    var palette: Palette
    if others.count <= options.k - fixedColors.count {
        palette = Palette(colors: fixedColors + others.map { $0.rescaled(from: histogram.maxval, to: maxval) },
                          maxval: maxval).distinct(at: maxval)
    } else {
        best = kmeans(points, options: options, report: report)
        let fitted = best!.centers.dropFirst(fixedColors.count).map { space.unitRGB($0) }
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

extension WeightedPoints {
    /// For each palette colour, the weight of the points nearest to it in
    /// `space` (ties to the lower index), and J of the palette on the points.
    func nearestTotals(_ palette: Palette, space: ColorSpace) -> (shares: [Double], cost: Double) {
        let nearest = NearestPoint(palette, space: space)
        var shares = [Double](repeating: 0, count: palette.count)
        var sum = 0.0
        for i in 0..<count {
            let (j, d) = nearest.index(of: point(i))
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
