import KMCore
@testable import KMTools
import XCTest

/// kmcost's line: what it writes, and that kmplot's parser reads it back.
final class ScoreTests: XCTestCase {
    func testLineFormat() {
        let score = Score(cost: 0.0146496654, psnr: 23.1129354, meanDeltaE: 8.65703, deltaE95: 19.0302644, colors: 16)
        XCTAssertEqual(score.line(json: false), "J=0.014650 psnr=23.11 dE00=8.657 dE00p95=19.030 colors=16 bpp=4")
        var lab = score
        lab.space = .lab
        lab.cost = 220.3449931
        XCTAssertEqual(lab.line(json: false), "J=220.344993 psnr=23.11 dE00=8.657 dE00p95=19.030 colors=16 bpp=4 space=lab")
        XCTAssertEqual(lab.line(json: true),
                       #"{"J":220.3449931,"psnr":23.1129354,"dE00":8.65703,"dE00p95":19.0302644,"colors":16,"bpp":4,"space":"lab"}"#)
    }

    func testJKeepsFourSignificantDigits() {
        XCTAssertEqual(Score.text(cost: 0), "0.000000")
        XCTAssertEqual(Score.text(cost: 0.014649665), "0.014650")
        XCTAssertEqual(Score.text(cost: 0.0012345), "0.001234")
        XCTAssertEqual(Score.text(cost: 0.00004421), "0.00004421")
        XCTAssertEqual(Score.text(cost: 0.000999999), "0.0010000")
        XCTAssertEqual(Score.text(cost: 2.5), "2.500000")
    }

    func testParserReadsWhatTheWriterWrites() throws {
        let scores = [
            Score(cost: 0.014650, psnr: 23.11, meanDeltaE: 8.657, deltaE95: 19.03, colors: 16),
            Score(cost: 0, psnr: .infinity, meanDeltaE: 0, deltaE95: 0, colors: nil),
            Score(cost: 220.344993, psnr: 20.99, meanDeltaE: 8.6, deltaE95: 18.637, colors: 16, space: .lab),
            Score(cost: 0.003456, psnr: 22.58, meanDeltaE: 8.563, deltaE95: 18.543, colors: 3, space: .oklab),
            Score(cost: 3.5, psnr: 0.58, colors: 16, alpha: true),
        ]
        let text = scores.map { $0.line(json: false) + "\n" }.joined()
        XCTAssertEqual(try Score.parseLines(text, name: "in"), scores)
        XCTAssertEqual(Score(alphaCost: 0.04, colors: 16).line(json: false), "J=0.040000 psnr=18.75 colors=16 bpp=4 space=rgba")
        // Lines of kmcost before ΔE00 still read.
        XCTAssertEqual(try Score.parseLines("J=0.009000 psnr=25.23 colors=16 bpp=4\n", name: "in"),
                       [Score(cost: 0.009, psnr: 25.23, colors: 16)])
    }

    func testParserRefusesWhatTheWriterWouldNotWrite() {
        let bad = [
            "J=0.5 psnr=6.02 dE00=1.000": "dE00= and dE00p95= come together",
            "J=0.5 psnr=6.02 dE00=-1 dE00p95=2": "dE00 -1 is below 0",
            "J=0.5 psnr=6.02 dE00=1 dE00p95=nan": "dE00p95 'nan' is not a finite decimal number",
            "J=0.5 psnr=6.02 space=xyz": "space 'xyz' is not rgb, lab, oklab, din99 or rgba",
            "J=4.5 psnr=6.02 space=rgba": "J 4.5 is outside 0...4",
            "J=0.5 psnr=9.03 dE00=1 dE00p95=2 space=rgba": "dE00= does not go with space=rgba",
            "J=220 psnr=6.02": "J 220 is outside 0...3",
            "J=-1 psnr=6.02 space=lab": "J -1 is below 0",
        ]
        for (line, message) in bad {
            XCTAssertThrowsError(try Score.parseLines(line + "\n", name: "in"), line) { error in
                XCTAssertEqual(error as? KMError, .badLine("in", line: 1, message), line)
            }
        }
    }
}
