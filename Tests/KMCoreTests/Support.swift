@testable import KMCore
import XCTest

// Test data and brute-force answers that tests of several concerns share.

/// Three tight, far-apart clusters of 300 colours each, 11 values wide a channel.
func clusters() -> Histogram {
    var h = Histogram(maxval: 255)
    var rng = SeededGenerator(seed: 7)
    for center in [Color(red: 20, green: 30, blue: 200), Color(red: 220, green: 40, blue: 30),
                   Color(red: 60, green: 230, blue: 90)] {
        for _ in 0..<300 {
            func jitter(_ v: UInt16) -> UInt16 { UInt16(Int(v) + Int(rng.next() % 11) - 5) }
            h.add(Color(red: jitter(center.red), green: jitter(center.green), blue: jitter(center.blue)))
        }
    }
    return h
}

/// Colours along a band, as in a photo of a gradient.
func bandHistogram() -> Histogram {
    var h = Histogram(maxval: 255)
    var rng = SeededGenerator(seed: 99)
    for _ in 0..<4000 {
        let t = UInt16(rng.next() % 200)
        h.add(Color(red: t, green: UInt16(rng.next() % 40) + t / 2, blue: 255 - t))
    }
    return h
}

/// The same band of colours, under the name the restart driver's tests use.
func photoLikeHistogram() -> Histogram { bandHistogram() }

/// `n` random colours (draws, some repeated), blue rising with red over a band
/// `blueSpread` wide, each added 1...`largestCount` times.
func slantedColours(_ n: Int, seed: UInt64, blueSpread: UInt64, largestCount: UInt64) -> WeightedPoints {
    var rng = SeededGenerator(seed: seed)
    var h = Histogram(maxval: 255)
    for _ in 0..<n {
        let t = UInt16(rng.next() % 256)
        h.add(Color(red: t, green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % blueSpread) + t / 2),
              count: rng.next() % largestCount + 1)
    }
    return WeightedPoints(h)
}

/// `n` random colours (blue below 64), each 1...5 pixels, as weighted points.
func cloud(_ n: Int, seed: UInt64) -> WeightedPoints {
    var rng = SeededGenerator(seed: seed)
    var h = Histogram(maxval: 255)
    for _ in 0..<n {
        h.add(Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 64)),
              count: 1 + rng.next() % 5)
    }
    return WeightedPoints(h)
}

/// The part of pixel (x, y) inside the disc of `radius` around `centre`,
/// 0...1, by 4x4 samples a pixel: an antialiased edge.
func coverage(_ x: Int, _ y: Int, centre: (x: Double, y: Double), radius: Double) -> Double {
    var covered = 0
    for i in 0..<4 {
        for j in 0..<4 {
            let dx = Double(x) + (Double(j) + 0.5) / 4 - centre.x, dy = Double(y) + (Double(i) + 0.5) / 4 - centre.y
            if dx * dx + dy * dy < radius * radius { covered += 1 }
        }
    }
    return Double(covered) / 16
}

/// A disc of radius 40 in a 100x100 image, its edge antialiased (coverage
/// by 4x4 samples a pixel), its colour a gradient; outside fully transparent
/// with random RGB (invisible), as RGBA samples at maxval 255.
func disc() -> (samples: [UInt16], format: PixelFormat) {
    var samples: [UInt16] = []
    var rng = SeededGenerator(seed: 3)
    for y in 0..<100 {
        for x in 0..<100 {
            let alpha = UInt16((coverage(x, y, centre: (50, 50), radius: 40) * 255).rounded())
            if alpha == 0 {
                samples += [UInt16(rng.next() % 256), UInt16(rng.next() % 256), UInt16(rng.next() % 256), 0]
            } else {
                samples += [UInt16(x * 255 / 99), UInt16(y * 255 / 99), 160, alpha]
            }
        }
    }
    return (samples, PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 255))
}

/// The alpha histogram of an image such as disc() gives.
func histogram(_ image: (samples: [UInt16], format: PixelFormat)) -> Histogram {
    var h = Histogram(maxval: 255, alpha: true)
    image.samples.withUnsafeBufferPointer { h.add($0, format: image.format) }
    return h
}

/// The perceptual spaces (RGB is the default everywhere).
let spaces: [ColorSpace] = [.lab, .oklab, .din99]

/// Brute force: least squared distance in the unit cube, compared exactly on the
/// common scale maxval x palette maxval (in UInt128), first index on ties.
func bruteForce(_ palette: Palette, _ r: Int, _ g: Int, _ b: Int, maxval: Int? = nil) -> Int {
    let m = UInt128(maxval ?? palette.maxval), pm = UInt128(palette.maxval)
    func square(_ a: UInt128, _ b: UInt128) -> UInt128 { a > b ? (a - b) * (a - b) : (b - a) * (b - a) }
    var best = 0, bestD = UInt128.max
    for (i, c) in palette.colors.enumerated() {
        let d = square(UInt128(r) * pm, UInt128(c.red) * m) + square(UInt128(g) * pm, UInt128(c.green) * m)
            + square(UInt128(b) * pm, UInt128(c.blue) * m)
        if d < bestD { bestD = d; best = i }
    }
    return best
}

/// The indices through NearestColor.indices (the cached search), checked against brute force.
func checkIndices(_ palette: Palette, _ samples: [UInt16], maxval: Int, _ label: String,
                  file: StaticString = #filePath, line: UInt = #line) {
    var indices = [UInt16](repeating: 0, count: samples.count / 3)
    samples.withUnsafeBufferPointer { s in
        indices.withUnsafeMutableBufferPointer { NearestColor(palette).indices(rgb: s, maxval: maxval, into: $0) }
    }
    var wrong = 0
    for p in 0..<indices.count {
        let want = bruteForce(palette, Int(samples[3 * p]), Int(samples[3 * p + 1]), Int(samples[3 * p + 2]), maxval: maxval)
        if Int(indices[p]) != want {
            wrong += 1
            if wrong <= 3 { XCTFail("\(label) pixel \(p): \(indices[p]), brute force \(want)", file: file, line: line) }
        }
    }
    XCTAssertEqual(wrong, 0, label, file: file, line: line)
}
