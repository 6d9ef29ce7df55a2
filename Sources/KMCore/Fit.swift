/// A palette fitted to a histogram.
public struct PaletteFit: Sendable {
    /// The colours, ordered by how many pixels each takes, most first.
    public var palette: Palette
    /// J of `palette` itself (rounded colours, nearest assignment) on the histogram.
    public var cost: Double
    /// The best k-means run, or nil when the histogram had no more than K colours.
    public var best: KMeansRun?
    /// Distinct colours in the histogram.
    public var distinctColors: Int
}

/// The K-colour palette for `histogram` on the scale 0...`maxval`: k-means with
/// restarts, the best run by cost rounded to `maxval`. When the histogram has
/// no more than K colours, the palette is those colours.
public func fitPalette(_ histogram: Histogram, options: KMeansOptions, maxval: Int = 255,
                       report: (KMeansRun) -> Void = { _ in }) -> PaletteFit {
    let distinct = histogram.colorCount
    var best: KMeansRun?
    var palette: Palette
    if distinct <= options.k {
        var seen = Set<Color>()
        let colors = histogram.entries().colors
            .map { $0.rescaled(from: histogram.maxval, to: maxval) }
            .filter { seen.insert($0).inserted }
        palette = Palette(colors: colors, maxval: maxval)
    } else {
        best = kmeans(WeightedPoints(histogram), options: options, report: report)
        palette = Palette(unitPoints: best!.centers, maxval: maxval)
    }
    palette = palette.sortedByUse(in: histogram)
    return PaletteFit(palette: palette, cost: cost(of: palette, on: histogram),
                      best: best, distinctColors: distinct)
}

/// J of `palette` on the pixels counted in `histogram`.
public func cost(of palette: Palette, on histogram: Histogram) -> Double {
    let nearest = UnitNearest(palette)
    let (colors, counts) = histogram.entries()
    var sum = 0.0
    for (c, n) in zip(colors, counts) {
        let p = c.unit(maxval: histogram.maxval)
        sum += nearest.index(of: p).distance * Double(n)
    }
    return sum / Double(histogram.pixelCount)
}
