@testable import KMCore
import XCTest

/// PointBlocks: the bound the swap trials skip blocks by.
final class PointBlocksTests: XCTestCase {
    /// Every point is in one block (the one `block` gives it), and no point of a block is nearer to a
    /// colour than the block's gap says; blocks are tight enough to skip:
    /// from a corner of the colours most blocks are far farther than the nearest point.
    func testEveryPointOnceAndNoneNearerThanItsBlocksGap() {
        let points = cloud(5000, seed: 21)
        let blocks = PointBlocks(points)
        var seen = Set<Int32>()
        var rng = SeededGenerator(seed: 22)
        let colours = (0..<20).map { _ in ColorPoint(rng.unit(), rng.unit(), rng.unit(), 0) }
        for b in 0..<blocks.count {
            XCTAssertLessThanOrEqual(blocks.range(b).count, PointBlocks.size)
            for t in blocks.range(b) {
                let i = blocks.order[t]
                XCTAssertTrue(seen.insert(i).inserted)
                XCTAssertEqual(Int(blocks.block[Int(i)]), b, "a point's block")
                for q in colours {
                    let e = points.point(Int(i)) - q
                    XCTAssertLessThanOrEqual(blocks.gap(b, q), (e * e).sum())
                }
            }
        }
        XCTAssertEqual(seen.count, points.count)
        let corner = ColorPoint(1, 1, 0, 0)
        let nearest = (0..<points.count).map { i -> Double in let e = points.point(i) - corner; return (e * e).sum() }.min()!
        let far = (0..<blocks.count).filter { blocks.gap($0, corner) > 4 * nearest }.count
        XCTAssertGreaterThan(far, blocks.count / 2)
    }
}
