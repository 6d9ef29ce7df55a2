import KMCore
import KMTools

/// The pictures of kmplot, each drawn on a Canvas.
public enum Pictures {
    /// The RGB cube with its edges, axis names, and `pixels` as dots in their own
    /// colour, or in their nearest palette colour with the palette's entries as
    /// large ringed dots.
    public static func cube(_ pixels: [Color], palette: Palette?, view: CubeView) throws -> Canvas {
        let canvas = try Canvas(width: view.size, height: view.size)
        func unit(_ c: Color) -> SIMD3<Double> { c.unit(maxval: 255) }
        // Back edges first, then points far to near, then front edges on top.
        let edges = CubeView.edges.map { ($0, view.project(($0.0 + $0.1) / 2).depth) }
        let middle = view.project(SIMD3(repeating: 0.5)).depth
        func drawEdges(front: Bool) {
            for ((a, b), depth) in edges where (depth > middle) == front {
                let p = view.project(a), q = view.project(b)
                canvas.line(p.x, p.y, q.x, q.y, .grey)
            }
        }
        drawEdges(front: false)
        let nearest = palette.map { UnitNearest($0) }
        let colors = palette.map { p in p.colors.map { $0.eightBit(from: p.maxval) } } ?? []
        let dots = pixels.map { c -> (Double, Double, Double, Color) in
            let p = view.project(unit(c))
            let shown = nearest.map { colors[$0.index(of: unit(c)).index] } ?? c
            return (p.depth, p.x, p.y, shown)
        }.sorted { $0.0 < $1.0 }
        for (_, x, y, c) in dots { canvas.disc(x, y, radius: 1, c) }
        drawEdges(front: true)
        for c in colors {
            let p = view.project(unit(c))
            canvas.disc(p.x, p.y, radius: 7, .black)
            canvas.disc(p.x, p.y, radius: 5, c)
        }
        let label = max(12, view.size / 30)
        for (name, end) in [("R", SIMD3(1.08, 0, 0)), ("G", SIMD3(0, 1.08, 0)), ("B", SIMD3(0, 0, 1.08))] {
            let p = view.project(end), o = view.project(SIMD3<Double>(repeating: 0))
            canvas.line(o.x, o.y, view.project(end * 0.97).x, view.project(end * 0.97).y, .black)
            canvas.text(name, x: p.x - Double(label) / 3, y: p.y + Double(label) / 2, size: label)
        }
        return canvas
    }

    /// The palette as a grid of swatches, each labelled with its hex value and,
    /// when `shares` is given, the share of pixels it takes.
    public static func swatches(_ palette: Palette, shares: [Double]?, columns: Int, cell: Int) throws -> Canvas {
        let rows = (palette.count + columns - 1) / columns
        let label = max(10, cell / 8), lines = shares == nil ? 1 : 2
        let cellHeight = cell + lines * (label + 6) + 6
        let canvas = try Canvas(width: columns * cell + (columns + 1) * 6, height: rows * cellHeight + 6)
        for (i, color) in palette.colors.enumerated() {
            let x = 6 + (i % columns) * (cell + 6), y = 6 + (i / columns) * cellHeight
            let c = color.eightBit(from: palette.maxval)
            canvas.rect(x - 1, y - 1, cell + 2, cell + 2, .grey)
            canvas.rect(x, y, cell, cell, c)
            canvas.text(c.hex, x: Double(x), y: Double(y + cell + label + 4), size: label)
            if let shares {
                canvas.text(format("%.1f%%", shares[i] * 100), x: Double(x), y: Double(y + cell + 2 * (label + 5) + 2), size: label)
            }
        }
        return canvas
    }

    /// A chart of (x, y) points with labelled axes and ticks at the ends; the
    /// points with the lowest and the highest y are marked and labelled when `extremes`.
    public static func chart(_ points: [(Double, Double)], xLabel: String, yLabel: String, joined: Bool,
                             extremes: Bool, width: Int = 640, height: Int = 400) throws -> Canvas {
        let canvas = try Canvas(width: width, height: height)
        let left = 90.0, right = Double(width) - 30, top = 30.0, bottom = Double(height) - 60
        let xs = points.map(\.0), ys = points.map(\.1)
        let sx = AxisScale(low: xs.min() ?? 0, high: xs.max() ?? 1, from: left + 10, to: right - 10)
        let sy = AxisScale(low: ys.min() ?? 0, high: ys.max() ?? 1, from: bottom - 10, to: top + 10)
        canvas.line(left, bottom, right, bottom, .black)
        canvas.line(left, bottom, left, top, .black)
        canvas.text(xLabel, x: (left + right) / 2 - Double(Canvas.textWidth(xLabel, size: 14)) / 2, y: bottom + 45, size: 14)
        canvas.text(yLabel, x: 10, y: top - 10, size: 14)
        for v in [sx.low, sx.high] {
            let t = v == v.rounded() ? format("%.0f", v) : format("%g", v)
            canvas.line(sx(v), bottom, sx(v), bottom + 5, .black)
            canvas.text(t, x: sx(v) - Double(Canvas.textWidth(t, size: 11)) / 2, y: bottom + 20, size: 11)
        }
        for v in [sy.low, sy.high] {
            let t = format("%.6f", v)
            canvas.line(left - 5, sy(v), left, sy(v), .black)
            canvas.text(t, x: left - 8 - Double(Canvas.textWidth(t, size: 11)), y: sy(v) + 5, size: 11)
        }
        if joined {
            for (a, b) in zip(points, points.dropFirst()) { canvas.line(sx(a.0), sy(a.1), sx(b.0), sy(b.1), .grey) }
        }
        for (x, y) in points { canvas.disc(sx(x), sy(y), radius: 3, Color(red: 40, green: 70, blue: 160)) }
        if extremes, let lo = points.indices.min(by: { points[$0].1 < points[$1].1 }),
           let hi = points.indices.max(by: { points[$0].1 < points[$1].1 }) {
            for (i, c, name) in [(hi, Color(red: 200, green: 30, blue: 30), "worst"), (lo, Color(red: 20, green: 150, blue: 40), "best")] {
                let (x, y) = points[i]
                canvas.disc(sx(x), sy(y), radius: 6, c)
                let t = "\(name) " + format("%.6f", y)
                let tx = min(sx(x) + 8, right - Double(Canvas.textWidth(t, size: 11)))
                canvas.text(t, x: tx, y: sy(y) + (name == "best" ? -10 : 18), size: 11, c)
            }
        }
        return canvas
    }

    /// Images side by side, each with its caption underneath.
    public static func compare(_ images: [(rgb: [UInt8], width: Int, height: Int)], captions: [String]) throws -> Canvas {
        let gap = 10, caption = 14
        let width = images.reduce(gap) { $0 + $1.width + gap }
        let height = (images.map(\.height).max() ?? 0) + 2 * gap + caption + 8
        let canvas = try Canvas(width: width, height: height)
        var x = gap
        for (image, text) in zip(images, captions) {
            canvas.image(image.rgb, width: image.width, height: image.height, x: x, y: gap)
            let tw = Canvas.textWidth(text, size: caption)
            canvas.text(text, x: Double(x + max(0, (image.width - tw) / 2)), y: Double(gap + image.height + caption + 6), size: caption)
            x += image.width + gap
        }
        return canvas
    }
}
