@testable import KMCore
import XCTest

/// The one exact search (NearestTree) against brute force: integer and Double
/// points, bunched, lattice ties, repeats; and through every search that uses
/// it: RGB's bunched fallback (NearestTests), each ColorSpace, premultiplied
/// RGBA on mixed scales, NearestPoint, and the fit's two-nearest search.
final class NearestTreeTests: XCTestCase {
    /// Brute force over (x, y, z, w) points: least (distance, index), computed
    /// with the tree's own formula, so that Double answers compare exactly.
    func brute<S: TreeScalar>(_ points: [(S, S, S, S)], _ indices: [Int], _ q: (S, S, S, S)) -> (index: Int, distance: S) {
        var best = (index: -1, distance: S.greatest)
        for (p, i) in zip(points, indices) {
            let d = S.squaredLength(S.gap(q.0, p.0), S.gap(q.1, p.1), S.gap(q.2, p.2), S.gap(q.3, p.3))
            if d < best.distance || (d == best.distance && i < best.index) { best = (i, d) }
        }
        return best
    }

    /// Random points in [0, side)^dims (4th coordinate 0 when dims is 3), `count` of them.
    func randomPoints(_ count: Int, side: UInt64, dims: Int, rng: inout SeededGenerator) -> [(UInt64, UInt64, UInt64, UInt64)] {
        (0..<count).map { _ in (rng.next() % side, rng.next() % side, rng.next() % side, dims == 4 ? rng.next() % side : 0) }
    }

    func testIntegerTreeEqualsBruteForce() {
        var rng = SeededGenerator(seed: 41)
        for (count, side, dims) in [(1, 256, 3), (9, 256, 4), (100, 65536, 3), (2000, 256, 4), (4096, 16, 3), (5000, 8, 4)] {
            let points = randomPoints(count, side: UInt64(side), dims: dims, rng: &rng)
            // Indices in palette order but not 0..<count: a tree of first occurrences.
            let indices = points.indices.map { 3 * $0 + 1 }
            let tree = NearestTree(points, indices: indices)
            var wrong = 0
            for _ in 0..<3000 {
                let q = randomPoints(1, side: UInt64(side) * 2, dims: dims, rng: &rng)[0]
                let got = tree.nearest(q), want = brute(points, indices, q)
                if got.index != want.index || got.distance != want.distance { wrong += 1 }
            }
            XCTAssertEqual(wrong, 0, "\(count) points in \(side)^\(dims)")
        }
    }

    /// A lattice has many exact ties: the lower index wins, whichever side of a split it is on.
    func testTiesGoToTheLowerIndexAmongLatticePoints() {
        var points: [(UInt128, UInt128, UInt128, UInt128)] = []
        for x in 0..<8 { for y in 0..<8 { for z in 0..<4 { for w in 0..<4 { points.append((UInt128(x * 2), UInt128(y * 2), UInt128(z * 2), UInt128(w * 2))) } } } }
        // Reversed indices: the lower index is the later point.
        let indices = points.indices.map { points.count - 1 - $0 }
        let tree = NearestTree(points, indices: indices)
        var wrong = 0
        for x in 0..<17 { for y in 0..<17 { for z in 0..<9 { for w in [0, 1, 3, 7] {
            let q = (UInt128(x), UInt128(y), UInt128(z), UInt128(w))
            if tree.nearest(q).index != brute(points, indices, q).index { wrong += 1 }
        } } } }
        XCTAssertEqual(wrong, 0)
    }

    func testDoubleTreeEqualsBruteForceAndTwoNearest() {
        var rng = SeededGenerator(seed: 42)
        func unit() -> Double { Double(rng.next() % 1_000_001) / 1_000_000 }
        for count in [1, 2, 17, 300, 3000] {
            // Half spread, half bunched near the origin; a few repeated at other indices.
            var points = (0..<count).map { i -> SIMD4<Double> in
                let s = i % 2 == 0 ? 1.0 : 0.01
                return SIMD4(unit() * s, unit() * s, unit() * s, unit() * s)
            }
            points += points.prefix(3)
            let tree = NearestTree(points, indices: Array(points.indices))
            let tuples = points.map { ($0.x, $0.y, $0.z, $0.w) }
            for _ in 0..<2000 {
                let q = SIMD4(unit(), unit(), unit(), unit()) * (rng.next() % 2 == 0 ? 1 : 0.012)
                let got = tree.nearest(q), want = brute(tuples, Array(points.indices), (q.x, q.y, q.z, q.w))
                XCTAssertEqual(got.index, want.index)
                XCTAssertEqual(got.distance, want.distance)
                // The second nearest: the least distance among the other indices.
                let others = points.indices.filter { $0 != want.index }.map { i in
                    Double.squaredLength(abs(q.x - points[i].x), abs(q.y - points[i].y), abs(q.z - points[i].z), abs(q.w - points[i].w))
                }
                let second = others.min() ?? .infinity
                let start = Int(rng.next() % UInt64(points.count))
                let d = q - points[start]
                for hint in [nil, (index: start, distance: (d * d).sum())] {
                    let two = tree.twoNearest(q, start: hint)
                    XCTAssertEqual(two.index, want.index)
                    XCTAssertEqual(two.distance, want.distance)
                    XCTAssertEqual(two.second, second)
                }
            }
        }
        XCTAssertEqual(NearestTree<Double>([SIMD4<Double>](), indices: []).nearest(SIMD4(repeating: 0)).index, -1)
    }

