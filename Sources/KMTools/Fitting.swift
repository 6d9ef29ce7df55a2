import KMCore

/// Every image of `reader` counted into one histogram (fully transparent
/// pixels left out), a run of rows at a time over `threads` threads.
/// `progress` sees the image being read after each run of rows (its number,
/// rows read and height), for a progress line.
public func histogram(of reader: PNMReader, threads: Int = 1,
                      progress: (PNMImage) -> Void = { _ in }) throws -> Histogram {
    var counter: HistogramCounter?
    var rgb: [UInt16] = []
    while let image = try reader.nextImage() {
        if counter == nil { counter = HistogramCounter(maxval: image.maxval, threads: threads) }
        while image.rowsRead < image.height {
            try image.readRGB(rows: image.rowsPerRun, into: &rgb, opaqueOnly: true)
            rgb.withUnsafeBufferPointer { counter!.add(rgb: $0, maxval: image.maxval) }
            progress(image)
        }
    }
    guard let histogram = counter?.histogram() else { throw KMError.noImage(reader.name) }
    guard histogram.pixelCount > 0 else { throw KMError.noOpaquePixel(reader.name, image: nil) }
    return histogram
}

/// Every image of `reader` counted into one histogram of colours with opacity
/// (images without alpha are opaque). `progress` as for `histogram(of:)`.
public func alphaHistogram(of reader: PNMReader, progress: (PNMImage) -> Void = { _ in }) throws -> AlphaHistogram {
    var histogram: AlphaHistogram?
    var samples: [UInt16] = []
    while let image = try reader.nextImage() {
        if histogram == nil { histogram = AlphaHistogram(maxval: image.maxval) }
        while image.rowsRead < image.height {
            try image.readSamples(rows: image.rowsPerRun, into: &samples)
            samples.withUnsafeBufferPointer { histogram!.add($0, format: image.format) }
            progress(image)
        }
    }
    guard let histogram else { throw KMError.noImage(reader.name) }
    return histogram
}
