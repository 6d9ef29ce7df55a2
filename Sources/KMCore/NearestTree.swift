/// A number a NearestTree measures in: its points' coordinates and their
/// squared distances, both of this type.
///
/// Integers (UInt64, UInt128) are exact as long as every squared distance
/// is below their range (the caller's to keep: NearestColor.Search.Lists).
/// Double rounds, but monotonically: a box's rounded distance is never above
/// the rounded distance of a point in it, so the tree prunes only points that
/// brute force with the same formula would also reject, and gives its answer.
protocol TreeScalar: Comparable, Sendable {
    static var zero: Self { get }
    static var greatest: Self { get }
    /// |a - b|.
    static func gap(_ a: Self, _ b: Self) -> Self
    /// g0² + g1² + g2² + g3²: a squared distance from its per-axis gaps.
    static func squaredLength(_ g0: Self, _ g1: Self, _ g2: Self, _ g3: Self) -> Self
}

extension TreeScalar where Self: FixedWidthInteger & UnsignedInteger {
    static var greatest: Self { .max }
    @inline(__always) static func gap(_ a: Self, _ b: Self) -> Self { a > b ? a - b : b - a }
    /// Wrapping is exact: the true sum is below the type's range.
    @inline(__always) static func squaredLength(_ g0: Self, _ g1: Self, _ g2: Self, _ g3: Self) -> Self {
        g0 &* g0 &+ g1 &* g1 &+ g2 &* g2 &+ g3 &* g3
    }
}
extension UInt64: TreeScalar {}
extension UInt128: TreeScalar {}

extension Double: TreeScalar {
    static var greatest: Double { .infinity }
    @inline(__always) static func gap(_ a: Double, _ b: Double) -> Double { abs(a - b) }
    /// As SIMD's `(d * d).sum()`, NearestPoint's formula before the tree.
    @inline(__always) static func squaredLength(_ g0: Double, _ g1: Double, _ g2: Double, _ g3: Double) -> Double {
        let d = SIMD4(g0, g1, g2, g3)
        return (d * d).sum()
    }
}

/// Exact nearest point among up to 65,536 points of up to 4 dimensions (a
/// 3-D point has a 4th coordinate of 0): the one nearest-colour search of
/// KMCore beside the RGB grid (NearestColor.Grid, which falls back to it for
/// bunched palettes). It answers with the point's index and squared distance;
/// ties go to the lower index. Repeated palette colours are the caller's to
/// leave out (Palette.firstIndices): a repeat never beats its first occurrence.
///
/// A k-d tree, implicit in the order of `nodes`: the node of a range lo..<hi is
/// its middle point, mid = (lo + hi) / 2, split on the axis stored with it, the
/// widest of the range; the points of lo..<mid are at most its coordinate on
/// that axis, those of mid + 1..<hi at least. A search goes down the query's
/// side first and visits the other only when its box is no farther than the
/// best found. Memory: one node a point, however the points bunch (the
/// sorted sweeps it replaced, by lightness and along the diagonal, degrade to
/// a scan of the palette when it bunches).
struct NearestTree<S: TreeScalar>: Sendable {
    struct Node: Sendable {
        var x: S, y: S, z: S, w: S
        var index: Int32
        /// The node's split axis: 0...3.
        var axis: UInt8

        @inline(__always) func coordinate(_ axis: UInt8) -> S {
            switch axis {
            case 0: return x
            case 1: return y
            case 2: return z
            default: return w
            }
        }
    }

    /// Ranges this short are scanned, not split further.
    static var leafSize: Int { 8 }

    let nodes: [Node]
    /// The least and greatest coordinates of all the points: the root's box,
    /// so that a query outside it prunes by its distance to it.
    let least: Node, most: Node

    /// A tree of `points`, point i answering with `indices[i]` (0...Int32.max).
    init(_ points: [(S, S, S, S)], indices: [Int]) {
        precondition(points.count == indices.count)
        var nodes = zip(points, indices).map { Node(x: $0.0.0, y: $0.0.1, z: $0.0.2, w: $0.0.3, index: Int32($0.1), axis: 0) }
        func bounds(_ range: ArraySlice<Node>) -> (Node, Node) {
            var least = Node(x: .greatest, y: .greatest, z: .greatest, w: .greatest, index: 0, axis: 0)
            var most = Node(x: .zero, y: .zero, z: .zero, w: .zero, index: 0, axis: 0)
            for p in range {
                (least.x, least.y, least.z, least.w) = (min(least.x, p.x), min(least.y, p.y), min(least.z, p.z), min(least.w, p.w))
                (most.x, most.y, most.z, most.w) = (max(most.x, p.x), max(most.y, p.y), max(most.z, p.z), max(most.w, p.w))
            }
            return (least, most)
        }
        func build(_ lo: Int, _ hi: Int) {
            guard hi - lo > NearestTree.leafSize else { return }
            let (least, most) = bounds(nodes[lo..<hi])
            let spread = (0..<4).map { S.gap(most.coordinate(UInt8($0)), least.coordinate(UInt8($0))) }
            let axis = UInt8(spread.indices.max { spread[$0] < spread[$1] || (spread[$0] == spread[$1] && $0 > $1) }!)
            nodes[lo..<hi].sort { $0.coordinate(axis) < $1.coordinate(axis) }
            let mid = (lo + hi) / 2
            nodes[mid].axis = axis
            build(lo, mid)
            build(mid + 1, hi)
        }
        build(0, nodes.count)
        self.nodes = nodes
        (least, most) = bounds(nodes[...])
    }

