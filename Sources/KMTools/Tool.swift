import ArgumentParser
import CNetpbmShim
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The entry point every kmtools executable shares: libnetpbm set up under the
/// program's name, options parsed, the command run, and every failure turned
/// into one line `NAME: message` on standard error and an exit status:
/// 0 success, 1 bad input or failed output, 64 bad usage (then the usage line too),
/// 99 a quality target not met (kmquant --min-psnr).
/// Descriptors 0-2 are valid before main (see the shim); SIGTERM, SIGINT, SIGHUP
/// and SIGPIPE remove the outputs' temporary files and end the process by the signal.
public enum Tool {
    public static func main<C: ParsableCommand>(_ command: C.Type) -> Never {
        let name = C.configuration.commandName ?? "kmtools"
        km_init(name)
        km_catch_fatal_signals()
        km_catch_ending_signals()
        if let repeated = repeatedOption(CommandLine.arguments.dropFirst(), in: optionNames(dump: C._dumpHelp())) {
            fail(name, "\(repeated) is given more than once\nUsage: " + C.usageString(), 64)
        }
        do {
            var parsed = try C.parseAsRoot()
            try parsed.run()
            exit(0)
        } catch let error as KMError {
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
    /// names), among `options`, each option's names; nil if none is.
    static func repeatedOption(_ arguments: ArraySlice<String>, in options: [[String]]) -> String? {
        var seen: [Int: String] = [:]
        for argument in arguments {
            if argument == "--" { break }
            let option = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            guard let group = options.firstIndex(where: { $0.contains(option) }) else { continue }
            if let first = seen[group] {
                return first == option ? "'\(option)'" : "'\(option)' (also given as '\(first)')"
            }
            seen[group] = option
        }
        return nil
    }

    /// The names of each option and flag of a command that takes one value
    /// (an array option may be repeated), e.g. ["-k", "--colors"], read from
    /// `dump`, the description swift-argument-parser gives for
    /// --experimental-dump-help (`_dumpHelp()`, ToolInfoV0 JSON), so the names
    /// are the parser's own. A subcommand's options are not included.
    static func optionNames(dump: String) -> [[String]] {
        guard let info = try? JSONDecoder().decode(ToolInfo.self, from: Data(dump.utf8)) else { return [] }
        return (info.command.arguments ?? []).filter { $0.kind != "positional" && !$0.isRepeating }.map { argument in
            (argument.names ?? []).map { ($0.kind == "long" ? "--" : "-") + $0.name }
        }
    }

    private static func fail(_ name: String, _ message: String, _ status: Int32) -> Never {
        printError("\(name): \(message)")
        exit(status == 0 ? 1 : status)
    }
}

/// The part of swift-argument-parser's ToolInfoV0 that `Tool.optionNames` reads.
private struct ToolInfo: Decodable {
    struct Command: Decodable { let arguments: [Argument]? }
    struct Argument: Decodable { let kind: String; let names: [Name]?; let isRepeating: Bool }
    struct Name: Decodable { let kind: String; let name: String }
    let command: Command
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
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
