import KMCore

/// Maps every image of `reader` to palette colours and writes each as it goes
/// (flushed after each image): a PPM with the palette's maxval, a PAM
/// RGB_ALPHA when the input or the palette has alpha, or with `indices` a PGM
/// of palette indices (maxval colours - 1, at least 1; alpha dropped). `first` sees the
/// first image before it is mapped (kmmap checks it against the palette).
/// The nearest colour is the nearest in `space`. A palette with alpha maps by
/// premultiplied distance (RGB_ALPHA out), and dithers premultiplied colours;
/// with it, `space` must be rgb (`Unsupported.palette`, which the tools check
/// first; here the palette is named "the palette").
public func mapStream(_ reader: PNMReader, palette: Palette, to output: Output, space: ColorSpace = .rgb,
                      dither: Dither = .none, indices: Bool = false, threads: Int,
                      first: (PNMImage) -> Void = { _ in }) throws {
    if palette.alphas != nil {
        try Unsupported.palette(palette, name: "the palette", space: space)
    }
    var mapper = Mapper(NearestColor(palette, space: space), dither: dither, indices: indices)
    let writer = PNMWriter(output)
    var images = 0
    while let image = try reader.nextImage() {
        images += 1
        if images == 1 { first(image) }
        mapper.beginImage(format: image.format, width: image.width)
        let outMaxval = indices ? max(palette.count - 1, 1) : palette.maxval
        if indices {
            try writer.beginImage(width: image.width, height: image.height, depth: 1, maxval: outMaxval,
                                  tupleType: "GRAYSCALE")
        } else if image.hasAlpha || palette.alphas != nil {
            try writer.beginImage(width: image.width, height: image.height, depth: 4, maxval: outMaxval,
                                  tupleType: "RGB_ALPHA")
        } else {
            try writer.beginImage(width: image.width, height: image.height, maxval: outMaxval)
        }
        let rows = image.rowsPerRun
        if image.maxval <= 255 && outMaxval <= 255 {
            try mapRuns(of: image, rows: rows, outputDepth: mapper.outputDepth,
                        read: { try image.readBytes(rows: rows, into: &$0) },
                        map: { mapper.map8($0, firstRow: $1, into: &$2, threads: threads) },
                        write: { try writer.write(bytes: $0) })
        } else {
            try mapRuns(of: image, rows: rows, outputDepth: mapper.outputDepth,
                        read: { try image.readSamples(rows: rows, into: &$0) },
                        map: { mapper.map16($0, firstRow: $1, into: &$2, threads: threads) },
                        write: { try writer.write($0) })
        }
        try output.flush()
    }
    if images == 0 { throw KMError.noImage(reader.name) }
}

/// The rest of `image`, a run of rows at a time: `read` fills the input
/// samples and returns the rows read, `map` turns them (with the first row's
/// number) into `outputDepth` samples a pixel, `write` writes those. Sample is
/// UInt8 for the bulk 8-bit path, UInt16 otherwise.
private func mapRuns<Sample: FixedWidthInteger>(
    of image: PNMImage, rows: Int, outputDepth: Int,
    read: (inout [Sample]) throws -> Int,
    map: ([Sample], Int, inout [Sample]) -> Void,
    write: ([Sample]) throws -> Void
) throws {
    var src: [Sample] = [], dst: [Sample] = []
    while image.rowsRead < image.height {
        let first = image.rowsRead
        let count = try read(&src) * image.width * outputDepth
        if dst.count != count { dst = [Sample](repeating: 0, count: count) }
        map(src, first, &dst)
        try write(dst)
    }
}

/// Turns every image of `reader`, a PGM of palette indices, back into the
/// palette's colours (a PPM with the palette's maxval, or a PAM RGB_ALPHA when
/// the palette has alphas), as it goes.
public func colorsFromIndices(_ reader: PNMReader, palette: Palette, to output: Output) throws {
    let writer = PNMWriter(output)
    var src: [UInt16] = [], dst: [UInt16] = []
    var images = 0
    while let image = try reader.nextImage() {
        images += 1
        guard image.depth == 1 else {
            throw KMError.indicesNotGrey(image: image.number, depth: image.depth)
        }
        let depth = palette.alphas == nil ? 3 : 4
        try writer.beginImage(width: image.width, height: image.height, depth: depth, maxval: palette.maxval,
                              tupleType: depth == 3 ? "RGB" : "RGB_ALPHA")
        while image.rowsRead < image.height {
            let first = image.rowsRead
            try image.readSamples(rows: image.rowsPerRun, into: &src)
            if dst.count != depth * src.count { dst = [UInt16](repeating: 0, count: depth * src.count) }
            let bad = palette.colors(of: src, into: &dst)
            if let p = bad {
                throw KMError.indexPastPalette(image: image.number, row: first + p / image.width + 1,
                                               index: Int(src[p]), colors: palette.count)
            }
            try writer.write(dst)
        }
        try output.flush()
    }
    if images == 0 { throw KMError.noImage(reader.name) }
}
