@testable import KMCore
import XCTest

/// The split start (splitCenters) and the default that uses it at large K.
final class SplittingTests: XCTestCase {
    /// 27 tight blobs of unequal sizes on a 3x3x3 grid of the cube: a split
    /// into 27 finds every one (what a start is for); k-means++ would need luck.
    func testFindsEveryBlobOfFarApartClusters() {
        var h = Histogram(maxval: 255)
        var rng = SeededGenerator(seed: 5)
        var blobs: [ColorPoint] = []
        for r in 0..<3 { for g in 0..<3 { for b in 0..<3 {
            let c = (r: 40 + 85 * r, g: 40 + 85 * g, b: 40 + 85 * b)
            blobs.append(ColorPoint(Double(c.r) / 255, Double(c.g) / 255, Double(c.b) / 255, 0))
            for _ in 0..<(20 + 30 * ((r + g + b) % 4)) {
                func jitter(_ v: Int) -> UInt16 { UInt16(v + Int(rng.next() % 9) - 4) }
                h.add(Color(red: jitter(c.r), green: jitter(c.g), blue: jitter(c.b)), count: 1 + rng.next() % 3)
            }
        }}}
        let centers = splitCenters(WeightedPoints(h), k: 27)
        XCTAssertEqual(centers.count, 27)
        for blob in blobs {
            let near = centers.filter { (($0 - blob) * ($0 - blob)).sum().squareRoot() < 6.0 / 255 }
            XCTAssertEqual(near.count, 1, "blob at \(blob * 255): \(near.count) centres in it")
        }
    }

    /// As a start for Lloyd, the split is nearly as good as k-means++ restarts
    /// with their swaps at large K (within 3 % of their J on a random cloud),
    /// in one run.
    func testOneSplitRunIsNearTheRestartsAtLargeK() {
        let points = cloud(10_000, seed: 11)
        var options = KMeansOptions()
        options.k = 256
        options.restarts = 3
        let restarts = kmeans(points, options: options)
        options.initialization = .split
        var runs = 0
        let split = kmeans(points, options: options) { _ in runs += 1 }
        XCTAssertEqual(runs, 1)
        XCTAssertEqual(split.centers.count, 256)
        XCTAssertLessThan(split.cost, restarts.cost * 1.03, "split \(split.cost), k-means++ \(restarts.cost)")
    }

    /// Fewer distinct colours than K: every colour is a centre, none twice.
    func testFewerColoursThanKGiveEachColourOnce() {
        var h = Histogram(maxval: 255)
        for v in 0..<10 { h.add(Color(red: UInt16(v * 20), green: 5, blue: UInt16(255 - v * 20)), count: UInt64(v + 1)) }
        let points = WeightedPoints(h)
        // Each a one-colour cluster's mean: the colour, up to rounding.
        let centers = splitCenters(points, k: 64).map { ($0 * 255).rounded(.toNearestOrEven) }
        XCTAssertEqual(centers.count, 10)
        XCTAssertEqual(Set(centers), Set((0..<points.count).map { (points.point($0) * 255).rounded(.toNearestOrEven) }))
    }

    /// The default start: k-means++ below Search.splitMinK, the split from there
    /// on, at every speed; one run, whatever the threads.
    func testLargeKDefaultsToOneSplitRunThatIgnoresTheThreads() {
        for level in 1...10 {
            let search = Search.level(level, k: 4096).search
            XCTAssertEqual(search.initialization(k: search.splitMinK - 1), .kmeansPlusPlus)
            XCTAssertEqual(search.initialization(k: search.splitMinK), .split)
        }
        let points = cloud(12_000, seed: 2)
        var options = KMeansOptions()
        options.k = 1024
        options.initialization = Search().initialization(k: 1024)
        options.threads = 1
        let one = kmeans(points, options: options)
        options.threads = 3
        XCTAssertEqual(kmeans(points, options: options).centers, one.centers)
    }
}
