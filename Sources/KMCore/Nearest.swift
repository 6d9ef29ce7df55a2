/// Exact nearest palette colour for integer pixels (opaque, or with a palette
/// with alphas, RGBA), ties to the lower palette index. How it is measured:
/// - RGB (space `.rgb`, no alphas): least squared distance in the unit cube,
///   computed in integers (`Search`'s grid, falling back to a NearestTree for
///   bunched palettes).
/// - Another ColorSpace: least squared distance between coordinates in Double,
///   the same as NearestPoint's (a NearestTree of the coordinates).
/// - A palette with alphas (space `.rgb` only): least squared distance between
///   premultiplied points (RGBA.premultipliedSamples) on the input's integer
///   scale maxval², the palette's points scaled from its own; exact for inputs
///   of maxval up to 4096 whose maxval the palette's divides (8-bit palettes on
///   8- and 16-bit images), so that ties are ties. A fully transparent pixel is
///   nearest to a fully transparent colour whatever its RGB.
///
/// Repeated palette colours are left out of every search (a repeat never
/// beats its first occurrence), so a padded palette maps as fast as the
/// palette it pads.
public struct NearestColor: Sendable {
    public let palette: Palette
    /// Where distances are measured.
    public let space: ColorSpace
    /// The search for inputs on the palette's own scale, made at init.
    public let own: Search

    /// A search of `palette` (1...65536 colours) in `space`, which must be
    /// `.rgb` when the palette has alphas.
    public init(_ palette: Palette, space: ColorSpace = .rgb) {
        self.palette = palette
        self.space = space
        own = Search(palette, maxval: palette.maxval, space: space)
    }

    /// The search for inputs on the scale 0...`maxval` (1...65535): `own` for
    /// the palette's scale, otherwise made here (K log K and more: once per scale).
    public func search(maxval: Int) -> Search {
        maxval == palette.maxval ? own : Search(palette, maxval: maxval, space: space)
    }

    /// The index of the palette colour nearest to (r, g, b), opaque, on the palette's scale.
    @inlinable public func index(_ r: Int32, _ g: Int32, _ b: Int32) -> Int {
        own.index(UInt16(r), UInt16(g), UInt16(b))
    }

    /// Writes, for each pixel of interleaved RGB `samples` on the scale
    /// 0...`maxval`, the index of its nearest palette colour.
    func indices(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int,
                 into out: UnsafeMutableBufferPointer<UInt16>) {
        var cache = ColorCache(search(maxval: maxval))
        for p in 0..<samples.count / 3 {
            out[p] = cache.index(samples[3 * p], samples[3 * p + 1], samples[3 * p + 2])
        }
    }

    /// Replaces each pixel of interleaved RGB `samples` (0...`maxval`) by its
    /// nearest palette colour, written to `out` on the palette's scale. Splits
    /// the work over `threads`; the result does not depend on it.
    func map(rgb samples: UnsafeBufferPointer<UInt16>, maxval: Int,
             into out: UnsafeMutableBufferPointer<UInt16>, threads: Int) {
        let format = PixelFormat(depth: 3, isGray: false, hasAlpha: false, maxval: maxval)
        var mapper = Mapper(self)
        mapper.beginImage(format: format, width: max(samples.count / 3, 1))
        mapper.map16(samples, firstRow: 0, into: out, threads: threads)
    }

    /// The exact search for inputs on one scale 0...maxval (1...65535).
    ///
    /// RGB: input and palette are compared on the common scale maxval x
    /// palette maxval: an input sample v is v x palette maxval there, a palette
    /// sample c is c x maxval (on the palette's own scale both factors are 1).
    /// A grid of n^3 cells (n a power of two, more for larger palettes) splits
    /// each axis's values 0...maxval into n runs; each cell keeps the colours
    /// whose least distance to the cell's box is at most the least, over
    /// colours, of the greatest distance to the box (every other colour is
    /// farther from every point of the cell than that colour). The cells' lists
    /// are made coarse to fine (a child's colours are among its parent's), each
    /// sorted by (least distance, index). All in integers: exact.
    public final class Search: Sendable {
        /// The input scale and the palette's.
        public let maxval: Int, paletteMaxval: Int
        public let palette: Palette
        /// Whether the palette has alphas: colours are RGBA, measured premultiplied.
        public let premultiplied: Bool
        /// log2 of the cells per axis.
        let shift: Int
        /// The cell along an axis of each input value 0...maxval.
        let cellOf: [UInt16]
        /// The cells' lists, in the narrowest distance type that holds every sum.
        let lists: Lists

