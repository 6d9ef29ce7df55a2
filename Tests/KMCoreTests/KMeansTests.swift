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
