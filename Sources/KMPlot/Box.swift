/// An axis-aligned rectangle of a picture, in pixels from the top left (y down),
/// covering left..<right and top..<bottom.
public struct Box: Equatable, Sendable {
    public var left: Double, top: Double, right: Double, bottom: Double

    public init(left: Double, top: Double, right: Double, bottom: Double) {
        (self.left, self.top, self.right, self.bottom) = (left, top, right, bottom)
    }

    public var width: Double { right - left }
    public var height: Double { bottom - top }
    /// The middle of the box across.
    public var midX: Double { (left + right) / 2 }

    /// The box moved by (dx, dy) pixels.
    public func offset(_ dx: Double, _ dy: Double) -> Box {
        Box(left: left + dx, top: top + dy, right: right + dx, bottom: bottom + dy)
    }

    /// Whether the two boxes share any pixel area.
    public func intersects(_ other: Box) -> Bool {
        left < other.right && other.left < right && top < other.bottom && other.top < bottom
    }

    /// Whether `other` lies wholly within this box.
    public func contains(_ other: Box) -> Bool {
        left <= other.left && other.right <= right && top <= other.top && other.bottom <= bottom
    }

    /// Whether a disc of `radius` pixels centred on (x, y) reaches into the box.
    public func touches(x: Double, y: Double, radius: Double) -> Bool {
        let dx = max(left - x, 0, x - right), dy = max(top - y, 0, y - bottom)
        return dx * dx + dy * dy <= radius * radius
    }
}
