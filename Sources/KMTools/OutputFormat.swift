/// An image format kmtools neither reads nor writes (it reads and writes netpbm: PPM,
/// PGM, PAM), known by a file name's ending (any case) or, for an input, by the first
/// two bytes libnetpbm names in its "bad magic number" message; and the netpbm
/// programs (or ffmpeg) that convert to it and from it.
struct ForeignFormat {
    let name: String
    let endings: [String]
    let magics: [String]
    let encoder: String
    let decoder: String
}

let foreignFormats = [
    ForeignFormat(name: "PNG", endings: ["png"], magics: ["0x8950"], encoder: "pnmtopng", decoder: "pngtopnm"),
    ForeignFormat(name: "JPEG", endings: ["jpg", "jpeg"], magics: ["0xffd8"], encoder: "pnmtojpeg", decoder: "jpegtopnm"),
    ForeignFormat(name: "GIF", endings: ["gif"], magics: ["0x4749"], encoder: "pamtogif", decoder: "giftopnm"),
    ForeignFormat(name: "BMP", endings: ["bmp"], magics: ["0x424d"], encoder: "ppmtobmp", decoder: "bmptopnm"),
    ForeignFormat(name: "TIFF", endings: ["tif", "tiff"], magics: ["0x4949", "0x4d4d"], encoder: "pamtotiff", decoder: "tifftopnm"),
    ForeignFormat(name: "WebP", endings: ["webp"], magics: [], encoder: "ffmpeg", decoder: "ffmpeg"),
    ForeignFormat(name: "AVIF", endings: ["avif"], magics: [], encoder: "ffmpeg", decoder: "ffmpeg"),
]

/// The format `path` is named for, when it is one of `foreignFormats`, and the ending that names it.
func foreignFormat(of path: String) -> (format: ForeignFormat, ending: String)? {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
    let ending = path[path.index(after: dot)...].lowercased()
    return foreignFormats.first { $0.endings.contains(ending) }.map { ($0, ending) }
}

/// `decoder` turning the file `from` into netpbm on standard output.
func decode(_ decoder: String, from: String) -> String {
    decoder == "ffmpeg" ? "ffmpeg -v error -i \(from) -f image2pipe -vcodec ppm -" : "\(decoder) \(from)"
}

/// `converter` turning netpbm from the file `from` (nil: standard input) into the file `to`.
func convert(_ converter: String, from: String?, to: String) -> String {
    converter == "ffmpeg" ? "ffmpeg -i \(from ?? "-") \(to)" : "\(converter)\(from.map { " " + $0 } ?? "") > \(to)"
}

/// Refuses, before anything is read or written, an output named for an image
/// format kmtools does not write (`-o photo16.png`): `KMError.foreignOutputFormat`,
/// whose message shows the way out. For -o, the command line as given
/// (`arguments`, the tool's name first), -o left out, piped to a converter;
/// for another option (--palette-out), the file written as netpbm, then converted.
/// `outputs` are (option, path; nil or "-" for standard output), as for `checkFiles`.
public func checkOutputFormats(_ outputs: [(option: String, path: String?)],
                               arguments: [String] = CommandLine.arguments) throws {
    for (option, path) in outputs {
        guard let path, let (format, ending) = foreignFormat(of: path) else { continue }
        let wayOut: String
        if option == "-o" {
            // An input named for such a format (kmquant 16 photo.png) is decoded first, into the
            // pipe; a name after an option (--fixed brand.png) may be that option's value: left as it is.
            var command = withoutOutput(arguments)
            var decoding = ""
            let named = command.indices.dropFirst().filter {
                !command[$0].hasPrefix("-") && !command[$0 - 1].hasPrefix("-") && foreignFormat(of: command[$0]) != nil
            }
            if named.count == 1, let input = named.first, let decoder = foreignFormat(of: command[input])?.format.decoder {
                decoding = decode(decoder, from: shellQuoted(command[input])) + " | "
                command.remove(at: input)
            }
            wayOut = "pipe it: " + decoding + command.map(shellQuoted).joined(separator: " ") + " | " + convert(format.encoder, from: nil, to: shellQuoted(path))
        } else {
            let netpbm = String(path.dropLast(ending.count + 1)) + ".ppm"
            wayOut = "write \(netpbm), then convert it: " + convert(format.encoder, from: shellQuoted(netpbm), to: shellQuoted(path))
        }
        throw KMError.foreignOutputFormat(option: option, path: path, format: format.name, wayOut: wayOut)
    }
}

/// A command line with -o (or --output) and its value left out; the tool's
/// name, first, without its directory.
func withoutOutput(_ arguments: [String]) -> [String] {
    var kept = arguments.first.map { [String($0.split(separator: "/").last ?? Substring($0))] } ?? []
    var rest = arguments.dropFirst()[...]
    while let argument = rest.popFirst() {
        if argument == "--" { kept += [argument] + rest; break }
        if argument == "-o" || argument == "--output" { _ = rest.popFirst(); continue }
        if argument.hasPrefix("--output=") { continue }
        kept.append(argument)
    }
    return kept
}

/// `word` as a shell would read it back: as it is when it is plain, else in single quotes.
func shellQuoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./:=+,@%".unicodeScalars.contains($0)
    }
    return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
}

/// Refuses an output of kmhist named for an image format (`-o film.png`),
/// before anything is read: `KMError.histogramOutputFormat`, with a .kmh name instead.
public func checkHistogramOutput(option: String, path: String?) throws {
    guard let path, let (format, ending) = foreignFormat(of: path) else { return }
    throw KMError.histogramOutputFormat(option: option, path: path, format: format.name,
                                        suggested: String(path.dropLast(ending.count + 1)) + ".kmh")
}
