import KMCore

/// Rows to read at a time so that a run holds about a million samples.
func rowsPerRun(_ image: PNMImage) -> Int {
    max(1, (1 << 20) / max(image.width * 3, 1))
}

/// Every image of `reader` counted into one histogram, each run of rows split
/// over `threads` partial histograms merged at the end.
public func histogram(of reader: PNMReader, threads: Int = 1) throws -> Histogram {
    var parts: [Histogram] = []
    var rgb: [UInt16] = []
    while let image = try reader.nextImage() {
        if parts.isEmpty { parts = Array(repeating: Histogram(maxval: image.maxval), count: max(threads, 1)) }
        while image.rowsRead < image.height {
            try image.readRGB(rows: rowsPerRun(image), into: &rgb, opaqueOnly: true)
            let pixels = rgb.count / 3, share = (pixels + parts.count - 1) / parts.count
            rgb.withUnsafeBufferPointer { all in
                parts.withUnsafeMutableBufferPointer { parts in
                    let parts = parts
                    Parallel.forEach(parts.count, threads: parts.count) { t in
                        let range = min(t * share, pixels)..<min((t + 1) * share, pixels)
                        let piece = UnsafeBufferPointer(rebasing: all[3 * range.lowerBound..<3 * range.upperBound])
                        parts[t].add(rgb: piece, maxval: image.maxval)
                    }
                }
            }
        }
    }
    guard var histogram = parts.first else { throw NetpbmError.noImage(reader.name) }
    for part in parts.dropFirst() { histogram.merge(part) }
    guard histogram.pixelCount > 0 else { throw ToolError.noOpaquePixel(reader.name) }
    return histogram
}

/// A palette read from any netpbm image: its pixels in row order are the colours.
/// Failures are a ToolError whose message starts with `role` (the option or
/// argument that named the file), e.g. "palette: pal.ppm: ...".
public func readPalette(path: String, role: String = "palette") throws -> Palette {
    do {
        return try readPalette(from: PNMReader(path: path))
    } catch {
        throw ToolError("\(role): \(error)")
    }
}

/// A palette read from the first image of `reader`.
public func readPalette(from reader: PNMReader) throws -> Palette {
    let path = reader.name
    guard let image = try reader.nextImage() else { throw NetpbmError.noImage(path) }
    let limit = 65536
    guard image.pixelCount <= limit else {
        throw ToolError("\(path) has \(image.pixelCount) colours; at most \(limit) are supported")
    }
    var rgb: [UInt16] = []
    try image.readRGB(rows: image.height, into: &rgb)
    var colors: [Color] = []
    colors.reserveCapacity(image.pixelCount)
    for p in 0..<image.pixelCount {
        colors.append(Color(red: rgb[3 * p], green: rgb[3 * p + 1], blue: rgb[3 * p + 2]))
    }
    return Palette(colors: colors, maxval: image.maxval)
}

/// Maps every image of `reader` to palette colours and writes each as it goes
/// (flushed after each image): a PPM with the palette's maxval, a PAM
/// RGB_ALPHA when the input has alpha, or with `indices` a PGM of palette
/// indices (maxval colours - 1, at least 1; alpha dropped).
public func mapStream(_ reader: PNMReader, palette: Palette, to output: Output, dither: Dither = .none,
                      indices: Bool = false, threads: Int) throws {
    let nearest = NearestColor(palette)
    let writer = PNMWriter(output)
    var images = 0
    while let image = try reader.nextImage() {
        images += 1
        let format = PixelFormat(depth: image.depth, isGray: image.layout != .rgb, hasAlpha: image.hasAlpha,
                                 maxval: image.maxval)
        var mapper = Mapper(nearest, format: format, width: image.width, dither: dither, indices: indices)
        let outMaxval = indices ? max(palette.count - 1, 1) : palette.maxval
        if indices {
            try writer.beginImage(width: image.width, height: image.height, depth: 1, maxval: outMaxval,
                                  tupleType: "GRAYSCALE")
        } else if image.hasAlpha {
            try writer.beginImage(width: image.width, height: image.height, depth: 4, maxval: outMaxval,
                                  tupleType: "RGB_ALPHA")
        } else {
            try writer.beginImage(width: image.width, height: image.height, maxval: outMaxval)
        }
        let rows = max(1, (1 << 20) / max(image.width * image.depth, 1))
        if image.maxval <= 255 && outMaxval <= 255 {
            try mapRuns(of: image, rows: rows, outputDepth: mapper.outputDepth,
                        read: { try image.readBytes(rows: rows, into: &$0) },
                        map: { mapper.map8($0, firstRow: $1, into: $2, threads: threads) },
                        write: { try writer.write(bytes: $0) })
        } else {
            try mapRuns(of: image, rows: rows, outputDepth: mapper.outputDepth,
                        read: { try image.readSamples(rows: rows, into: &$0) },
                        map: { mapper.map16($0, firstRow: $1, into: $2, threads: threads) },
                        write: { try writer.write($0) })
        }
        try output.flush()
    }
    if images == 0 { throw NetpbmError.noImage(reader.name) }
}

