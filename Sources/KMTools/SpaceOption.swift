import ArgumentParser
import KMCore

extension ColorSpace: ExpressibleByArgument {}

/// --space's help, the same in every tool.
public let spaceHelp = ArgumentHelp(
    "Where colours are compared: rgb (the notebook's J), lab (CIELAB, D65), oklab or din99.",
    discussion: "k-means, the nearest colour and the cost all use the squared distance between colours' coordinates in this space; the palette file stays sRGB. rgb, the default, is the unit RGB cube; lab is CIE L*a*b* (D65 white, sRGB transfer curve undone; a distance is ΔE*ab); oklab is Björn Ottosson's OkLab; din99 is DIN99 (DIN 6176), CIELAB compressed so that a plain distance follows perceived differences: of the four, the closest to CIEDE2000 (see the kmtools manual, docs/manual.md).",
    valueName: "space")

/// --space, where colours are compared (`@OptionGroup` of kmfit, kmquant,
/// kmmap and kmcost; rgb by default).
public struct SpaceOption: ParsableArguments {
    @Option(help: spaceHelp)
    public var space = ColorSpace.rgb

    public init() {}
}
