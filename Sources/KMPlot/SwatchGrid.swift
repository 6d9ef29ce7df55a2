/// Where `kmplot swatch` puts each swatch and its labels. Labels are drawn at the
/// largest size from `minimumLabelSize` up to max(10, cell / 8) pixels at which
/// every label fits its swatch's width; when even the smallest is wider, the
/// columns widen to the widest label, so that no label reaches the next swatch.
public struct SwatchGrid: Sendable {
    /// Pixels between swatches and around the grid.
    public static let gap = 6
    /// The smallest label drawn, pixels high: below it libnetpbm's font loses its digits' shapes.
    public static let minimumLabelSize = 8

    /// Side of a swatch, pixels.
    public let cell: Int
    /// Height of the labels' text, pixels.
    public let labelSize: Int
    /// Width of a column: the swatch or its widest label, whichever is wider (gap not counted).
    public let columnWidth: Int
    /// Height of a row: the swatch and its lines of labels (gap not counted).
    public let rowHeight: Int
    /// From the top of a label line to its baseline, and from one line to the next, pixels.
    private let ascent: Int, lineHeight: Int
    public let columns: Int, rows: Int

    /// A grid of `labels.count` swatches, `columns` a row (at least 1), each with its lines of labels.
    public init(labels: [[String]], columns: Int, cell: Int) {
        let all = labels.flatMap { $0 }
        func widest(_ size: Int) -> Int { Int(all.map { Canvas.textBox($0, size: size).right }.max() ?? 0) }
        let largest = max(10, cell / 8), smallest = min(SwatchGrid.minimumLabelSize, largest)
        let size = stride(from: largest, through: smallest, by: -1).first { widest($0) <= cell } ?? smallest
        let lines = labels.map(\.count).max() ?? 0
        let inks = all.map { Canvas.textBox($0, size: size) }
        self.cell = cell
        labelSize = size
        columnWidth = max(cell, widest(size))
        ascent = -Int(inks.map(\.top).min() ?? 0)
        lineHeight = ascent + Int(inks.map(\.bottom).max() ?? 0) + 3
        rowHeight = cell + 4 + lines * lineHeight
        self.columns = max(columns, 1)
        rows = (labels.count + self.columns - 1) / self.columns
    }

    /// The picture's width and height, pixels.
    public var width: Int { columns * columnWidth + (columns + 1) * SwatchGrid.gap }
    public var height: Int { rows * (rowHeight + SwatchGrid.gap) + SwatchGrid.gap }

    /// The top left of swatch `i`, pixels.
    public func origin(_ i: Int) -> (x: Int, y: Int) {
        (SwatchGrid.gap + (i % columns) * (columnWidth + SwatchGrid.gap), SwatchGrid.gap + (i / columns) * (rowHeight + SwatchGrid.gap))
    }

    /// Where line `line` (0 first) of a swatch's labels starts its baseline, from the swatch's top left.
    public func baseline(_ line: Int) -> Int { cell + 4 + ascent + line * lineHeight }
}
