import KMCore

/// Calls `each` with the cost of `palette` on every image of `reader`, in order.
public func paletteCosts(_ reader: PNMReader, palette: Palette,
                         each: (PNMImage, CostSum) throws -> Void) throws {
    let nearest = NearestPoint(palette)
    var rgb: [UInt16] = []
    while let image = try reader.nextImage() {
        var total = CostSum()
        while image.rowsRead < image.height {
            try image.readRGB(rows: image.rowsPerRun, into: &rgb, opaqueOnly: true)
            total += rgb.withUnsafeBufferPointer { nearest.cost(rgb: $0, maxval: image.maxval) }
        }
        guard total.pixels > 0 else { throw KMError.noOpaquePixel(reader.name, image: image.number) }
        try each(image, total)
    }
}

/// Calls `each` with the cost between every image of `reader` and the image at
/// the same place in `reference`; sizes must agree and the streams must be as long.
public func differences(_ reader: PNMReader, reference: PNMReader,
                        each: (PNMImage, CostSum) throws -> Void) throws {
    var a: [UInt16] = [], b: [UInt16] = []
    while let image = try reader.nextImage() {
        guard let original = try reference.nextImage() else {
            throw KMError.moreImagesThanReference(input: reader.name, reference: reference.name)
        }
        guard original.width == image.width && original.height == image.height else {
            throw KMError.sizeMismatch(image: image.number, width: image.width, height: image.height,
                                          referenceWidth: original.width, referenceHeight: original.height)
        }
        var total = CostSum()
        while image.rowsRead < image.height {
            let rows = image.rowsPerRun
            try image.readRGB(rows: rows, into: &a)
            try original.readRGB(rows: rows, into: &b)
            total += a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    difference(rgb: a, maxval: image.maxval, rgb: b, maxval: original.maxval)
                }
            }
        }
        try each(image, total)
    }
    if try reference.nextImage() != nil {
        throw KMError.referenceHasMoreImages(reference: reference.name, input: reader.name)
    }
}
