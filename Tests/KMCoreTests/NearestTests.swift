@testable import KMCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// NearestColor: the exact nearest palette colour, ties to the lower index,
/// against brute force: in RGB on any scale and however the palette bunches,
/// in each perceptual space, and premultiplied with alpha.
final class NearestTests: XCTestCase {
    func randomPalette(_ k: Int, maxval: Int, rng: inout SeededGenerator) -> Palette {
        Palette(colors: (0..<k).map { _ in
            let m = UInt64(maxval + 1)
            return Color(red: UInt16(rng.next() % m), green: UInt16(rng.next() % m), blue: UInt16(rng.next() % m))
        }, maxval: maxval)
    }

    /// Random samples, each palette colour, and the midpoints of colour pairs (exact ties where
    /// the pairs' sums are even), on the palette's scale.
    func samples(for palette: Palette, random: Int, rng: inout SeededGenerator) -> [UInt16] {
        let m = UInt64(palette.maxval + 1)
        var s = (0..<3 * random).map { _ in UInt16(rng.next() % m) }
        s += palette.colors.flatMap { [$0.red, $0.green, $0.blue] }
        for _ in 0..<min(2000, palette.count * palette.count) {
            let a = palette.colors[Int(rng.next() % UInt64(palette.count))]
            let b = palette.colors[Int(rng.next() % UInt64(palette.count))]
            s += [UInt16((Int(a.red) + Int(b.red)) / 2), UInt16((Int(a.green) + Int(b.green)) / 2),
                  UInt16((Int(a.blue) + Int(b.blue)) / 2)]
        }
        return s
    }

    func testEqualsBruteForceOnRandomData() {
        var rng = SeededGenerator(seed: 11)
        // 128 and 129: either side of the finer grid; above 1024: no exhaustive search.
        for k in [1, 2, 3, 16, 17, 64, 128, 129, 256, 1024, 1025, 3000] {
            var palette = randomPalette(k, maxval: 255, rng: &rng)
            if k > 4 { palette.colors[3] = palette.colors[1] }  // repeated colours: the first wins
            checkIndices(palette, samples(for: palette, random: 3000, rng: &rng), maxval: 255, "k=\(k)")
        }
    }

    func testClusteredPalettesAndTies() {
        // Colours packed in a corner and on a lattice: many equidistant colours, long cell lists.
        var rng = SeededGenerator(seed: 12)
        let corner = Palette(colors: (0..<2000).map { _ in
            Color(red: UInt16(rng.next() % 24), green: UInt16(rng.next() % 24), blue: UInt16(rng.next() % 24))
        }, maxval: 255)
        checkIndices(corner, samples(for: corner, random: 3000, rng: &rng), maxval: 255, "corner")
        var lattice: [Color] = []
        for r in stride(from: 0, through: 255, by: 20) {
            for g in stride(from: 0, through: 255, by: 20) {
                for b in stride(from: 0, through: 255, by: 40) { lattice.append(Color(red: UInt16(r), green: UInt16(g), blue: UInt16(b))) }
            }
        }
        let grid = Palette(colors: lattice.shuffled(using: &rng), maxval: 255)
        XCTAssertGreaterThan(grid.count, 1024)
        checkIndices(grid, samples(for: grid, random: 5000, rng: &rng), maxval: 255, "lattice")
    }

    func testSixteenBitAndOtherScalesOnTheirOwnScale() {
        // 37837 is the last maxval whose distances are bounded in 32 bits; 37838 and 65535 go wide;
        // 1 and 3 have fewer values than cells.
        var rng = SeededGenerator(seed: 13)
        for maxval in [1, 3, 37837, 37838, 65535] {
            for k in [5, 200, 1500] {
                let palette = randomPalette(k, maxval: maxval, rng: &rng)
                checkIndices(palette, samples(for: palette, random: 2000, rng: &rng), maxval: maxval, "maxval \(maxval) k=\(k)")
            }
        }
    }

