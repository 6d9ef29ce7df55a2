@testable import KMCore
import XCTest

/// The histogram of an image's colours, RGB or with alpha in the key.
final class HistogramTests: XCTestCase {
    func testCountsDistinctColoursAndPixels() {
        var h = Histogram(maxval: 255)
        let samples: [UInt16] = [1, 2, 3, 1, 2, 3, 9, 9, 9, 1, 2, 3]
        samples.withUnsafeBufferPointer { h.add(rgb: $0, maxval: 255) }
        let (colors, counts) = h.entries()
        XCTAssertEqual(colors, [Color(red: 1, green: 2, blue: 3), Color(red: 9, green: 9, blue: 9)])
        XCTAssertEqual(counts, [3, 1])
        XCTAssertEqual(h.pixelCount, 4)
    }

    /// Room made for each run's pixels while keys are held (10,000, then
    /// 30,000 more), then past what is made at once (100,000 colours): every
    /// colour kept, each counted twice.
    func testGrowsPastManyColours() {
        var h = Histogram(maxval: 65535)
        var samples: [UInt16] = []
        for i in 0..<100_000 { samples += [UInt16(i % 65536), UInt16(i / 7), 5] }
        for run in [0..<10_000, 10_000..<40_000, 40_000..<100_000, 0..<100_000] {
            samples[3 * run.lowerBound..<3 * run.upperBound].withUnsafeBufferPointer { h.add(rgb: $0, maxval: 65535) }
        }
        XCTAssertEqual(h.colorCount, 100_000)
        XCTAssertEqual(h.pixelCount, 200_000)
        XCTAssertTrue(h.entries().counts.allSatisfy { $0 == 2 })
    }

    func testRescaledToFewerBitsJoinsColoursThatRoundAlike() {
        var h = Histogram(maxval: 255)
        h.add(Color(red: 0, green: 0, blue: 0), count: 2)
        h.add(Color(red: 8, green: 8, blue: 8), count: 3)
        h.add(Color(red: 255, green: 128, blue: 0), count: 1)
        let r = h.rescaled(to: 15)
        XCTAssertEqual(r.maxval, 15)
        XCTAssertEqual(r.entries().colors, [Color(red: 0, green: 0, blue: 0), Color(red: 15, green: 8, blue: 0)])
        XCTAssertEqual(r.entries().counts, [5, 1])
        XCTAssertEqual(r.pixelCount, 6)
    }

    func testCommonScaleHoldsBothExactlyOrIs16Bits() {
        XCTAssertEqual(Histogram.commonScale(255, 255), 255)
        XCTAssertEqual(Histogram.commonScale(255, 65535), 65535)
        XCTAssertEqual(Histogram.commonScale(100, 255), 5100)
        XCTAssertEqual(Histogram.commonScale(200, 100), 200)
        XCTAssertEqual(Histogram.commonScale(4095, 255), 65535, "lcm 348,075 is past 16 bits")
    }

