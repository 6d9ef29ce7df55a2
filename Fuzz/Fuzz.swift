// libFuzzer entry point over kmtools' input paths: the bytes are read as a netpbm
// stream or kmhist's histogram files (every image counted into a histogram, and into one
// with alpha, each fitted; counted again rounded to 4 bits), as a palette (with alpha too) the stream is mapped to, and as the text kmplot reads (a kmfit --report, kmcost
// lines). Built by Fuzz/build, not by `swift build`.
import CNetpbmShim
import Glibc
import KMCore
import KMTools

private let started: Bool = {
    km_init("kmfuzz")
    return true
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = started
    guard size > 0 else { return 0 }
    // kmplot's parsers: any bytes are a report or kmcost lines, or refused with a message.
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? RunRecord.parseReport(text, name: "input")
    _ = try? Score.parseLines(text, name: "input")
    func stream() -> PNMReader? {
        guard let file = fmemopen(UnsafeMutableRawPointer(mutating: data), size, "rb") else { return nil }
        return PNMReader(file: file, name: "input")
    }
    for alpha in [false, true] {
        guard let reader = stream() else { continue }
        defer { fclose(reader.fileForFuzzing) }
        // As kmfit reads its input: images, or histogram files (kmhist's).
        if let histogram = try? countColors(of: [{ reader }], alpha: alpha, threads: 2, histograms: true).colors,
           histogram.colorCount > 0 {
            var options = KMeansOptions()
            options.k = 3
            options.restarts = 2
            options.maxIterations = 5
            _ = fitPalette(histogram, options: options)
        }
    }
    // kmhist --bits 4: images or histograms rounded as they are counted.
    if let reader = stream() {
        defer { fclose(reader.fileForFuzzing) }
        _ = try? countColors(of: [{ reader }], threads: 2, histograms: true, bits: 4)
    }
    if let reader = stream() {
        defer { fclose(reader.fileForFuzzing) }
        if let palette = try? readPalette(from: reader), palette.count > 0, let images = stream() {
            defer { fclose(images.fileForFuzzing) }
            let output = fopen("/dev/null", "wb")!
            defer { fclose(output) }
            // Dithered, then (a palette with alpha) undithered too.
            _ = try? mapStream(images, palette: palette, to: Output(file: output, name: "null"), dither: .fs, threads: 2)
            if palette.alphas != nil, let again = stream() {
                defer { fclose(again.fileForFuzzing) }
                _ = try? mapStream(again, palette: palette, to: Output(file: output, name: "null"), threads: 2)
            }
        }
    }
    return 0
}
