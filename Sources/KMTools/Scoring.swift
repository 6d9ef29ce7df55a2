import KMCore

/// Calls `each` with the tally of `palette` on every image of `reader`, in
/// order: each opaque pixel against its nearest palette colour in `space`.
public func paletteCosts(_ reader: PNMReader, palette: Palette, space: ColorSpace,
                         each: (PNMImage, ErrorTally) throws -> Void) throws {
    let scorer = PaletteScorer(palette, space: space)
    var rgb: [UInt16] = []
    while let image = try reader.nextImage() {
        var histogram = Histogram(maxval: image.maxval)
        while image.rowsRead < image.height {
            try image.readRGB(rows: image.rowsPerRun, into: &rgb, opaqueOnly: true)
            histogram.add(rgb: rgb, maxval: image.maxval)
        }
        guard histogram.pixelCount > 0 else { throw KMError.noOpaquePixel(reader.name, image: image.number) }
        try each(image, scorer.score(histogram))
    }
}

/// Calls `each` with the score of every image of `reader` against the image
/// at the same place in `reference`, pixel by pixel, distances in `space`;
/// sizes must agree and the streams must be as long. When either image has
/// alpha, the score is of premultiplied colours (`Score.alpha`; an image
/// without alpha is opaque), and `space` must be rgb (`Unsupported.images`,
/// checked as each image is read).
public func differences(_ reader: PNMReader, reference: PNMReader, space: ColorSpace,
                        each: (PNMImage, Score) throws -> Void) throws {
    var a: [UInt16] = [], b: [UInt16] = []
    while let image = try reader.nextImage() {
        guard let original = try reference.nextImage() else {
            throw KMError.moreImagesThanReference(input: reader.name, reference: reference.name)
        }
        guard original.width == image.width && original.height == image.height else {
            throw KMError.sizeMismatch(image: image.number, width: image.width, height: image.height,
                                          referenceWidth: original.width, referenceHeight: original.height)
        }
        if image.hasAlpha || original.hasAlpha {
            try Unsupported.images(image.number, haveAlpha: true, space: space)
            var sum = 0.0
            while image.rowsRead < image.height {
                let rows = image.rowsPerRun
                try image.readSamples(rows: rows, into: &a)
                try original.readSamples(rows: rows, into: &b)
                sum += premultipliedDistances(a, image.format, b, original.format)
            }
            try each(image, Score(alphaCost: sum / Double(image.pixelCount), colors: nil))
            continue
        }
        var pairs = PairHistogram(maxval: image.maxval, referenceMaxval: original.maxval)
        while image.rowsRead < image.height {
            let rows = image.rowsPerRun
            try image.readRGB(rows: rows, into: &a)
            try original.readRGB(rows: rows, into: &b)
            pairs.add(rgb: a, reference: b)
        }
        try each(image, Score(pairs.score(space: space), colors: nil))
    }
    if try reference.nextImage() != nil {
        throw KMError.referenceHasMoreImages(reference: reference.name, input: reader.name)
    }
}

/// Calls `each` with J of `palette`, which has alphas, on every image of
/// `reader`, in order: each pixel against its nearest colour by premultiplied
/// distance (NearestColor, on the image's scale), J in the premultiplied unit
/// cube (0...4).
public func alphaPaletteCosts(_ reader: PNMReader, palette: Palette,
                              each: (PNMImage, Double) throws -> Void) throws {
    let nearest = NearestColor(palette)
    var samples: [UInt16] = []
    while let image = try reader.nextImage() {
        let search = nearest.search(maxval: image.maxval)
        var histogram = Histogram(maxval: image.maxval, alpha: true)
        while image.rowsRead < image.height {
            try image.readSamples(rows: image.rowsPerRun, into: &samples)
            histogram.add(samples, format: image.format)
        }
        let (colors, counts) = histogram.colorsWithAlpha()
        var sum = 0.0
        for (c, n) in zip(colors, counts) {
            sum += search.index(c).distance * Double(n)
        }
        try each(image, sum / Double(histogram.pixelCount))
    }
}

/// The sum over pixels of the squared distance between the premultiplied
/// colours (RGBA.premultiplied) of two runs of as many pixels, each stored as
/// its format says (grey replicated; without alpha, opaque).
func premultipliedDistances(_ a: [UInt16], _ formatA: PixelFormat, _ b: [UInt16], _ formatB: PixelFormat) -> Double {
    func color(_ s: [UInt16], _ f: PixelFormat, _ p: Int) -> SIMD4<Double> {
        let i = p * f.depth, c = f.isGray ? 1 : 3
        return RGBA(Color(red: s[i], green: s[i + c / 2], blue: s[i + c - 1]),
                    alpha: f.hasAlpha ? s[i + f.depth - 1] : UInt16(f.maxval)).premultiplied(maxval: f.maxval)
    }
    var sum = 0.0
    for p in 0..<a.count / formatA.depth {
        let d = color(a, formatA, p) - color(b, formatB, p)
        sum += (d * d).sum()
    }
    return sum
}
