import ArgumentParser
import KMCore

extension Dither.Method: ExpressibleByArgument {}

/// --dither and --dither-strength (`@OptionGroup` of kmmap and kmquant), read
/// into a `Dither`. --dither-strength without --dither is `Unsupported`.
public struct DitherOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Dithering: none, fs (Floyd-Steinberg), sierra (Sierra's three-row filter) or bayer (ordered).",
        discussion: """
            fs and sierra diffuse each pixel's error to the pixels after it, rows \
            serpentine: the value plus the error received is clamped to the valid range, \
            and all of what its colour misses is passed on, which keeps the local \
            average (a flat 10% grey with a black and white palette comes out 10% white). \
            A pixel within 1% of maxval of a palette colour takes that colour and drops \
            the error it received, so areas the palette already renders stay clean. \
            sierra spreads the error wider: less noise, a little less detail, and \
            with --dither-strength 0.8, on photos, a PNG (pnmtopng) about the size of \
            pngquant's dithered one at a lower blurred error (the kmtools manual). bayer \
            is Knoll's pattern dithering: for each colour, 16 palette colours whose \
            mix approximates it, one picked by the pixel's place in the 4x4 Bayer \
            matrix. No error travels between pixels, so each output pixel depends only \
            on its input pixel and position: no crawling noise between video frames.
            """))
    public var dither = Dither.Method.none

    @Option(name: .customLong("dither-strength"), help: ArgumentHelp(
        "How much dithering, 0 (none: nearest colour) to 1 (full; the default).",
        discussion: """
            Scales the error a pixel receives (fs, sierra) or the error that spreads a \
            colour's 16 candidates (bayer). Below 1 there is less noise, and flat areas \
            no longer keep their exact level. Needs --dither.
            """))
    public var ditherStrength: Double?

    public init() {}

    /// The dithering asked for: --dither at --dither-strength (1 when not given).
    public var value: Dither { Dither(dither, strength: ditherStrength ?? 1) }

    public func validate() throws {
        if let ditherStrength, !(0...1).contains(ditherStrength) {
            throw ValidationError("--dither-strength must be 0 to 1, not \(ditherStrength)")
        }
    }
}
