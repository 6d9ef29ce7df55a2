import ArgumentParser
import CNetpbmShim
#if canImport(Glibc)
import Glibc
#endif

/// A failure of a tool's own, with its exit status.
public struct ToolError: Error, CustomStringConvertible {
    public let description: String
    public let status: Int32

    public init(_ description: String, status: Int32 = 1) {
        self.description = description
        self.status = status
    }
}

extension ToolError {
    /// An input (or one image of it) whose every pixel is fully transparent
    /// (alpha 0): nothing to fit or score.
    static func noOpaquePixel(_ stream: String, image: Int? = nil) -> ToolError {
        ToolError("\(stream) has no opaque pixel\(image.map { " in image \($0)" } ?? ""): every pixel's alpha is 0")
    }
}

/// What `-o` and `--report` do with each kind of path (Output), in one
/// paragraph for the tools' help; the man pages' OUTPUT FILES section has the whole rules.
public let outputRules = """
    A regular file (or a new path) is replaced atomically when the whole run succeeded, its mode \
    kept; a symbolic link's final target likewise, the link kept; /dev/stdout, /dev/fd/N, a FIFO \
    or a device is written as it goes, as > would. See OUTPUT FILES in the man page.
    """

/// The entry point every kmtools executable shares: libnetpbm set up under the
/// program's name, options parsed, the command run, and every failure turned
/// into one line `NAME: message` on standard error and an exit status:
/// 0 success, 1 bad input or failed output, 64 bad usage (then the usage line too).
/// Descriptors 0-2 are valid before main (see the shim); SIGTERM, SIGINT, SIGHUP
/// and SIGPIPE remove the outputs' temporary files and end the process by the signal.
public enum Tool {
    public static func main<C: ParsableCommand>(_ command: C.Type) -> Never {
        let name = C.configuration.commandName ?? "kmtools"
        km_init(name)
        km_catch_fatal_signals()
        km_catch_ending_signals()
        if let repeated = repeatedOption(CommandLine.arguments.dropFirst(), in: C.helpMessage(columns: 400)) {
            fail(name, "\(repeated) is given more than once\nUsage: " + C.usageString(), 64)
        }
        do {
            var parsed = try C.parseAsRoot()
            try parsed.run()
            exit(0)
        } catch let error as NetpbmError {
            fail(name, error.description, 1)
        } catch let error as ToolError {
            fail(name, error.description, error.status)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = C.exitCode(for: error)
            if code == .success {
                print(C.fullMessage(for: error))
                exit(0)
            }
            let message = C.message(for: error)
            let usage = C.usageString()
            fail(name, message + "\nUsage: " + usage, code.rawValue)
        }
    }

    /// The first option of `arguments` given a second time (under any of its
    /// names), found from the option names that `help` lists; nil if none is.
    static func repeatedOption(_ arguments: ArraySlice<String>, in help: String) -> String? {
        var groups: [[String]] = []
        for line in help.split(separator: "\n") where line.hasPrefix("  -") {
            let names = line.split(separator: " ").prefix { $0.hasPrefix("-") || $0.hasSuffix(",") }
                .map { String($0.hasSuffix(",") ? $0.dropLast() : $0) }
                .filter { $0.hasPrefix("-") }
            if !names.isEmpty { groups.append(names) }
        }
        var seen: [Int: String] = [:]
        for argument in arguments {
            if argument == "--" { break }
            let option = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            guard let group = groups.firstIndex(where: { $0.contains(option) }) else { continue }
            if let first = seen[group] {
                return first == option ? "'\(option)'" : "'\(option)' (also given as '\(first)')"
            }
            seen[group] = option
        }
        return nil
    }

    private static func fail(_ name: String, _ message: String, _ status: Int32) -> Never {
        printError("\(name): \(message)")
        exit(status == 0 ? 1 : status)
    }
}

/// Writes a line to standard error.
public func printError(_ line: String) {
    fputs(line + "\n", km_stderr())
}

/// `value` formatted by a printf format, without Foundation.
public func format(_ template: String, _ args: CVarArg...) -> String {
    withVaList(args) { list in
        var buffer = [CChar](repeating: 0, count: 128)
        _ = vsnprintf(&buffer, buffer.count, template, list)
        return String(cString: buffer)
    }
}
