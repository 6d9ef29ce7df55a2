import CNetpbmShim
import KMCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes raw netpbm images: the header through libnetpbm, the raster in bulk.
public final class PNMWriter {
    let output: Output
    private var bytes: [UInt8] = []
    private var maxval = 255

    public init(_ output: Output) { self.output = output }

    /// Starts an image: PGM for depth 1, PPM for depth 3, PAM otherwise.
    public func beginImage(width: Int, height: Int, depth: Int = 3, maxval: Int,
                           tupleType: String = "RGB") throws {
        self.maxval = maxval
        guard km_write_header(output.file, Int32(width), Int32(height), Int32(depth),
                              UInt32(maxval), tupleType) == 0 else {
            throw KMError.library(stream: nil, message: lastError())
        }
    }

    /// Writes samples (row-major, interleaved) of the current image.
    public func write(_ samples: [UInt16]) throws {
        let bps = maxval > 255 ? 2 : 1
        let count = samples.count * bps
        if bytes.count < count { bytes = [UInt8](repeating: 0, count: count) }
        samples.withUnsafeBufferPointer { samples in
            bytes.withUnsafeMutableBufferPointer { b in
                if bps == 1 {
                    for i in 0..<samples.count { b[i] = UInt8(truncatingIfNeeded: samples[i]) }
                } else {
                    for i in 0..<samples.count {
                        b[2 * i] = UInt8(truncatingIfNeeded: samples[i] >> 8)
                        b[2 * i + 1] = UInt8(truncatingIfNeeded: samples[i])
                    }
                }
            }
        }
        try bytes.withUnsafeBufferPointer { try output.write(bytes: UnsafeBufferPointer(rebasing: $0[..<count])) }
    }

    /// Writes bytes of the current image as they are (maxval <= 255).
    public func write(bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try output.write(bytes: $0) }
    }

    /// Writes a palette as a netpbm colormap: a PPM of count x 1 pixels, or a
    /// PAM RGB_ALPHA when it has alphas.
    public func write(_ palette: Palette) throws {
        if palette.alphas == nil {
            try beginImage(width: palette.count, height: 1, maxval: palette.maxval)
        } else {
            try beginImage(width: palette.count, height: 1, depth: 4, maxval: palette.maxval, tupleType: "RGB_ALPHA")
        }
        let samples = palette.colors.indices.flatMap { i in
            let c = palette.colors[i]
            return [c.red, c.green, c.blue] + (palette.alphas.map { [$0[i]] } ?? [])
        }
        try write(samples)
    }
}