        enum Lists {
            /// Same scale, bounds below 3 maxval^2 < 2^32 (maxval <= 37837).
            case narrow(Grid<UInt16, UInt32, UInt64>)
            /// Same scale, larger maxval: sums below 2^34.
            case wide(Grid<UInt16, UInt64, UInt64>)
            /// Different scales: coordinates up to 65535^2, sums up to 2^66.
            case mixed(Grid<UInt32, UInt128, UInt128>)
            /// Not RGB: coordinates in a ColorSpace, in Double.
            case space(NearestTree<Double>, ColorSpace.Converter)
            /// Alphas: premultiplied points on the scale maxval², and 1 / maxval⁴,
            /// from a squared distance there to the unit cube's.
            case premultiplied(NearestTree<Double>, toUnit: Double)
        }

        public init(_ palette: Palette, maxval: Int, space: ColorSpace = .rgb) {
            precondition((1...65535).contains(maxval) && palette.count > 0 && palette.count <= 65536)
            precondition(palette.alphas == nil || space == .rgb, "a palette with alphas is measured in RGB")
            self.maxval = maxval
            self.palette = palette
            paletteMaxval = palette.maxval
            premultiplied = palette.alphas != nil
            let distinct = palette.firstIndices
            if premultiplied {
                (shift, cellOf) = (0, [])
                let s = Double(maxval) / Double(palette.maxval), m2 = Double(maxval) * Double(maxval)
                let points = distinct.map { palette.rgba($0).premultipliedSamples(maxval: palette.maxval) * (s * s) }
                lists = .premultiplied(NearestTree(points, indices: distinct), toUnit: 1 / (m2 * m2))
                return
            }
            if space != .rgb {
                (shift, cellOf) = (0, [])
                let convert = space.converter(maxval: maxval), units = palette.unitColors
                let points = distinct.map { SIMD4(space.coordinates(units[$0]), 0) }
                lists = .space(NearestTree(points, indices: distinct), convert)
                return
            }
            // 16^3 cells, 32^3 above 128 colours (64^3 measured slower, even at 2048: memory);
            // never more cells per axis than values.
            var shift = distinct.count > 128 ? 5 : 4
            while (1 << shift) > maxval + 1 { shift -= 1 }
            self.shift = shift
            let n = 1 << shift
            cellOf = (0...maxval).map { UInt16($0 * n / (maxval + 1)) }
            let same = maxval == palette.maxval
            if same && 3 * maxval * maxval < 1 << 32 {
                lists = .narrow(Grid(palette, among: distinct, maxval: maxval, cellOf: cellOf, n: n))
            } else if same {
                lists = .wide(Grid(palette, among: distinct, maxval: maxval, cellOf: cellOf, n: n))
            } else {
                lists = .mixed(Grid(palette, among: distinct, maxval: maxval, cellOf: cellOf, n: n))
            }
        }

        /// The candidate entries and tree points the search holds: at most
        /// Grid.budget x cells + distinct colours, however the colours bunch.
        var entryCount: Int {
            switch lists {
            case .narrow(let grid): return grid.entries.count + (grid.tree?.nodes.count ?? 0)
            case .wide(let grid): return grid.entries.count + (grid.tree?.nodes.count ?? 0)
            case .mixed(let grid): return grid.entries.count + (grid.tree?.nodes.count ?? 0)
            case .space(let tree, _), .premultiplied(let tree, _): return tree.nodes.count
            }
        }

        /// Cells answered by the tree (span count 0).
        var fallbackCells: Int {
            switch lists {
            case .narrow(let grid): return grid.span.filter { $0 & 0xFFFF_FFFF == 0 }.count
            case .wide(let grid): return grid.span.filter { $0 & 0xFFFF_FFFF == 0 }.count
            case .mixed(let grid): return grid.span.filter { $0 & 0xFFFF_FFFF == 0 }.count
            case .space, .premultiplied: return 0
            }
        }

        /// The index of the palette colour nearest to (r, g, b), each 0...maxval, opaque.
        @inline(__always) public func index(_ r: UInt16, _ g: UInt16, _ b: UInt16) -> Int {
            // Checked: a sample above maxval traps instead of reading past the table.
            @inline(__always) func cell() -> Int {
                (Int(cellOf[Int(r)]) << (2 * shift)) | (Int(cellOf[Int(g)]) << shift) | Int(cellOf[Int(b)])
            }
            switch lists {
            case .narrow(let grid): return grid.nearest(r, g, b, cell: cell(), scale: 1)
            case .wide(let grid): return grid.nearest(r, g, b, cell: cell(), scale: 1)
            case .mixed(let grid): return grid.nearest(r, g, b, cell: cell(), scale: UInt128(paletteMaxval))
            default: return index(RGBA(Color(red: r, green: g, blue: b), alpha: UInt16(maxval))).index
            }
        }

