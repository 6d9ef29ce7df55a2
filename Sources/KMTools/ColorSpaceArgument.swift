import ArgumentParser
import KMCore

extension ColorSpace: ExpressibleByArgument {}

/// --space's help, the same in every tool.
public let spaceHelp = ArgumentHelp(
    "Where colours are compared: rgb (the notebook's J), lab (CIELAB, D65) or oklab.",
    discussion: "k-means, the nearest colour and the cost all use the squared distance between colours' coordinates in this space; the palette file stays sRGB. rgb, the default, is the unit RGB cube; lab is CIE L*a*b* (D65 white, sRGB transfer curve undone; a distance is ΔE*ab); oklab is Björn Ottosson's OkLab.",
    valueName: "space")
