@testable import KMCore
import XCTest

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

    func testGrowsPastManyColours() {
        var h = Histogram(maxval: 65535)
        var samples: [UInt16] = []
        for i in 0..<50_000 { samples += [UInt16(i % 65536), UInt16(i / 7), 5] }
        samples.withUnsafeBufferPointer { h.add(rgb: $0, maxval: 65535) }
        samples.withUnsafeBufferPointer { h.add(rgb: $0, maxval: 65535) }
        XCTAssertEqual(h.colorCount, 50_000)
        XCTAssertEqual(h.pixelCount, 100_000)
        XCTAssertTrue(h.entries().counts.allSatisfy { $0 == 2 })
    }

    func testFinerInputMovesTheHistogramTo16Bits() {
        var h = Histogram(maxval: 255)
        [UInt16](arrayLiteral: 255, 0, 1).withUnsafeBufferPointer { h.add(rgb: $0, maxval: 255) }
        [UInt16](arrayLiteral: 65535, 0, 257).withUnsafeBufferPointer { h.add(rgb: $0, maxval: 65535) }
        XCTAssertEqual(h.maxval, 65535)
        XCTAssertEqual(h.entries().colors, [Color(red: 65535, green: 0, blue: 257)])
        XCTAssertEqual(h.entries().counts, [2])
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
