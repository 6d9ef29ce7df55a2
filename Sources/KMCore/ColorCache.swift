/// Recent answers of a nearest-colour search, by colour: a direct-mapped table
/// of 2^bits slots from a colour's 64-bit key (Search.key: RGBA.key when the
/// palette has alphas, Color.key otherwise) to a Value, the nearest index (the
/// `index` methods) or the pattern dither's candidates. One per thread.
///
/// No slot is ever empty, so no key has to mean "empty": every slot starts
/// holding key 0 with key 0's true value. Key 0 is a real colour (black, or
/// with alphas transparent black), and a slot holding it is right whichever
/// colour then asks for that slot: a different key misses, key 0 hits its answer.
struct ColorCache<Value> {
    let search: NearestColor.Search
    private let bits: Int
    /// Whether keys are RGBA keys (the search's palette has alphas).
    private let alphaKeys: Bool
    /// The search's maxval: the alpha of an opaque colour.
    private let opaque: UInt16
    /// Each slot's key and value, apart: the keys, scanned on every lookup, stay dense.
    private let keys: UncheckedArray<UInt64>, values: UncheckedArray<Value>

    /// A cache of 2^`bits` slots whose values `make(r, g, b, a)` gives; it is
    /// called here once, for key 0.
    init(_ search: NearestColor.Search, bits: Int, make: (UInt16, UInt16, UInt16, UInt16) -> Value) {
        (self.search, self.bits, alphaKeys, opaque) = (search, bits, search.premultiplied, UInt16(search.maxval))
        keys = UncheckedArray(repeating: 0, count: 1 << bits)
        values = UncheckedArray(repeating: make(0, 0, 0, 0), count: 1 << bits)
    }

    /// The value of (r, g, b) with alpha `a` (0...the search's maxval), made by
    /// `make(search)` when not remembered. (The search is passed, not captured:
    /// a capture would retain it on every call, hits included.)
    @inline(__always) mutating func value(_ r: UInt16, _ g: UInt16, _ b: UInt16, _ a: UInt16,
                                          make: (NearestColor.Search) -> Value) -> Value {
        let key = alphaKeys ? RGBA(Color(red: r, green: g, blue: b), alpha: a).key : Color(red: r, green: g, blue: b).key
        // In range: Color.slot is below 2^bits, the slots' count.
        let slot = Color.slot(key, bits: bits)
        if keys[slot] == key { return values[slot] }
        let v = make(search)
        (keys[slot], values[slot]) = (key, v)
        return v
    }
}

extension ColorCache where Value == UInt16 {
    /// A cache of the search's nearest indices: 2^12 slots (64 KiB).
    init(_ search: NearestColor.Search) {
        self.init(search, bits: 12) { UInt16(search.index($0, $1, $2, $3)) }
    }

    /// The index of the palette colour nearest to (r, g, b) with alpha `a`.
    @inline(__always) mutating func index(_ r: UInt16, _ g: UInt16, _ b: UInt16, _ a: UInt16) -> UInt16 {
        value(r, g, b, a) { ColorCache.search($0, r, g, b, a) }
    }

    /// The index of the palette colour nearest to (r, g, b), opaque.
    @inline(__always) mutating func index(_ r: UInt16, _ g: UInt16, _ b: UInt16) -> UInt16 {
        value(r, g, b, opaque) { UInt16(truncatingIfNeeded: $0.index(r, g, b)) }
    }

    /// A miss with alpha: the search, kept out of line so that the loop stays small.
    @inline(never) private static func search(_ search: NearestColor.Search, _ r: UInt16, _ g: UInt16, _ b: UInt16,
                                              _ a: UInt16) -> UInt16 {
        UInt16(truncatingIfNeeded: search.index(r, g, b, a))
    }
}
