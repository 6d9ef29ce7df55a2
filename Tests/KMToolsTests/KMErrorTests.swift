import Glibc
@testable import KMTools
import XCTest

final class KMErrorTests: XCTestCase {
    func testErrnoIsAValueUntilPrinted() {
        let error = KMError.writeFailed("standard output", Errno(rawValue: ENOSPC))
        guard case .writeFailed(_, let errno) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(errno.rawValue, ENOSPC)
        XCTAssertEqual(error.description, "error writing standard output: No space left on device")
        XCTAssertEqual(error.status, 1)
    }

    func testErrnoCurrentIsTheThreadsErrno() {
        errno = EACCES
        XCTAssertEqual(Errno.current, Errno(rawValue: EACCES))
        XCTAssertEqual(Errno(rawValue: ENOENT).description, "No such file or directory")
    }

    func testOpeningAMissingFileKeepsItsErrno() {
        XCTAssertThrowsError(try PNMReader(path: "/nonexistent/x.ppm")) { error in
            XCTAssertEqual(error as? KMError, .cannotOpen("/nonexistent/x.ppm", Errno(rawValue: ENOENT)))
            XCTAssertEqual("\(error)", "cannot open '/nonexistent/x.ppm': No such file or directory")
        }
        XCTAssertThrowsError(try PNMReader(path: "/")) { error in
            XCTAssertEqual(error as? KMError, .isDirectory("/"))
            XCTAssertEqual("\(error)", "cannot open '/': is a directory")
        }
    }

    func testARoleNamesTheStreamAndKeepsTheCause() {
        let cause = KMError.noImage("p.ppm")
        let error = KMError.role("--init-palette", cause)
        XCTAssertEqual(error.description, "--init-palette: p.ppm holds no image")
        XCTAssertEqual(error.cause, cause)
        XCTAssertEqual(error.status, 1)
        XCTAssertEqual(KMError.role("palette", .unsupported(.initPaletteWithMinPSNR)).status, 64)
    }

    func testReadPaletteWrapsItsErrorInTheRole() {
        XCTAssertThrowsError(try readPalette(path: "/nonexistent/p.ppm", role: "--init-palette")) { error in
            XCTAssertEqual(error as? KMError, .role("--init-palette", .cannotOpen("/nonexistent/p.ppm", Errno(rawValue: ENOENT))))
        }
    }

    func testMessages() {
        let cases: [(KMError, String)] = [
            (.library(stream: nil, message: "bad"), "bad"),
            (.library(stream: "x.ppm", message: "bad magic"), "x.ppm: bad magic"),
            (.library(stream: "x.ppm", image: 2, message: "bad magic"), "x.ppm, image 2: bad magic"),
            (.unsupportedTupleType("x.pam", "", depth: 5),
             "x.pam: unsupported PAM tuple type (none) with depth 5; expected RGB, GRAYSCALE, BLACKANDWHITE or their _ALPHA forms"),
            (.unsupportedTupleType("x.pam", "CMYK", depth: 4),
             "x.pam: unsupported PAM tuple type 'CMYK' with depth 4; expected RGB, GRAYSCALE, BLACKANDWHITE or their _ALPHA forms"),
            (.truncated("x.ppm", image: 1, rowsRead: 3, height: 10), "x.ppm: premature end of input: image 1 ends after 3 of its 10 rows"),
            (.sampleAboveMaxval("x.pgm", image: 1, row: 2, value: 9, maxval: 7), "x.pgm: image 1, row 2: sample value 9 is above maxval 7"),
            (.rowTooLong("x.ppm", image: 1, samples: 90, limit: 64), "x.ppm: image 1 has 90 samples a row; kmtools reads rows of at most 64"),
            (.notNetpbm("x.png", format: "PNG", converter: "pngtopnm"),
             "x.png is a PNG file, not a netpbm image: convert it first, e.g. with pngtopnm"),
            (.noImage("standard input"), "standard input holds no image"),
            (.noOpaquePixel("x.pam", image: nil), "x.pam has no opaque pixel: every pixel's alpha is 0"),
            (.noOpaquePixel("x.pam", image: 2), "x.pam has no opaque pixel in image 2: every pixel's alpha is 0"),
            (.cannotOpen("o", Errno(rawValue: ELOOP)), "cannot open 'o': Too many levels of symbolic links"),
            (.readFailed("r.tsv", Errno(rawValue: EIO)), "cannot read r.tsv: Input/output error"),
            (.textTooLong("r.tsv", limitMiB: 64), "r.tsv is longer than 64 MiB"),
            (.tooManyColors("p.ppm", count: 70000, limit: 65536), "p.ppm has 70,000 pixels; a palette holds at most 65,536 colours, one a pixel (an image given as the palette?)"),
            (.indicesNotGrey(image: 1, depth: 3), "image 1 has 3 samples a pixel; indices come one a pixel (a PGM)"),
            (.indexPastPalette(image: 1, row: 4, index: 16, colors: 16), "image 1, row 4: index 16 is past the palette's 16 colours"),
            (.sizeMismatch(image: 2, width: 3, height: 4, referenceWidth: 5, referenceHeight: 6), "image 2 is 3x4 but the reference is 5x6"),
            (.moreImagesThanReference(input: "a", reference: "b"), "a has more images than the reference b"),
            (.referenceHasMoreImages(reference: "b", input: "a"), "the reference b has more images than a"),
            (.emptyReport("r.tsv"), "r.tsv is empty; expected kmfit --report's header line"),
            (.badLine("r.tsv", line: 3, "no psnr="), "r.tsv, line 3: no psnr="),
            (.reportHasNoRuns, "no runs in the report"),
            (.noCostLines, "no lines with colors= and J= in the input"),
            (.pictureTooLarge(what: "the picture would be", width: 20000, height: 10, maxSide: 16384, maxPixels: 1 << 26),
             "the picture would be 20000x10 pixels; kmplot draws at most 16384 pixels a side and 67108864 in all"),
            (.cannotAllocatePicture(width: 9, height: 9, reason: "out of memory"), "cannot allocate a picture of 9x9 pixels: out of memory"),
            (.drawingFailed("bad"), "drawing failed: bad"),
        ]
        for (error, message) in cases {
            XCTAssertEqual(error.description, message)
            XCTAssertEqual(error.status, 1, message)
        }
    }

