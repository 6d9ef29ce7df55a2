import KMCore

/// What kmquant does: kmfit's fit and kmmap's mapping of one stream.
public struct Quantization: Sendable {
    /// The fit (kmfit's); with `minPSNR`, its `colors` is the most allowed.
    public var fit = FitJob()
    /// The quality target, in dB of RGB PSNR over the whole stream (kmcost's
    /// psnr, nearest colours without dithering); nil to fit exactly `fit.colors`.
    public var minPSNR: Double?
    public var dither = Dither.none
    /// Write palette indices (a PGM) instead of colours, as kmmap --indices.
    public var indices = false

    public init() {}
}

/// Quantizes every image of `input` with one palette, the bytes that kmfit
/// and then kmmap give with the same options: the histogram of the whole stream
/// (first pass), the palette (`settings.fit.colors`, or the smallest meeting
/// `settings.minPSNR`: `smallestPalette`), then every image mapped (second
/// pass) to `output`, and the palette to `paletteOutput` if any; both land
/// together, or neither does. The whole input is read, and any error in it
/// found, before anything is written. A target not met is
/// `KMError.targetNotMet` (status 99), with nothing written. `progress`
/// shows the reading and the fits; with `verbose`, a line per fit.
public func quantize(_ input: TwoPassInput, _ settings: Quantization, to output: Output, palette paletteOutput: Output? = nil,
                     progress: Progress, verbose: Bool) throws {
    let job = settings.fit
    try Unsupported.options(alpha: job.alpha, space: job.space, dither: settings.dither.method,
                            minPSNR: settings.minPSNR, initPalette: job.start != nil)
    let firstPass = try input.reader()
    let histogram: FitHistogram
    do {
        histogram = try job.histogram(of: firstPass, progress: progress)
    } catch {
        throw input.explain(error)
    }
    let fit: PaletteFit
    if let target = settings.minPSNR {
        progress.step(histogram.summary)
        var fits = 0
        let chosen = smallestPalette(histogram.colors, minPSNR: target, maxColors: job.colors, maxval: job.maxval,
                                     space: job.space, fixed: job.fixed, options: { job.options(k: $0) }) { step in
            fits += 1
            let from = step.startK.map { " from K=\($0)" } ?? ""
            let line = "K=\(step.k)\(from): psnr=" + format("%.4f", step.psnr) + " dB, "
                + (step.meets ? "meets " : "below ") + format("%g", target)
            progress.update(line, force: true)
            if verbose { progress.message("kmquant: " + line) }
        }
        progress.finish()
        guard chosen.meets else { throw KMError.targetNotMet(minPSNR: target, psnr: chosen.psnr, colors: chosen.k) }
        if verbose {
            printError(format("kmquant: K=%d, the smallest found to meet %g dB, after %d fits: J=%.6f colors=%d",
                              chosen.k, target, fits, chosen.fit.cost, chosen.fit.palette.count))
        }
        fit = chosen.fit
    } else {
        fit = job.fit(histogram, progress: progress, verbose: verbose)
    }
    let palette = job.written(fit)
    if let paletteOutput { try PNMWriter(paletteOutput).write(palette) }
    let nothingWritten = !([output] + (paletteOutput.map { [$0] } ?? [])).contains { $0.writesAsItGoes }
    do {
        try mapStream(input.reader(), palette: palette, to: output, space: job.space, dither: settings.dither,
                      indices: settings.indices, threads: job.threads)
    } catch let error as KMError {
        // Bytes appended or cut during the mapping read as bad input: say what happened.
        if case .inputChanged = error { throw error }
        try input.finish(nothingWritten: nothingWritten)
        throw error
    }
    try input.finish(nothingWritten: nothingWritten)
    try Output.commit([output] + (paletteOutput.map { [$0] } ?? []))
}
