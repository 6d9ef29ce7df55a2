import KMCore
import XCTest

final class KMeansTests: XCTestCase {
    /// Three tight, far-apart clusters of colours.
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

    func testRecoversWellSeparatedClusters() {
        var options = KMeansOptions()
        options.k = 3
        options.restarts = 3
        let fit = fitPalette(clusters(), options: options)
        let found = Set(fit.palette.colors.map { Color(red: ($0.red + 5) / 10, green: ($0.green + 5) / 10, blue: ($0.blue + 5) / 10) })
        XCTAssertEqual(found, [Color(red: 2, green: 3, blue: 20), Color(red: 22, green: 4, blue: 3), Color(red: 6, green: 23, blue: 9)])
        XCTAssertLessThan(fit.cost, 3 * 30.0 / (255 * 255))
    }
}

final class FitTests: XCTestCase {
    func photoLikeHistogram() -> Histogram {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<4000 {
            let t = UInt16(rng.next() % 200)
            h.add(Color(red: t, green: UInt16(rng.next() % 40) + t / 2, blue: 255 - t))
        }
        return h
    }

    func testSameSeedSamePaletteWhateverTheThreads() {
        var options = KMeansOptions()
        options.k = 8
        options.restarts = 5
        options.threads = 1
        let one = fitPalette(photoLikeHistogram(), options: options)
        options.threads = 3
        let three = fitPalette(photoLikeHistogram(), options: options)
        XCTAssertEqual(one.palette, three.palette)
        XCTAssertEqual(one.cost, three.cost)
    }

    func testMoreRestartsNeverCostMore() {
        var options = KMeansOptions()
        options.k = 6
        options.restarts = 1
        let few = fitPalette(photoLikeHistogram(), options: options)
        options.restarts = 8
        let many = fitPalette(photoLikeHistogram(), options: options)
        XCTAssertLessThanOrEqual(many.best!.cost, few.best!.cost)
    }

    func testPaletteIsOrderedByUse() {
        var options = KMeansOptions()
        options.k = 5
        let h = photoLikeHistogram()
        let fit = fitPalette(h, options: options)
        let counts = fit.palette.pixelCounts(in: h)
        XCTAssertEqual(counts, counts.sorted(by: >))
        XCTAssertEqual(counts.reduce(0, +), h.pixelCount)
    }

    func testFewerColoursThanKGivesThoseColours() {
        var h = Histogram(maxval: 255)
        h.add(Color(red: 1, green: 2, blue: 3), count: 5)
        h.add(Color(red: 200, green: 0, blue: 0), count: 9)
        var options = KMeansOptions()
        options.k = 16
        let fit = fitPalette(h, options: options)
        XCTAssertNil(fit.best)
        XCTAssertEqual(fit.palette.colors, [Color(red: 200, green: 0, blue: 0), Color(red: 1, green: 2, blue: 3)])
        XCTAssertEqual(fit.cost, 0)
    }

    func testRandomInitialisationPicksDistinctPixels() {
        var h = Histogram(maxval: 255)
        h.add(Color(red: 0, green: 0, blue: 0), count: 1_000_000)
        for v in 1...4 { h.add(Color(red: UInt16(v * 50), green: 0, blue: 0), count: 1) }
        var options = KMeansOptions()
        options.k = 5
        options.initialization = .random
        options.restarts = 1
        options.maxIterations = 1
        let fit = fitPalette(h, options: options)
        XCTAssertEqual(Set(fit.palette.colors).count, 5)
    }
}