        /// The index of the palette colour nearest to (r, g, b) with alpha `a`,
        /// each 0...maxval; the alpha counts only when the palette has alphas.
        @inline(__always) public func index(_ r: UInt16, _ g: UInt16, _ b: UInt16, _ a: UInt16) -> Int {
            premultiplied ? index(RGBA(Color(red: r, green: g, blue: b), alpha: a)).index : index(r, g, b)
        }

        /// The index of the palette colour nearest to `c` (on the scale 0...maxval)
        /// and its squared distance in the unit cube: premultiplied (0...4) when
        /// the palette has alphas; otherwise between opaque colours (0...3, c's
        /// alpha ignored), or in the space's coordinates.
        @inline(never) public func index(_ c: RGBA) -> (index: Int, distance: Double) {
            switch lists {
            case .premultiplied(let tree, let toUnit):
                let found = tree.nearest(c.premultipliedSamples(maxval: maxval))
                return (found.index, found.distance * toUnit)
            case .space(let tree, let convert):
                return tree.nearest(SIMD4(convert(c.color.red, c.color.green, c.color.blue), 0))
            default:
                let i = index(c.color.red, c.color.green, c.color.blue)
                let d = c.color.unit(maxval: maxval) - palette.colors[i].unit(maxval: paletteMaxval)
                return (i, (d * d).sum())
            }
        }

        /// The 64-bit key a ColorCache files (r, g, b, a) under: RGBA.key when the
        /// palette has alphas, else Color.key (the alpha does not count).
        @inline(__always) func key(_ r: UInt16, _ g: UInt16, _ b: UInt16, _ a: UInt16) -> UInt64 {
            premultiplied ? RGBA(Color(red: r, green: g, blue: b), alpha: a).key : Color(red: r, green: g, blue: b).key
        }
    }