    /// NearestPoint (costs, fits, pictures) is brute force's in each space, with repeats.
    func testNearestPointEqualsBruteForce() {
        var rng = SeededGenerator(seed: 43)
        for space in ColorSpace.allCases {
            let colors = (0..<200).map { _ in Color(red: UInt16(rng.next() % 256), green: UInt16(rng.next() % 256), blue: UInt16(rng.next() % 256)) }
            let palette = Palette(colors: colors + colors.prefix(20), maxval: 255)
            let nearest = NearestPoint(palette, space: space)
            for _ in 0..<2000 {
                let q = space.coordinates(SIMD3(Double(rng.next() % 1001), Double(rng.next() % 1001), Double(rng.next() % 1001)) / 1000)
                var best = 0, bestD = Double.infinity
                for (i, p) in nearest.points.enumerated() {
                    let d = q - p, dd = (d * d).sum()
                    if dd < bestD { (best, bestD) = (i, dd) }
                }
                let got = nearest.index(of: q)
                XCTAssertEqual(got.index, best, "\(space)")
                XCTAssertEqual(got.distance, bestD, "\(space)")
            }
        }
    }

    /// Each ColorSpace through NearestColor (as kmmap searches: cached, on the
    /// image's scale) against brute force over the coordinates, with repeats,
    /// on the palette's scale and others.
    func testSpacesEqualBruteForce() {
        var rng = SeededGenerator(seed: 44)
        for space in ColorSpace.allCases where space != .rgb {
            for (k, paletteMaxval, maxval) in [(5, 255, 255), (300, 255, 65535), (64, 15, 255), (2000, 65535, 255)] {
                let m = UInt64(paletteMaxval + 1)
                let colors = (0..<k).map { _ in Color(red: UInt16(rng.next() % m), green: UInt16(rng.next() % m), blue: UInt16(rng.next() % m)) }
                let palette = Palette(colors: colors + colors.prefix(4), maxval: paletteMaxval)
                let points = palette.unitColors.map { space.coordinates($0) }
                let convert = space.converter(maxval: maxval)
                var cache = ColorCache(NearestColor(palette, space: space).search(maxval: maxval))
                var wrong = 0
                for _ in 0..<2000 {
                    let c = (0..<3).map { _ in UInt16(rng.next() % UInt64(maxval + 1)) }
                    let q = convert(c[0], c[1], c[2])
                    var best = 0, bestD = Double.infinity
                    for (i, p) in points.enumerated() {
                        let d = q - p, dd = (d * d).sum()
                        if dd < bestD { (best, bestD) = (i, dd) }
                    }
                    if Int(cache.index(c[0], c[1], c[2])) != best { wrong += 1 }
                }
                XCTAssertEqual(wrong, 0, "\(space) k=\(k) palette maxval \(paletteMaxval) input \(maxval)")
            }
        }
    }

    /// Premultiplied RGBA against brute force in integers (exact): spread and
    /// bunched palettes, repeats, every transparent colour the same point, on
    /// the palette's scale and on a finer one it divides.
    func testPremultipliedEqualsBruteForce() {
        var rng = SeededGenerator(seed: 45)
        func palette(_ k: Int, side: UInt64, maxval: Int) -> Palette {
            let m = UInt64(maxval + 1)
            var colors: [Color] = [], alphas: [UInt16] = []
            for i in 0..<k {
                let s = i % 8 == 0 ? m : side  // mostly bunched in a dark, faint corner
                colors.append(Color(red: UInt16(rng.next() % s), green: UInt16(rng.next() % s), blue: UInt16(rng.next() % s)))
                alphas.append(UInt16(rng.next() % s))
            }
            colors += colors.prefix(5)
            alphas += alphas.prefix(5)
            return Palette(colors: colors + [Color(red: 9, green: 9, blue: 9)], maxval: maxval, alphas: alphas + [0])
        }
        for (k, side, paletteMaxval, maxval) in [(16, 256, 255, 255), (256, 256, 255, 65535), (4096, 24, 255, 255),
                                                  (3000, 12, 15, 255), (600, 300, 4095, 4095)] {
            let p = palette(k, side: UInt64(side), maxval: paletteMaxval)
            let scale = maxval / paletteMaxval
            // r a, g a, b a, a maxval on the input's scale: integers, exact.
            let points = p.colors.indices.map { i -> [Int] in
                let c = p.rgba(i), a = Int(c.alpha) * scale
                return [Int(c.color.red) * scale * a, Int(c.color.green) * scale * a, Int(c.color.blue) * scale * a, a * maxval]
            }
            let search = NearestColor(p).search(maxval: maxval)
            var cache = ColorCache(search)
            var wrong = 0
            for n in 0..<3000 {
                let s = n % 2 == 0 ? UInt64(maxval + 1) : UInt64(min(side * scale, maxval + 1))
                var q = RGBA(Color(red: UInt16(rng.next() % s), green: UInt16(rng.next() % s), blue: UInt16(rng.next() % s)),
                             alpha: UInt16(rng.next() % s))
                if n % 10 == 0 { q = p.rgba(Int(rng.next() % UInt64(p.count))).rescaled(from: paletteMaxval, to: maxval) }
                let a = Int(q.alpha)
                let v = [Int(q.color.red) * a, Int(q.color.green) * a, Int(q.color.blue) * a, a * maxval]
                let d = points.map { pt in zip(pt, v).map { Int128($0 - $1) * Int128($0 - $1) }.reduce(0, +) }
                let best = d.indices.min { (d[$0], $0) < (d[$1], $1) }!
                let got = search.index(q)
                if got.index != best || Int(cache.index(q.color.red, q.color.green, q.color.blue, q.alpha)) != best { wrong += 1 }
                let unit = Double(maxval) * Double(maxval)
                XCTAssertEqual(got.distance, Double(d[best]) / (unit * unit), accuracy: 1e-15)
            }
            XCTAssertEqual(wrong, 0, "k=\(k) palette maxval \(paletteMaxval) input \(maxval)")
        }
    }
}
