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
        // Large blocks otherwise go back to the system when freed, and every
        // new one pays its page faults again (a third of a small fit's time).
        km_keep_freed_memory()
        km_catch_fatal_signals(name)
        km_catch_ending_signals()
        // The parser's description of the command costs milliseconds (JSON):
        // made only when an option may be repeated, or for an error's message.
        var described: String?
        func dump() -> String {
            if described == nil { described = C._dumpHelp() }
            return described!
        }
        let arguments = CommandLine.arguments.dropFirst()
        if mayRepeatAnOption(arguments),
           let repeated = repeatedOption(arguments, in: optionNames(dump: dump())) {
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
                // Help, the version, a completion script: a failed write is an error, as for any output.
                print(C.fullMessage(for: error))
                if fflush(km_stdout()) != 0 || ferror(km_stdout()) != 0 {
                    fail(name, "error writing standard output: \(Errno.current)", 1)
                }
                exit(0)
            }
            var message = C.message(for: error)
            // The parser reports an unknown option only after the command's own checks,
            // which then blame what follows it ("kmcost --dither fs": "too many arguments").
            if !message.hasPrefix("Unknown option"), let unknown = unknownOption(arguments, dump: dump()) {
                message = "Unknown option '\(unknown)'"
            }
            if let hint = pngquantHint(message) { message = hint }
            let usage = C.usageString()
            fail(name, message + "\nUsage: " + usage, code.rawValue)
        }
    }

    /// Whether `arguments` hold two or more that may be options (begin with
    /// '-', other than '-' alone, before any '--'): else none is repeated.
    static func mayRepeatAnOption(_ arguments: ArraySlice<String>) -> Bool {
        var options = 0
        for argument in arguments {
            if argument == "--" { break }
            if argument.hasPrefix("-") && argument != "-" { options += 1 }
        }
        return options >= 2
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

    /// The first argument written as an option (`--name`, `--name=value`, or `-x`
    /// by its first letter, before any `--`) that the command does not have (its subcommand's, when the
    /// first argument names one), from `dump` as in `optionNames`; nil if none.
    static func unknownOption(_ arguments: ArraySlice<String>, dump: String) -> String? {
        guard let info = try? JSONDecoder().decode(ToolInfo.self, from: Data(dump.utf8)) else { return nil }
        var command = info.command
        if let first = arguments.first, let sub = command.subcommands?.first(where: { $0.commandName == first }) { command = sub }
        var known: Set<String> = ["help", "version", "generate-completion-script", "experimental-dump-help"], short: Set<Character> = ["h"]
        for argument in command.arguments ?? [] {
            for n in argument.names ?? [] {
                if n.kind == "long" { known.insert(n.name) } else if let c = n.name.first { short.insert(c) }
            }
        }
        for argument in arguments {
            if argument == "--" { break }
            if argument.hasPrefix("--"), argument.count > 2 {
                let option = argument.split(separator: "=", maxSplits: 1)[0]
                if !known.contains(String(option.dropFirst(2))) { return String(option) }
            } else if argument.hasPrefix("-"), argument.count > 1 {
                // A short option: its first letter (a negative number is a value, not an option).
                let letter = argument[argument.index(after: argument.startIndex)]
                if letter.isLetter && !short.contains(letter) { return "-\(letter)" }
            }
        }
        return nil
    }

    /// pngquant's options that kmtools has under another name or not at all, and what to do instead.
    static let pngquantOptions: [(names: [String], instead: String)] = [
        (["--quality", "-Q"], "pngquant's quality range is --min-psnr dB here (the fewest colours whose PSNR reaches it)"),
        (["--nofs"], "kmtools does not dither unless asked (--dither fs)"),
        (["--floyd", "--ordered"], "dithering is --dither fs|sierra|bayer, its amount --dither-strength 0-1"),
        (["--ext", "--force", "--skip-if-larger", "--strip"],
         "kmtools writes netpbm to standard output or -o FILE: pipe it to pnmtopng"),
    ]

    /// The parser's "Unknown option '--quality'..." message, for an option of pngquant's, with
    /// what to use instead in place of the parser's guess at a near name; nil for any other message.
    static func pngquantHint(_ message: String) -> String? {
        guard message.hasPrefix("Unknown option '") else { return nil }
        let option = message.dropFirst("Unknown option '".count).prefix { $0 != "'" }
        guard let entry = pngquantOptions.first(where: { $0.names.contains(String(option)) }) else { return nil }
        return "Unknown option '\(option)': \(entry.instead)"
    }

    private static func fail(_ name: String, _ message: String, _ status: Int32) -> Never {
        printError("\(name): \(message)")
        exit(status == 0 ? 1 : status)
    }
}

/// The part of swift-argument-parser's ToolInfoV0 that `Tool.optionNames` reads.
private struct ToolInfo: Decodable {
    struct Command: Decodable { let commandName: String?; let arguments: [Argument]?; let subcommands: [Command]? }
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
