import KMCore

/// A palette read from any netpbm image: its pixels in row order are the
/// colours, with their opacities when the image has alpha (a PAM RGB_ALPHA
/// or GRAYSCALE_ALPHA).
/// Failures are the stream's KMError under `role` (the option or argument that
/// named the file), shown as e.g. "palette: pal.ppm: ...".
public func readPalette(path: String, role: String = "palette") throws -> Palette {
    try readPaletteImage(path: path, role: role).palette
}

/// A palette with the name and size of the image it was read from.
public struct PaletteImage {
    public var palette: Palette
    public var name: String
    public var width: Int
    public var height: Int
}

/// `readPalette(path:role:)`, keeping the image's name and size.
public func readPaletteImage(path: String, role: String = "palette") throws -> PaletteImage {
    do {
        return try readPaletteImage(from: PNMReader(path: path))
    } catch let error as KMError {
        throw KMError.role(role, error)
    }
}

/// A palette read from the first image of `reader`.
public func readPalette(from reader: PNMReader) throws -> Palette {
    try readPaletteImage(from: reader).palette
}

/// A palette read from the first image of `reader`, with its name and size.
public func readPaletteImage(from reader: PNMReader) throws -> PaletteImage {
    let path = reader.name
    guard let image = try reader.nextImage() else { throw KMError.noImage(path) }
    let limit = 65536
    guard image.pixelCount <= limit else {
        throw KMError.tooManyColors(path, count: image.pixelCount, limit: limit)
    }
    var samples: [UInt16] = []
    try image.readSamples(rows: image.height, into: &samples)
    let d = image.depth, color = image.format.isGray ? 1 : 3
    var colors: [Color] = []
    colors.reserveCapacity(image.pixelCount)
    for p in 0..<image.pixelCount {
        colors.append(Color(red: samples[d * p], green: samples[d * p + color / 2], blue: samples[d * p + color - 1]))
    }
    let alphas = image.hasAlpha ? (0..<image.pixelCount).map { samples[d * $0 + d - 1] } : nil
    return PaletteImage(palette: Palette(colors: colors, maxval: image.maxval, alphas: alphas), name: path,
                        width: image.width, height: image.height)
}

/// A warning when `palette` looks like an image rather than a palette for an
/// image of `width` x `height` pixels named `image`, most likely the arguments
/// given the wrong way round (`kmmap image.ppm palette.ppm`): the palette has
/// more pixels than the image, and more than 256 (a 16-colour palette applied to
/// a 2x2 image is no mistake). Nil when it looks right.
public func swappedArgumentsWarning(_ palette: PaletteImage, image: String, width: Int, height: Int) -> String? {
    let palettePixels = palette.width * palette.height, imagePixels = width * height
    guard palettePixels > 256 && palettePixels > imagePixels else { return nil }
    let colors = Set(palette.palette.colors).count
    return "warning: the palette \(palette.name) (\(palette.width)x\(palette.height), \(grouped(colors)) colours) "
        + "has more pixels than the image \(image) (\(width)x\(height)): "
        + "were the palette and the image swapped? (kmmap PALETTE [FILE])"
}
