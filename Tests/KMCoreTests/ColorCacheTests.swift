@testable import KMCore
import XCTest

/// The nearest-colour cache (ColorCache): it gives the search's answers, and
/// key 0, which every slot starts holding, is a real colour.
final class ColorCacheTests: XCTestCase {
    func testCacheGivesTheSearchesAnswers() {
        // The cache starts with every slot holding black's key: black must still get its own
        // nearest colour (here index 1), before and after other colours.
        let palette = Palette(colors: [Color(red: 255, green: 255, blue: 255), Color(red: 0, green: 0, blue: 0),
                                       Color(red: 0, green: 0, blue: 1)], maxval: 255)
        var rng = SeededGenerator(seed: 15)
        var samples: [UInt16] = [0, 0, 0, 0, 0, 1]
        for _ in 0..<20000 { samples.append(UInt16(rng.next() % 4)) }
        samples += [0, 0, 0]
        checkIndices(palette, samples, maxval: 255, "small colours")
    }

    /// Key 0 is a real colour in both kinds of cache (black; with alphas,
    /// transparent black): every slot starts holding it, with its true answer.
    func testCacheKeyZeroIsARealColour() {
        let white = Color(red: 255, green: 255, blue: 255), black = Color(red: 0, green: 0, blue: 0)
        let rgba = Palette(colors: [white, black, black], maxval: 255, alphas: [255, 255, 0])
        var cache = ColorCache(NearestColor(rgba).own)
        XCTAssertEqual(cache.index(0, 0, 0, 0), 2, "transparent black")
        XCTAssertEqual(cache.index(0, 0, 0), 1, "opaque black")
        XCTAssertEqual(cache.index(200, 10, 10, 0), 2, "any transparent colour")
        XCTAssertEqual(cache.index(0, 0, 0, 0), 2)
        let rgb = Palette(colors: [white, Color(red: 0, green: 0, blue: 2)], maxval: 255)
        var opaque = ColorCache(NearestColor(rgb).own)
        for _ in 0..<2 {
            XCTAssertEqual(opaque.index(0, 0, 0), 1)
            XCTAssertEqual(opaque.index(250, 250, 250), 0)
        }
    }
}