    func testInputsOnAnotherScale() {
        var rng = SeededGenerator(seed: 14)
        for (paletteMaxval, maxval) in [(255, 65535), (65535, 255), (3, 255), (255, 1), (1000, 999)] {
            for k in [7, 300, 1100] {
                let palette = randomPalette(k, maxval: paletteMaxval, rng: &rng)
                let samples = (0..<6000).map { _ in UInt16(rng.next() % UInt64(maxval + 1)) }
                checkIndices(palette, samples, maxval: maxval, "palette maxval \(paletteMaxval), input \(maxval), k=\(k)")
            }
        }
    }

    func testTiesGoToTheLowerIndex() {
        // 10 is exactly between 0 and 20.
        let palette = Palette(colors: [Color(red: 20, green: 0, blue: 0), Color(red: 0, green: 0, blue: 0)], maxval: 255)
        XCTAssertEqual(NearestColor(palette).index(10, 0, 0), 0)
        let swapped = Palette(colors: palette.colors.reversed(), maxval: 255)
        XCTAssertEqual(NearestColor(swapped).index(10, 0, 0), 0)
    }

    /// What leaving repeats out is for: a palette padded to 256 (kmfit --pad) searches the
    /// same candidates as the palette it pads, and gives every input the same index.
    func testRepeatsAreLeftOutOfTheSearch() {
        var rng = SeededGenerator(seed: 16)
        let palette = randomPalette(16, maxval: 255, rng: &rng), padded = palette.padded(to: 256)
        XCTAssertEqual(padded.count, 256)
        XCTAssertEqual(padded.distinctCount, 16)
        XCTAssertEqual(padded.firstIndices, Array(0..<16))
        guard case .narrow(let grid) = NearestColor(palette).own.lists,
              case .narrow(let paddedGrid) = NearestColor(padded).own.lists else { return XCTFail("expected 8-bit grids") }
        XCTAssertEqual(paddedGrid.span, grid.span, "the same cells and candidate lists")
        XCTAssertEqual(paddedGrid.entries.map(\.index), grid.entries.map(\.index))
        guard case .space(let tree, _) = NearestColor(padded, space: .lab).own.lists else { return XCTFail("expected a tree") }
        XCTAssertEqual(tree.nodes.map { Int($0.index) }.sorted(), Array(0..<16))
        let s = samples(for: palette, random: 3000, rng: &rng)
        checkIndices(padded, s, maxval: 255, "padded")
        for space in [ColorSpace.rgb, .lab] {
            func indices(_ p: Palette) -> [Int] {
                let search = NearestColor(p, space: space).own
                return (0..<s.count / 3).map { search.index(s[3 * $0], s[3 * $0 + 1], s[3 * $0 + 2]) }
            }
            XCTAssertEqual(indices(padded), indices(palette), "\(space)")
        }
    }

