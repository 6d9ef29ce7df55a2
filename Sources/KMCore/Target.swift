/// One fit of `smallestPalette`'s search for a quality target.
public struct TargetStep: Sendable {
    /// Colours asked for (the palette holds fewer when the histogram has no more than this many).
    public var k: Int
    /// K of the fit this one was warm-started from; nil for the first fit (K = 1), started afresh.
    public var startK: Int?
    /// The fit: its palette, and J in the fit's space.
    public var fit: PaletteFit
    /// RGB PSNR in dB, `psnr(cost:)` of the RGB J of every pixel mapped to its
    /// nearest palette colour in the fit's space (kmmap's mapping without
    /// dithering, kmcost's psnr), or for a histogram with alpha of the
    /// premultiplied J (kmcost's psnr of an alpha palette); +inf when every
    /// pixel keeps its colour.
    public var psnr: Double
    /// Whether `psnr` is at or above the target.
    public var meets: Bool
}

/// The palette of the smallest K, F...`maxColors`, that the search below finds
/// to meet `minPSNR` (dB, RGB PSNR of the nearest-colour mapping in `space`;
/// with alpha, of the premultiplied mapping),
/// or when even `maxColors` does not (warm-started, nor afresh as kmfit -k
/// fits it), the better of those two fits (`meets` false).
///
/// `fixed` colours (F of them, at `maxval`, each once; none by default) are in
/// every fit, as `fitPalette` keeps them, so the search starts at K = F.
///
/// The search: K = max(F, 1), then doubled (the last one `maxColors`) until a fit
/// meets the target, each warm-started from the fit before (its rounded
/// palette as fitPalette's `start`: one Lloyd run, k-means++ adding the missing
/// colours); then a bisection between the last K that fell short and the first
/// that met it, each fit warm-started from the largest K that fell short; last,
/// K - 1 fitted afresh (`options(K - 1)` with no start: kmfit -k's fit), taken
/// while it meets the target. So the chosen K meets the target, and K - 1
/// (when K > F) does not, neither warm-started nor as kmfit -k would fit it.
/// There are at most floor(log2 maxColors) + 2 fits to bracket, about as many
/// to bisect and one or more afresh: 17 for `maxColors` = 256, against 256 for
/// every K. k-means fits at different K are not ordered, so another search
/// (another seed, `maxColors` or speed) may find a different K.
///
/// `options` gives the k-means options of a fit to K colours (restarts,
/// search, seed, threads); its `start` is replaced. `report` sees every fit, in order.
public func smallestPalette(_ histogram: Histogram, minPSNR: Double, maxColors: Int, maxval: Int = 255,
                            space: ColorSpace = .rgb, fixed: Palette? = nil, options: (Int) -> KMeansOptions,
                            report: (TargetStep) -> Void = { _ in }) -> TargetStep {
    let first = max((histogram.hasAlpha ? fixed?.distinctRGBA(at: maxval).count : fixed?.distinct(at: maxval).count) ?? 0, 1)
    precondition(maxColors >= first)
    func fit(_ k: Int, from start: TargetStep?) -> TargetStep {
        var o = options(k)
        o.k = k
        let fit = fitPalette(histogram, options: o, maxval: maxval, space: space, fixed: fixed, start: start?.fit.palette)
        let db = psnr(cost: PaletteScorer(fit.palette, space: space).rgbCost(histogram))
        let step = TargetStep(k: k, startK: start?.k, fit: fit, psnr: db, meets: db >= minPSNR)
        report(step)
        return step
    }
    // Bracket: double K until a fit meets the target.
    var short: TargetStep?
    var met = fit(first, from: nil)
    while !met.meets {
        guard met.k < maxColors else {
            // The most colours allowed, warm-started, fell short; as kmfit -k fits them they may not.
            guard met.startK != nil else { return met }
            let fresh = fit(maxColors, from: nil)
            guard fresh.meets else { return fresh.psnr > met.psnr ? fresh : met }
            met = fresh
            break
        }
        short = met
        met = fit(min(2 * met.k, maxColors), from: met)
    }
    // Bisect between the largest K that fell short and the smallest that met it.
    while let below = short, met.k - below.k > 1 {
        let step = fit((below.k + met.k) / 2, from: below)
        if step.meets { met = step } else { short = step }
    }
    // Fits at different K are not ordered: K - 1 fitted afresh, as kmfit -k fits it,
    // may meet the target where its warm-started fit fell short; then it is the smaller.
    while met.k - 1 > first {  // the first K was fitted afresh
        let fresh = fit(met.k - 1, from: nil)
        guard fresh.meets else { break }
        met = fresh
    }
    return met
}

extension PaletteScorer {
    /// J in the RGB unit cube (0...3) of every pixel of `histogram` against
    /// its nearest palette colour in the scorer's space, as kmmap maps it: the
    /// `rgbCost` of `score(histogram)`, without the ΔE00 (with alpha, its
    /// premultiplied J). 0 for no pixels.
    public func rgbCost(_ histogram: Histogram) -> Double {
        if histogram.hasAlpha { return score(histogram).rgbCost }
        let maxval = histogram.maxval
        let search = exact.search(maxval: maxval)
        let (colors, counts) = histogram.entries()
        var sum = 0.0
        for (c, n) in zip(colors, counts) {
            let d = c.unit(maxval: maxval) - unit[search.index(c.red, c.green, c.blue)]
            sum += (d * d).sum() * Double(n)
        }
        return histogram.pixelCount == 0 ? 0 : sum / Double(histogram.pixelCount)
    }
}