    /// The index of the point nearest to `q` and its squared distance; index
    /// -1 and distance `greatest` when there are no points.
    @inline(__always) func nearest(_ q: (S, S, S, S)) -> (index: Int, distance: S) {
        var found = Found(best: .greatest, index: -1, second: nil)
        search(q, &found)
        return (Int(found.index), found.best)
    }

    /// The index of the point nearest to `q`, its squared distance, and the
    /// squared distance of the nearest point of another index (`greatest` when
    /// there is none). `start`, a point's index and its squared distance to `q`
    /// (say, the last answer), only makes the search shorter.
    func twoNearest(_ q: (S, S, S, S), start: (index: Int, distance: S)?) -> (index: Int, distance: S, second: S) {
        var found = Found(best: start?.distance ?? .greatest, index: Int32(start?.index ?? -1), second: .greatest)
        search(q, &found)
        return (Int(found.index), found.best, found.second!)
    }

    /// The best so far: the nearest point's squared distance and index, and
    /// with `second` (non-nil) the nearest other's, which then bounds the search.
    struct Found {
        var best: S, index: Int32, second: S?

        @inline(__always) mutating func offer(_ d: S, _ i: Int32) {
            guard let s = second else {
                if d < best || (d == best && i < index) { (best, index) = (d, i) }
                return
            }
            if i == index { return }  // the start, seen again
            if d < best || (d == best && i < index) {
                (second, best, index) = (best, d, i)
            } else if d < s {
                second = d
            }
        }

        /// The farthest a box may be and still hold a better answer.
        @inline(__always) var limit: S { second ?? best }
    }

    private func search(_ q: (S, S, S, S), _ found: inout Found) {
        let g = (S.gap(q.0, clamp(q.0, least.x, most.x)), S.gap(q.1, clamp(q.1, least.y, most.y)),
                 S.gap(q.2, clamp(q.2, least.z, most.z)), S.gap(q.3, clamp(q.3, least.w, most.w)))
        nodes.withUnsafeBufferPointer { all in
            // In bounds: every range visited is within 0..<all.count.
            NearestTree.visit(all, 0, all.count, q, gaps: g, found: &found)
        }
    }

    @inline(__always) private func clamp(_ x: S, _ a: S, _ b: S) -> S { min(max(x, a), b) }

    @inline(__always) static func distance(_ q: (S, S, S, S), _ p: Node) -> S {
        S.squaredLength(S.gap(q.0, p.x), S.gap(q.1, p.y), S.gap(q.2, p.z), S.gap(q.3, p.w))
    }

    /// Offers `found` every point of lo..<hi that may beat it; `gaps` are the
    /// per-axis distances from q to the range's box.
    private static func visit(_ all: UnsafeBufferPointer<Node>, _ lo: Int, _ hi: Int, _ q: (S, S, S, S),
                              gaps: (S, S, S, S), found: inout Found) {
        if hi - lo <= leafSize {
            for i in lo..<hi { found.offer(distance(q, all[i]), all[i].index) }
            return
        }
        let mid = (lo + hi) / 2, p = all[mid]
        found.offer(distance(q, p), p.index)
        let split = p.coordinate(p.axis)
        let x: S
        // The far side's box: this axis's gap becomes the gap to the split.
        var far = gaps
        switch p.axis {
        case 0: x = q.0; far.0 = S.gap(x, split)
        case 1: x = q.1; far.1 = S.gap(x, split)
        case 2: x = q.2; far.2 = S.gap(x, split)
        default: x = q.3; far.3 = S.gap(x, split)
        }
        let (near, other) = x < split ? ((lo, mid), (mid + 1, hi)) : ((mid + 1, hi), (lo, mid))
        visit(all, near.0, near.1, q, gaps: gaps, found: &found)
        if S.squaredLength(far.0, far.1, far.2, far.3) <= found.limit {
            visit(all, other.0, other.1, q, gaps: far, found: &found)
        }
    }
}

extension NearestTree where S == Double {
    init(_ points: [SIMD4<Double>], indices: [Int]) {
        self.init(points.map { ($0.x, $0.y, $0.z, $0.w) }, indices: indices)
    }

    @inline(__always) func nearest(_ q: SIMD4<Double>) -> (index: Int, distance: Double) { nearest((q.x, q.y, q.z, q.w)) }

    func twoNearest(_ q: SIMD4<Double>, start: (index: Int, distance: Double)?) -> (index: Int, distance: Double, second: Double) {
        twoNearest((q.x, q.y, q.z, q.w), start: start)
    }
}

/// The nearest palette colour to a colour's coordinates in a space, in
/// Double (a NearestTree): for costs and fits, where the colours may be on any
/// scale. (Mapping uses NearestColor, exact in integers on the image's own scale.)
public struct NearestPoint: Sendable {
    /// The palette's colours' coordinates in `space`.
    public let points: [SIMD3<Double>]
    public let space: ColorSpace
    let tree: NearestTree<Double>

    /// Nearest in `space`: queries are coordinates in it (for `rgb`, unit-cube points).
    public init(_ palette: Palette, space: ColorSpace = .rgb) {
        self.space = space
        let points = palette.unitColors.map { space.coordinates($0) }, first = palette.firstIndices
        self.points = points
        tree = NearestTree(first.map { SIMD4(points[$0], 0) }, indices: first)
    }

    /// The index of the nearest point (ties to the lower index) and its squared
    /// distance; (0, infinity) for an empty palette.
    public func index(of p: SIMD3<Double>) -> (index: Int, distance: Double) {
        let found = tree.nearest(SIMD4(p, 0))
        return (max(found.index, 0), found.distance)
    }
}
