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

    /// The record of a k-means run (its restart counted from 1).
    public init(_ run: KMeansRun) {
        self.init(restart: run.restart + 1, iterations: run.iterations, cost: run.cost)
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
            let cost = try unitCost(fields[2], top: 4, bad)  // 4: an alpha fit's J
            if let first = seen[restart] { throw bad("restart \(restart) again (first on line \(first))") }
            seen[restart] = number
            runs.append(RunRecord(restart: restart, iterations: iterations, cost: cost))
        }
        return runs
    }
}

/// One image's score as kmcost prints it.
public struct Score: Equatable, Sendable {
    /// J: the mean squared distance in `space` (rgb: the unit cube summed over
    /// the channels, 0...3; lab: ΔE*ab squared; oklab, din99: their units squared).
    public var cost: Double
    /// The RGB PSNR in dB of the same pixels, 10 log10(3 / RGB J), whatever
    /// the space; +inf when they are exact.
    public var psnr: Double
    /// The mean ΔE00 (CIEDE2000) over pixels, or nil on a line without it.
    public var meanDeltaE: Double?
    /// The 95th percentile of ΔE00 over pixels (the smallest ΔE00 that at least
    /// 95 % of the pixels are at or below), or nil on a line without it.
    public var deltaE95: Double?
    /// The palette's distinct colours (a repeated colour counts once), or nil
    /// when scoring against a reference image.
    public var colors: Int?
    /// Where J is measured, and nearest colours chosen.
    public var space: ColorSpace
    /// J and psnr are of premultiplied colours with opacity (a palette with
    /// alpha, or images with alpha against each other): J is the mean squared
    /// distance between (red x alpha, green x alpha, blue x alpha, alpha) in
    /// the unit cube, 0...4, the same as RGB's J for opaque pixels, and psnr is
    /// 10 log10(3 / J) as in RGB; `space=rgba` on the line, and no ΔE00.
    public var alpha = false

    public init(cost: Double, psnr: Double, meanDeltaE: Double? = nil, deltaE95: Double? = nil,
                colors: Int?, space: ColorSpace = .rgb, alpha: Bool = false) {
        (self.cost, self.psnr, self.meanDeltaE, self.deltaE95) = (cost, psnr, meanDeltaE, deltaE95)
        (self.colors, self.space, self.alpha) = (colors, space, alpha)
    }

    /// The score of premultiplied colours: J (0...4) and its PSNR.
    public init(alphaCost cost: Double, colors: Int?) {
        self.init(cost: cost, psnr: KMCore.psnr(cost: cost), colors: colors, alpha: true)
    }

    /// The score of a tally: J in its space, the PSNR of its RGB J, ΔE00's mean and 95th percentile.
    public init(_ tally: ErrorTally, colors: Int?) {
        if tally.premultiplied {
            self.init(alphaCost: tally.cost, colors: colors)
            return
        }
        self.init(cost: tally.cost, psnr: KMCore.psnr(cost: tally.rgbCost), meanDeltaE: tally.meanDeltaE,
                  deltaE95: tally.deltaEPercentile(95), colors: colors, space: tally.space)
    }

