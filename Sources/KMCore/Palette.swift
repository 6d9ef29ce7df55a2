/// The colours an image is reduced to, on the scale 0...maxval. As a file it is
/// a netpbm colormap: a PPM whose pixels, in row order, are the colours, or
/// with `alphas` a PAM RGB_ALPHA.
public struct Palette: Equatable, Sendable {
    public var colors: [Color]
    /// The scale of the colours (1...65535).
    public var maxval: Int
    /// Each colour's opacity on 0...maxval (maxval: opaque), or nil for an
    /// opaque palette. Mapping to a palette with alphas compares premultiplied
    /// colours (NearestColor).
    public var alphas: [UInt16]?

    public init(colors: [Color], maxval: Int, alphas: [UInt16]? = nil) {
        precondition(alphas == nil || alphas!.count == colors.count)
        self.colors = colors
        self.maxval = maxval
        self.alphas = alphas
    }

    public var count: Int { colors.count }

    /// Colour `i` with its opacity (maxval when the palette has no alphas).
    public func rgba(_ i: Int) -> RGBA {
        RGBA(colors[i], alpha: alphas?[i] ?? UInt16(maxval))
    }

    /// How many different colours it holds: `count` less the repeats (a
    /// palette padded by `padded(to:)` counts each colour once). With alphas,
    /// a colour at two opacities counts twice.
    public var distinctCount: Int { firstIndices.count }

    /// The index of each colour where it first occurs, in palette order: all a
    /// nearest-colour search needs, since a repeat is exactly as near as its
    /// first occurrence and ties go to the lower index.
    public var firstIndices: [Int] {
        var seen = Set<RGBA>()
        return colors.indices.filter { seen.insert(rgba($0)).inserted }
    }

    /// The palette followed by repeats of its first colour, `count` colours in
    /// all (count >= self.count), for tools that take palettes of one size
    /// (ffmpeg's paletteuse: 256). No pixel's nearest colour changes.
    public func padded(to count: Int) -> Palette {
        precondition(count >= colors.count && !colors.isEmpty)
        let extra = count - colors.count
        return Palette(colors: colors + Array(repeating: colors[0], count: extra), maxval: maxval,
                       alphas: alphas.map { $0 + Array(repeating: $0[0], count: extra) })
    }

    /// The palette on the scale 0...`maxval`, each colour once (the first of
    /// those that are equal there), opaque (alphas dropped).
    public func distinct(at maxval: Int) -> Palette {
        var seen = Set<Color>()
        let colors = self.colors.map { $0.rescaled(from: self.maxval, to: maxval) }.filter { seen.insert($0).inserted }
        return Palette(colors: colors, maxval: maxval)
    }

    /// The colours with their opacities on the scale 0...`maxval`, each once
    /// (the first of those that are equal there; every fully transparent colour
    /// is the same, as their premultiplied points are).
    public func distinctRGBA(at maxval: Int) -> [RGBA] {
        var seen = Set<RGBA>()
        return colors.indices.map { rgba($0).rescaled(from: self.maxval, to: maxval) }
            .filter { seen.insert($0.alpha == 0 ? .transparent : $0).inserted }
    }

    /// The colours as points of the unit cube (each channel sample / maxval).
    public var unitColors: [SIMD3<Double>] {
        colors.map { $0.unit(maxval: maxval) }
    }

    /// The palette whose colours are `points` (unit cube) rounded to 0...maxval.
    public init(unitPoints points: [SIMD3<Double>], maxval: Int) {
        self.init(colors: points.map { Color(unit: $0, maxval: maxval) }, maxval: maxval)
    }

    /// Writes the colour of each index of `indices` to `out` (3 samples each,
    /// or 4 with the opacity when the palette has alphas, on the palette's
    /// scale). Returns the position of the first index past the palette (then
    /// `out` is written up to it), or nil.
    public func colors(of indices: [UInt16], into out: inout [UInt16]) -> Int? {
        precondition(out.count >= (alphas == nil ? 3 : 4) * indices.count)
        let d = alphas == nil ? 3 : 4
        for (p, index) in indices.enumerated() {
            guard Int(index) < colors.count else { return p }
            let c = colors[Int(index)]
            out[d * p] = c.red; out[d * p + 1] = c.green; out[d * p + 2] = c.blue
            if let alphas { out[d * p + 3] = alphas[Int(index)] }
        }
        return nil
    }

    /// How many of `histogram`'s pixels have each colour as their nearest:
    /// by squared distance in the unit cube, or, for a histogram with alpha,
    /// by premultiplied distance (NearestColor); ties to the lower index.
    public func pixelCounts(in histogram: Histogram) -> [UInt64] {
        var counts = [UInt64](repeating: 0, count: count)
        if histogram.hasAlpha {
            let search = NearestColor(self).search(maxval: histogram.maxval)
            let (colors, n) = histogram.colorsWithAlpha()
            for (c, k) in zip(colors, n) { counts[search.index(c).index] += k }
            return counts
        }
        let nearest = NearestPoint(self)
        let (colors, n) = histogram.entries()
        for (c, k) in zip(colors, n) {
            counts[nearest.index(of: c.unit(maxval: histogram.maxval)).index] += k
        }
        return counts
    }
}