    func testCountsOfMixedScalesDoNotDependOnTheirOrder() {
        let a: [UInt16] = [0, 50, 100, 33, 34, 35], b: [UInt16] = [255, 128, 1, 7, 8, 9], c: [UInt16] = [4000, 1, 4095, 2047, 2048, 2049]
        let parts: [([UInt16], Int)] = [(a, 100), (b, 255), (c, 4095)]
        var reference: [UInt64]?
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]] {
            var h = Histogram(maxval: parts[order[0]].1)
            for i in order { parts[i].0.withUnsafeBufferPointer { h.add(rgb: $0, maxval: parts[i].1) } }
            let keys = h.entries().colors.map(\.key) + [UInt64(h.maxval)]
            if let reference { XCTAssertEqual(keys, reference, "order \(order)") } else { reference = keys }
        }
    }

    func testAlphaRoundedToZeroIsTransparentBlack() {
        var h = Histogram(maxval: 255, alpha: true)
        h.add(RGBA(Color(red: 200, green: 10, blue: 10), alpha: 3), count: 4)
        h.add(RGBA.transparent, count: 1)
        let r = h.rescaled(to: 15)
        XCTAssertEqual(r.colorsWithAlpha().colors, [.transparent])
        XCTAssertEqual(r.colorsWithAlpha().counts, [5])
    }

    func testMergeIntoASmallerTableKeepsEveryColour() {
        var big = Histogram(maxval: 255)
        for i in 0..<200_000 { big.add(Color(red: UInt16(i & 0xFF), green: UInt16(i >> 8 & 0xFF), blue: UInt16(i >> 16)), count: 1) }
        var small = Histogram(maxval: 255)
        small.add(Color(red: 1, green: 0, blue: 0), count: 5)
        small.merge(big)
        XCTAssertEqual(small.colorCount, 200_000)
        XCTAssertEqual(small.pixelCount, 200_005)
        let (colors, counts) = small.entries()
        XCTAssertEqual(colors.firstIndex(of: Color(red: 1, green: 0, blue: 0)).map { counts[$0] }, 6)
    }

    func testFinerInputMovesTheHistogramTo16Bits() {
        var h = Histogram(maxval: 255)
        [UInt16](arrayLiteral: 255, 0, 1).withUnsafeBufferPointer { h.add(rgb: $0, maxval: 255) }
        [UInt16](arrayLiteral: 65535, 0, 257).withUnsafeBufferPointer { h.add(rgb: $0, maxval: 65535) }
        XCTAssertEqual(h.maxval, 65535)
        XCTAssertEqual(h.entries().colors, [Color(red: 65535, green: 0, blue: 257)])
        XCTAssertEqual(h.entries().counts, [2])
    }

    /// With alpha in the key, every 64-bit key is some colour's: transparent
    /// black is 0 and opaque white at maxval 65535 is all ones. Both are counted.
    func testAlphaCountsTheColoursWhoseKeysAreZeroAndAllOnes() {
        var h = Histogram(maxval: 65535, alpha: true)
        let format = PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 65535)
        let samples: [UInt16] = [65535, 65535, 65535, 65535, 0, 0, 0, 0, 5, 6, 7, 0, 65535, 65535, 65535, 65535, 1, 2, 3, 4]
        samples.withUnsafeBufferPointer { h.add($0, format: format) }
        let white = RGBA(Color(red: 65535, green: 65535, blue: 65535), alpha: 65535)
        XCTAssertEqual(white.key, .max)
        let (colors, counts) = h.colorsWithAlpha()
        XCTAssertEqual(colors, [.transparent, RGBA(Color(red: 1, green: 2, blue: 3), alpha: 4), white])
        XCTAssertEqual(counts, [2, 1, 2])
        // Grown past its first table, moved to another scale, merged: still counted.
        var many = Histogram(maxval: 255, alpha: true)
        for a in 0...255 { many.add(RGBA(Color(red: 255, green: 255, blue: 255), alpha: UInt16(a)), count: 3) }
        many.merge(h)
        XCTAssertEqual(many.maxval, 65535)
        XCTAssertEqual(many.colorCount, 256 + 1)
        XCTAssertEqual(many.colorsWithAlpha().counts.last, 3 + 2)
        XCTAssertEqual(many.pixelCount, 256 * 3 + 5)
    }

    func testAlphaCountsOnAnyNumberOfThreadsTheSame() {
        var rng = SeededGenerator(seed: 3)
        let samples = (0..<40_000).map { _ in UInt16(rng.next() % 4) * 85 }
        let format = PixelFormat(depth: 4, isGray: false, hasAlpha: true, maxval: 255)
        var whole = Histogram(maxval: 255, alpha: true)
        samples.withUnsafeBufferPointer { whole.add($0, format: format) }
        for threads in [1, 2, 3] {
            var counter = HistogramCounter(maxval: 255, alpha: true, threads: threads, leastShare: 1)
            samples.withUnsafeBufferPointer { counter.add($0, format: format) }
            let h = counter.histogram()
            XCTAssertEqual(h.colorsWithAlpha().colors, whole.colorsWithAlpha().colors, "\(threads) threads")
            XCTAssertEqual(h.colorsWithAlpha().counts, whole.colorsWithAlpha().counts, "\(threads) threads")
        }
    }

    func testHistogramCountsTransparentPixelsAsOneColour() {
        let image = disc()
        let h = histogram(image)
        XCTAssertEqual(h.pixelCount, 10_000)
        let (colors, counts) = h.colorsWithAlpha()
        let transparent = (0..<10_000).filter { image.samples[4 * $0 + 3] == 0 }.count
        XCTAssertGreaterThan(transparent, 4000)
        XCTAssertEqual(colors.first, .transparent)
        XCTAssertEqual(counts.first, UInt64(transparent))
        XCTAssertEqual(colors.filter { $0.alpha == 0 }.count, 1)
        XCTAssertEqual(counts.reduce(0, +), 10_000)
    }
}

