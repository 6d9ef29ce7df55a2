/// Image formats that an output's name may ask for and kmtools does not write
/// (it writes netpbm: PPM, PGM, PAM): the name's ending (any case), the
/// format, and the command that converts netpbm to it.
let foreignFormats: [(ending: String, format: String, converter: String, decoder: String)] = [
    ("png", "PNG", "pnmtopng", "pngtopnm"), ("gif", "GIF", "pamtogif", "giftopnm"),
    ("jpg", "JPEG", "pnmtojpeg", "jpegtopnm"), ("jpeg", "JPEG", "pnmtojpeg", "jpegtopnm"),
    ("bmp", "BMP", "ppmtobmp", "bmptopnm"), ("tif", "TIFF", "pamtotiff", "tifftopnm"), ("tiff", "TIFF", "pamtotiff", "tifftopnm"),
    ("webp", "WebP", "ffmpeg", "ffmpeg"), ("avif", "AVIF", "ffmpeg", "ffmpeg"),
]

/// The format `path` is named for, when it is one of `foreignFormats` (its ending, any case).
func foreignFormat(of path: String) -> (ending: String, format: String, converter: String, decoder: String)? {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
    let ending = path[path.index(after: dot)...].lowercased()
    return foreignFormats.first { $0.ending == ending }
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
        guard let path, let (ending, format, converter, _) = foreignFormat(of: path) else { continue }
        let wayOut: String
        if option == "-o" {
            // An input named for such a format (kmquant 16 photo.png) is decoded first, into the
            // pipe; a name after an option (--fixed brand.png) may be that option's value: left as it is.
            var command = withoutOutput(arguments)
            var decoding = ""
            let named = command.indices.dropFirst().filter {
                !command[$0].hasPrefix("-") && !command[$0 - 1].hasPrefix("-") && foreignFormat(of: command[$0]) != nil
            }
            if named.count == 1, let input = named.first, let decoder = foreignFormat(of: command[input])?.decoder {
                decoding = decode(decoder, from: shellQuoted(command[input])) + " | "
                command.remove(at: input)
            }
            wayOut = "pipe it: " + decoding + command.map(shellQuoted).joined(separator: " ") + " | " + convert(converter, from: nil, to: shellQuoted(path))
        } else {
            let netpbm = String(path.dropLast(ending.count + 1)) + ".ppm"
            wayOut = "write \(netpbm), then convert it: " + convert(converter, from: shellQuoted(netpbm), to: shellQuoted(path))
        }
        throw KMError.foreignOutputFormat(option: option, path: path, format: format, wayOut: wayOut)
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
