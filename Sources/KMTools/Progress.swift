import CNetpbmShim
#if canImport(Glibc)
import Glibc
#endif

/// A long job's progress on standard error, for kmfit.
///
/// - On a terminal (whatever -v says): one line, rewritten in place (`\r`, then
///   erase to the end of the line), at most ten times a second; `finish()` erases it.
///   Messages (`message(_:)`) go above it, and it is drawn again below them.
/// - With -v into a file or a pipe: no updating line (no `\r` in a log); only the
///   steps given to `step(_:)` as plain lines.
/// - Otherwise: nothing at all, so logs and tests see only what they saw before.
public final class Progress {
    public enum Mode: Equatable { case off, log, terminal }

    public let mode: Mode
    /// The program's name, which starts every line.
    public let name: String
    private var shown: String?       // the line on the terminal now, if any
    private var lastDraw = -1.0      // seconds (monotonic) of the last draw

    /// The mode for standard error: `terminal` when it is a terminal, else
    /// `log` with `verbose`, else `off`.
    public static func mode(verbose: Bool, terminal: Bool = isatty(2) == 1) -> Mode {
        terminal ? .terminal : verbose ? .log : .off
    }

    public init(_ name: String, mode: Mode) {
        self.name = name
        self.mode = mode
    }

    /// The updating line says `text` now (a terminal only); unless `force`,
    /// no more often than ten times a second.
    public func update(_ text: String, force: Bool = false) {
        guard mode == .terminal else { return }
        let now = Progress.seconds()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        shown = text
        write("\r\(name): \(text)\u{1B}[K")
    }

    /// Shows the image being read: "frame F: row R of H", F counted over the streams.
    public func reading(_ image: PNMImage, frame: Int) {
        update("frame \(grouped(frame)): row \(grouped(image.rowsRead)) of \(grouped(image.height))")
    }

    /// A step worth a line of its own in a log (-v); on a terminal the updating line says it.
    public func step(_ text: String) {
        switch mode {
        case .off: return
        case .log: write("\(name): \(text)\n")
        case .terminal: update(text, force: true)
        }
    }

    /// A line that stays (say, -v's cost of each run), above the updating line.
    public func message(_ line: String) {
        if mode == .terminal, let shown {
            write("\r\u{1B}[K\(line)\n\(name): \(shown)\u{1B}[K")
        } else {
            write(line + "\n")
        }
    }

    /// Erases the updating line, if one is shown.
    public func finish() {
        guard mode == .terminal, shown != nil else { return }
        write("\r\u{1B}[K")
        shown = nil
    }

    private func write(_ text: String) {
        fputs(text, km_stderr())
        fflush(km_stderr())
    }

    private static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }
}

/// `n` with a comma between each group of three digits, e.g. 1,234,567.
public func grouped(_ n: some BinaryInteger) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// `n` (grouped) and the noun, plural unless n is 1: "1 distinct colour", "45,644 distinct colours".
public func counted(_ n: Int, _ noun: String) -> String {
    "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")"
}
