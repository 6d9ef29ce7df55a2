import KMCore

/// Every image of `reader` counted into one histogram, a run of rows at a
/// time over `threads` threads: opaque colours, fully transparent pixels left
/// out; or with `alpha`, colours with their opacity (Histogram.hasAlpha;
/// images without alpha are opaque). `progress` sees the image being read
/// after each run of rows (its number, rows read and height), for a progress line.
public func histogram(of reader: PNMReader, alpha: Bool = false, threads: Int = 1,
                      progress: (PNMImage) -> Void = { _ in }) throws -> Histogram {
    var counter: HistogramCounter?
    var samples: [UInt16] = []
    while let image = try reader.nextImage() {
        if counter == nil { counter = HistogramCounter(maxval: image.maxval, alpha: alpha, threads: threads) }
        while image.rowsRead < image.height {
            if alpha {
                try image.readSamples(rows: image.rowsPerRun, into: &samples)
                samples.withUnsafeBufferPointer { counter!.add($0, format: image.format) }
            } else {
                try image.readRGB(rows: image.rowsPerRun, into: &samples, opaqueOnly: true)
                samples.withUnsafeBufferPointer { counter!.add(rgb: $0, maxval: image.maxval) }
            }
            progress(image)
        }
    }
    guard let histogram = counter?.histogram() else { throw KMError.noImage(reader.name) }
    guard histogram.pixelCount > 0 else { throw KMError.noOpaquePixel(reader.name, image: nil) }
    return histogram
}
