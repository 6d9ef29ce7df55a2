#if canImport(Glibc)
import Glibc
#endif

/// The CIEDE2000 colour difference ΔE00 between two CIELAB colours (L* 0...100,
/// a* and b* about -128...128, as `ColorSpace.lab` gives them), with the
/// parametric factors kL = kC = kH = 1. 0 for equal colours, symmetric, about 1
/// for a just noticeable difference. Written from the formula as Sharma, Wu and
/// Dalal (2005) set it out, and checked against their 34 test pairs.
public func deltaE2000(_ lab1: SIMD3<Double>, _ lab2: SIMD3<Double>) -> Double {
    let degrees = 180 / Double.pi
    // a* is stretched for neutral colours (G), which gives C' and h'.
    let meanChroma = (hypot(lab1.y, lab1.z) + hypot(lab2.y, lab2.z)) / 2
    let g = 0.5 * (1 - chromaWeight(meanChroma))
    func chromaHue(_ lab: SIMD3<Double>) -> (c: Double, h: Double) {
        let a = (1 + g) * lab.y
        let c = hypot(a, lab.z)
        guard c > 0 else { return (0, 0) }
        let h = atan2(lab.z, a) * degrees
        return (c, h < 0 ? h + 360 : h)
    }
    let (c1, h1) = chromaHue(lab1), (c2, h2) = chromaHue(lab2)

    // The differences in lightness, chroma and hue.
    let dL = lab2.x - lab1.x
    let dC = c2 - c1
    var dh = 0.0
    if c1 * c2 > 0 {
        dh = h2 - h1
        if dh > 180 { dh -= 360 } else if dh < -180 { dh += 360 }
    }
    let dH = 2 * (c1 * c2).squareRoot() * sin(dh / 2 / degrees)

    // The means, the mean hue taken the short way round the circle.
    let meanL = (lab1.x + lab2.x) / 2
    let meanC = (c1 + c2) / 2
    var meanH = h1 + h2
    if c1 * c2 > 0 {
        if abs(h1 - h2) > 180 { meanH += meanH < 360 ? 360 : -360 }
        meanH /= 2
    }

    // The weights of the three differences, and the rotation term for blues.
    func cosine(_ angle: Double) -> Double { cos(angle / degrees) }
    let t = 1 - 0.17 * cosine(meanH - 30) + 0.24 * cosine(2 * meanH)
        + 0.32 * cosine(3 * meanH + 6) - 0.20 * cosine(4 * meanH - 63)
    let l50 = (meanL - 50) * (meanL - 50)
    let sL = 1 + 0.015 * l50 / (20 + l50).squareRoot()
    let sC = 1 + 0.045 * meanC
    let sH = 1 + 0.015 * meanC * t
    let rotation = 30 * exp(-((meanH - 275) / 25) * ((meanH - 275) / 25))
    let rT = -sin(2 * rotation / degrees) * 2 * chromaWeight(meanC)

    let l = dL / sL, c = dC / sC, h = dH / sH
    return max(l * l + c * c + h * h + rT * c * h, 0).squareRoot()
}

/// sqrt(C^7 / (C^7 + 25^7)): 0 for a neutral colour, near 1 for a vivid one.
private func chromaWeight(_ c: Double) -> Double {
    let c7 = pow(c, 7)
    return (c7 / (c7 + 6_103_515_625)).squareRoot()
}
