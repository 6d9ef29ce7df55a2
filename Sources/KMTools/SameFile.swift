import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// One file as the system knows it: its device and inode, so that two names
/// (a path, a hard link, /dev/stdout, a redirection) can be told to be the same file.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    /// The file's type bits (S_IFREG, S_IFCHR, ...); not part of the identity.
    let kind: mode_t

    init(_ info: stat) {
        (device, inode, kind) = (UInt64(info.st_dev), UInt64(info.st_ino), info.st_mode & S_IFMT)
    }

    static func == (a: FileIdentity, b: FileIdentity) -> Bool { a.device == b.device && a.inode == b.inode }

    /// The open descriptor's file; nil when it is not open.
    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The file at `path`, links followed; nil when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    var isRegular: Bool { kind == S_IFREG }
}

/// Where an output lands, as `Output(path:)` will write it.
struct OutputTarget: Equatable {
    /// The file written, or for a file not there yet, its directory and name.
    enum Place: Equatable {
        case file(FileIdentity)
        case new(directory: FileIdentity, name: String)
    }
    let place: Place
    /// Written as it goes (standard output, a descriptor, a FIFO, a device), so
    /// that a reader of the same file would read it back; false for a regular
    /// file or a new path, written to a temporary file and renamed at the end.
    let streamed: Bool
    /// Standard output itself (nil, "-", /dev/stdout, /dev/fd/1).
    let isStandardOutput: Bool

    /// Nil when the path cannot be written at all (`Output(path:)` then says why).
    init?(path: String?) {
        guard let path, path != "-" else {
            self.init(descriptor: 1)
            return
        }
        guard let resolved = try? Output.finalTarget(of: path) else { return nil }
        if let fd = Output.descriptorNumber(resolved) {
            self.init(descriptor: fd)
            return
        }
        if let file = FileIdentity(path: resolved) {
            guard file.kind != S_IFDIR else { return nil }
            self.init(place: .file(file), streamed: !file.isRegular || resolved.hasPrefix("/proc/"), isStandardOutput: false)
            return
        }
        let slash = resolved.lastIndex(of: "/")
        let directory = slash.map { String(resolved[...$0]) } ?? "."
        let name = slash.map { String(resolved[resolved.index(after: $0)...]) } ?? resolved
        guard let dir = FileIdentity(path: directory) else { return nil }
        self.init(place: .new(directory: dir, name: name), streamed: false, isStandardOutput: false)
    }

    private init?(descriptor: Int32) {
        guard let file = FileIdentity(descriptor: descriptor) else { return nil }
        self.init(place: .file(file), streamed: true, isStandardOutput: descriptor == 1)
    }

    private init(place: Place, streamed: Bool, isStandardOutput: Bool) {
        (self.place, self.streamed, self.isStandardOutput) = (place, streamed, isStandardOutput)
    }

    var file: FileIdentity? {
        if case .file(let f) = place { return f }
        return nil
    }
}

/// Refuses, before anything is read or written, a run whose files collide:
/// - two outputs that are one file (`-o S --palette-out S`, two links to one
///   file, `--report /dev/stdout` beside standard output): one would replace or
///   garble the other. A character device other than standard output
///   (/dev/null, a terminal named twice) may take several.
/// - an output named by a path that is standard error's file (`-o /dev/stderr
///   2> x.ppm`): the tool's messages would garble it.
/// - an input that is a regular file or a FIFO also written as it goes
///   (`kmmap pal x.ppm >> x.ppm`, `kmmap pal < fifo > fifo`): the tool would
///   read its own output back as more input, without end (cat's "input file is
///   output file"). An output replaced at the end (`-o x.ppm` of the input
///   x.ppm) is safe: it is written elsewhere first.
/// - two inputs that are both standard input: the second would find it read.
/// `inputs` are (what names it, path; nil or "-" for standard input), only
/// those the run reads; `outputs` (option, path; nil or "-" for standard
/// output). Errors are `ValidationError`s: bad usage, status 64.
public func checkFiles(inputs: [(role: String, path: String?)], outputs: [(option: String, path: String?)]) throws {
    func named(_ path: String?) -> String? { path == nil || path == "-" ? nil : path }
    func describe(_ option: String, _ path: String?) -> String { named(path).map { "\(option) \($0)" } ?? "standard output" }
    let targets = outputs.map { ($0.option, $0.path, OutputTarget(path: $0.path)) }
    let standardError = FileIdentity(descriptor: 2)
    for (i, (option, path, target)) in targets.enumerated() {
        guard let target else { continue }
        for (other, otherPath, earlier) in targets[..<i] {
            guard let earlier, earlier.place == target.place else { continue }
            if !(target.isStandardOutput && earlier.isStandardOutput) && target.file?.kind == S_IFCHR { continue }
            throw ValidationError("\(describe(other, otherPath)) and \(describe(option, path)) are one file: "
                                  + "one output would replace or garble the other")
        }
        if named(path) != nil, let file = target.file, file == standardError, file.kind != S_IFCHR {
            throw ValidationError("\(describe(option, path)) is also standard error, where messages go: they would garble it")
        }
    }
    let standardInputNames: Set<String?> = [nil, "-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]
    let fromStandardInput = inputs.filter { standardInputNames.contains($0.path) }
    if fromStandardInput.count > 1 {
        let (first, second) = (fromStandardInput[0].role, fromStandardInput[1].role)
        if first == second { throw ValidationError("\(first) names standard input twice: it can be read once") }
        throw ValidationError("\(first) and \(second) both read standard input: give one of them as a file")
    }
    for (role, path) in inputs {
        let input = named(path).map { FileIdentity(path: $0) } ?? FileIdentity(descriptor: 0)
        guard let input, input.isRegular || input.kind == S_IFIFO else { continue }
        for (option, outputPath, target) in targets {
            guard let target, target.streamed, target.file == input else { continue }
            let name = named(path) ?? "(standard input)"
            let output = target.isStandardOutput ? "standard output" : describe(option, outputPath)
            let inPlace = role == "the input" && input.isRegular && option == "-o" && !standardInputNames.contains(path)
                && Output.descriptorNumber(path ?? "") == nil
            let replace = inPlace ? ", or replace it in place with -o \(path ?? "FILE")" : ""
            throw ValidationError("\(role) \(name) is also \(output), written as it goes: "
                                  + "it would read back its own output (write to another file\(replace))")
        }
    }
}

/// The (role, path) pairs of the options that were given (path not nil), for `checkFiles`' inputs.
public func given(_ options: [(role: String, path: String?)]) -> [(role: String, path: String?)] {
    options.filter { $0.path != nil }
}