    func testMapDoesNotDependOnThreads() {
        var rng = SeededGenerator(seed: 5)
        for k in [32, 2000] {
            let palette = randomPalette(k, maxval: 255, rng: &rng)
            let samples = (0..<300_000).map { _ in UInt16(rng.next() % 256) }
            func mapped(_ threads: Int) -> [UInt16] {
                var out = [UInt16](repeating: 0, count: samples.count)
                samples.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { NearestColor(palette).map(rgb: s, maxval: 255, into: $0, threads: threads) }
                }
                return out
            }
            let one = mapped(1)
            XCTAssertEqual(one, mapped(2))
            XCTAssertEqual(one, mapped(7))
            for p in stride(from: 0, to: samples.count / 3, by: 997) {
                let c = palette.colors[bruteForce(palette, Int(samples[3 * p]), Int(samples[3 * p + 1]), Int(samples[3 * p + 2]))]
                XCTAssertEqual([one[3 * p], one[3 * p + 1], one[3 * p + 2]], [c.red, c.green, c.blue])
            }
        }
    }

    func testSixteenBitInputIsRescaledToThePalette() {
        let palette = Palette(colors: [Color(red: 0, green: 0, blue: 0), Color(red: 255, green: 255, blue: 255)], maxval: 255)
        let samples: [UInt16] = [65535, 65535, 65535, 100, 100, 100]
        var out = [UInt16](repeating: 0, count: 2)
        samples.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { NearestColor(palette).indices(rgb: s, maxval: 65535, into: $0) }
        }
        XCTAssertEqual(out, [1, 0])
    }

    func testOtherScalesAreComparedExactlyInTheUnitCube() {
        // A palette on maxval 3 and inputs on 255 and 65535: the nearest colour is
        // the one nearest in the unit cube, not after rounding the input to maxval 3.
        var rng = SeededGenerator(seed: 8)
        let palette = randomPalette(9, maxval: 3, rng: &rng)
        let units = palette.unitColors
        for maxval in [255, 65535] {
            let samples = (0..<6000).map { _ in UInt16(rng.next() % UInt64(maxval + 1)) }
            var out = [UInt16](repeating: 0, count: 2000)
            samples.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { NearestColor(palette).indices(rgb: s, maxval: maxval, into: $0) }
            }
            for p in 0..<2000 {
                let q = Color(red: samples[3 * p], green: samples[3 * p + 1], blue: samples[3 * p + 2]).unit(maxval: maxval)
                let d = units.map { (($0 - q) * ($0 - q)).sum() }
                let sorted = d.sorted()
                if sorted.count > 1 && sorted[1] - sorted[0] < 1e-12 { continue }  // a tie: any answer is checked elsewhere
                XCTAssertEqual(Int(out[p]), d.firstIndex(of: sorted[0])!, "maxval \(maxval) pixel \(p)")
            }
        }
    }

    // MARK: Bunched palettes (issue 23): every far cell can be nearest to most of the bunch.

    /// Every colour of the box [0, sides.0) x [0, sides.1) x [0, sides.2) times `step`, in lattice order
    /// (many exact ties), on the scale 0...maxval.
    func block(_ sides: (Int, Int, Int), step: Int = 1, maxval: Int) -> Palette {
        var colors: [Color] = []
        for r in 0..<sides.0 {
            for g in 0..<sides.1 {
                for b in 0..<sides.2 { colors.append(Color(red: UInt16(r * step), green: UInt16(g * step), blue: UInt16(b * step))) }
            }
        }
        return Palette(colors: colors, maxval: maxval)
    }

    /// A bunch of `k` random colours within [0, side)^3, then `spread` random colours anywhere.
    func bunchPlusSpread(_ k: Int, side: Int, spread: Int, maxval: Int, rng: inout SeededGenerator) -> Palette {
        let s = UInt64(side), m = UInt64(maxval + 1)
        let bunch = (0..<k).map { _ in Color(red: UInt16(rng.next() % s), green: UInt16(rng.next() % s), blue: UInt16(rng.next() % s)) }
        let others = (0..<spread).map { _ in Color(red: UInt16(rng.next() % m), green: UInt16(rng.next() % m), blue: UInt16(rng.next() % m)) }
        return Palette(colors: bunch + others, maxval: maxval)
    }

    /// `n` inputs on the scale 0...maxval: half anywhere, half within `near` (on that scale) of black,
    /// where the bunches are; plus the palette's colours rescaled (exact when the scales divide).
    func bunchSamples(_ palette: Palette, maxval: Int, near: Int, _ n: Int, rng: inout SeededGenerator) -> [UInt16] {
        let m = UInt64(maxval + 1), b = UInt64(near)
        var s: [UInt16] = []
        for i in 0..<n { s += (0..<3).map { _ in UInt16(rng.next() % (i % 2 == 0 ? m : b)) } }
        for _ in 0..<n / 4 {
            let c = palette.colors[Int(rng.next() % UInt64(palette.count))].rescaled(from: palette.maxval, to: maxval)
            s += [c.red, c.green, c.blue]
        }
        return s
    }

    func testBunchedPalettesGiveTheBruteForceNearest() {
        var rng = SeededGenerator(seed: 23)
        // 4,096: all of a 16^3 corner of 0...255, inputs on its scale (narrow) and on 65535 (mixed).
        let corner = block((16, 16, 16), maxval: 255)
        for maxval in [255, 65535] {
            let near = 40 * (maxval / 255)
            checkIndices(corner, bunchSamples(corner, maxval: maxval, near: near, 4000, rng: &rng), maxval: maxval,
                         "4096 in a 16^3 corner, input maxval \(maxval)")
        }
        // 65,536: a 64x64x16 block of 0...65535 (wide), inputs on it and on 255 (mixed).
        let wide = block((64, 64, 16), maxval: 65535)
        checkIndices(wide, bunchSamples(wide, maxval: 65535, near: 200, 600, rng: &rng), maxval: 65535, "65536 block, 16-bit")
        checkIndices(wide, bunchSamples(wide, maxval: 255, near: 3, 600, rng: &rng), maxval: 255, "65536 block, 8-bit input")
        // A bunch plus a few spread colours: some cells keep short lists, others fall back.
        for maxval in [255, 65535] {
            let mix = bunchPlusSpread(3000, side: 20 * (maxval / 255) + 1, spread: 12, maxval: maxval, rng: &rng)
            checkIndices(mix, samples(for: mix, random: 3000, rng: &rng), maxval: maxval, "bunch + spread, maxval \(maxval)")
            let other = maxval == 255 ? 65535 : 255
            checkIndices(mix, bunchSamples(mix, maxval: other, near: 30 * (other / 255) + 1, 3000, rng: &rng),
                         maxval: other, "bunch + spread, maxval \(maxval), input maxval \(other)")
        }
    }

    /// What the fallback is for: the search's entries stay within a small multiple of the palette
    /// and the cells however the colours bunch (the lists alone held tens of millions).
    func testBunchedPalettesKeepTheSearchSmall() {
        var rng = SeededGenerator(seed: 24)
        let cells = 32 * 32 * 32
        let cases: [(String, Palette, Int)] = [
            ("4096 in a 16^3 corner", block((16, 16, 16), maxval: 255), 255),
            ("4096 in a 16^3 corner, 16-bit input", block((16, 16, 16), maxval: 255), 65535),
            ("65536 block, 16-bit", block((64, 64, 16), maxval: 65535), 65535),
            ("65536 block, 8-bit input", block((64, 64, 16), maxval: 65535), 255),
            ("65536 spaced block", block((64, 64, 16), step: 4, maxval: 255), 255),
            ("bunch + spread", bunchPlusSpread(3000, side: 20, spread: 12, maxval: 255, rng: &rng), 255),
        ]
        for (label, palette, maxval) in cases {
            let search = NearestColor(palette).search(maxval: maxval)
            XCTAssertLessThanOrEqual(search.entryCount, 4 * (palette.count + cells), label)
            XCTAssertGreaterThan(search.fallbackCells, 0, label)
        }
        // Spread palettes keep the grid's lists for every cell: the fast path, unchanged.
        for k in [16, 256, 3000] {
            let search = NearestColor(randomPalette(k, maxval: 255, rng: &rng)).own
            XCTAssertEqual(search.fallbackCells, 0, "k=\(k)")
        }
    }

    // MARK: Perceptual spaces and alpha

    func randomColors(_ n: Int, maxval: Int, rng: inout SeededGenerator) -> [Color] {
        let m = UInt64(maxval + 1)
        return (0..<n).map { _ in Color(red: UInt16(rng.next() % m), green: UInt16(rng.next() % m), blue: UInt16(rng.next() % m)) }
    }

    /// The tree search (through the cache, as kmmap uses it) gives NearestPoint's
    /// brute-force answer on random colours, the palette's own colours and pairs'
    /// midpoints, for 1 to 600 colours, on the palette's scale and on others.
    func testSearchEqualsBruteForce() {
        var rng = SeededGenerator(seed: 21)
        for space in spaces {
            for (k, paletteMaxval, maxval) in [(1, 255, 255), (2, 255, 255), (16, 255, 255), (64, 255, 65535),
                                              (256, 255, 255), (600, 65535, 255), (40, 15, 255)] {
                let colors = randomColors(k, maxval: paletteMaxval, rng: &rng)
                let palette = Palette(colors: colors + colors.prefix(3), maxval: paletteMaxval) // duplicates: ties
                var queries = randomColors(3000, maxval: maxval, rng: &rng)
                if maxval == paletteMaxval {
                    queries += colors
                    for _ in 0..<500 {
                        let a = colors.randomElement(using: &rng)!, b = colors.randomElement(using: &rng)!
                        queries.append(Color(red: (a.red + b.red) / 2, green: (a.green + b.green) / 2, blue: (a.blue + b.blue) / 2))
                    }
                }
                let brute = NearestPoint(palette, space: space)
                var cache = ColorCache(NearestColor(palette, space: space).search(maxval: maxval))
                var wrong = 0
                for q in queries {
                    let want = brute.index(of: space.coordinates(q.unit(maxval: maxval))).index
                    if Int(cache.index(q.red, q.green, q.blue)) != want { wrong += 1 }
                }
                XCTAssertEqual(wrong, 0, "\(space) k=\(k) palette maxval \(paletteMaxval) input \(maxval)")
            }
        }
    }

    /// Equal colours twice in the palette: the lower index wins, as in RGB.
    func testTiesGoToTheLowerIndexInEverySpace() {
        let grey = Color(red: 128, green: 128, blue: 128), black = Color(red: 0, green: 0, blue: 0)
        for space in spaces {
            let palette = Palette(colors: [black, grey, grey, black], maxval: 255)
            let nearest = NearestColor(palette, space: space)
            XCTAssertEqual(nearest.index(120, 128, 130), 1, "\(space)")
            XCTAssertEqual(nearest.index(3, 0, 0), 0, "\(space)")
        }
    }

    func testNearestIsTheBruteForceAnswerWithTiesToTheLowerIndex() {
        var rng = SeededGenerator(seed: 11)
        func sample() -> UInt16 { [0, 17, 128, 255][Int(rng.next() % 4)] }
        for size in [1, 2, 5, 16, 64, 200] {
            var colors: [Color] = [], alphas: [UInt16] = []
            for _ in 0..<size {
                colors.append(Color(red: sample(), green: sample(), blue: sample()))
                alphas.append(sample())
            }
            let palette = Palette(colors: colors, maxval: 255, alphas: alphas)
            let nearest = NearestColor(palette)
            // In integers (r a, g a, b a, a 255): exact, so ties are ties.
            let points = colors.indices.map { i -> [Int] in
                let c = palette.rgba(i), a = Int(c.alpha)
                return [Int(c.color.red) * a, Int(c.color.green) * a, Int(c.color.blue) * a, a * 255]
            }
            for _ in 0..<500 {
                let query = RGBA(Color(red: sample(), green: sample(), blue: sample()), alpha: sample())
                let a = Int(query.alpha)
                let q = [Int(query.color.red) * a, Int(query.color.green) * a, Int(query.color.blue) * a, a * 255]
                let d = points.map { p in zip(p, q).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
                let best = d.indices.min { (d[$0], $0) < (d[$1], $1) }!
                let found = nearest.own.index(query)
                XCTAssertEqual(found.index, best, "size \(size)")
                XCTAssertEqual(found.distance, Double(d[best]) / pow(255, 4), accuracy: 1e-15)
            }
            // On another scale (16-bit input), the same answers.
            let wide = nearest.search(maxval: 65535)
            for _ in 0..<100 {
                let query = RGBA(Color(red: sample(), green: sample(), blue: sample()), alpha: sample())
                XCTAssertEqual(wide.index(query.rescaled(from: 255, to: 65535)).index, nearest.own.index(query).index)
            }
        }
    }
}
