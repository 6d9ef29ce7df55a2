import CKMPlot
import CNetpbmShim
import KMCore
import KMTools

/// An RGB drawing surface (maxval 255) for kmplot, drawn with libnetpbm's
/// ppmdraw routines and written as a PPM. At most `maxSide` pixels a side and
/// `maxPixels` in all.
public final class Canvas {
    public let width: Int, height: Int
    private let canvas: OpaquePointer
    /// libnetpbm's message for the first drawing call that failed, if any.
    private var failure: String?

    /// The widest or tallest picture drawn, pixels (libnetpbm's drawing stops at 32,767).
    public static let maxSide = 16384
    /// The most pixels a picture has: 2^26 (768 MiB for libnetpbm's pixel array).
    public static let maxPixels = 1 << 26

    public init(width: Int, height: Int, background: Color = Color(red: 255, green: 255, blue: 255)) throws {
        try Canvas.check(width: width, height: height)
        self.width = width
        self.height = height
        guard let c = km_canvas_new(Int32(width), Int32(height), UInt32(background.red), UInt32(background.green),
                                    UInt32(background.blue)) else {
            throw KMError.cannotAllocatePicture(width: width, height: height, reason: lastError())
        }
        canvas = c
    }

    /// Fails unless a picture of `width` x `height` pixels is within the limits;
    /// the message starts with `what` and the size.
    public static func check(width: Int, height: Int, what: String = "the picture would be") throws {
        guard (1...maxSide).contains(width), (1...maxSide).contains(height), width * height <= maxPixels else {
            throw KMError.pictureTooLarge(what: what, width: width, height: height, maxSide: maxSide, maxPixels: maxPixels)
        }
    }

    /// Keeps the first failure of a drawing call (its status, 0 or -1).
    private func note(_ status: Int32) {
        if status != 0 && failure == nil { failure = lastError() }
    }

    deinit { km_canvas_free(canvas) }

    public func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: Color) {
        note(km_canvas_line(canvas, coordinate(x0), coordinate(y0), coordinate(x1), coordinate(y1),
                            UInt32(c.red), UInt32(c.green), UInt32(c.blue)))
    }

    public func rect(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ c: Color) {
        note(km_canvas_rect(canvas, Int32(x), Int32(y), Int32(w), Int32(h), UInt32(c.red), UInt32(c.green), UInt32(c.blue)))
    }

    public func disc(_ x: Double, _ y: Double, radius: Int, _ c: Color) {
        km_canvas_disc(canvas, coordinate(x), coordinate(y), Int32(radius),
                       UInt32(c.red), UInt32(c.green), UInt32(c.blue))
    }

    /// Text whose baseline starts at (x, y), `size` pixels high.
    public func text(_ s: String, x: Double, y: Double, size: Int = 12, _ c: Color = .black) {
        note(km_canvas_text(canvas, coordinate(x), coordinate(y), Int32(size), s,
                            UInt32(c.red), UInt32(c.green), UInt32(c.blue)))
    }

    /// The width of `s` drawn `size` pixels high, pixels.
    public static func textWidth(_ s: String, size: Int = 12) -> Int {
        Int(km_canvas_text_width(Int32(size), s))
    }

    /// The box of pixels `s` covers when drawn `size` pixels high with its baseline
    /// starting at (0, 0) (right and bottom exclusive); an empty box at the origin
    /// when libnetpbm refuses the text.
    public static func textBox(_ s: String, size: Int = 12) -> Box {
        var box: [Int32] = [0, 0, 0, 0]
        guard box.withUnsafeMutableBufferPointer({ km_canvas_text_box(Int32(size), s, $0.baseAddress!) }) == 0 else {
            return Box(left: 0, top: 0, right: 0, bottom: 0)
        }
        // libnetpbm's box is inclusive: its right and bottom edges are inked.
        return Box(left: Double(box[0]), top: Double(box[1]), right: Double(box[2] + 1), bottom: Double(box[3] + 1))
    }

    /// Copies an image of `w` x `h` pixels, RGB samples on 0...255 (3 a pixel, row by
    /// row), with its top left at (x, y); what falls outside the canvas is clipped.
    public func image(_ rgb: [UInt8], width w: Int, height h: Int, x: Int, y: Int) {
        precondition(w >= 0 && h >= 0 && rgb.count >= w * h * 3, "an image of \(w)x\(h) pixels needs \(w * h * 3) samples")
        rgb.withUnsafeBufferPointer {
            guard let samples = $0.baseAddress else { return }  // no pixels
            km_canvas_blit(canvas, Int32(x), Int32(y), Int32(w), Int32(h), samples)
        }
    }

    /// Writes the picture as a raw PPM, maxval 255.
    public func write(to writer: PNMWriter) throws {
        if let failure { throw KMError.drawingFailed(failure) }
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        bytes.withUnsafeMutableBufferPointer { km_canvas_bytes(canvas, $0.baseAddress!) }  // at least 1x1 pixels
        try writer.beginImage(width: width, height: height, maxval: 255)
        try writer.write(bytes: bytes)
    }
}

/// libnetpbm's message for the last failed call.
private func lastError() -> String { String(cString: km_last_error()) }

/// A drawing coordinate: rounded, held within libnetpbm's range, NaN at its edge.
private func coordinate(_ v: Double) -> Int32 {
    v.isNaN ? -30000 : Int32(min(max(v.rounded(), -30000), 30000))
}

extension Color {
    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 255, green: 255, blue: 255)
    public static let grey = Color(red: 150, green: 150, blue: 150)

    /// The colour on the scale 0...255.
    public func eightBit(from maxval: Int) -> Color { rescaled(from: maxval, to: 255) }

    /// The colour at opacity `alpha` (0...1) over `background`, both 8-bit.
    public func over(_ background: Color, alpha: Double) -> Color {
        func mix(_ a: UInt16, _ b: UInt16) -> UInt16 { UInt16((Double(a) * alpha + Double(b) * (1 - alpha)).rounded()) }
        return Color(red: mix(red, background.red), green: mix(green, background.green), blue: mix(blue, background.blue))
    }

    /// `#rrggbb` of the colour on the scale 0...255.
    public var hex: String {
        format("#%02x%02x%02x", Int32(red), Int32(green), Int32(blue))
    }
}
