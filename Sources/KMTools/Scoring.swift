import KMCore

/// Calls `each` with the tally of `palette` on every image of `reader`, in
/// order: each opaque pixel against its nearest palette colour in `space`;
/// with a palette with alphas, every pixel by premultiplied distance (space rgb).
public func paletteCosts(_ reader: PNMReader, palette: Palette, space: ColorSpace,
                         each: (PNMImage, ErrorTally) throws -> Void) throws {
    let scorer = PaletteScorer(palette, space: space)
    let alpha = palette.alphas != nil
    var samples: [UInt16] = []
    while let image = try reader.nextImage() {
        var histogram = Histogram(maxval: image.maxval, alpha: alpha)
        while image.rowsRead < image.height {
            if alpha {
                try image.readSamples(rows: image.rowsPerRun, into: &samples)
                histogram.add(samples, format: image.format)
            } else {
                try image.readRGB(rows: image.rowsPerRun, into: &samples, opaqueOnly: true)
                histogram.add(rgb: samples, maxval: image.maxval)
            }
        }
        guard histogram.pixelCount > 0 else { throw KMError.noOpaquePixel(reader.name, image: image.number) }
        try each(image, scorer.score(histogram))
    }
}

/// Calls `each` with the tally of every image of `reader` against the image
/// at the same place in `reference`, pixel by pixel, distances in `space`;
/// sizes must agree and the streams must be as long. When either image has
/// alpha, the tally is of premultiplied colours (an image without alpha is
/// opaque), and `space` must be rgb (`Unsupported.images`, checked as each
/// image is read).
public func differences(_ reader: PNMReader, reference: PNMReader, space: ColorSpace,
                        each: (PNMImage, ErrorTally) throws -> Void) throws {
    var a: [UInt16] = [], b: [UInt16] = []
    while let image = try reader.nextImage() {
        guard let original = try reference.nextImage() else {
            throw KMError.moreImagesThanReference(input: reader.name, reference: reference.name)
        }
        guard original.width == image.width && original.height == image.height else {
            throw KMError.sizeMismatch(image: image.number, width: image.width, height: image.height,
                                          referenceWidth: original.width, referenceHeight: original.height)
        }
        let alpha = image.hasAlpha || original.hasAlpha
        if alpha { try Unsupported.images(image.number, haveAlpha: true, space: space) }
        var pairs = PairHistogram(maxval: image.maxval, referenceMaxval: original.maxval, alpha: alpha)
        while image.rowsRead < image.height {
            let rows = image.rowsPerRun
            if alpha {
                try image.readSamples(rows: rows, into: &a)
                try original.readSamples(rows: rows, into: &b)
                pairs.add(a, format: image.format, reference: b, format: original.format)
            } else {
                try image.readRGB(rows: rows, into: &a)
                try original.readRGB(rows: rows, into: &b)
                pairs.add(rgb: a, reference: b)
            }
        }
        try each(image, pairs.score(space: space))
    }
    if try reference.nextImage() != nil {
        throw KMError.referenceHasMoreImages(reference: reference.name, input: reader.name)
    }
}
