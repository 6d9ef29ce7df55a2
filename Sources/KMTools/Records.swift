import CNetpbmShim
import KMCore
#if canImport(Glibc)
import Glibc
#endif

// The text formats one tool writes and another reads, each with its writer and
// its one strict parser side by side: kmfit's --report (RunRecord) and kmcost's
// lines (Score), both read by kmplot. Parsers take LF or CRLF line ends and
// refuse, with the line number, anything the writer would not have written.

/// One k-means run of a `kmfit --report` TSV.
public struct RunRecord: Equatable, Sendable {
    /// The run's number, from 1.
    public var restart: Int
    /// Its Lloyd iterations, 0 or more.
    public var iterations: Int
    /// Its cost J, on 0...3.
    public var cost: Double

    public init(restart: Int, iterations: Int, cost: Double) {
        (self.restart, self.iterations, self.cost) = (restart, iterations, cost)
    }

    /// The report's first line.
    public static let header = "restart\titerations\tJ"

    /// A whole report: the header line, then one line a run, each ended by a newline.
    public static func report(_ runs: [RunRecord]) -> String {
        ([header] + runs.map(\.line)).joined(separator: "\n") + "\n"
    }

    /// `restart<TAB>iterations<TAB>J`, J with 9 decimals.
    public var line: String { format("%d\t%d\t%.9f", restart, iterations, cost) }

    /// The runs of a report as `report` writes it: the header, then lines of
    /// exactly three tab-separated fields (restart from 1, no number twice;
    /// iterations 0 or more; J a finite number on 0...3). `name` names the
    /// input in errors: "NAME, line N: ...".
    public static func parseReport(_ text: String, name: String) throws -> [RunRecord] {
        let lines = textLines(text)
        guard !lines.isEmpty else { throw KMError.emptyReport(name) }
        var runs: [RunRecord] = []
        var seen: [Int: Int] = [:]
        for (number, line) in lines.enumerated().map({ ($0.offset + 1, $0.element) }) {
            func bad(_ why: String) -> KMError { .badLine(name, line: number, why) }
            if number == 1 {
                guard line == header else { throw bad("expected the header 'restart<TAB>iterations<TAB>J' of kmfit --report") }
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { throw bad("expected 3 tab-separated fields (restart, iterations, J), got \(fields.count)") }
            guard let restart = Int(fields[0]), restart >= 1 else { throw bad("restart '\(fields[0])' is not a whole number from 1") }
            guard let iterations = Int(fields[1]), iterations >= 0 else {
                throw bad("iterations '\(fields[1])' is not a whole number from 0")
            }
            let cost = try unitCost(fields[2], bad)
            if let first = seen[restart] { throw bad("restart \(restart) again (first on line \(first))") }
            seen[restart] = number
            runs.append(RunRecord(restart: restart, iterations: iterations, cost: cost))
        }
        return runs
    }
}

/// One image's score as kmcost prints it.
public struct Score: Equatable, Sendable {
    /// J, on 0...3.
    public var cost: Double
    /// Palette entries, or nil when scoring against a reference image.
    public var colors: Int?

    public init(cost: Double, colors: Int?) {
        self.cost = cost
        self.colors = colors
    }

