import KMCore

/// Every option combination and input kmtools does not support, one case a
/// rule, with its message here and its test in `Unsupported.options` or
/// `Unsupported.palette`. A rule broken is `KMError.unsupported`: one line
/// "TOOL: message" and status 64, found before anything is written, or, for a
/// rule on an input (a palette with alpha, an image with alpha), as soon as
/// that input is read. A capability gained is a case removed.
public enum Unsupported: Equatable, Sendable, CustomStringConvertible {
    /// --alpha with a --space other than rgb (kmfit, kmquant): alpha fits in premultiplied RGB.
    case alphaWithSpace(ColorSpace)
    /// A palette with alpha, named so, mapped (kmmap) or scored (kmcost) with
    /// --space: both go by premultiplied RGB.
    case alphaPaletteWithSpace(String, scored: Bool)
    /// Image N (1-based) of kmcost --reference, or its reference, has alpha,
    /// with --space: such images are compared premultiplied in RGB.
    case alphaImagesWithSpace(image: Int)
    /// --init-palette with --min-psnr (kmquant): the search's fits start from each other.
    case initPaletteWithMinPSNR
    /// --indices with --from-indices (kmmap).
    case indicesWithFromIndices
    /// --dither with --from-indices (kmmap): indices are turned back exactly.
    case ditherWithFromIndices
    /// --space with --from-indices (kmmap): indices are turned back exactly.
    case spaceWithFromIndices
    /// --dither-strength without --dither (kmmap, kmquant).
    case ditherStrengthWithoutDither

    public var description: String {
        switch self {
        case .alphaWithSpace(let space): return "--alpha fits in RGB: --space \(space) does not apply"
        case .alphaPaletteWithSpace(let name, let scored):
            return "--space does not apply to \(name), a palette with alpha: it \(scored ? "scores" : "maps") by premultiplied RGB"
        case .alphaImagesWithSpace(let image):
            return "image \(image) or its reference has alpha, so they are compared premultiplied in RGB: --space does not apply"
        case .initPaletteWithMinPSNR: return "--init-palette does not apply to --min-psnr"
        case .indicesWithFromIndices: return "--indices and --from-indices exclude each other"
        case .ditherWithFromIndices: return "--dither does not apply to --from-indices"
        case .spaceWithFromIndices: return "--space does not apply to --from-indices"
        case .ditherStrengthWithoutDither: return "--dither-strength needs --dither fs, sierra or bayer"
        }
    }

    /// Throws the first rule that options break, as `KMError.unsupported`;
    /// each argument is an option's value, its default when not given.
    public static func options(alpha: Bool = false, space: ColorSpace = .rgb, dither: Dither.Method = .none,
                               ditherStrength: Double? = nil, minPSNR: Double? = nil, initPalette: Bool = false,
                               indices: Bool = false, fromIndices: Bool = false) throws {
        let broken: [(Bool, Unsupported)] = [
            (alpha && space != .rgb, .alphaWithSpace(space)),
            (initPalette && minPSNR != nil, .initPaletteWithMinPSNR),
            (indices && fromIndices, .indicesWithFromIndices),
            (fromIndices && dither != .none, .ditherWithFromIndices),
            (fromIndices && space != .rgb, .spaceWithFromIndices),
            (ditherStrength != nil && dither == .none, .ditherStrengthWithoutDither),
        ]
        if let rule = broken.first(where: \.0)?.1 { throw KMError.unsupported(rule) }
    }

    /// Throws the first rule that mapping (or, `scored`, scoring) with
    /// `palette`, named `name`, breaks, as `KMError.unsupported`.
    public static func palette(_ palette: Palette, name: String, space: ColorSpace,
                               scored: Bool = false) throws {
        guard palette.alphas != nil else { return }
        if space != .rgb { throw KMError.unsupported(.alphaPaletteWithSpace(name, scored: scored)) }
    }

    /// Throws `alphaImagesWithSpace` when image `image` of a comparison has
    /// alpha (in it or its reference) and `space` is not rgb.
    public static func images(_ image: Int, haveAlpha: Bool, space: ColorSpace) throws {
        if haveAlpha && space != .rgb { throw KMError.unsupported(.alphaImagesWithSpace(image: image)) }
    }
}
