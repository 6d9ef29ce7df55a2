extension NearestColor {
    /// Exact nearest palette colour by a k-d tree, in memory O(K): the Grid's
    /// answer for its fallback cells, those whose candidate lists would be long
    /// (a palette bunched in a corner makes every far cell keep most of it).
    ///
    /// Points are distinct palette colours on the common scale (coordinates C,
    /// as in Grid's entries: 0...maxval x palette maxval); distances are summed
    /// in D, which has 16 bits to spare, and compared as keys distance << 16 |
    /// index, so that the least key is the nearest colour, ties to the lower
    /// index: the same answer as the Grid's lists and as brute force.
    ///
    /// The tree is implicit in the order of `points`: the node of a range
    /// lo..<hi is its middle point, `mid` = (lo + hi) / 2, split on the axis
    /// (0 red, 1 green, 2 blue) stored with it, the widest of the range; the
    /// points of lo..<mid are at most its coordinate on that axis, those of
    /// mid + 1..<hi at least. A search goes down the input's side first and
    /// visits the other only when its box is no farther than the best found.
    struct Tree<C: FixedWidthInteger & UnsignedInteger & Sendable, D: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
        struct Point: Sendable {
            var r: C, g: C, b: C
            var index: UInt16
            /// The node's split axis: 0, 1 or 2.
            var axis: UInt8

            @inline(__always) func coordinate(_ axis: UInt8) -> C { axis == 0 ? r : (axis == 1 ? g : b) }
        }

        /// Ranges this short are scanned, not split further.
        static var leafSize: Int { 8 }

        let points: [Point]
        /// The least and the greatest coordinates of the points on each axis:
        /// the root's box, so that an input outside it prunes by its distance.
        let least: (C, C, C), most: (C, C, C)

        /// A tree of `colors` (r, g, b on the common scale, each below C's
        /// range), colour i answering with `indices[i]` (0...65535).
        init(_ colors: [(D, D, D)], indices: [Int]) {
            var points: [Point] = []
            points.reserveCapacity(colors.count)
            for (c, i) in zip(colors, indices) {
                points.append(Point(r: C(c.0), g: C(c.1), b: C(c.2), index: UInt16(i), axis: 0))
            }
            func build(_ lo: Int, _ hi: Int) {
                guard hi - lo > Tree.leafSize else { return }
                var least = (C.max, C.max, C.max), most = (C.min, C.min, C.min)
                for p in points[lo..<hi] {
                    least = (min(least.0, p.r), min(least.1, p.g), min(least.2, p.b))
                    most = (max(most.0, p.r), max(most.1, p.g), max(most.2, p.b))
                }
                let spread = (most.0 - least.0, most.1 - least.1, most.2 - least.2)
                let axis: UInt8 = spread.0 >= spread.1 && spread.0 >= spread.2 ? 0 : (spread.1 >= spread.2 ? 1 : 2)
                points[lo..<hi].sort { $0.coordinate(axis) < $1.coordinate(axis) }
                let mid = (lo + hi) / 2
                points[mid].axis = axis
                build(lo, mid)
                build(mid + 1, hi)
            }
            build(0, points.count)
            self.points = points
            least = points.reduce((C.max, C.max, C.max)) { (min($0.0, $1.r), min($0.1, $1.g), min($0.2, $1.b)) }
            most = points.reduce((C.min, C.min, C.min)) { (max($0.0, $1.r), max($0.1, $1.g), max($0.2, $1.b)) }
        }

        /// The palette index of the point nearest to the input (r, g, b) x `scale`.
        @inline(__always) func nearest(_ r: UInt16, _ g: UInt16, _ b: UInt16, scale: D) -> Int {
            let q = (D(r) &* scale, D(g) &* scale, D(b) &* scale)
            /// Squared distance from x to [a, b].
            func offset(_ x: D, _ a: C, _ b: C) -> D {
                let d = x < D(a) ? D(a) - x : (x > D(b) ? x - D(b) : 0)
                return d &* d
            }
            let offsets = (offset(q.0, least.0, most.0), offset(q.1, least.1, most.1), offset(q.2, least.2, most.2))
            var best = D.max
            points.withUnsafeBufferPointer { all in
                Tree.search(all, 0, all.count, q, box: offsets.0 + offsets.1 + offsets.2, offsets: offsets, best: &best)
            }
            return Int(truncatingIfNeeded: best & 0xFFFF)
        }

        /// Lowers `best` to the least key of the points of lo..<hi, whose box is
        /// `box` (squared distance) from q, `offsets` the squared distance of each axis.
        static func search(_ all: UnsafeBufferPointer<Point>, _ lo: Int, _ hi: Int, _ q: (D, D, D), box: D,
                           offsets: (D, D, D), best: inout D) {
            if hi - lo <= leafSize {
                for i in lo..<hi { best = min(best, key(q, all[i])) }
                return
            }
            let mid = (lo + hi) / 2, p = all[mid]
            best = min(best, key(q, p))
            let x = p.axis == 0 ? q.0 : (p.axis == 1 ? q.1 : q.2), split = D(p.coordinate(p.axis))
            let gap = x > split ? x - split : split - x, gap2 = gap &* gap
            // The far side's box: this axis's offset becomes the gap to the split.
            var far = offsets
            let old: D
            switch p.axis {
            case 0: (old, far.0) = (offsets.0, gap2)
            case 1: (old, far.1) = (offsets.1, gap2)
            default: (old, far.2) = (offsets.2, gap2)
            }
            let farBox = box - old + gap2
            if x < split {
                search(all, lo, mid, q, box: box, offsets: offsets, best: &best)
                if farBox <= best >> 16 { search(all, mid + 1, hi, q, box: farBox, offsets: far, best: &best) }
            } else {
                search(all, mid + 1, hi, q, box: box, offsets: offsets, best: &best)
                if farBox <= best >> 16 { search(all, lo, mid, q, box: farBox, offsets: far, best: &best) }
            }
        }

        /// The point's squared distance to q << 16 | its index. Wrapping
        /// arithmetic is exact: the true sum is below D's range (Lists).
        @inline(__always) static func key(_ q: (D, D, D), _ p: Point) -> D {
            let dr = q.0 &- D(p.r), dg = q.1 &- D(p.g), db = q.2 &- D(p.b)
            return (dr &* dr &+ dg &* dg &+ db &* db) << 16 | D(p.index)
        }
    }
}