/// The rest of `image`, a run of rows at a time: `read` fills the input
/// samples and returns the rows read, `map` turns them (with the first row's
/// number) into `outputDepth` samples a pixel, `write` writes those. Sample is
/// UInt8 for the bulk 8-bit path, UInt16 otherwise.
private func mapRuns<Sample: FixedWidthInteger>(
    of image: PNMImage, rows: Int, outputDepth: Int,
    read: (inout [Sample]) throws -> Int,
    map: (UnsafeBufferPointer<Sample>, Int, UnsafeMutableBufferPointer<Sample>) -> Void,
    write: (UnsafeBufferPointer<Sample>) throws -> Void
) throws {
    var src: [Sample] = [], dst: [Sample] = []
    while image.rowsRead < image.height {
        let first = image.rowsRead
        let count = try read(&src) * image.width * outputDepth
        if dst.count != count { dst = [Sample](repeating: 0, count: count) }
        src.withUnsafeBufferPointer { s in dst.withUnsafeMutableBufferPointer { map(s, first, $0) } }
        try dst.withUnsafeBufferPointer(write)
    }
}

/// Turns every image of `reader`, a PGM of palette indices, back into the
/// palette's colours (a PPM with the palette's maxval), as it goes.
public func colorsFromIndices(_ reader: PNMReader, palette: Palette, to output: Output) throws {
    let writer = PNMWriter(output)
    var src: [UInt16] = [], dst: [UInt16] = []
    var images = 0
    while let image = try reader.nextImage() {
        images += 1
        guard image.depth == 1 else {
            throw ToolError("image \(image.number) has \(image.depth) samples a pixel; indices come one a pixel (a PGM)")
        }
        try writer.beginImage(width: image.width, height: image.height, maxval: palette.maxval)
        while image.rowsRead < image.height {
            let first = image.rowsRead
            try image.readSamples(rows: max(1, (1 << 20) / max(image.width, 1)), into: &src)
            if dst.count != 3 * src.count { dst = [UInt16](repeating: 0, count: 3 * src.count) }
            for (p, index) in src.enumerated() {
                guard Int(index) < palette.count else {
                    throw ToolError("image \(image.number), row \(first + p / image.width + 1): index \(index) "
                        + "is past the palette's \(palette.count) colours")
                }
                let c = palette.colors[Int(index)]
                dst[3 * p] = c.red; dst[3 * p + 1] = c.green; dst[3 * p + 2] = c.blue
            }
            try dst.withUnsafeBufferPointer { try writer.write($0) }
        }
        try output.flush()
    }
    if images == 0 { throw NetpbmError.noImage(reader.name) }
}

/// Calls `each` with the cost of `palette` on every image of `reader`, in order.
public func paletteCosts(_ reader: PNMReader, palette: Palette,
                         each: (PNMImage, CostSum) throws -> Void) throws {
    let nearest = UnitNearest(palette)
    var rgb: [UInt16] = []
    while let image = try reader.nextImage() {
        var total = CostSum()
        while image.rowsRead < image.height {
            try image.readRGB(rows: rowsPerRun(image), into: &rgb, opaqueOnly: true)
            total += rgb.withUnsafeBufferPointer { nearest.cost(rgb: $0, maxval: image.maxval) }
        }
        guard total.pixels > 0 else { throw ToolError.noOpaquePixel(reader.name, image: image.number) }
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
            throw ToolError("\(reader.name) has more images than the reference \(reference.name)")
        }
        guard original.width == image.width && original.height == image.height else {
            throw ToolError("image \(image.number) is \(image.width)x\(image.height) but the reference is "
                + "\(original.width)x\(original.height)")
        }
        var total = CostSum()
        while image.rowsRead < image.height {
            let rows = rowsPerRun(image)
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
        throw ToolError("the reference \(reference.name) has more images than \(reader.name)")
    }
}
