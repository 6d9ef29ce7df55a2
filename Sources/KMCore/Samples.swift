/// Where KMCore's public API lends a caller's samples to its hot loops as
/// buffer views, so that no caller outside KMCore handles a pointer.
///
/// Why it is safe: a view lives only for the call of `body` (it is the
/// argument of `withContiguousStorageIfAvailable` or `withUnsafeBufferPointer`),
/// and no function given one keeps it; writes go through
/// `withUnsafeMutableBufferPointer` on an `inout` array, which the caller
/// cannot touch during the call.
extension Collection {
    /// Calls `body` with the elements as one contiguous buffer (copied first
    /// when the collection has no contiguous storage).
    @inlinable
    func withSamples<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        if let r = try withContiguousStorageIfAvailable(body) { return r }
        return try Array(self).withUnsafeBufferPointer(body)
    }
}
