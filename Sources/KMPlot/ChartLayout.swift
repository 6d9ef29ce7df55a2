import KMTools

/// Where the parts of kmplot's charts (runs, elbow) go on a picture of `width` x
/// `height` pixels: the plot area inside the axes, the axes' scales, round ticks
/// over the whole length of each axis, and the marks of the lowest and highest
/// points with their labels: the lowest's below it and the highest's above it, in
/// room kept free of points, so that a label covers no point.
public struct ChartLayout: Sendable {
    /// Height of tick labels and mark labels, pixels.
    public static let tickSize = 11
    /// Radius of a point's dot and of a marked point's disc, pixels.
    public static let pointRadius = 3, markRadius = 6

    /// A marked point: its disc's centre, its label's text, where the label's
    /// baseline starts and the box the label covers, in pixels.
    public struct Mark: Sendable {
        public var isBest: Bool
        public var x: Double, y: Double
        public var text: String
        public var textX: Double, textY: Double
        public var box: Box
    }

    /// Inside the axes: the x axis runs along its bottom, the y axis along its left.
    public let area: Box
    public let x: AxisScale, y: AxisScale
    public let xTicks: Ticks, yTicks: Ticks
    /// The highest point ("worst") then the lowest ("best"), when asked for.
    public let extremeMarks: [Mark]

    /// `wholeX`: x values are counts, so x ticks are whole numbers. `extremes`:
    /// mark and label the points with the highest and lowest y.
    public init(points: [(Double, Double)], width: Int, height: Int, wholeX: Bool, extremes: Bool) {
        area = Box(left: 90, top: 30, right: Double(width) - 30, bottom: Double(height) - 60)
        let xs = points.map(\.0), ys = points.map(\.1)
        let sample = Canvas.textBox("worst 0.0123456789", size: ChartLayout.tickSize)
        // Room between the axes' ends and the outermost points: for the mark labels when asked for.
        let room = 10 + (extremes ? Double(ChartLayout.markRadius) + 2 + sample.height : 0)
        x = AxisScale(low: xs.min() ?? 0, high: xs.max() ?? 1, from: area.left + 10, to: area.right - 10)
        y = AxisScale(low: ys.min() ?? 0, high: ys.max() ?? 1, from: area.bottom - room, to: area.top + room)
        xTicks = Ticks(low: x.value(at: area.left), high: x.value(at: area.right), minimumStep: wholeX ? 1 : 0)
        yTicks = Ticks(low: y.value(at: area.bottom), high: y.value(at: area.top))
        var marks: [Mark] = []
        if extremes, let lo = points.indices.min(by: { points[$0].1 < points[$1].1 }),
           let hi = points.indices.max(by: { points[$0].1 < points[$1].1 }) {
            for (i, best) in [(hi, false), (lo, true)] {
                let px = x(points[i].0), py = y(points[i].1)
                let text = (best ? "best " : "worst ") + format("%.6f", points[i].1)
                let ink = Canvas.textBox(text, size: ChartLayout.tickSize)
                let clear = Double(ChartLayout.markRadius) + 2
                let left = min(max(px + clear, area.left + 2), area.right - 2 - ink.width)
                let top = best ? py + clear : py - clear - ink.height
                let box = Box(left: left, top: top, right: left + ink.width, bottom: top + ink.height)
                marks.append(Mark(isBest: best, x: px, y: py, text: text, textX: left - ink.left, textY: top - ink.top, box: box))
            }
        }
        extremeMarks = marks
    }

    /// The x ticks' values and labels, as many decimals as the step needs.
    public var xTickLabels: [(Double, String)] { xTicks.values.map { ($0, format("%.\(xTicks.decimals)f", $0)) } }
    /// The y ticks' values and labels, as many decimals as the step needs.
    public var yTickLabels: [(Double, String)] { yTicks.values.map { ($0, format("%.\(yTicks.decimals)f", $0)) } }
}
