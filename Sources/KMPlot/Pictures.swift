import KMCore
import KMTools

/// The pictures of kmplot, each drawn on a Canvas.
public enum Pictures {
    /// The box of `view.space` (the RGB cube, or a CIELAB or OkLab box) with its
    /// edges, axes and their names, and `pixels` as dots where their colours sit
    /// in it (CubeView.place), drawn in their own colour, or in their nearest
    /// palette colour (nearest in that space) with the palette's entries as
    /// large ringed dots.
    public static func cube(_ pixels: [Color], palette: Palette?, view: CubeView) throws -> Canvas {
        let canvas = try Canvas(width: view.size, height: view.size)
        func unit(_ c: Color) -> SIMD3<Double> { c.unit(maxval: 255) }
        func at(_ c: Color) -> (x: Double, y: Double, depth: Double) { view.project(view.place(unit(c))) }
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
        let nearest = palette.map { NearestPoint($0, space: view.space) }
        let colors = palette.map { p in p.colors.map { $0.eightBit(from: p.maxval) } } ?? []
        let dots = pixels.map { c -> (Double, Double, Double, Color) in
            let p = at(c)
            let shown = nearest.map { colors[$0.index(of: view.space.coordinates(unit(c))).index] } ?? c
            return (p.depth, p.x, p.y, shown)
        }.sorted { $0.0 < $1.0 }
        for (_, x, y, c) in dots { canvas.disc(x, y, radius: 1, c) }
        drawEdges(front: true)
        for c in colors {
            let p = at(c)
            canvas.disc(p.x, p.y, radius: 7, .black)
            canvas.disc(p.x, p.y, radius: 5, c)
        }
        let label = max(12, view.size / 30)
        for (name, from, to) in view.axes {
            let p = view.project(to), o = view.project(from), q = view.project(from + (to - from) * 0.97)
            canvas.line(o.x, o.y, q.x, q.y, .black)
            canvas.text(name, x: p.x - Double(label) / 3, y: p.y + Double(label) / 2, size: label)
        }
        return canvas
    }

    /// The palette as a grid of swatches (SwatchGrid), each labelled with its hex
    /// value and, when `shares` is given, the share of pixels it takes. A
    /// palette with alphas shows each colour over a checkerboard (white and
    /// light grey squares, an eighth of the swatch), labelled `#rrggbbaa`.
    public static func swatches(_ palette: Palette, shares: [Double]?, columns: Int, cell: Int) throws -> Canvas {
        let colors = palette.colors.map { $0.eightBit(from: palette.maxval) }
        let alphas = palette.alphas?.map { Double($0) / Double(palette.maxval) }
        let labels = colors.indices.map { i in
            [colors[i].hex + (alphas.map { format("%02x", Int32(($0[i] * 255).rounded())) } ?? "")]
                + (shares.map { [format("%.1f%%", $0[i] * 100)] } ?? [])
        }
        let grid = SwatchGrid(labels: labels, columns: columns, cell: cell)
        let canvas = try Canvas(width: grid.width, height: grid.height)
        for (i, c) in colors.enumerated() {
            let (x, y) = grid.origin(i)
            canvas.rect(x - 1, y - 1, cell + 2, cell + 2, .grey)
            if let alpha = alphas?[i] {
                let square = max(cell / 8, 1)
                for top in stride(from: 0, to: cell, by: square) {
                    for left in stride(from: 0, to: cell, by: square) {
                        let under = (top / square + left / square) % 2 == 0 ? Color.white : Color(red: 204, green: 204, blue: 204)
                        canvas.rect(x + left, y + top, min(square, cell - left), min(square, cell - top), c.over(under, alpha: alpha))
                    }
                }
            } else {
                canvas.rect(x, y, cell, cell, c)
            }
            for (line, text) in labels[i].enumerated() {
                canvas.text(text, x: Double(x), y: Double(y + grid.baseline(line)), size: grid.labelSize)
            }
        }
        return canvas
    }

    /// A chart of (x, y) points (ChartLayout) with labelled axes and round ticks;
    /// the points with the lowest and the highest y are marked and labelled when `extremes`.
    public static func chart(_ points: [(Double, Double)], xLabel: String, yLabel: String, joined: Bool,
                             extremes: Bool, width: Int = 640, height: Int = 400) throws -> Canvas {
        let canvas = try Canvas(width: width, height: height)
        let chart = ChartLayout(points: points, width: width, height: height, wholeX: true, extremes: extremes)
        let (sx, sy, area) = (chart.x, chart.y, chart.area)
        canvas.line(area.left, area.bottom, area.right, area.bottom, .black)
        canvas.line(area.left, area.bottom, area.left, area.top, .black)
        canvas.text(xLabel, x: area.midX - Double(Canvas.textWidth(xLabel, size: 14)) / 2, y: area.bottom + 45, size: 14)
        canvas.text(yLabel, x: 10, y: area.top - 10, size: 14)
        for (v, t) in chart.xTickLabels {
            canvas.line(sx(v), area.bottom, sx(v), area.bottom + 5, .black)
            canvas.text(t, x: sx(v) - Double(Canvas.textWidth(t, size: ChartLayout.tickSize)) / 2, y: area.bottom + 20,
                        size: ChartLayout.tickSize)
        }
        for (v, t) in chart.yTickLabels {
            canvas.line(area.left - 5, sy(v), area.left, sy(v), .black)
            canvas.text(t, x: area.left - 8 - Double(Canvas.textWidth(t, size: ChartLayout.tickSize)), y: sy(v) + 5,
                        size: ChartLayout.tickSize)
        }
        if joined {
            for (a, b) in zip(points, points.dropFirst()) { canvas.line(sx(a.0), sy(a.1), sx(b.0), sy(b.1), .grey) }
        }
        for (x, y) in points { canvas.disc(sx(x), sy(y), radius: ChartLayout.pointRadius, Color(red: 40, green: 70, blue: 160)) }
        for mark in chart.extremeMarks {
            let c = mark.isBest ? Color(red: 20, green: 150, blue: 40) : Color(red: 200, green: 30, blue: 30)
            canvas.disc(mark.x, mark.y, radius: ChartLayout.markRadius, c)
            canvas.text(mark.text, x: mark.textX, y: mark.textY, size: ChartLayout.tickSize, c)
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