    /// `J=0.014797 psnr=23.07 colors=16 bpp=4`, or the same as a JSON object.
    public func line(json: Bool) -> String {
        let db = psnr(cost: cost)
        var fields: [(String, String)] = [
            ("J", format("%.6f", cost)),
            ("psnr", db.isFinite ? format("%.2f", db) : (json ? "null" : "inf")),
        ]
        if let colors {
            fields.append(("colors", "\(colors)"))
            fields.append(("bpp", "\(bitsPerPixel(colors: colors))"))
        }
        if json {
            return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        return fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// The scores of text made of `line(json: false)` lines, one a line: fields
    /// `key=value` separated by spaces, each key once, J (finite, 0...3) and psnr
    /// (a finite number, or inf when J is 0) always, colors (1...65536) and bpp
    /// (ceil(log2 colors)) together or not at all, no other key. `name` names
    /// the input in errors: "NAME, line N: ...".
    public static func parseLines(_ text: String, name: String) throws -> [Score] {
        var scores: [Score] = []
        for (number, line) in textLines(text).enumerated().map({ ($0.offset + 1, $0.element) }) {
            func bad(_ why: String) -> KMError { .badLine(name, line: number, why) }
            var values: [Substring: Substring] = [:]
            for field in line.split(separator: " ") {
                guard let eq = field.firstIndex(of: "="), eq != field.startIndex else {
                    throw bad("'\(field)' is not key=value (expected kmcost's J=... psnr=... colors=... bpp=...)")
                }
                let key = field[..<eq], value = field[field.index(after: eq)...]
                guard ["J", "psnr", "colors", "bpp"].contains(key) else { throw bad("unknown key '\(key)'") }
                guard values[key] == nil else { throw bad("key '\(key)' given twice") }
                values[key] = value
            }
            guard let j = values["J"] else { throw bad("no J= (expected kmcost's J=... psnr=... colors=... bpp=...)") }
            let cost = try unitCost(j, bad)
            guard let db = values["psnr"] else { throw bad("no psnr=") }
            guard db == "inf" ? cost == 0 : decimal(db) != nil else {
                throw bad("psnr '\(db)' is not a finite decimal number" + (db == "inf" ? " (inf goes with J=0)" : ""))
            }
            var colors: Int?
            switch (values["colors"], values["bpp"]) {
            case (nil, nil):
                break
            case let (k?, bpp?):
                guard let k = Int(k), (1...65536).contains(k) else { throw bad("colors '\(k)' is not a whole number from 1 to 65536") }
                guard Int(bpp) == bitsPerPixel(colors: k) else { throw bad("bpp '\(bpp)' does not go with colors=\(k)") }
                colors = k
            default:
                throw bad("colors= and bpp= come together")
            }
            scores.append(Score(cost: cost, colors: colors))
        }
        return scores
    }
}

/// A number written in decimal (digits, sign, point, exponent): no nan, inf or hex.
private func decimal(_ text: Substring) -> Double? {
    guard text.utf8.allSatisfy({ (48...57).contains($0) || "+-.eE".utf8.contains($0) }) else { return nil }
    return Double(text).flatMap { $0.isFinite ? $0 : nil }
}

/// A cost J written as a decimal number: finite and on 0...3.
private func unitCost(_ text: Substring, _ bad: (String) -> KMError) throws -> Double {
    guard let j = decimal(text) else { throw bad("J '\(text)' is not a finite decimal number") }
    guard (0...3).contains(j) else { throw bad("J \(text) is outside 0...3") }
    return j
}

/// The lines of `text`: split at LF, a CR before it dropped, no empty last line
/// for a final newline.
func textLines(_ text: String) -> [String] {
    var lines = text.utf8.split(separator: 10, omittingEmptySubsequences: false).map { line in
        String(decoding: line.last == 13 ? line.dropLast() : line[...], as: UTF8.self)
    }
    if lines.last == "" { lines.removeLast() }
    return lines
}

/// The whole text of a file, or of standard input for nil or "-", with the
/// name for messages. At most `limit` bytes (default 64 MiB).
public func readText(_ path: String?, limit: Int = 64 << 20) throws -> (text: String, name: String) {
    let name = path.flatMap { $0 == "-" ? nil : $0 } ?? "standard input"
    let file: UnsafeMutablePointer<FILE>
    if let path, path != "-" {
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw KMError.isDirectory(path)
        }
        guard let f = fopen(path, "rb") else { throw KMError.cannotOpen(path, .current) }
        file = f
    } else {
        file = km_stdin()
    }
    defer { if path != nil && path != "-" { fclose(file) } }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n > 0 { bytes += buffer[0..<n] }
        if bytes.count > limit { throw KMError.textTooLong(name, limitMiB: limit >> 20) }
        if n < buffer.count {
            if ferror(file) != 0 { throw KMError.readFailed(name, .current) }
            break
        }
    }
    return (String(decoding: bytes, as: UTF8.self), name)
}
