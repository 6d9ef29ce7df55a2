import Dispatch
import Synchronization

/// Work split over threads in a way that never changes results: the caller
/// splits the work into a fixed number of pieces (independent of `threads`),
/// each piece writes only its own slot, and slots are combined in index order.
public enum Parallel {
    /// Runs `body(i)` for every `i` in `0..<count` on up to `threads` threads,
    /// each thread taking the next `i` not yet taken (pieces of unequal work,
    /// say restarts of different lengths, keep every thread busy).
    /// `threads <= 1` runs in order on the calling thread.
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        let lanes = min(max(threads, 1), count)
        if lanes <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let shared = SharedBody(body: body)
            DispatchQueue.concurrentPerform(iterations: lanes) { _ in
                while true {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    if i >= count { break }
                    shared.body(i)
                }
            }
        }
    }

    /// The one unchecked point of the package: `body` is called from several
    /// threads at once, which Swift cannot prove safe for a closure that captures
    /// buffers. It is safe under the contract above: each call `body(i)` writes
    /// only piece i's own slot, and nothing reads a slot before `forEach` returns.
    private struct SharedBody: @unchecked Sendable {
        let body: (Int) -> Void
    }

    /// The results of `body(i)` for `i` in `0..<count`, in index order.
    public static func map<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        var slots = [T?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { out in
            let out = out
            forEach(count, threads: threads) { i in out[i] = body(i) }
        }
        return slots.map { $0! }
    }

    /// The number of processors online: the default thread count.
    public static var processorCount: Int {
        var n = 1
        #if canImport(Glibc)
        n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #endif
        return max(n, 1)
    }
}

#if canImport(Glibc)
import Glibc
#endif
