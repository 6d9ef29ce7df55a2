/// A fixed-size array in memory it allocates itself, indexed without bounds
/// checks (in release builds) and without `withUnsafe...BufferPointer` closures:
/// the storage of the hot loops in BoundedAssignment and CenterIndex.
///
/// Why it is safe:
/// - No pointer outlives its storage. The pointer is private, allocated and
///   initialized in `init` and deinitialized and freed in `deinit`; it never
///   leaves the object. Every access goes through a reference to the object,
///   and a reference keeps the object, hence the memory, alive.
/// - The size never changes: `count` is a `let`, and there is no append or resize.
/// - Bounds are the caller's to keep, as with an unsafe buffer: every index
///   must lie in `0..<count`. `assert` checks it in debug builds; each use site
///   says why its indices are in range.
/// - Not `Sendable`: an instance belongs to one Lloyd run. Within a run, the
///   pieces of an assignment pass (Parallel.map) write disjoint index ranges
///   and read only what no piece writes.
final class UncheckedArray<Element> {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating value: Element, count: Int) {
        precondition(count >= 0)
        base = .allocate(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    init(_ elements: [Element]) {
        count = elements.count
        base = .allocate(capacity: count)
        _ = UnsafeMutableBufferPointer(start: base, count: count).initialize(from: elements)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// The element at `i`, which must lie in `0..<count` (unchecked in release builds).
    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            assert(i >= 0 && i < count, "UncheckedArray index out of range")
            return base[i]
        }
        set {
            assert(i >= 0 && i < count, "UncheckedArray index out of range")
            base[i] = newValue
        }
    }

    /// A copy of the elements as an ordinary array.
    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
