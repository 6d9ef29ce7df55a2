import KMCore

/// A palette read from any netpbm image: its pixels in row order are the colours.
/// Failures are the stream's KMError under `role` (the option or argument that
/// named the file), shown as e.g. "palette: pal.ppm: ...".
public func readPalette(path: String, role: String = "palette") throws -> Palette {
    do {
        return try readPalette(from: PNMReader(path: path))
    } catch let error as KMError {
        throw KMError.role(role, error)
    }
}

/// A palette read from the first image of `reader`.
public func readPalette(from reader: PNMReader) throws -> Palette {
    let path = reader.name
    guard let image = try reader.nextImage() else { throw KMError.noImage(path) }
    let limit = 65536
    guard image.pixelCount <= limit else {
        throw KMError.tooManyColors(path, count: image.pixelCount, limit: limit)
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
