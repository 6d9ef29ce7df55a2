#if canImport(Glibc)
import Glibc
#endif

/// A C library error number kept as a value (after swift-system's `Errno`);
/// its text, strerror's, is made only when it is printed.
public struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's `errno` now.
    public static var current: Errno { Errno(rawValue: errno) }

    /// strerror's text, e.g. "No space left on device".
    public var description: String { String(cString: strerror(rawValue)) }
}
