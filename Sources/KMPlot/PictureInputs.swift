import KMCore
import KMTools

/// What kmplot reads from images: sampled pixels, whole 8-bit images.
extension Pictures {
    /// The pixels of a cube plot: every n-th pixel of the first image, so that
    /// at most `limit` are kept, as 8-bit colours.
    public static func samplePixels(_ reader: PNMReader, limit: Int) throws -> [Color] {
        guard let image = try reader.nextImage() else { throw KMError.noImage(reader.name) }
        let step = max(1, (image.pixelCount + limit - 1) / max(limit, 1))
        var rgb: [UInt16] = [], kept: [Color] = []
        var index = 0
        while image.rowsRead < image.height {
            try image.readRGB(rows: image.rowsPerRun, into: &rgb, opaqueOnly: true)
            for p in 0..<rgb.count / 3 {
                if index % step == 0 {
                    kept.append(Color(red: rgb[3 * p], green: rgb[3 * p + 1], blue: rgb[3 * p + 2]).eightBit(from: image.maxval))
                }
                index += 1
            }
        }
        return kept
    }

    /// The first image of a stream as 8-bit RGB, read a run of rows at a
    /// time: a raster cut short fails as it does for kmfit, and an image larger
    /// than a picture can be (Canvas.check) fails once its first run is read.
    public static func readImage8(_ reader: PNMReader) throws -> (rgb: [UInt8], width: Int, height: Int) {
        guard let image = try reader.nextImage() else { throw KMError.noImage(reader.name) }
        var rgb: [UInt16] = [], bytes: [UInt8] = []
        while image.rowsRead < image.height {
            try image.readRGB(rows: image.rowsPerRun, into: &rgb)
            try Canvas.check(width: image.width, height: image.height, what: "\(reader.name) is")
            bytes += rgb.lazy.map { UInt8(rescaleSample($0, from: image.maxval, to: 255)) }
        }
        return (bytes, image.width, image.height)
    }
}
