import CNetpbmShim
import KMCore

/// An RGB drawing surface (maxval 255) for kmplot, drawn with libnetpbm's
/// ppmdraw routines and written as a PPM.
public final class Canvas {
    public let width: Int, height: Int
    private let canvas: OpaquePointer

    public init(width: Int, height: Int, background: Color = Color(red: 255, green: 255, blue: 255)) {
        self.width = width
        self.height = height
        canvas = km_canvas_new(Int32(width), Int32(height), UInt32(background.red), UInt32(background.green),
                               UInt32(background.blue))
    }

    deinit { km_canvas_free(canvas) }

    public func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: Color) {
        km_canvas_line(canvas, Int32(x0.rounded()), Int32(y0.rounded()), Int32(x1.rounded()), Int32(y1.rounded()),
                       UInt32(c.red), UInt32(c.green), UInt32(c.blue))
    }

    public func rect(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ c: Color) {
        km_canvas_rect(canvas, Int32(x), Int32(y), Int32(w), Int32(h), UInt32(c.red), UInt32(c.green), UInt32(c.blue))
    }

    public func disc(_ x: Double, _ y: Double, radius: Int, _ c: Color) {
        km_canvas_disc(canvas, Int32(x.rounded()), Int32(y.rounded()), Int32(radius),
                       UInt32(c.red), UInt32(c.green), UInt32(c.blue))
    }

    /// Text whose baseline starts at (x, y), `size` pixels high.
    public func text(_ s: String, x: Double, y: Double, size: Int = 12, _ c: Color = .black) {
        km_canvas_text(canvas, Int32(x.rounded()), Int32(y.rounded()), Int32(size), s,
                       UInt32(c.red), UInt32(c.green), UInt32(c.blue))
    }

    public static func textWidth(_ s: String, size: Int = 12) -> Int {
        Int(km_canvas_text_width(Int32(size), s))
    }

    /// Copies an image of RGB samples on 0...255 (3 a pixel) with its top left at (x, y).
    public func image(_ rgb: [UInt8], width w: Int, height h: Int, x: Int, y: Int) {
        rgb.withUnsafeBufferPointer { km_canvas_blit(canvas, Int32(x), Int32(y), Int32(w), Int32(h), $0.baseAddress) }
    }

    /// Writes the picture as a raw PPM, maxval 255.
    public func write(to writer: PNMWriter) throws {
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        bytes.withUnsafeMutableBufferPointer { km_canvas_bytes(canvas, $0.baseAddress) }
        try writer.beginImage(width: width, height: height, maxval: 255)
        try bytes.withUnsafeBufferPointer { try writer.write(bytes: $0) }
    }
}

extension Color {
    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 255, green: 255, blue: 255)
    public static let grey = Color(red: 150, green: 150, blue: 150)

    /// The colour on the scale 0...255.
    public func eightBit(from maxval: Int) -> Color { rescaled(from: maxval, to: 255) }

    /// `#rrggbb` of the colour on the scale 0...255.
    public var hex: String {
        format("#%02x%02x%02x", Int32(red), Int32(green), Int32(blue))
    }
}