    /// -o photo16.png: refused (status 64) with the command line to run instead.
    func testAnOutputNamedForAnotherFormatShowsTheWayOut() {
        let arguments = ["/usr/bin/kmquant", "16", "-o", "photo16.png", "--speed=5", "my photo.ppm"]
        XCTAssertThrowsError(try checkOutputFormats([("-o", "photo16.png")], arguments: arguments)) { error in
            XCTAssertEqual(error as? KMError, .foreignOutputFormat(option: "-o", path: "photo16.png", format: "PNG",
                                                                   wayOut: "pipe it: kmquant 16 --speed=5 'my photo.ppm' | pnmtopng > photo16.png"))
            XCTAssertEqual("\(error)", "-o photo16.png: kmtools writes netpbm (PPM/PGM/PAM), not PNG; "
                           + "pipe it: kmquant 16 --speed=5 'my photo.ppm' | pnmtopng > photo16.png")
            XCTAssertEqual((error as? KMError)?.status, 64)
        }
        XCTAssertThrowsError(try checkOutputFormats([("-o", nil), ("--palette-out", "dir.x/it's.TIF")], arguments: [])) { error in
            XCTAssertEqual("\(error)", "--palette-out dir.x/it's.TIF: kmtools writes netpbm (PPM/PGM/PAM), not TIFF; "
                           + "write dir.x/it's.ppm, then convert it: pamtotiff 'dir.x/it'\\''s.ppm' > 'dir.x/it'\\''s.TIF'")
        }
        XCTAssertEqual(withoutOutput(["kmfit", "--output", "a.png", "-k", "4", "--output=b.png", "x.ppm", "--", "-o"]),
                       ["kmfit", "-k", "4", "x.ppm", "--", "-o"])
        for path in [nil, "-", "p.ppm", "p.pam", "png", "x.png/p", ".png.d/p", "p.png.ppm", "/dev/stdout"] {
            XCTAssertNoThrow(try checkOutputFormats([("-o", path)], arguments: []), path ?? "nil")
        }
    }

    func testParsersThrowTheLineTheyRefuse() {
        XCTAssertThrowsError(try Score.parseLines("J=0.5\n", name: "in")) { error in
            XCTAssertEqual(error as? KMError, .badLine("in", line: 1, "no psnr="))
        }
        XCTAssertThrowsError(try RunRecord.parseReport("", name: "r.tsv")) { error in
            XCTAssertEqual(error as? KMError, .emptyReport("r.tsv"))
        }
    }
}