    /// `J=0.014797 psnr=23.07 dE00=2.831 dE00p95=6.024 colors=16 bpp=4`, then
    /// `space=lab`, `space=oklab` or `space=din99` unless the space is rgb: J with 6 decimals,
    /// more when it takes them to show 4 significant digits; psnr with 2, `inf`
    /// when exact; ΔE00 with 3. With `json`, one JSON object with the same keys
    /// and always "space", every number in full (the shortest decimal that reads
    /// back as the same Double), psnr null when exact.
    public func line(json: Bool) -> String {
        func number(_ x: Double, _ decimals: Int) -> String { json ? "\(x)" : format("%.*f", Int32(decimals), x) }
        var fields: [(String, String)] = [
            ("J", json ? "\(cost)" : Score.text(cost: cost)),
            ("psnr", psnr.isFinite ? number(psnr, 2) : (json ? "null" : "inf")),
        ]
        if let meanDeltaE, let deltaE95 {
            fields.append(("dE00", number(meanDeltaE, 3)))
            fields.append(("dE00p95", number(deltaE95, 3)))
        }
        if let colors {
            fields.append(("colors", "\(colors)"))
            fields.append(("bpp", "\(bitsPerPixel(colors: colors))"))
        }
        let spaceName = alpha ? "rgba" : space.rawValue
        if json {
            fields.append(("space", "\"\(spaceName)\""))
            return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        if spaceName != "rgb" { fields.append(("space", spaceName)) }
        return fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// A J as the line writes it: 6 decimals, or more when it takes them to
    /// show 4 significant digits (0.014650, 0.00004421; 0 is 0.000000).
    public static func text(cost: Double) -> String {
        guard cost > 0 && cost.isFinite else { return format("%.6f", cost) }
        let firstDigit = -Int(log10(cost).rounded(.down))  // decimal place of the first significant digit
        return format("%.*f", Int32(max(6, firstDigit + 3)), cost)
    }

    /// The scores of text made of `line(json: false)` lines, one a line: fields
    /// `key=value` separated by spaces, each key once, J (finite, 0 or more; at
    /// most 3 in rgb) and psnr (a finite number, or inf when J is 0) always,
    /// dE00 and dE00p95 (finite, 0 or more) together or not at all (lines of
    /// kmcost before them), colors (1...65536) and bpp (ceil(log2 colors))
    /// together or not at all, space (rgb, lab, oklab, din99 or rgba; rgb when absent), no
    /// other key; space=rgba (a palette with alpha) allows J up to 4 and no
    /// dE00. `name` names the input in errors: "NAME, line N: ...".
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
                guard ["J", "psnr", "dE00", "dE00p95", "colors", "bpp", "space"].contains(key) else {
                    throw bad("unknown key '\(key)'")
                }
                guard values[key] == nil else { throw bad("key '\(key)' given twice") }
                values[key] = value
            }
            var space = ColorSpace.rgb
            let alpha = values["space"] == "rgba"
            if let s = values["space"], !alpha {
                guard let named = ColorSpace(rawValue: String(s)) else { throw bad("space '\(s)' is not rgb, lab, oklab, din99 or rgba") }
                space = named
            }
            guard let j = values["J"] else { throw bad("no J= (expected kmcost's J=... psnr=... colors=... bpp=...)") }
            let cost = space == .rgb ? try unitCost(j, top: alpha ? 4 : 3, bad) : try nonNegative(j, "J", bad)
            guard let db = values["psnr"] else { throw bad("no psnr=") }
            guard db == "inf" ? cost == 0 : decimal(db) != nil else {
                throw bad("psnr '\(db)' is not a finite decimal number" + (db == "inf" ? " (inf goes with J=0)" : ""))
            }
            var meanDeltaE: Double?, deltaE95: Double?
            switch (values["dE00"], values["dE00p95"]) {
            case (nil, nil):
                break
            case let (mean?, p95?):
                meanDeltaE = try nonNegative(mean, "dE00", bad)
                deltaE95 = try nonNegative(p95, "dE00p95", bad)
            default:
                throw bad("dE00= and dE00p95= come together")
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
            if alpha && meanDeltaE != nil { throw bad("dE00= does not go with space=rgba") }
            scores.append(Score(cost: cost, psnr: db == "inf" ? .infinity : decimal(db)!, meanDeltaE: meanDeltaE,
                                deltaE95: deltaE95, colors: colors, space: space, alpha: alpha))
        }
        return scores
    }
}

/// A number written in decimal (digits, sign, point, exponent): no nan, inf or hex.
private func decimal(_ text: Substring) -> Double? {
    guard text.utf8.allSatisfy({ (48...57).contains($0) || "+-.eE".utf8.contains($0) }) else { return nil }
    return Double(text).flatMap { $0.isFinite ? $0 : nil }
}

/// A figure written as a decimal number: finite and 0 or more.
private func nonNegative(_ text: Substring, _ key: String, _ bad: (String) -> KMError) throws -> Double {
    guard let x = decimal(text) else { throw bad("\(key) '\(text)' is not a finite decimal number") }
    guard x >= 0 else { throw bad("\(key) \(text) is below 0") }
    return x
}

/// A cost J written as a decimal number: finite and on 0...3.
private func unitCost(_ text: Substring, top: Double, _ bad: (String) -> KMError) throws -> Double {
    guard let j = decimal(text) else { throw bad("J '\(text)' is not a finite decimal number") }
    guard (0...top).contains(j) else { throw bad("J \(text) is outside 0...\(Int(top))") }
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