/// `count` random samples of a few grey levels (8-bit), and their histogram counted in one go.
private func fewLevels(seed: UInt64, count: Int, levels: UInt64) -> (samples: [UInt16], whole: Histogram) {
    var rng = SeededGenerator(seed: seed)
    let samples = (0..<count).map { _ in UInt16(rng.next() % levels) * UInt16(256 / levels) }
    var whole = Histogram(maxval: 255)
    samples.withUnsafeBufferPointer { whole.add(rgb: $0, maxval: 255) }
    return (samples, whole)
}

final class HistogramMergeTests: XCTestCase {
    /// The colours come out sorted (the radix sort) with their own counts,
    /// keys differing in every byte, alpha included.
    func testColoursComeSortedWithTheirCounts() {
        var rng = SeededGenerator(seed: 9)
        var h = Histogram(maxval: 65535, alpha: true)
        var expected: [RGBA: UInt64] = [:]
        for _ in 0..<5_000 {
            let c = RGBA(Color(red: UInt16(truncatingIfNeeded: rng.next()), green: UInt16(truncatingIfNeeded: rng.next()),
                               blue: UInt16(truncatingIfNeeded: rng.next())), alpha: UInt16(truncatingIfNeeded: rng.next()) | 1)
            let n = rng.next() % 5 + 1
            h.add(c, count: n)
            expected[c, default: 0] += n
        }
        let (colors, counts) = h.colorsWithAlpha()
        XCTAssertEqual(colors, expected.keys.sorted { $0.key < $1.key })
        XCTAssertEqual(counts, colors.map { expected[$0]! })
    }

    /// Few pixels are counted in one share, many are split: the histogram is the same.
    func testSmallRunsCountedInOneShareGiveTheSameHistogram() {
        let (samples, whole) = fewLevels(seed: 5, count: 60_000, levels: 16)
        for leastShare in [1, 1_000, 1_000_000] {
            var counter = HistogramCounter(maxval: 255, threads: 3, leastShare: leastShare)
            counter.add(rgb: samples, maxval: 255)
            XCTAssertEqual(counter.histogram().entries().colors, whole.entries().colors)
            XCTAssertEqual(counter.histogram().entries().counts, whole.entries().counts)
        }
    }

    func testMergedPartsEqualTheWhole() {
        let (samples, whole) = fewLevels(seed: 4, count: 30_000, levels: 8)
        var a = Histogram(maxval: 255), b = Histogram(maxval: 255)
        samples.withUnsafeBufferPointer { all in
            a.add(rgb: UnsafeBufferPointer(rebasing: all[0..<9_000]), maxval: 255)
            b.add(rgb: UnsafeBufferPointer(rebasing: all[9_000...]), maxval: 255)
        }
        a.merge(b)
        XCTAssertEqual(a.entries().colors, whole.entries().colors)
        XCTAssertEqual(a.entries().counts, whole.entries().counts)
        XCTAssertEqual(a.pixelCount, whole.pixelCount)
    }
}

final class HistogramCounterTests: XCTestCase {
    func testAnyNumberOfThreadsCountsTheSame() {
        let (samples, whole) = fewLevels(seed: 8, count: 60_000, levels: 6)
        for threads in [1, 2, 3, 7] {
            var counter = HistogramCounter(maxval: 255, threads: threads)
            samples.withUnsafeBufferPointer { all in
                // Runs of different lengths, as rows arrive.
                counter.add(rgb: UnsafeBufferPointer(rebasing: all[0..<30_003]), maxval: 255)
                counter.add(rgb: UnsafeBufferPointer(rebasing: all[30_003...]), maxval: 255)
            }
            let h = counter.histogram()
            XCTAssertEqual(h.entries().colors, whole.entries().colors, "\(threads) threads")
            XCTAssertEqual(h.entries().counts, whole.entries().counts, "\(threads) threads")
            XCTAssertEqual(h.pixelCount, 20_000)
        }
    }
}