    /// A palette colour on the common scale (coordinates C), its index, and its
    /// least squared distance to a cell's box (B).
    struct Entry<C: FixedWidthInteger & UnsignedInteger & Sendable, B: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
        var r: C, g: C, b: C
        var index: UInt16
        var bound: B
    }

    /// The candidate lists of every cell. span[c] is start << 32 | count: cell
    /// c's list is entries[start..<start + count], sorted by (bound, index),
    /// except that a cell with one candidate keeps its palette index in place of
    /// start, and no entry, and a fallback cell (count 0) is answered by `tree`.
    ///
    /// A box of cells whose list would be long for its volume (more than
    /// `budget` x its cells, as when the palette bunches in a far corner) is not
    /// refined: its cells fall back. So the entries are at most `budget` x the
    /// cells, and the tree holds the distinct colours once.
    ///
    /// C holds coordinates, B bounds; D is the type distances are summed in,
    /// with 16 bits to spare: a candidate's key is its distance << 16 | index,
    /// so that the least key is the nearest colour, ties to the lower index.
    struct Grid<C: FixedWidthInteger & UnsignedInteger & Sendable, B: FixedWidthInteger & UnsignedInteger & Sendable,
                D: FixedWidthInteger & UnsignedInteger & TreeScalar>: Sendable {
        let span: [UInt64]
        let entries: [Entry<C, B>]
        /// The distinct colours, for the fallback cells; nil when there are none.
        let tree: NearestTree<D>?

        /// Candidates a cell may keep, on average over a box of cells, before the
        /// box falls back. Measured (16, 32, 64, 128, 256) on kmmap of a 3840x2160
        /// photo: spread palettes up to 3,000 colours keep every cell at 32 (their
        /// longest lists), and bunched ones build and map fastest at 16 or 32; at 64
        /// and above, 4,096 colours in a 16^3 corner build 10x slower (the boxes of
        /// 4^3 cells pass).
        static var budget: Int { 32 }

        /// Squared distance between two points of the common scale. Wrapping
        /// arithmetic is exact here: the true sum is below D's range (Lists).
        @inline(__always) static func key(_ r: D, _ g: D, _ b: D, _ e: Entry<C, B>) -> D {
            let dr = r &- D(e.r), dg = g &- D(e.g), db = b &- D(e.b)
            return (dr &* dr &+ dg &* dg &+ db &* db) << 16 | D(e.index)
        }

        /// The nearest entry of `cell` to the input (r, g, b) x `scale`.
        @inline(__always) func nearest(_ r: UInt16, _ g: UInt16, _ b: UInt16, cell: Int, scale: D) -> Int {
            let s = span.withUnsafeBufferPointer { $0[cell] }
            let count = Int(truncatingIfNeeded: s & 0xFFFF_FFFF), first = Int(truncatingIfNeeded: s >> 32)
            if count == 1 { return first }
            if count == 0 { return tree!.nearest((D(r) &* scale, D(g) &* scale, D(b) &* scale, 0)).index }
            let qr = D(r) &* scale, qg = D(g) &* scale, qb = D(b) &* scale
            return entries.withUnsafeBufferPointer { all in
                var best = Grid.key(qr, qg, qb, all[first])
                for j in first + 1..<first + count {
                    let e = all[j]
                    // Sorted by bound: no later entry can be nearer.
                    if D(e.bound) > best >> 16 { break }
                    best = min(best, Grid.key(qr, qg, qb, e))
                }
                return Int(truncatingIfNeeded: best & 0xFFFF)
            }
        }

        /// The lists for inputs 0...maxval, each axis split by `cellOf` into n
        /// runs, of the palette colours at the indices `among`.
        init(_ palette: Palette, among: [Int], maxval: Int, cellOf: [UInt16], n: Int) {
            let toCommon = D(maxval == palette.maxval ? 1 : maxval)
            let inputScale = D(maxval == palette.maxval ? 1 : palette.maxval)
            // Per axis cell: its first and last value on the common scale.
            var lo = [D](repeating: 0, count: n), hi = lo
            for v in stride(from: maxval, through: 0, by: -1) { lo[Int(cellOf[v])] = D(v) * inputScale }
            for v in 0...maxval { hi[Int(cellOf[v])] = D(v) * inputScale }
            let colors = palette.colors.map { (D($0.red) * toCommon, D($0.green) * toCommon, D($0.blue) * toCommon) }
            var span = [UInt64](repeating: 0, count: n * n * n)
            var entries: [Entry<C, B>] = []
            let shift = n.trailingZeroBitCount

            /// Squared distance from x to [a, b] (least) and to its farther end (greatest).
            func axis(_ x: D, _ a: D, _ b: D) -> (near: D, far: D) {
                let near = x < a ? a - x : (x > b ? x - b : 0)
                let far = max(x > a ? x - a : a - x, x > b ? x - b : b - x)
                return (near * near, far * far)
            }
            // The colours (of `among`) that can be nearest in the box of cells
            // [x, x + size) x [y, ...) x [z, ...), with their least distances;
            // nil when they are more than `limit`.
            func keep(_ among: [Int32], _ x: Int, _ y: Int, _ z: Int, _ size: Int, limit: Int) -> [(Int32, D)]? {
                func distances(_ i: Int32) -> (near: D, far: D) {
                    let c = colors[Int(i)]
                    let (nr, fr) = axis(c.0, lo[x], hi[x + size - 1])
                    let (ng, fg) = axis(c.1, lo[y], hi[y + size - 1])
                    let (nb, fb) = axis(c.2, lo[z], hi[z + size - 1])
                    return (nr + ng + nb, fr + fg + fb)
                }
                let bound = among.reduce(D.max) { min($0, distances($1).far) }
                var near: [(Int32, D)] = []
                for i in among {
                    let d = distances(i).near
                    if d > bound { continue }
                    if near.count == limit { return nil }
                    near.append((i, d))
                }
                return near
            }
            var fallback = false
            func refine(_ among: [Int32], _ x: Int, _ y: Int, _ z: Int, _ size: Int) {
                guard let near = keep(among, x, y, z, size, limit: Grid.budget * size * size * size) else {
                    fallback = true  // span stays 0 in the box's cells
                    return
                }
                if size == 1 {
                    let cell = (x << (2 * shift)) | (y << shift) | z
                    if near.count == 1 {
                        span[cell] = UInt64(near[0].0) << 32 | 1
                        return
                    }
                    span[cell] = UInt64(entries.count) << 32 | UInt64(near.count)
                    for (i, bound) in near.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }) {
                        let c = colors[Int(i)]
                        entries.append(Entry(r: C(c.0), g: C(c.1), b: C(c.2), index: UInt16(i), bound: B(bound)))
                    }
                    return
                }
                let among = near.map(\.0), half = size / 2
                for dx in [0, half] {
                    for dy in [0, half] {
                        for dz in [0, half] { refine(among, x + dx, y + dy, z + dz, half) }
                    }
                }
            }
            refine(among.map { Int32($0) }, 0, 0, 0, n)
            (self.span, self.entries) = (span, entries)
            tree = fallback ? NearestTree(among.map { (colors[$0].0, colors[$0].1, colors[$0].2, 0) }, indices: among) : nil
        }
    }
}
