"""Runs the kmtools benchmark and prints a Markdown report (see bench/run)."""
import json, os, platform, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The binaries measured: $KMTOOLS_BIN (absolute, or relative to the repository), else .build-static/release
# (the installed build, `make static`).
BIN = os.path.join(ROOT, os.environ.get("KMTOOLS_BIN") or os.path.join(".build-static", "release"))
QUICK = "--quick" in sys.argv
ONLY_FIT = "--fit" in sys.argv or "--quality" in sys.argv or "--large-k" in sys.argv or "--levels" in sys.argv
QUALITY_ONLY = "--quality" in sys.argv
LARGE_K_ONLY = "--large-k" in sys.argv
LEVELS_ONLY = "--levels" in sys.argv
ANCHORS_ONLY = "--anchors" in sys.argv
CACHED_ONLY = "--cached-anchors" in sys.argv
ONLY_MAP = "--map" in sys.argv
ONLY_VIDEO = "--video" in sys.argv
ONLY_DITHER = "--dither" in sys.argv
RUNS = 3 if QUICK else 5
KS = [3, 16, 64, 256]
# Seeds of the quality table's spread (--seeds N): kmfit with --seed 1..N on every image and K.
SEEDS = int(sys.argv[sys.argv.index("--seeds") + 1]) if "--seeds" in sys.argv else 8
work = tempfile.mkdtemp(prefix="kmbench.")


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, cwd=work, capture_output=True, text=True, **kw).stdout


def tool(name):
    return os.path.join(BIN, name)


def seconds(cmd, shell=False):
    """Mean wall time of a command, by hyperfine, in seconds: run directly, or with shell=True
    as a bash command line (pipes, globs)."""
    out = os.path.join(work, "hf.json")
    how = ["--shell", "bash"] if shell else ["-N"]
    subprocess.run(["hyperfine", *how, "--warmup", "1", "--runs", str(RUNS), "--export-json", out, cmd],
                   check=True, cwd=work, capture_output=True)
    with open(out) as f:
        return json.load(f)["results"][0]["mean"]


def stream1080():
    """30 ppmforge frames of 1920x1080 in stream.ppm (made once)."""
    if not os.path.exists(os.path.join(work, "stream.ppm")):
        for i in range(30):
            sh(f"ppmforge -seed 11 -width 1920 -height 1080 -hour {i} -inclination 20 2>/dev/null >> stream.ppm")


def video():
    """Frames per second through kmmap with a fixed palette: a process per frame, as many at
    once as cores (GNU parallel), against one process for the whole stream."""
    stream1080()
    cores = os.cpu_count()
    sh("mkdir -p frames && pamsplit stream.ppm 'frames/%d.ppm' 2>/dev/null")
    n = len(os.listdir(os.path.join(work, "frames")))
    print(f"\n## Video: {n} frames of 1920x1080 through a fixed palette\n")
    print(f"Frames per second (higher is better), output to /dev/null. A frame a process: {cores} at once "
          f"over the frame files, started by GNU parallel -j{cores} or by xargs -P{cores}, each kmmap on one "
          f"thread; one process: kmmap over the {n}-frame stream on all {cores} cores. pnmremap is run a frame "
          f"a process by xargs; pamtopnm copies the stream (libnetpbm's read and write, no mapping). "
          f"Ratios: kmmap one process's fps / the other's. Start: the time of one kmmap process "
          f"mapping a 1x1 image, what each frame a process pays over one process.\n")
    print("| colours | kmmap one process | kmmap a frame a process (parallel) | (xargs) | pnmremap -nofloyd (xargs) "
          "| pamtopnm copy | vs parallel | vs xargs | vs pnmremap | vs pamtopnm | kmmap start ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    sh("printf 'P3 1 1 255 0 0 0\\n' > pixel.ppm")
    t_copy = seconds("pamtopnm stream.ppm")
    for k in (16, 256):
        sh(f"{tool('kmfit')} -k {k} -r 2 frames/0.ppm > vpal{k}.ppm")
        job = f"{tool('kmmap')} --threads 1 vpal{k}.ppm {{}} > /dev/null"
        t_one = seconds(f"{tool('kmmap')} vpal{k}.ppm stream.ppm")
        t_par = seconds(f"parallel --will-cite -j{cores} '{job}' ::: frames/*.ppm", shell=True)
        t_xargs = seconds(f"ls frames/*.ppm | xargs -P{cores} -I{{}} sh -c '{job}'", shell=True)
        t_remap = seconds(f"ls frames/*.ppm | xargs -P{cores} -I{{}} sh -c "
                          f"'pnmremap -nofloyd -mapfile=vpal{k}.ppm {{}} > /dev/null 2>&1'", shell=True)
        t_start = seconds(f"{tool('kmmap')} --threads 1 vpal{k}.ppm pixel.ppm")
        fps = [n / t for t in (t_one, t_par, t_xargs, t_remap, t_copy)]
        print(f"| {k} | " + " | ".join(f"{f:.1f}" for f in fps) + " | "
              + " | ".join(f"{fps[0] / f:.2f}" for f in fps[1:]) + f" | {t_start * 1000:.1f} |")
        sys.stdout.flush()


def cost_of_image(path, original):
    line = sh(f"{tool('kmcost')} --reference {original} {path}")
    return float(line.split()[0].split("=")[1])


def cost_of_palette(palette, original):
    line = sh(f"{tool('kmcost')} {palette} {original}")
    return float(line.split()[0].split("=")[1])


def images():
    """(name, ppm path): the notebook photo when shared/ has it, then images made here."""
    found = []
    notebook = os.path.join(ROOT, "..", "shared", "seed-images", "colorImage1.png")
    if os.path.exists(notebook):
        sh(f"pngtopnm {notebook} > notebook.ppm")
        found.append(("notebook 202x250", "notebook.ppm"))
    sh("ppmforge -seed 11 -width 333 -height 250 -hour 10 -inclination 20 > planet.ppm 2>/dev/null")
    found.append(("ppmforge planet 333x250", "planet.ppm"))
    sh("/usr/bin/convert wizard: -resize x250 wizard.ppm")
    found.append(("ImageMagick wizard 188x250", "wizard.ppm"))
    return found


def quality_rows(name, ppm):
    rows = []
    sh(f"pnmtopng {ppm} > in.png")
    for k in KS:
        sh(f"{tool('kmfit')} -k {k} {ppm} > pal.ppm")
        j_km = cost_of_palette("pal.ppm", ppm)
        t_km = seconds(f"{tool('kmfit')} -k {k} {ppm}")
        anchors = []
        # pngquant, default speed and --speed 1 without dithering.
        for label, opts in (("pngquant", ""), ("pngquant --speed 1 --nofs", "--speed 1 --nofs")):
            sh(f"pngquant {k} {opts} --force --output q.png in.png")
            sh("pngtopnm q.png > q.ppm")
            t = seconds(f"pngquant {k} {opts} --force --output q.png in.png".replace("  ", " "))
            anchors.append((label, cost_of_image("q.ppm", ppm), t))
        # netpbm median cut, then exact remap.
        sh(f"pnmcolormap {k} {ppm} > cmap.ppm 2>/dev/null")
        sh(f"pnmremap -nofloyd -mapfile=cmap.ppm {ppm} > r.ppm 2>/dev/null")
        anchors.append(("pnmcolormap (+pnmremap for J)", cost_of_image("r.ppm", ppm),
                        seconds(f"pnmcolormap {k} {ppm}")))
        # ImageMagick's octree quantizer, no dithering.
        sh(f"/usr/bin/convert {ppm} -dither None -colors {k} im.ppm")
        anchors.append(("ImageMagick -colors", cost_of_image("im.ppm", ppm),
                        seconds(f"/usr/bin/convert {ppm} -dither None -colors {k} im.ppm")))
        rows.append((name, k, j_km, t_km, anchors))
    return rows


def photos():
    """(name, ppm path): 250-high photos: scikit-image's sample photos and the notebook's."""
    import skimage, skimage.io
    found = []
    data = os.path.join(os.path.dirname(skimage.__file__), "data")
    for name in ("astronaut.png", "coffee.png", "chelsea.png", "hubble_deep_field.jpg", "rocket.jpg",
                 "retina.jpg", "motorcycle_left.png", "ihc.png"):
        base = name.split(".")[0]
        skimage.io.imsave(os.path.join(work, "photo.png"), skimage.io.imread(os.path.join(data, name))[..., :3],
                          check_contrast=False)
        sh(f"pngtopnm photo.png | pamscale -height 250 > {base}.ppm")
        found.append((base, f"{base}.ppm"))
    notebook = os.path.join(ROOT, "..", "shared", "seed-images", "colorImage1.png")
    if os.path.exists(notebook):
        sh(f"pngtopnm {notebook} > notebook.ppm")
        found.append(("notebook", "notebook.ppm"))
    return found


def ppm_header(data, at):
    """Width, height and maxval of the raw PPM header starting at `at` (its magic number),
    and the offset of the whitespace byte that ends the header."""
    fields, at = [], at + 2
    while len(fields) < 3:
        while data[at:at + 1].isspace():
            at += 1
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[at:end]))
        at = end
    return fields[0], fields[1], fields[2], at


def read_unit(path):
    """A PPM as a float array (height, width, 3) on [0, 1]."""
    import numpy as np
    data = open(os.path.join(work, path), "rb").read()
    w, h, m, at = ppm_header(data, 0)
    pixels = np.frombuffer(data[at + 1:], dtype=">u2" if m > 255 else np.uint8, count=w * h * 3)
    return pixels.reshape(h, w, 3).astype(np.float64) / m


def scores(original, path):
    """(J, blurred J) of an output against the original: J after a Gaussian blur (sigma 1.5 px) of both."""
    from scipy.ndimage import gaussian_filter
    a, b = read_unit(original), read_unit(path)
    blur = lambda x: gaussian_filter(x, sigma=(1.5, 1.5, 0))
    j = lambda x, y: float(((x - y) ** 2).sum(axis=2).mean())
    return j(a, b), j(blur(a), blur(b))


def pad256(palette, out):
    """The palette as the 16x16 image of exactly 256 pixels ffmpeg's paletteuse needs, its colours repeated."""
    data = open(os.path.join(work, palette), "rb").read().split(b"\n", 3)
    count = int(data[1].split()[0]) * int(data[1].split()[1])
    colours = [data[3][3 * i:3 * i + 3] for i in range(count)]
    with open(os.path.join(work, out), "wb") as f:
        f.write(b"P6\n16 16\n255\n" + b"".join(colours[i % count] for i in range(256)))


FFMPEG_USE = ("ffmpeg -v error -f image2pipe -vcodec ppm -i {img} -i {pal} -lavfi paletteuse=dither={how} "
              "-f image2pipe -vcodec ppm -y {out}")


def dither_methods(img, pal, pal256, out):
    """(label, command writing `out`) of every dithering measured, kmmap's first."""
    return [("kmmap none", f"{tool('kmmap')} -o {out} {pal} {img}"),
            ("kmmap fs", f"{tool('kmmap')} --dither fs -o {out} {pal} {img}"),
            ("kmmap sierra", f"{tool('kmmap')} --dither sierra -o {out} {pal} {img}"),
            ("kmmap bayer", f"{tool('kmmap')} --dither bayer -o {out} {pal} {img}"),
            ("pnmremap -floyd", f"pnmremap -floyd -norandom -mapfile={pal} {img} 2>/dev/null > {out}"),
            ("ImageMagick FS", f"/usr/bin/convert {img} -dither FloydSteinberg -remap {pal} {out}"),
            ("ffmpeg floyd_steinberg", FFMPEG_USE.format(img=img, pal=pal256, how="floyd_steinberg", out=out)),
            ("ffmpeg sierra2_4a", FFMPEG_USE.format(img=img, pal=pal256, how="sierra2_4a", out=out)),
            ("ffmpeg bayer", FFMPEG_USE.format(img=img, pal=pal256, how="bayer", out=out))]


def dither():
    """Dithering: blurred J and J of every method on 250-high photos at K = 4, 16, 64, 256 (kmfit
    palettes), goals counted; then times on a 1920x1080 frame."""
    print("\n## kmmap: dithering\n")
    print("Blurred J: the notebook's J after a Gaussian blur (sigma 1.5 px) of both the output and the "
          "original, what dithering is for (the local average colour); J: plain, the noise. Each photo "
          "scaled to 250 high (pamscale), its palette from `kmfit -k K`; the same palette for every tool "
          "(ffmpeg's paletteuse gets it repeated to 256 entries). pnmremap with -norandom.\n")
    labels = [label for label, _ in dither_methods("i", "p", "q", "o")]
    rows = []
    for name, ppm in photos():
        for k in (4, 16, 64, 256):
            sh(f"{tool('kmfit')} -k {k} {ppm} > dpal.ppm")
            pad256("dpal.ppm", "dpal256.ppm")
            row = {}
            for label, cmd in dither_methods(ppm, "dpal.ppm", "dpal256.ppm", "dout.ppm"):
                sh(cmd)
                row[label] = scores(ppm, "dout.ppm")
            rows.append((name, k, row))
    print("### Blurred J, as a ratio to nearest colour's (kmmap none; lower is better)\n")
    print("| photo | K | nearest blurred J | " + " | ".join(labels[1:]) + " |")
    print("|---|---|---|" + "---|" * (len(labels) - 1))
    for name, k, row in rows:
        near = row["kmmap none"][1]
        print(f"| {name} | {k} | {near:.6f} | " + " | ".join(f"{row[l][1] / near:.3f}" for l in labels[1:]) + " |")
    print("\n### J, as a ratio to pnmremap -floyd's (lower: less noise)\n")
    print("| photo | K | pnmremap -floyd J | " + " | ".join(l for l in labels if l != "pnmremap -floyd") + " |")
    print("|---|---|---|" + "---|" * (len(labels) - 1))
    for name, k, row in rows:
        ref = row["pnmremap -floyd"][0]
        print(f"| {name} | {k} | {ref:.6f} | "
              + " | ".join(f"{row[l][0] / ref:.3f}" for l in labels if l != "pnmremap -floyd") + " |")
    print("\n### Summary, over the photos and K above\n")
    print("better anchor: the lower blurred J of pnmremap -floyd and ImageMagick FS.\n")
    print("| kmmap | blurred J / nearest's | blurred J <= better anchor's | worst blurred J / better anchor's "
          "| J <= pnmremap -floyd's | J / pnmremap -floyd's |")
    print("|---|---|---|---|---|---|")
    n = len(rows)
    for method in ("kmmap fs", "kmmap sierra", "kmmap bayer"):
        near = [r[method][1] / r["kmmap none"][1] for _, _, r in rows]
        anchor = [r[method][1] / min(r["pnmremap -floyd"][1], r["ImageMagick FS"][1]) for _, _, r in rows]
        noise = [r[method][0] / r["pnmremap -floyd"][0] for _, _, r in rows]
        print(f"| {method.split()[1]} | {min(near):.2f}-{max(near):.2f} | {sum(a <= 1 for a in anchor)}/{n} "
              f"| {max(anchor):.3f} | {sum(j <= 1 for j in noise)}/{n} | {min(noise):.2f}-{max(noise):.2f} |")
    k16 = [r for _, k, r in rows if k == 16]
    ok = sum(r["kmmap bayer"][1] <= 0.85 * r["kmmap none"][1] for r in k16)
    below = sum(r["kmmap bayer"][1] < r["kmmap none"][1] for _, _, r in rows)
    ff = sum(r["kmmap bayer"][1] <= r["ffmpeg bayer"][1] for _, _, r in rows)
    print(f"\nbayer (pattern): blurred J at most 0.85x nearest's at K = 16 on {ok}/{len(k16)} photos; below "
          f"nearest's in {below}/{n} cases; at or below ffmpeg's bayer in {ff}/{n}.")

    print("\n### Flat greys with a black and white palette\n")
    print("What dithering is for, in its plainest case: a 128x128 flat grey, mapped to black and white, "
          "should come out with the same mean level. Mean output level (0-255) of each tool:\n")
    sh("printf 'P3 2 1 255 0 0 0 255 255 255\\n' | ppmtoppm > bw.ppm")
    pad256("bw.ppm", "bw256.ppm")
    levels = (5, 13, 26, 64, 191, 229, 242, 250)
    print("| grey | " + " | ".join(labels[1:]) + " |")
    print("|---|" + "---|" * (len(labels) - 1))
    for v in levels:
        sh(f"ppmmake rgb:{v:02x}/{v:02x}/{v:02x} 128 128 > grey.ppm")
        means = []
        for label, cmd in dither_methods("grey.ppm", "bw.ppm", "bw256.ppm", "dout.ppm")[1:]:
            sh(cmd)
            means.append(read_unit("dout.ppm").mean() * 255)
        print(f"| {v} | " + " | ".join(f"{m:.1f}" for m in means) + " |")

    print("\n### Time: a 1920x1080 frame\n")
    print("Whole-process times, output to a file; ratios: kmmap's time / the anchor's (below 1: kmmap faster). "
          "The planet (ppmforge) and the notebook's photo scaled up (pamscale).\n")
    sh("ppmforge -seed 11 -width 1920 -height 1080 -hour 10 -inclination 20 > dframe.ppm 2>/dev/null")
    frames = [("planet", "dframe.ppm")]
    if os.path.exists(os.path.join(work, "notebook.ppm")):
        sh("pamscale -xsize 1920 -ysize 1080 notebook.ppm > dphoto.ppm")
        frames.append(("notebook photo", "dphoto.ppm"))
    print("| frame | K | " + " ms | ".join(labels) + " ms | fs / ImageMagick FS | fs / ffmpeg floyd_steinberg "
          "| sierra / ffmpeg sierra2_4a | bayer / ffmpeg bayer |")
    print("|---|---|" + "---|" * (len(labels) + 4))
    for fname, frame in frames:
        for k in (16, 256):
            sh(f"{tool('kmfit')} -k {k} -r 2 {frame} > dpal.ppm")
            pad256("dpal.ppm", "dpal256.ppm")
            t = {label: seconds(cmd, shell=">" in cmd) for label, cmd in dither_methods(frame, "dpal.ppm", "dpal256.ppm", "dout.ppm")}
            print(f"| {fname} | {k} | " + " | ".join(f"{t[l] * 1000:.0f}" for l in labels)
                  + f" | {t['kmmap fs'] / t['ImageMagick FS']:.2f} | {t['kmmap fs'] / t['ffmpeg floyd_steinberg']:.2f}"
                  + f" | {t['kmmap sierra'] / t['ffmpeg sierra2_4a']:.2f} | {t['kmmap bayer'] / t['ffmpeg bayer']:.2f} |")
            sys.stdout.flush()


def peak_rss_kib(cmd):
    err = subprocess.run(f"/usr/bin/time -f %M {cmd} > /dev/null", shell=True, check=True, cwd=work,
                         capture_output=True, text=True).stderr
    return int(err.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# bench/run --fit: issue 12's tables (speed against the tools people pick, quality against the
# best anchor, speed levels against pngquant's, memory, kmmap on noisy frames).

ANCHORS_FILE = os.path.join(ROOT, "bench", "anchors.json")
SAMPLES = ("astronaut.png", "coffee.png", "chelsea.png", "hubble_deep_field.jpg", "rocket.jpg",
           "retina.jpg", "motorcycle_left.png", "ihc.png")


def hyper(cmds, runs=None):
    """Median whole-process times in seconds of commands measured side by side: one hyperfine run over
    all of them (each command run directly, no shell; its standard output discarded)."""
    out = os.path.join(work, "hf.json")
    subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(runs or RUNS), "--export-json", out, *cmds],
                   check=True, cwd=work, capture_output=True)
    with open(out) as f:
        return [r["median"] for r in json.load(f)["results"]]


def stream_colours(path):
    """Distinct colours of a PPM stream (every image, maxval 255) and their pixel counts."""
    import numpy as np
    data, at, parts = open(os.path.join(work, path), "rb").read(), 0, []
    while at < len(data):
        w, h, m, at = ppm_header(data, at)
        assert m == 255, path
        px = np.frombuffer(data, dtype=np.uint8, count=w * h * 3, offset=at + 1).reshape(-1, 3).astype(np.uint32)
        parts.append(np.unique((px[:, 0] << 16) | (px[:, 1] << 8) | px[:, 2], return_counts=True))
        at += 1 + w * h * 3
    u, inv = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
    n = np.bincount(inv.reshape(-1), weights=np.concatenate([p[1] for p in parts]).astype(np.float64))
    return np.stack([(u >> 16) & 255, (u >> 8) & 255, u & 255], axis=1).astype(np.int64), n


_colour_cache = {}


def precise_j(palette, ppm):
    """J of a palette under nearest mapping, in full precision (kmcost prints 6 decimals, too few at
    K = 256), from the exact integer distances; checked against kmcost's figure."""
    import numpy as np
    if ppm not in _colour_cache:
        _colour_cache.clear()
        _colour_cache[ppm] = stream_colours(ppm)
    cols, n = _colour_cache[ppm]
    pal, _ = stream_colours(palette)
    best = np.full(len(cols), 1 << 40, dtype=np.int64)
    for c in pal:
        np.minimum(best, ((cols - c) ** 2).sum(axis=1), out=best)
    j = float((best * n).sum() / n.sum()) / 255 ** 2
    # kmcost prints a line an image; the streams here have images of one size, so J is their mean.
    lines = sh(f"{tool('kmcost')} {palette} {ppm}").splitlines()
    shown = sum(float(l.split()[0].split("=")[1]) for l in lines) / len(lines)
    assert abs(j - shown) <= 6e-7 + 1e-5 * j, (palette, ppm, j, shown)
    return j


def write_palette(colors, path):
    """Colours (sequence of 3 bytes-like or ints) as a K x 1 PPM colormap."""
    body = b"".join(bytes(bytearray(c)) for c in colors)
    with open(os.path.join(work, path), "wb") as f:
        f.write(b"P6\n%d 1\n255\n" % (len(body) // 3) + body)


def png_plte(path):
    """The PLTE entries of an indexed PNG (pngquant's output), as 3-byte strings."""
    data = open(os.path.join(work, path), "rb").read()
    at = 8
    while at < len(data):
        n = int.from_bytes(data[at:at + 4], "big")
        if data[at + 4:at + 8] == b"PLTE":
            body = data[at + 8:at + 8 + n]
            return [body[i:i + 3] for i in range(0, n, 3)]
        at += 12 + n
    raise RuntimeError(f"{path}: no PLTE chunk")


def pngquant_j(png, ppm):
    """J of pngquant's palette (the PLTE of its output `png`) under nearest mapping on `ppm`."""
    write_palette(png_plte(png), "pq_pal.ppm")
    return precise_j("pq_pal.ppm", ppm)


def ffmpeg_palette(png, out):
    """A palettegen palette (a 16x16 PNG) as a netpbm colormap: its opaque entries, repeats dropped."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgba", "-"],
                         check=True, cwd=work, capture_output=True).stdout
    colors = []
    for i in range(0, len(raw), 4):
        if raw[i + 3] and raw[i:i + 3] not in colors:
            colors.append(raw[i:i + 3])
    write_palette(colors, out)


def ffmpeg_j(png, ppm):
    """J of a palettegen palette under nearest mapping."""
    ffmpeg_palette(png, "ff_pal.ppm")
    return precise_j("ff_pal.ppm", ppm)


def palettegen(k, full=False):
    """ffmpeg's palettegen with K real colours (reserve_transparent=0: by default it keeps one of the
    K entries for transparency)."""
    opts = f"max_colors={k}:reserve_transparent=0" + (":stats_mode=full" if full else "")
    return opts


def ffmpeg_cmd(stream, k, full, out="ffpal.png"):
    return (f"ffmpeg -v error -f image2pipe -vcodec ppm -i {stream} -vf palettegen={palettegen(k, full)} "
            f"-y {out}")


def sample_photos():
    """(name, ppm, png) of the 250-high photos: scikit-image's samples scaled by pamscale, the notebook's."""
    import skimage, skimage.io
    data = os.path.join(os.path.dirname(skimage.__file__), "data")
    found = []
    notebook = os.path.join(ROOT, "..", "shared", "seed-images", "colorImage1.png")
    if os.path.exists(notebook):
        sh(f"pngtopnm {notebook} > notebook.ppm && pnmtopng notebook.ppm > notebook.png")
        found.append(("notebook", "notebook.ppm", "notebook.png"))
    for name in SAMPLES:
        base = name.split(".")[0]
        if not os.path.exists(os.path.join(work, f"{base}_full.png")):
            skimage.io.imsave(os.path.join(work, f"{base}_full.png"),
                              skimage.io.imread(os.path.join(data, name))[..., :3], check_contrast=False)
        sh(f"pngtopnm {base}_full.png | pamscale -height 250 > {base}.ppm && pnmtopng {base}.ppm > {base}.png")
        found.append((base, f"{base}.ppm", f"{base}.png"))
    return found


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core


def sample_graphics():
    """(name, ppm, png) of rendered graphics, the cases photos do not cover: few thousand colours or
    fewer, flat areas, antialiased edges and text. Made here with ImageMagick and netpbm, deterministic
    for a given version of each (the anchors are keyed by the image's bytes)."""
    bold = FONT.replace("Sans.ttf", "Sans-Bold.ttf")
    draw = {
        # a drawing: a gradient sky, flat shapes with antialiased edges and an outline, text
        "drawing": f"convert -size 640x400 gradient:'#1e3c72-#f0f0ff' -fill '#e63946' -draw 'circle 160,150 160,60' "
                   f"-fill '#2a9d8f' -draw 'rectangle 300,60 560,180' -fill '#f4a261' -stroke '#264653' -strokewidth 4 "
                   f"-draw 'polygon 80,360 220,240 360,360' -stroke none -fill '#ffd166' -draw 'ellipse 480,300 120,60 0,360' "
                   f"-font {bold} -pointsize 48 -fill white -annotate +330+140 kmtools -font {FONT} -pointsize 18 "
                   f"-fill '#222222' -annotate +20+390 'k-means colour quantization: drawings, text and edges' "
                   f"-depth 8 drawing.ppm",
        # a user-interface mock-up: flat panels, rounded buttons, small text
        "ui": f"convert -size 400x300 xc:'#f3f4f6' -fill '#1f2937' -draw 'rectangle 0,0 399,39' -font {FONT} "
              f"-pointsize 16 -fill white -annotate +12+26 Settings -fill white -stroke '#d1d5db' "
              f"-draw 'roundrectangle 20,60 380,170 8,8' -stroke none -fill '#111827' -pointsize 14 -annotate +36+90 Colours "
              f"-fill '#6b7280' -annotate +36+112 'Number of palette entries: 16' -stroke '#9ca3af' -strokewidth 4 "
              f"-draw 'line 36,140 340,140' -stroke none -fill '#2563eb' -draw 'circle 150,140 150,149' "
              f"-draw 'roundrectangle 220,200 380,240 6,6' -fill white -pointsize 15 -annotate +278+226 Apply "
              f"-fill '#e5e7eb' -draw 'roundrectangle 20,200 200,240 6,6' -fill '#374151' -annotate +84+226 Cancel "
              f"-fill '#10b981' -draw 'circle 30,275 30,283' -fill '#374151' -pointsize 12 "
              f"-annotate +46+280 'Saved 2 minutes ago' -depth 8 ui.ppm",
        # a line chart: grid, axes, three antialiased polylines, a label
        "chart": "convert -size 480x320 xc:white -stroke '#e5e7eb' -strokewidth 1 "
                 + " ".join(f"-draw 'line 40,{y} 460,{y}'" for y in (40, 100, 160, 220))
                 + " -stroke '#111827' -draw 'line 40,280 460,280' -draw 'line 40,20 40,280' -strokewidth 3 "
                 + " ".join(f"-stroke '{c}' " + " ".join(f"-draw 'line {40 + 60 * i},{ys[i]} {100 + 60 * i},{ys[i + 1]}'"
                                                        for i in range(len(ys) - 1))
                            for c, ys in (("#dc2626", (250, 200, 215, 150, 170, 90, 110, 60)),
                                          ("#2563eb", (270, 260, 230, 240, 200, 210, 180, 150)),
                                          ("#16a34a", (180, 190, 120, 130, 100, 140, 70, 90))))
                 + f" -stroke none -fill '#111827' -font {FONT} -pointsize 13 -annotate +190+305 'frames per second' "
                 "-depth 8 chart.ppm",
        # ImageMagick's built-in logo: a cartoon of exactly 256 colours
        "logo": "convert logo: -depth 8 logo.ppm",
        # netpbm alone: bitmap text scaled up then reduced (grey edges), coloured by a ramp, over a rainbow band
        "netpbm": "pbmtext -builtin bdf 'KMEANS COLOUR' | pnmscale 6 | pamscale -reduce 2 | pgmtoppm '#ffcc00-#003366' "
                  "> text.ppm && ppmrainbow -width $(pamfile -size text.ppm | cut -d' ' -f1) "
                  "-height 60 red yellow green cyan blue magenta > band.ppm && pnmcat -tb text.ppm band.ppm > netpbm.ppm",
    }
    found = []
    for name, cmd in draw.items():
        sh(f"({cmd}) && pnmtopng {name}.ppm > {name}.png")
        found.append((name, f"{name}.ppm", f"{name}.png"))
    return found


def unit_pixels(ppm):
    import numpy as np
    return read_unit(ppm).reshape(-1, 3)


def sklearn_centres(ppm, k):
    from sklearn.cluster import KMeans
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit(unit_pixels(ppm)).cluster_centers_


def opencv_centres(ppm, k):
    import cv2, numpy as np
    cv2.setRNGSeed(0)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 300, 1e-4)
    _, _, centres = cv2.kmeans(unit_pixels(ppm).astype(np.float32), k, None, criteria, 10, cv2.KMEANS_PP_CENTERS)
    return centres.astype(np.float64)


def notebook_centres(ppm, k, restarts=300, iterations=10):
    """The notebook's method: K random pixels as the start, 10 Lloyd iterations, best J of 300 kept.
    Run on the distinct colours weighted by count (the same sums as over pixels), float64 sums."""
    import numpy as np
    x = unit_pixels(ppm)
    colors, inverse, counts = np.unique(x, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    pts, w = colors.astype(np.float32), counts.astype(np.float64)
    norms = (pts.astype(np.float64) ** 2).sum(axis=1)
    rng = np.random.default_rng(0)

    def nearest(c):
        d = norms[:, None] - 2.0 * (pts @ c.T.astype(np.float32)).astype(np.float64) + (c ** 2).sum(axis=1)[None, :]
        labels = d.argmin(axis=1)
        return labels, float((np.maximum(d[np.arange(len(pts)), labels], 0) * w).sum() / w.sum())

    best, best_j = None, float("inf")
    for _ in range(restarts):
        c = colors[inverse[rng.choice(len(x), k, replace=False)]].copy()
        for _ in range(iterations):
            labels, _ = nearest(c)
            n = np.bincount(labels, weights=w, minlength=k)
            sums = np.stack([np.bincount(labels, weights=w * colors[:, i], minlength=k) for i in range(3)], axis=1)
            nz = n > 0
            c[nz] = sums[nz] / n[nz, None]
        _, j = nearest(c)
        if j < best_j:
            best, best_j = c, j
    return best


# The notebook's method at K = 64 and 256 takes minutes a photo (3,000 Lloyd iterations) and is far
# from the best there (kmfit's own --init random -r 300 --max-iterations 10 is 7 % above its default
# on the notebook's image at K = 256, 3 % at 64, 0.7 % at 16): computed at K = 3 and 16 only.
NOTEBOOK_KS = (3, 16)


def anchor_kinds():
    """(label, compute(ppm, k) -> centres in [0,1], version, Ks): the quality anchors computed in Python."""
    import sklearn, cv2, numpy
    return [("scikit-learn", sklearn_centres, f"sklearn {sklearn.__version__} KMeans n_init=10 random_state=0", KS),
            ("OpenCV", opencv_centres, f"cv2 {cv2.__version__} kmeans 10 attempts 300 it eps 1e-4 PP seed 0", KS),
            ("notebook's", notebook_centres, f"numpy {numpy.__version__} 300 random starts x 10 Lloyd seed 0",
             NOTEBOOK_KS)]


def load_anchors():
    try:
        with open(ANCHORS_FILE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def anchor_key(label, version, ppm, k):
    import hashlib
    digest = hashlib.sha256(open(os.path.join(work, ppm), "rb").read()).hexdigest()[:20]
    return f"{label}|{version}|k={k}|{digest}"


def anchor_cached(cache, label, version, ppm, k):
    return anchor_key(label, version, ppm, k) in cache


def anchor_palette(cache, label, compute, version, ppm, k, out):
    """Writes the anchor's centres rounded to 8 bits as the palette `out`; returns (seconds it took when
    computed, whether it came from the cache). Cached in bench/anchors.json by the image's bytes,
    K and the library version: the anchors do not depend on kmtools."""
    import numpy as np
    key = anchor_key(label, version, ppm, k)
    hit = key in cache
    if not hit:
        start = time.time()
        centres = compute(ppm, k)
        spent = time.time() - start
        rounded = np.clip(np.rint(np.asarray(centres) * 255), 0, 255).astype(np.uint8)
        cache[key] = {"seconds": round(spent, 2), "palette": "".join(bytes(c).hex() for c in rounded)}
        tmp = ANCHORS_FILE + ".tmp"
        with open(tmp, "w") as f:
            json.dump(cache, f, indent=0, sort_keys=True)
        os.replace(tmp, ANCHORS_FILE)
    hexes = cache[key]["palette"]
    write_palette([bytes.fromhex(hexes[i:i + 6]) for i in range(0, len(hexes), 6)], out)
    return cache[key]["seconds"], hit


def warm_anchors():
    """bench/run --anchors: computes every anchor palette the --fit quality table needs (slow, once)."""
    cache = load_anchors()
    for name, ppm, _ in sample_photos() + sample_graphics():
        for k in KS:
            for label, compute, version, ks in anchor_kinds():
                if k not in ks:
                    continue
                spent, hit = anchor_palette(cache, label, compute, version, ppm, k, "a.ppm")
                print(f"{name} K={k} {label}: {'cached' if hit else f'{spent:.1f} s'}", file=sys.stderr, flush=True)


def kmfit_help():
    return subprocess.run([tool("kmfit"), "--help"], check=True, capture_output=True, text=True).stdout


def make_clip(width, height, out):
    """30 frames of width x height, a window panning over two photos side by side (astronaut and
    coffee, scaled by pamscale to 1.25 x height), left to right and a little downwards: deterministic."""
    if os.path.exists(os.path.join(work, out)):
        return
    tall = height * 5 // 4
    for base in ("astronaut", "coffee"):
        sh(f"pngtopnm {base}_full.png | pamscale -height {tall} > pan_{base}.ppm")
    sh(f"pnmcat -lr pan_astronaut.ppm pan_coffee.ppm > pan.ppm")
    wide = int(sh("pamfile pan.ppm").split(",")[1].split("by")[0])
    for i in range(30):
        x, y = round(i * (wide - width) / 29), round(i * (tall - height) / 29)
        sh(f"pamcut -left {x} -top {y} -width {width} -height {height} pan.ppm >> {out}")


def gaussian_noise(ppm, out, sigma=8.0, seed=1):
    """`ppm` with Gaussian noise of the given sigma (on 0-255) added to each sample, rounded and clipped."""
    import numpy as np
    a = np.rint(read_unit(ppm) * 255)
    a += np.random.default_rng(seed).normal(0.0, sigma, a.shape)
    h, w, _ = a.shape
    with open(os.path.join(work, out), "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h) + np.clip(np.rint(a), 0, 255).astype(np.uint8).tobytes())


def distinct_colours(ppm):
    import numpy as np
    a = np.rint(read_unit(ppm) * 255).astype(np.uint32).reshape(-1, 3)
    return len(np.unique((a[:, 0] << 16) | (a[:, 1] << 8) | a[:, 2]))


def fit_speed(photos):
    """Table 1: issue 12's speed table, kmfit against the tool people pick, side by side."""
    print("## Speed: kmfit against the tools people pick (issue 12, goal 1)\n")
    print(f"Whole-process times, median of {RUNS} runs after a warm-up, kmfit and its anchor measured side by "
          "side in one hyperfine run, default options; inputs in the page cache. Time ratio: kmfit / anchor "
          "(goal <= 1). J: every tool's palette under nearest mapping on the same pixels (kmcost): for "
          "pngquant the PLTE of its output PNG (its own output is dithered at its defaults), for pnmcolormap "
          "its colormap, for ffmpeg the palettegen PNG's opaque entries. pngquant cannot read PPM: it is "
          "timed reading the PNG of the same pixels and writing a PNG (-o file --force); kmfit reads the "
          "PPM. ffmpeg reads the PPM stream (`-f image2pipe -vcodec ppm -i clip.ppm`) and is given "
          "`reserve_transparent=0`, so that its palette has K colours (by default one of them is a "
          "transparent slot).\n")
    print("| work | kmfit ms | anchor ms | kmfit / anchor | goal | kmfit J | anchor J | J ratio |")
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    for name, ppm, png in photos:
        for k, opts, label in ((16, "", f"`pngquant 16`"), (256, "--speed 1 ", f"`pngquant 256 --speed 1`")):
            t_km, t_pq = hyper([f"{tool('kmfit')} -k {k} {ppm}",
                                f"pngquant {k} {opts}--force --output pq.png {png}"])
            sh(f"{tool('kmfit')} -k {k} -o km.ppm {ppm} && pngquant {k} {opts}--force --output pq.png {png}")
            kind = "graphic" if name in ("drawing", "ui") else "250-high photo"
            rows.append((f"{kind} ({name}), K = {k}, vs {label}", t_km, t_pq,
                         precise_j("km.ppm", ppm), pngquant_j("pq.png", ppm)))
            emit_speed_row(rows[-1])
    sh("ppmforge -seed 4 -width 3840 -height 2160 -hour 14 -inclination 10 > planet4k.ppm 2>/dev/null")
    sh("pamscale -xsize 3840 -ysize 2160 notebook.ppm > photo4k.ppm" if os.path.exists(os.path.join(work, "notebook.ppm"))
       else "pngtopnm astronaut_full.png | pamscale -xsize 3840 -ysize 2160 > photo4k.ppm")
    for fname, frame in (("ppmforge planet", "planet4k.ppm"), ("photo scaled up", "photo4k.ppm")):
        t_km, t_cm = hyper([f"{tool('kmfit')} -k 16 {frame}", f"pnmcolormap 16 {frame}"])
        sh(f"{tool('kmfit')} -k 16 -o km.ppm {frame} && pnmcolormap 16 {frame} > cm.ppm 2>/dev/null")
        rows.append((f"3840x2160 frame ({fname}), K = 16, vs `pnmcolormap 16`", t_km, t_cm,
                     precise_j("km.ppm", frame), precise_j("cm.ppm", frame)))
        emit_speed_row(rows[-1])
    make_clip(1280, 720, "clip720.ppm")
    clip_j = {}
    for k, full in ((16, True), (256, False)):
        label = "`palettegen=stats_mode=full`" if full else "`palettegen`"
        t_km, t_ff = hyper([f"{tool('kmfit')} -k {k} clip720.ppm", ffmpeg_cmd("clip720.ppm", k, full)])
        sh(f"{tool('kmfit')} -k {k} -o km.ppm clip720.ppm && " + ffmpeg_cmd("clip720.ppm", k, full))
        j_km, j_ff = precise_j("km.ppm", "clip720.ppm"), ffmpeg_j("ffpal.png", "clip720.ppm")
        clip_j[k] = (j_km, j_ff)
        rows.append((f"30 frames of 1280x720 (two photos panned), K = {k}, vs ffmpeg {label}", t_km, t_ff, j_km, j_ff))
        emit_speed_row(rows[-1])
    met = sum(r[1] <= r[2] for r in rows)
    print(f"\nTime goal met in {met} of {len(rows)} rows; J below the anchor's in "
          f"{sum(r[3] < r[4] for r in rows)} of {len(rows)}.\n")
    return clip_j


def fit_large_k():
    """Large K: kmfit against pnmcolormap (median cut), whose time is the goal (issue 25, item 2)."""
    print("## Large K: kmfit against pnmcolormap (issue 25, item 2)\n")
    print("Whole-process times (hyperfine, 1 warm-up, 3 runs; 1 run at K = 65,536), both tools side by side, default "
          "options (kmfit: from K = 1024 one run from a variance split, on all cores; pnmcolormap: median cut, one "
          "core). J of each palette under nearest mapping (kmcost). Images: astronaut scaled to 300x300 by "
          "pamscale, and the astronaut at its 512x512.\n")
    print("| image | colours | K | kmfit ms | pnmcolormap ms | time ratio | kmfit J | pnmcolormap J | J ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    sh("pngtopnm astronaut_full.png | pamscale -xsize 300 -ysize 300 > a300.ppm && pngtopnm astronaut_full.png > a512.ppm")
    for ppm, k in (("a300.ppm", 4096), ("a300.ppm", 16384), ("a300.ppm", 32768), ("a512.ppm", 65536)):
        t_km, t_cm = hyper([f"{tool('kmfit')} -k {k} {ppm}", f"pnmcolormap {k} {ppm}"], runs=1 if k > 32768 else 3)
        sh(f"{tool('kmfit')} -k {k} -o km.ppm {ppm} && pnmcolormap {k} {ppm} > cm.ppm 2>/dev/null")
        j_km, j_cm = precise_j("km.ppm", ppm), precise_j("cm.ppm", ppm)
        print(f"| {ppm[:-4]} | {distinct_colours(ppm)} | {k} | {t_km * 1000:.0f} | {t_cm * 1000:.0f} | "
              f"{'**%.3f**' % (t_km / t_cm) if t_km > t_cm else '%.3f' % (t_km / t_cm)} | {j_km:.4g} | {j_cm:.4g} | "
              f"{j_km / j_cm:.3f} |")
        sys.stdout.flush()
    print()


def emit_speed_row(row):
    work_, t_km, t_a, j_km, j_a = row
    ratio = t_km / t_a
    print(f"| {work_} | {t_km * 1000:.0f} | {t_a * 1000:.0f} | {'**%.2f**' % ratio if ratio > 1 else '%.2f' % ratio} "
          f"| {'met' if ratio <= 1 else 'not met'} | {j_km:.6g} | {j_a:.6g} | {j_km / j_a:.4f} |")
    sys.stdout.flush()


def fit_quality(photos, clip_j):
    """Table 2: default kmfit's J against the best anchor, every photo and K."""
    import numpy as np
    print("## Quality: default kmfit against the best anchor (issue 12, goal 2)\n")
    print("J of every palette under nearest mapping on the same pixels (kmcost): the anchors' centres rounded "
          "to 8-bit integers, written as a palette. Anchors: scikit-learn `KMeans(n_clusters=K, n_init=10, "
          "random_state=0)` on the pixels in [0,1]; OpenCV `cv2.kmeans` on float32 pixels in [0,1], 10 "
          "attempts, KMEANS_PP_CENTERS, at most 300 iterations or a centre shift of 1e-4; the notebook's "
          "method in numpy (300 starts of K random pixels, 10 Lloyd iterations each, the lowest J kept; at K = 3 "
          "and 16 only: at 64 and 256 it takes minutes a photo and trails the others by several per cent); "
          "`pngquant K --speed 1 --nofs` (the PLTE of its output under nearest mapping). The Python anchors "
          "are computed once and kept in bench/anchors.json (keyed by the image's bytes, K and the library "
          "version; `bench/run --anchors` fills it; with --cached-anchors, one not in it is left out, '-'); their "
          "compute time is not a measure of anything here. "
          "Photos: scikit-image's samples scaled to 250 high by pamscale, and the notebook's image (202x250). "
          "Graphics (after the photos): made by ImageMagick and netpbm in bench.py's sample_graphics: a 640x400 "
          "drawing (gradient, flat shapes, outline, text; 1,631 colours), a 400x300 user-interface mock-up (787), "
          "a 480x320 line chart (352), ImageMagick's logo: (640x480, 256), netpbm text over a rainbow band (391). "
          "Ratio: kmfit / best anchor (goal <= 1).\n")
    cache = load_anchors()
    kinds = anchor_kinds()
    labels = [k[0] for k in kinds] + ["pngquant --speed 1 --nofs"]
    print("| photo | K | kmfit J | " + " | ".join(labels) + " | best anchor | kmfit / best |")
    print("|---|---|---|" + "---|" * len(labels) + "---|---|")
    ratios, spent, missing, spread = [], {}, 0, []
    for name, ppm, png in photos:
        for k in KS:
            seeded = []
            for seed in range(1, SEEDS + 1):
                sh(f"{tool('kmfit')} -k {k} --seed {seed} -o km.ppm {ppm}")
                seeded.append(precise_j("km.ppm", ppm))
            j_km = seeded[0]  # --seed 1 is the default
            js = {}
            for label, compute, version, ks in kinds:
                if k in ks and CACHED_ONLY and not anchor_cached(cache, label, version, ppm, k):
                    missing += 1
                elif k in ks:
                    secs, hit = anchor_palette(cache, label, compute, version, ppm, k, "anchor.ppm")
                    spent.setdefault((label, k), []).append(secs)
                    js[label] = precise_j("anchor.ppm", ppm)
            sh(f"pngquant {k} --speed 1 --nofs --force --output pq.png {png}")
            js[labels[-1]] = pngquant_j("pq.png", ppm)
            best = min(js, key=js.get)
            r = j_km / js[best] if js[best] > 0 else (1.0 if j_km == 0 else float("inf"))
            ratios.append((r, name, k, best))
            spread.append((name, k, seeded, js[best]))
            print(f"| {name} | {k} | {j_km:.6g} | " + " | ".join(f"{js[l]:.6g}" if l in js else "-" for l in labels)
                  + f" | {best} | {'**%.5f**' % r if r > 1 else '%.5f' % r} |")
            sys.stdout.flush()
    above = [x for x in ratios if x[0] > 1]
    print(f"\nkmfit at or below the best anchor in {len(ratios) - len(above)} of {len(ratios)} cases"
          + (": above it in " + ", ".join(f"{n} K = {k} (+{(r - 1) * 100:.4f} % against {b})"
                                          for r, n, k, b in sorted(above, reverse=True)) + "." if above else "."))
    print_spread(spread)
    if clip_j:
        print("\nOn the clip (30 frames of 1280x720, two photos panned), against ffmpeg palettegen: "
              + "; ".join(f"K = {k}: kmfit J {a:.6g}, palettegen {b:.6g}, ratio {a / b:.4f}" for k, (a, b) in clip_j.items())
              + ".")
    if missing:
        print(f"\n{missing} anchor palettes not in bench/anchors.json were left out (--cached-anchors): '-' above.")
    print("\nAnchor compute times when they were computed (kept in bench/anchors.json; 2 cores, shared), median "
          "over the photos: " + "; ".join(f"{l} K = {k}: {np.median(v):.1f} s" for (l, k), v in sorted(spent.items()))
          + ".\n")


def print_spread(spread):
    """The quality table's spread: kmfit's J with --seed 1..SEEDS against the best anchor. The table above
    is one seed's draw (the default, 1); a hidden image is another draw."""
    import numpy as np
    print(f"\n#### The same over {SEEDS} seeds (`kmfit --seed 1` to `--seed {SEEDS}`)\n")
    print("The table above is one draw: the default seed. Here every image and K is fitted with seeds 1 to "
          f"{SEEDS}; the ratios are J / the best anchor's J above (goal <= 1).\n")
    print("| image | K | median / best | best seed / best | worst seed / best | seeds at or below |")
    print("|---|---|---|---|---|---|")
    medians, below, fits = [], 0, 0
    for name, k, js, best in spread:
        r = np.array(js) / best if best > 0 else np.where(np.array(js) == 0, 1.0, np.inf)
        medians.append(float(np.median(r)))
        below += int((r <= 1).sum())
        fits += len(r)
        print(f"| {name} | {k} | {np.median(r):.5f} | {r.min():.5f} | {r.max():.5f} | {int((r <= 1).sum())}/{len(r)} |")
    m = np.array(medians)
    worst = max(spread, key=lambda x: max(x[2]) / x[3] if x[3] > 0 else 1.0)
    print(f"\nOver {SEEDS} seeds: the median at or below the best anchor in {int((m <= 1).sum())} of {len(m)} cases "
          f"(geometric mean of the medians {np.exp(np.log(np.maximum(m, 1e-12)).mean()):.5f}); {below} of {fits} fits "
          f"at or below it; the worst fit {worst[0]} K = {worst[1]} at {max(worst[2]) / worst[3]:.5f}.")


def kmfit_speed_opts(level, real):
    """kmfit's options for a speed level: --speed N, or (before kmfit has it) a stand-in by restarts."""
    return f"--speed {level}" if real else f"-r {11 - level}"


def fit_levels(photos, help_text, ks=(16, 256)):
    """Table 3: kmfit --speed levels that are faster and lower in J than pngquant's speeds; then every
    level's time and J, and the ladder: each level's total time over the images and its J against the
    lowest of any level (geometric mean), per K."""
    print("## Speed levels: kmfit --speed against pngquant --speed (issue 12, goal 3)\n")
    real = "--speed" in help_text
    fake = "--fake-speed" in sys.argv
    if not real and not fake:
        print("kmfit has no `--speed` option yet (`kmfit --help`): table skipped. (`bench/run --fit "
              "--fake-speed` tests it with -r 10 ... 1 standing in for levels 1 ... 10.)\n")
        return
    if not real:
        print("**Stand-in**: kmfit has no `--speed` yet; level N here is `-r (11 - N)` (--fake-speed).\n")
    print(f"For each photo, K and pngquant setting (all with --nofs: no dithering), the kmfit levels both "
          f"faster (median whole-process time, all 13 commands of a photo and K in one hyperfine run) and "
          f"lower in J (palettes under nearest mapping, kmcost). pngquant reads the PNG, kmfit the PPM of the "
          f"same pixels. Ratios: kmfit's fastest such level / pngquant.\n")
    pq = (("--speed 1", "--speed 1 "), ("default (4)", ""), ("--speed 10", "--speed 10 "))
    levels = range(1, 11)
    print("| photo | K | pngquant | pngquant ms | pngquant J | kmfit levels faster and lower J | fastest of them "
          "| its ms | its J | time ratio | J ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    every = []
    for name, ppm, png in photos:
        for k in ks:
            cmds = [f"pngquant {k} {o}--nofs --force --output pq.png {png}" for _, o in pq]
            cmds += [f"{tool('kmfit')} -k {k} {kmfit_speed_opts(n, real)} {ppm}" for n in levels]
            t = hyper(cmds, runs=3 if QUICK else RUNS)
            j_pq = []
            for _, o in pq:
                sh(f"pngquant {k} {o}--nofs --force --output pq.png {png}")
                j_pq.append(pngquant_j("pq.png", ppm))
            j_km = []
            for n in levels:
                sh(f"{tool('kmfit')} -k {k} {kmfit_speed_opts(n, real)} -o km.ppm {ppm}")
                j_km.append(precise_j("km.ppm", ppm))
            t_km = t[len(pq):]
            every.append((name, k, t_km, j_km))
            for (label, _), tp, jp in zip(pq, t, j_pq):
                wins = [n for n, tk, jk in zip(levels, t_km, j_km) if tk < tp and jk < jp]
                if wins:
                    f = min(wins, key=lambda n: t_km[n - 1])
                    tail = (f"{f} | {t_km[f - 1] * 1000:.0f} | {j_km[f - 1]:.6g} | {t_km[f - 1] / tp:.2f} "
                            f"| {j_km[f - 1] / jp:.4f}")
                else:
                    tail = "none | - | - | - | -"
                print(f"| {name} | {k} | {label} | {tp * 1000:.0f} | {jp:.6g} | "
                      f"{', '.join(map(str, wins)) or '**none**'} | {tail} |")
            sys.stdout.flush()
    print("\nEvery level, ms / J:\n")
    print("| photo | K | " + " | ".join(f"level {n}" for n in levels) + " |")
    print("|---|---|" + "---|" * len(levels))
    for name, k, t_km, j_km in every:
        print(f"| {name} | {k} | " + " | ".join(f"{t * 1000:.0f} / {j:.6g}" for t, j in zip(t_km, j_km)) + " |")
    import math
    print(f"\nThe ladder: each level's time summed over the {len(photos)} images of a K, and its J against the "
          f"lowest any level reached on that image and K (geometric mean over the images). Goal: time falling "
          f"and J rising from each level to the next.\n")
    print("| K | " + " | ".join(f"level {n}" for n in levels) + " | time falls | J rises |")
    print("|---|" + "---|" * (len(levels) + 2))
    for k in ks:
        rows = [(t_km, j_km) for _, kk, t_km, j_km in every if kk == k]
        total = [sum(t[i] for t, _ in rows) for i in range(len(levels))]
        ratio = [math.exp(sum(math.log(j[i] / min(j)) for _, j in rows) / len(rows)) for i in range(len(levels))]
        falls = sum(a > b for a, b in zip(total, total[1:]))
        rises = sum(a <= b for a, b in zip(ratio, ratio[1:]))
        print(f"| {k} | " + " | ".join(f"{t * 1000:.0f} ms / {r:.4f}" for t, r in zip(total, ratio))
              + f" | {falls} of {len(levels) - 1} | {rises} of {len(levels) - 1} |")
    print()


def fit_memory():
    """Table 4: peak RSS where the histogram, not the pixel count, should set the memory."""
    import numpy as np
    print("## Memory: peak RSS of kmfit (issue 12, goal 4)\n")
    make_clip(1920, 1080, "clip1080.ppm")
    stream1080()
    n = 2048 * 2048
    # Every pixel its own colour: i * an odd constant mod 2^24 is a bijection of the 24-bit colours.
    c = (np.arange(n, dtype=np.uint64) * 2654435761) % (1 << 24)
    rgb = np.stack([(c >> 16) & 255, (c >> 8) & 255, c & 255], axis=1).astype(np.uint8)
    with open(os.path.join(work, "noise2048.ppm"), "wb") as f:
        f.write(b"P6\n2048 2048\n255\n" + rgb.tobytes())
    print("GNU time's %M (maximum resident set size) of one `kmfit -k 16` run, and its wall time.\n")
    print("| input | input MiB | distinct colours | kmfit -k 16 peak RSS MiB | RSS / input | s |")
    print("|---|---|---|---|---|---|")
    for label, path in (("30 x 1920x1080, two photos panned", "clip1080.ppm"),
                        ("30 x 1920x1080, ppmforge planets (as in --map)", "stream.ppm"),
                        ("2048x2048, every pixel a distinct colour", "noise2048.ppm")):
        err = subprocess.run(f"/usr/bin/time -f '%M %e' {tool('kmfit')} -k 16 {path} > /dev/null", shell=True,
                             check=True, cwd=work, capture_output=True, text=True).stderr
        rss, secs = err.strip().splitlines()[-1].split()
        size = os.path.getsize(os.path.join(work, path))
        print(f"| {label} | {size / 2**20:.0f} | {distinct_colours(path):,} | {int(rss) / 1024:.0f} "
              f"| {int(rss) * 1024 / size:.3f} | {float(secs):.1f} |")
        sys.stdout.flush()
    print()


def fit_noisy_map():
    """Table 5: kmmap on 3840x2160 frames, smooth and noisy, against pamtopnm copying the frame."""
    print("## kmmap on noisy frames (issue 12, goal 5)\n")
    print("3840x2160 frames: the notebook's photo scaled up by pamscale (smooth), the same with Gaussian "
          "noise of sigma 8 on 0-255 added to every sample (numpy, seeded, rounded and clipped), the planet "
          "likewise; and the photo through `pamaddnoise -type gaussian -sigma1 0 -sigma2 8 -seed 1`. "
          "(Debian's pamaddnoise, Netpbm 11.1.0, sets about half of all samples to 255 in this mode; its "
          "other samples have sigma 8: so that frame is shown too, but it is not camera noise.) Palettes: "
          "`kmfit -k K -r 2` on the smooth frame, used for its noisy versions too. kmmap (no dithering) and pamtopnm copying the frame are "
          f"timed side by side (median of {RUNS}). Goal on noisy frames: at most 1.5 x pamtopnm at 16 "
          "colours, 2 x at 256.\n")
    if not os.path.exists(os.path.join(work, "photo4k.ppm")):
        sh("pamscale -xsize 3840 -ysize 2160 notebook.ppm > photo4k.ppm")
    if not os.path.exists(os.path.join(work, "planet4k.ppm")):
        sh("ppmforge -seed 4 -width 3840 -height 2160 -hour 14 -inclination 10 > planet4k.ppm 2>/dev/null")
    gaussian_noise("photo4k.ppm", "photo4k_noise.ppm")
    gaussian_noise("planet4k.ppm", "planet4k_noise.ppm")
    sh("pamaddnoise -type gaussian -sigma1 0 -sigma2 8 -seed 1 photo4k.ppm > photo4k_pamaddnoise.ppm 2>/dev/null")
    print("| frame | distinct colours | pamtopnm ms | kmmap 16 ms | 16 / pamtopnm | kmmap 256 ms | 256 / pamtopnm |")
    print("|---|---|---|---|---|---|---|")
    for label, frame in (("photo, smooth", "photo4k.ppm"), ("photo, noise sigma 8", "photo4k_noise.ppm"),
                         ("planet, smooth", "planet4k.ppm"), ("planet, noise sigma 8", "planet4k_noise.ppm"),
                         ("photo, pamaddnoise (see above)", "photo4k_pamaddnoise.ppm")):
        if "noise" not in frame:
            for k in (16, 256):
                sh(f"{tool('kmfit')} -k {k} -r 2 -o nmap{k}.ppm {frame}")
        t_cp, t16, t256 = hyper([f"pamtopnm {frame}", f"{tool('kmmap')} nmap16.ppm {frame}",
                                 f"{tool('kmmap')} nmap256.ppm {frame}"])
        noisy = "noise" in frame
        mark = lambda r, goal: f"**{r:.2f}**" if noisy and r > goal else f"{r:.2f}"
        print(f"| {label} | {distinct_colours(frame):,} | {t_cp * 1000:.0f} | {t16 * 1000:.0f} | {mark(t16 / t_cp, 1.5)} "
              f"| {t256 * 1000:.0f} | {mark(t256 / t_cp, 2.0)} |")
        sys.stdout.flush()
    print()


def fit():
    """bench/run --fit: issue 12's tables, in one run."""
    import sklearn, cv2, numpy
    start = time.time()
    help_text = kmfit_help()
    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    print(f"\n# Fit: issue 12 (`bench/run --fit`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; binaries "
          f"{os.path.relpath(BIN, ROOT)}, repository at {rev}; hyperfine {sh('hyperfine --version').split()[1]}, "
          f"scikit-learn {sklearn.__version__}, OpenCV {cv2.__version__}, numpy {numpy.__version__}, "
          f"Python {platform.python_version()})\n")
    photos, graphics = sample_photos(), sample_graphics()
    if QUALITY_ONLY:
        fit_quality(photos + graphics, {})
        return
    if LARGE_K_ONLY:
        fit_large_k()
        return
    by_name = dict((p[0], p) for p in photos + graphics)
    speed_photos = [by_name[n] for n in ("notebook", "astronaut", "chelsea") if n in by_name]
    if LEVELS_ONLY:
        fit_levels(speed_photos + [by_name[n] for n in ("coffee", "drawing", "ui")], help_text, ks=(16, 64, 256))
        return
    clip_j = fit_speed(speed_photos + [by_name["drawing"], by_name["ui"]])
    fit_quality(photos + graphics, clip_j)
    fit_levels(speed_photos, help_text)
    fit_large_k()
    fit_memory()
    fit_noisy_map()
    print(f"(`bench/run --fit` took {(time.time() - start) / 60:.1f} min.)")


# ---------------------------------------------------------------------------------------------
# bench/run --space: issue 15's tables (kmfit + kmmap in each space (rgb, CIELAB, OkLab, ...) beside pngquant,
# ImageMagick and ffmpeg, scored by RGB J, CIEDE2000 and SSIM; the goal on mean ΔE00 and time).

ONLY_SPACE = "--space" in sys.argv
SPACE_KS = (16, 256) if QUICK else (16, 64, 256)
SPACE_PHOTOS = ("notebook", "astronaut", "chelsea")  # with --quick
# pngquant's default run on one OpenMP thread: the same output; its time does not suffer when the other
# core is busy (OpenMP threads wait for each other at every parallel loop).
PQ_1T = "pngquant --nofs, 1 thread"


def space_supported():
    """The spaces kmfit and kmmap both take (the values their --help gives for --space, in kmfit's order),
    rgb alone before issue 15."""
    import re
    lists = []
    for t in ("kmfit", "kmmap"):
        text = " ".join(subprocess.run([tool(t), "--help"], check=True, capture_output=True, text=True).stdout.split())
        m = re.search(r"--space <space> [^\[]*?\(values: ([^;)]*)", text)
        lists.append([v.strip() for v in m.group(1).split(",")] if m else ["rgb"])
    both = [v for v in lists[0] if v in lists[1]]
    return ["rgb"] + [v for v in both if v != "rgb"]


def space_methods(ppm, png, k, spaces, explicit):
    """(label, shell command writing out_<i>.ppm or .png, output file) of every method timed on one
    photo and K: kmfit then kmmap in each space, then the anchors' whole runs."""
    methods = []
    for s in spaces:
        opt = f" --space {s}" if explicit else ""
        methods.append((f"kmtools {s}", f"{tool('kmfit')} -k {k}{opt} -o sp_pal_{s}.ppm {ppm} && "
                        f"{tool('kmmap')}{opt} -o sp_out_{s}.ppm sp_pal_{s}.ppm {ppm}", f"sp_out_{s}.ppm"))
    methods += [
        ("pngquant --nofs", f"pngquant {k} --nofs --force --output sp_pq.png {png}", "sp_pq.png"),
        (PQ_1T, f"OMP_NUM_THREADS=1 pngquant {k} --nofs --force --output sp_pq1t.png {png}", "sp_pq1t.png"),
        ("pngquant --speed 1 --nofs", f"pngquant {k} --speed 1 --nofs --force --output sp_pq1.png {png}",
         "sp_pq1.png"),
        ("ImageMagick +dither -colors", f"/usr/bin/convert {ppm} +dither -colors {k} sp_im.ppm", "sp_im.ppm"),
        ("ffmpeg palettegen + paletteuse",
         f"ffmpeg -v error -f image2pipe -vcodec ppm -i {ppm} -lavfi 'split[a][b];[a]palettegen=max_colors={k}:"
         f"reserve_transparent=0[p];[b][p]paletteuse=dither=none' -f image2pipe -vcodec ppm -y sp_ff.ppm",
         "sp_ff.ppm"),
    ]
    return methods


def interleaved_ratios(cmds, base, runs=None):
    """Wall and CPU (user + system, the command and all it starts) time of each shell command line as
    ratios to command `base`'s, measured side by side: after a warm-up round, `runs` rounds each running
    every command once in turn; each ratio is the median over the rounds of that round's ratio, so that a
    burst of load on the shared machine falls on the commands of one round rather than on all the runs
    of one command (as in a hyperfine run). Returns [(wall ratio, CPU ratio)]."""
    import resource, statistics
    rounds = []
    for r in range(1 + (runs or RUNS)):
        spent = []
        for cmd in cmds:
            u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(cmd, shell=True, executable="/bin/bash", check=True, cwd=work, capture_output=True)
            t1 = time.perf_counter()
            u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            spent.append((t1 - t0, u1.ru_utime - u0.ru_utime + u1.ru_stime - u0.ru_stime))
        if r:
            rounds.append([(w / spent[base][0], c / spent[base][1]) for w, c in spent])
    return [(statistics.median(w for w, _ in col), statistics.median(c for _, c in col)) for col in zip(*rounds)]


def read_rgb8(path):
    """An output image (PPM or PNG) as uint8 (height, width, 3)."""
    import numpy as np
    if path.endswith(".png"):
        sh(f"pngtopnm {path} > {path[:-4]}_png.ppm")
        path = path[:-4] + "_png.ppm"
    return np.rint(read_unit(path) * 255).astype(np.uint8)


def perceptual_scores(orig8, orig_lab, out8):
    """(J, mean ΔE00, 95th-percentile ΔE00, SSIM, distinct colours) of an output against the original."""
    import numpy as np
    from skimage.color import rgb2lab, deltaE_ciede2000
    from skimage.metrics import structural_similarity
    a, b = orig8.astype(np.float64) / 255, out8.astype(np.float64) / 255
    j = float(((a - b) ** 2).sum(axis=2).mean())
    de = deltaE_ciede2000(orig_lab, rgb2lab(b))
    ssim = float(structural_similarity(orig8, out8, channel_axis=2, data_range=255))
    flat = out8.reshape(-1, 3).astype(np.uint32)
    colours = len(np.unique((flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]))
    return j, float(de.mean()), float(np.percentile(de, 95)), ssim, colours


def space():
    """bench/run --space: issue 15's tables, in one run."""
    import numpy, skimage
    from skimage.color import rgb2lab
    start = time.time()
    load0 = os.getloadavg()
    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip()
    spaces = space_supported()
    explicit = len(spaces) > 1
    photos = sample_photos()
    if QUICK:
        photos = [p for p in photos if p[0] in SPACE_PHOTOS]
    ffv = sh("ffmpeg -version").split()[2]
    print(f"## Perceptual space: issue 15 (`{' '.join(['bench/run'] + sys.argv[1:])}`, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo").split(":")[1].strip()
    print(f"- machine: {cpu}, nproc {os.cpu_count()}, {platform.system()} {platform.release()}; load average "
          f"at the start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} (1, 5, 15 min), shared")
    print(f"- binaries: {os.path.relpath(BIN, ROOT)}, repository at {rev}; spaces measured: {', '.join(spaces)}"
          + ("" if explicit else " (kmfit or kmmap has no --space: rgb only)"))
    print(f"- anchors: pngquant {sh('pngquant --version').strip()}, ImageMagick "
          f"{sh('/usr/bin/convert -version').splitlines()[0].split()[2]}, ffmpeg {ffv} (palettegen: median "
          f"cut in RGB in this version), hyperfine {sh('hyperfine --version').split()[1]}; scikit-image "
          f"{skimage.__version__}, numpy {numpy.__version__}, Python {platform.python_version()}")
    print(f"- photos: {len(photos)}, scikit-image's samples scaled to 250 high by pamscale, and the notebook's "
          f"(202x250); K = {', '.join(map(str, SPACE_KS))}")
    print("- kmtools: `kmfit -k K --space S -o pal.ppm photo.ppm && kmmap --space S -o out.ppm pal.ppm photo.ppm` "
          "(default speed, no dithering). Anchors, each its whole run, no dithering: `pngquant K --nofs` "
          "(default speed and `--speed 1`; it reads and writes PNG, the same pixels), `convert photo.ppm "
          "+dither -colors K` (ImageMagick), and one ffmpeg run of `palettegen=max_colors=K:"
          "reserve_transparent=0` then `paletteuse=dither=none` on the photo. pngquant's default run is also timed on "
          "one OpenMP thread (`OMP_NUM_THREADS=1`, the same output), since its default threads are slowed down "
          "when the other core is busy.")
    print("- scores of each output image against the original: J, the notebook's (mean over pixels of the "
          "squared RGB distance, channels on [0,1], summed over channels); ΔE00, the mean CIEDE2000 "
          "difference (scikit-image rgb2lab, D65, and deltaE_ciede2000), and its 95th percentile over pixels "
          "(p95); SSIM (scikit-image structural_similarity, channel_axis=2, data_range=255); colours: "
          "distinct colours in the output.")
    print(f"- time: wall time of each method's whole command line (bash) as a ratio to `pngquant K --nofs`'s on "
          f"the same photo and K (below 1: faster), measured side by side: after a warm-up round, {RUNS} rounds "
          "each running every method once in turn, and the median over the rounds of each round's ratio. "
          f"{os.cpu_count()} shared cores: ratios only, no absolute times. CPU ratio: the same for user + system "
          "time (of the command and all it starts), shown beside; the goal is judged on wall time.\n")
    sys.stdout.flush()

    labels = [m[0] for m in space_methods("p", "q", 16, spaces, explicit)]
    results = {}  # (photo, k) -> {label: (J, dE, p95, ssim, colours, wall time ratio, CPU time ratio)}
    for name, ppm, png in photos:
        orig8 = read_rgb8(ppm)
        orig_lab = rgb2lab(orig8.astype(numpy.float64) / 255)
        for k in SPACE_KS:
            methods = space_methods(ppm, png, k, spaces, explicit)
            ratios = interleaved_ratios([cmd for _, cmd, _ in methods], labels.index("pngquant --nofs"))
            row = {}
            for (label, cmd, out), ratio in zip(methods, ratios):
                # the output scored is the one the last timed round wrote
                row[label] = perceptual_scores(orig8, orig_lab, read_rgb8(out)) + ratio
            results[(name, k)] = row
            print(f"{name} K={k}: " + ", ".join(f"{l} {row[l][1]:.2f}/{row[l][5]:.2f}" for l in labels),
                  file=sys.stderr, flush=True)
    load1 = os.getloadavg()
    names = [p[0] for p in photos]

    print("### Every photo and K\n")
    print("Time and CPU: ratios to `pngquant K --nofs`'s. Bold: the lowest ΔE00 of the photo and K.\n")
    for k in SPACE_KS:
        print(f"#### K = {k}\n")
        print("| photo | method | J | ΔE00 | p95 ΔE00 | SSIM | colours | time ratio | CPU ratio |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name in names:
            row = results[(name, k)]
            best = min(row[l][1] for l in labels)
            for i, l in enumerate(labels):
                j, de, p95, ssim, colours, tr, cr = row[l]
                de_s = f"**{de:.3f}**" if de == best else f"{de:.3f}"
                who = name if i == 0 else ""
                print(f"| {who} | {l} | {j:.6f} | {de_s} | {p95:.2f} | {ssim:.4f} | {colours} | {tr:.2f} | {cr:.2f} |")
        print()

    print("### Summary: mean over the photos\n")
    print(f"Means over the {len(names)} photos of each score (time ratio: median over the photos), for choosing "
          "a space or a tool. Lower J and ΔE00 are better, higher SSIM.\n")
    print("| method | " + " | ".join(f"J K={k} | ΔE00 K={k} | SSIM K={k} | time K={k}" for k in SPACE_KS) + " |")
    print("|---|" + "---|---|---|---|" * len(SPACE_KS))
    for l in labels:
        cells = []
        for k in SPACE_KS:
            rows = [results[(n, k)][l] for n in names]
            cells.append(f"{numpy.mean([r[0] for r in rows]):.6f} | {numpy.mean([r[1] for r in rows]):.3f} | "
                         f"{numpy.mean([r[3] for r in rows]):.4f} | {numpy.median([r[5] for r in rows]):.2f}")
        print(f"| {l} | " + " | ".join(cells) + " |")
    print()

    anchors = [l for l in labels if not l.startswith("kmtools") and l != PQ_1T]
    perceptual = [s for s in spaces if s != "rgb"]
    print("### Goal 3: kmtools' mean ΔE00 at most 0.95x the best anchor's, time at most pngquant's\n")
    if not perceptual:
        print("No perceptual space measured (kmfit or kmmap has no --space): the goal is shown for rgb.\n")
        perceptual = ["rgb"]
    wins = {s: 0 for s in perceptual}
    for key, row in results.items():
        wins[min(perceptual, key=lambda s: row[f"kmtools {s}"][1])] += 1
    chosen = max(perceptual, key=lambda s: wins[s])
    print("Lowest mean ΔE00 among the perceptual spaces, cases won: "
          + ", ".join(f"{s} {wins[s]} of {len(results)}" for s in perceptual) + f"; the goal is judged on "
          f"**{chosen}**. Best anchor: the anchor with the lowest mean ΔE00 on the photo and K. ΔE00 ratio: "
          f"kmtools {chosen} / best anchor (goal <= 0.95); time ratio: kmtools {chosen} / `pngquant K --nofs` "
          "(goal <= 1); beside it, the time ratio to the same pngquant run on one thread (`OMP_NUM_THREADS=1`, "
          "the same output), whose time depends less on the load of the other core.\n")
    print(f"| photo | K | kmtools {chosen} ΔE00 | best anchor | its ΔE00 | ΔE00 ratio | ΔE00 met | time ratio "
          "| time met | goal met | CPU ratio | time / pngquant 1 thread |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    met = q_met = t_met = t1_met = 0
    misses = []
    for name in names:
        for k in SPACE_KS:
            row = results[(name, k)]
            km = row[f"kmtools {chosen}"]
            best = min(anchors, key=lambda l: row[l][1])
            ratio, tr = km[1] / row[best][1], km[5]
            q, t = ratio <= 0.95, tr <= 1
            met, q_met, t_met = met + (q and t), q_met + q, t_met + t
            t1_met += km[5] <= row[PQ_1T][5]
            if not q:
                misses.append((ratio, name, k, best))
            print(f"| {name} | {k} | {km[1]:.3f} | {best} | {row[best][1]:.3f} | {ratio:.3f} | "
                  f"{'yes' if q else '**no**'} | {tr:.2f} | {'yes' if t else '**no**'} | {'yes' if q and t else '**no**'} | {km[6]:.2f} | {km[5] / row[PQ_1T][5]:.2f} |")
    n = len(results)
    worst = max(misses) if misses else None
    print(f"\nGoal met in {met} of {n} cases (ΔE00 <= 0.95x the best anchor's in {q_met} of {n}; time <= "
          f"pngquant's in {t_met} of {n}, <= pngquant's on one thread in {t1_met} of {n})."
          + (f" ΔE00 missed in {len(misses)}, worst {worst[0]:.3f}x ({worst[1]}, K = {worst[2]}, against "
             f"{worst[3]})." if misses else "") + "\n")
    for k in SPACE_KS:
        rs = [results[(nm, k)][f"kmtools {chosen}"][5] for nm in names]
        print(f"- K = {k}: kmtools {chosen} time {min(rs):.2f}-{max(rs):.2f}x pngquant --nofs's (median "
              f"{numpy.median(rs):.2f}); ΔE00 ratio to the best anchor "
              + f"{min(results[(nm, k)][f'kmtools {chosen}'][1] / min(results[(nm, k)][a][1] for a in anchors) for nm in names):.3f}-"
              + f"{max(results[(nm, k)][f'kmtools {chosen}'][1] / min(results[(nm, k)][a][1] for a in anchors) for nm in names):.3f}")
    if max(load0[0], load1[0]) > os.cpu_count():
        print(f"\nThe load average was above the {os.cpu_count()} cores during this run: each wall time depends "
              "on the share of the cores a command got beside the other load. kmfit and kmmap, and through OpenMP "
              "pngquant and ImageMagick, use both cores; pngquant's default run is slowed most (compare it with "
              "its one-thread run, of the same output), and its CPU time grows with its wall time, as OpenMP's "
              "threads busy-wait for each other, so the CPU ratios are no steadier measure here.")
    print(f"\n(`{' '.join(['bench/run'] + sys.argv[1:])}` took {(time.time() - start) / 60:.1f} min; load average "
          f"at the end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}.)")


# ---------------------------------------------------------------------------------------------
# bench/run --png: issue 16's end product: the PNG file of kmtools (kmfit + kmmap + pnmtopng) beside pngquant's
# and ImageMagick's PNG8, its bytes and its J and ΔE00 against the original.

ONLY_PNG = "--png" in sys.argv


def png_methods(ppm, png, k):
    """(label, shell command writing pg_<i>.png) of every PNG measured on one photo and K, kmtools' first.
    The kmtools rgb row also writes pg_km.ppm, its image before pnmtopng."""
    km, mp = tool("kmfit"), tool("kmmap")
    return [
        ("kmtools rgb", f"{km} -k {k} {ppm} > pg_pal.ppm && {mp} pg_pal.ppm {ppm} | tee pg_km.ppm | pnmtopng > pg_0.png"),
        ("kmtools din99", f"{km} -k {k} --space din99 {ppm} > pg_pald.ppm && {mp} --space din99 pg_pald.ppm {ppm} "
         f"| pnmtopng > pg_1.png"),
        ("kmtools rgb, kmmap --dither fs", f"{mp} --dither fs pg_pal.ppm {ppm} | pnmtopng > pg_2.png"),
        ("kmtools rgb, kmmap --dither sierra --dither-strength 0.8",
         f"{mp} --dither sierra --dither-strength 0.8 pg_pal.ppm {ppm} | pnmtopng > pg_7.png"),
        ("pngquant (defaults: dithers)", f"pngquant {k} --force --output pg_3.png {png}"),
        ("pngquant --nofs --speed 1", f"pngquant {k} --nofs --speed 1 --force --output pg_4.png {png}"),
        ("ImageMagick PNG8 (dithers)", f"/usr/bin/convert {png} -colors {k} PNG8:pg_5.png"),
        ("ImageMagick PNG8 +dither", f"/usr/bin/convert {png} +dither -colors {k} PNG8:pg_6.png"),
        # The same dither written by zlib's best level, and pngquant's own pixels written by pnmtopng: the
        # encoders differ (pngquant: libpng at zlib's best level), and these two tell the dither's share apart.
        ("kmtools rgb, kmmap --dither sierra --dither-strength 0.8, pnmtopng -compression=9",
         f"{mp} --dither sierra --dither-strength 0.8 pg_pal.ppm {ppm} | pnmtopng -compression=9 > pg_8.png"),
        ("pngquant (defaults), its pixels written by pnmtopng", "pngtopnm pg_3.png | pnmtopng > pg_9.png"),
        # The palette in kmfit's order (most pixels first) as well: with 4-bit indices, and with 8 through zlib's
        # matching, the order changes the bytes. pnmtopng -palette needs every one of its colours in the image.
        ("kmtools rgb, kmmap --dither sierra --dither-strength 0.8, pnmtopng -compression=9 -palette=pal.ppm",
         f"{mp} --dither sierra --dither-strength 0.8 pg_pal.ppm {ppm} | pnmtopng -compression=9 -palette=pg_pal.ppm "
         "> pg_10.png"),
    ]


def png_chunks(path):
    """(colour type, bit depth, IDAT bytes, bytes of every other chunk's data) of a PNG, from its chunks."""
    import struct
    data = open(os.path.join(work, path), "rb").read()
    at, idat, other, ihdr = 8, 0, 0, None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IHDR":
            ihdr = data[at + 8:at + 8 + length]
        if kind == b"IDAT":
            idat += length
        else:
            other += length
        at += 12 + length
    return ihdr[9], ihdr[8], idat, other


def png():
    """bench/run --png: issue 16's PNG table, in one run."""
    import numpy, re, skimage, statistics
    from skimage.color import rgb2lab
    start = time.time()
    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip()
    # Graphics too: a dither judged on photos alone can lose on flat fills and antialiased edges.
    photos = sample_photos()
    photo_names = {p[0] for p in photos}
    photos += sample_graphics()
    labels = [m[0] for m in png_methods("p", "q", 16)]
    KM, KMD, KMFS, KMS, PQ, PQN, IM, IMN, KMS9, PQP, KMSP = labels
    netpbm = sh("dpkg-query -W -f='${Version}' netpbm")
    libs = ", ".join(re.findall(r"(?:libpng|zlib) [\d.]*\d", sh("pnmtopng -libversion 2>&1 || true")))
    given = f"KMTOOLS_BIN={os.environ['KMTOOLS_BIN']} " if os.environ.get("KMTOOLS_BIN") else ""
    print(f"## PNG bytes: issue 16 (`{given}{' '.join(['bench/run'] + sys.argv[1:])}`, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(f"- binaries: {os.path.relpath(BIN, ROOT)}, repository at {rev}; pngquant "
          f"{sh('pngquant --version').strip()}, ImageMagick {sh('/usr/bin/convert -version').splitlines()[0].split()[2]}, "
          f"netpbm {netpbm} (pnmtopng with {libs}); scikit-image "
          f"{skimage.__version__}")
    print(f"- images: {len(photos)}, the set of `--space` (scikit-image's samples scaled to 250 high by pamscale, and "
          f"the notebook's, 202x250) and the rendered graphics of `--fit` (after the photos); K = "
          f"{', '.join(map(str, SPACE_KS))}. pngquant and ImageMagick read `photo.png` (`pnmtopng photo.ppm`, the same "
          "pixels), kmtools `photo.ppm`.")
    print("- methods, each writing one PNG:")
    for label, cmd in png_methods("photo.ppm", "photo.png", "K"):
        cmd = cmd.replace(tool("kmfit"), "kmfit").replace(tool("kmmap"), "kmmap").replace(" | tee pg_km.ppm", "")
        cmd = cmd.replace("pngtopnm pg_3.png", "pngtopnm pngquant-out.png")
        cmd = re.sub(r"pg_\d+\.png", "out.png", cmd)
        cmd = cmd.replace("pg_pald.ppm", "pal.ppm").replace("pg_pal.ppm", "pal.ppm").replace("/usr/bin/convert", "convert")
        print(f"  - {label}: `{cmd}`")
    print("- kmtools' PNG is pnmtopng's default: a palette PNG whenever the image has at most 256 colours, 1, 2, 4 or "
          "8 bits an index as the count needs, zlib's default level (6). `pnmtopng -compression=9` is measured on the "
          "kmtools rgb image too (the line after the tables); the tables use the default. With `-palette=pal.ppm` "
          "pnmtopng takes the palette's order (kmfit's: most pixels first) instead of its own, and fails unless every "
          "palette colour is in the image (true of every case here).")
    print("- bytes: the PNG file's size; IDAT: the bytes of its image data (the rest is the header, the palette and "
          "any other chunk: ImageMagick writes gAMA, cHRM, bKGD, tIME and tEXt chunks); ratios: bytes / the bytes of "
          "`pngquant K` (defaults) and of `pngquant K --nofs --speed 1` on the same photo and K. J: the notebook's "
          "(mean over pixels of the squared RGB distance, channels on [0,1], summed over channels) of the decoded PNG "
          "(pngtopnm) against the original; ΔE00: mean CIEDE2000 (scikit-image rgb2lab and deltaE_ciede2000, as "
          "`--space` computes it); type: the IHDR's colour type and bit depth (3 is a palette PNG); colours: distinct "
          "colours in the decoded PNG; blurred J: J after a Gaussian blur (sigma 1.5 px) of both images, the score of "
          "the `--dither` section: dithering raises the plain J by design and is meant to lower the blurred one, so "
          "dithered files are judged by it.\n")
    sys.stdout.flush()

    results = {}  # (photo, k) -> {label: (bytes, idat, J, dE, colour type, bit depth, colours, blurred J)}
    level9 = {}  # (photo, k) -> kmtools rgb's bytes with pnmtopng -compression=9
    for name, ppm, pngf in photos:
        orig8 = read_rgb8(ppm)
        orig_lab = rgb2lab(orig8.astype(numpy.float64) / 255)
        for k in SPACE_KS:
            row = {}
            for i, (label, cmd) in enumerate(png_methods(ppm, pngf, k)):
                subprocess.run(cmd, shell=True, executable="/bin/bash", check=True, cwd=work, capture_output=True)
                out = re.findall(r"pg_\d+\.png", cmd)[-1]
                ctype, depth, idat, _ = png_chunks(out)
                j, de, _, _, colours = perceptual_scores(orig8, orig_lab, read_rgb8(out))
                blurred = scores(ppm, out.replace(".png", "_png.ppm"))[1]  # read_rgb8 left the decoded PNG there
                row[label] = (os.path.getsize(os.path.join(work, out)), idat, j, de, ctype, depth, colours, blurred)
            sh("pnmtopng -compression=9 pg_km.ppm > pg_km9.png")
            level9[(name, k)] = os.path.getsize(os.path.join(work, "pg_km9.png"))
            results[(name, k)] = row
            print(f"{name} K={k}: " + ", ".join(f"{l} {row[l][0]}" for l in labels), file=sys.stderr, flush=True)
    names = [p[0] for p in photos]

    print("### Every photo and K\n")
    print("Bold: the smallest file of the photo and K, and the lowest J.\n")
    for k in SPACE_KS:
        print(f"#### K = {k}\n")
        print("| photo | method | bytes | IDAT | / pngquant | / pngquant --nofs --speed 1 | J | ΔE00 | blurred J | type "
              "| colours |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name in names:
            row = results[(name, k)]
            small, low = min(row[l][0] for l in labels), min(row[l][2] for l in labels)
            for i, l in enumerate(labels):
                b, idat, j, de, ctype, depth, colours, blurred = row[l]
                b_s = f"**{b}**" if b == small else str(b)
                j_s = f"**{j:.6f}**" if j == low else f"{j:.6f}"
                print(f"| {name if i == 0 else ''} | {l} | {b_s} | {idat} | {b / row[PQ][0]:.3f} | "
                      f"{b / row[PQN][0]:.3f} | {j_s} | {de:.3f} | {blurred:.6f} | {ctype} ({depth}-bit) | {colours} |")
        print()

    print("### Summary\n")
    print(f"Per K, over the {len(names)} images: the median of each method's bytes ratio to `pngquant --nofs "
          "--speed 1` and to `pngquant` (defaults), and the mean J, ΔE00 and blurred J.\n")
    print("| method | " + " | ".join(f"bytes / nofs s1 K={k} | bytes / pngquant K={k} | J K={k} | ΔE00 K={k} | "
                                     f"blurred J K={k}" for k in SPACE_KS) + " |")
    print("|---|" + "---|---|---|---|---|" * len(SPACE_KS))
    for l in labels:
        cells = []
        for k in SPACE_KS:
            rows = [results[(n, k)] for n in names]
            cells.append(f"{statistics.median(r[l][0] / r[PQN][0] for r in rows):.3f} | "
                         f"{statistics.median(r[l][0] / r[PQ][0] for r in rows):.3f} | "
                         f"{numpy.mean([r[l][2] for r in rows]):.6f} | {numpy.mean([r[l][3] for r in rows]):.3f} | "
                         f"{numpy.mean([r[l][7] for r in rows]):.6f}")
        print(f"| {l} | " + " | ".join(cells) + " |")
    print()

    def is_photo(key):
        return key[0] in photo_names

    def count(mine, other, what, score=2, photos=None):
        """Cases where `mine` is smaller than `other` (what 'bytes'), has the lower J ('J'; score 3: mean ΔE00,
        7: blurred J), both ('both'), or is no larger and lower ('no larger'); over every case, or over the
        photos' (photos True) or the graphics' (False) alone."""
        n = 0
        for key, row in results.items():
            if photos is not None and is_photo(key) != photos:
                continue
            smaller, lower = row[mine][0] < row[other][0], row[mine][score] < row[other][score]
            n += {"bytes": smaller, "J": lower, "both": smaller and lower,
                  "no larger": row[mine][0] <= row[other][0] and lower}[what]
        return n

    n = len(results)
    print(f"Counts over the {n} image/K cases:\n")
    for mine, other in ((KM, PQN), (KM, PQ), (KMD, PQN), (KMFS, PQ), (KMS, PQ), (KM, IMN)):
        print(f"- {mine} against {other}: smaller in {count(mine, other, 'bytes')} of {n}, lower J in "
              f"{count(mine, other, 'J')} of {n}, **both in {count(mine, other, 'both')} of {n}**.")
    for mine, other in ((KM, PQN), (KMD, PQN)):
        print(f"- {mine} against {other}, on mean ΔE00: lower in {count(mine, other, 'J', 3)} of {n}, smaller and "
              f"lower in {count(mine, other, 'both', 3)} of {n}.")
    for mine, other in ((KMFS, PQ), (KMS, PQ), (KMS9, PQ), (KMSP, PQ), (KMS, PQP), (KM, PQ)):
        print(f"- {mine} against {other}, on blurred J: lower in {count(mine, other, 'J', 7)} of {n}, smaller and "
              f"lower in {count(mine, other, 'both', 7)} of {n}.")
    for mine, other in ((KM, PQN), (KM, PQ)):
        per_k = []
        for k in SPACE_KS:
            rs = [results[(nm, k)][mine][0] / results[(nm, k)][other][0] for nm in names]
            per_k.append(f"K = {k} {min(rs):.3f}-{max(rs):.3f}x")
        print(f"- {mine} bytes / {other}'s: " + ", ".join(per_k) + ".")
    for mine, other in ((KM, PQN), (KMFS, PQ), (KMS, PQ)):
        lost = sorted(((row[mine][0] / row[other][0], key) for key, row in results.items()
                       if row[mine][0] >= row[other][0]), reverse=True)
        print(f"- {mine}'s PNG is not smaller than {other}'s in {len(lost)} of {n}: "
              + ", ".join(f"{nm} K = {k} ({r:.3f}x)" for r, (nm, k) in lost) + ".")
    kinds = (("photo", True), ("graphic", False))
    for mine, other in ((KMS, PQ), (KMS9, PQ), (KMSP, PQ), (KMS, PQP)):
        for kind, photos_only in kinds:
            cases = sum(is_photo(key) == photos_only for key in results)
            print(f"- {mine} against {other}, {kind}s: no larger and lower in blurred J in "
                  f"{count(mine, other, 'no larger', 7, photos_only)} of {cases}.")
    # The same pixels, two encoders: pngquant's own file and its pixels written by pnmtopng.
    encoder = {photos_only: [row[PQP][0] / row[PQ][0] for key, row in results.items() if is_photo(key) == photos_only]
               for _, photos_only in kinds}
    print(f"- The encoder's share: pngquant's own pixels written by pnmtopng are {min(encoder[True]):.3f}-"
          f"{max(encoder[True]):.3f}x pngquant's file on the photos, {min(encoder[False]):.3f}-{max(encoder[False]):.3f}x "
          "on the graphics (the same pixels).")
    r9 = [level9[key] / results[key][KM][0] for key in results]
    pal = sum(row[KM][4] == 3 for row in results.values())
    print(f"- `pnmtopng -compression=9` on the kmtools rgb image: {min(r9):.4f}-{max(r9):.4f}x the default's bytes "
          f"(median {statistics.median(r9):.4f}); smaller than `pngquant --nofs --speed 1`'s in "
          f"{sum(level9[key] < results[key][PQN][0] for key in results)} of {n} (default level: "
          f"{count(KM, PQN, 'bytes')}).")
    print(f"- kmtools rgb's PNG is a palette PNG (colour type 3) in {pal} of {n} cases.")
    print(f"\n(`{' '.join(['bench/run'] + sys.argv[1:])}` took {(time.time() - start) / 60:.1f} min.)")


ONLY_ALPHA = "--alpha" in sys.argv
ALPHA_KS = (16, 64, 256)


def disc_alpha(height, width, cy, cx, radius, n=8):
    """Alpha (uint8) of an antialiased disc: each pixel's coverage by n x n supersampling, rounded to 0..255."""
    import numpy as np
    s = (np.arange(n) + 0.5) / n
    ys = (np.arange(height)[:, None] + s).ravel() - cy
    xs = (np.arange(width)[:, None] + s).ravel() - cx
    inside = (ys[:, None] ** 2 + xs[None, :] ** 2) <= radius * radius
    covered = inside.reshape(height, n, width, n).sum(axis=(1, 3))
    return np.floor(covered * 255 / (n * n) + 0.5).astype(np.uint8)


def write_rgba(rgba, base):
    """An RGBA uint8 array as base.pam (PAM RGB_ALPHA, for kmtools) and base.png (PIL, for the others)."""
    from PIL import Image
    h, w = rgba.shape[:2]
    with open(os.path.join(work, f"{base}.pam"), "wb") as f:
        f.write(b"P7\nWIDTH %d\nHEIGHT %d\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n" % (w, h) + rgba.tobytes())
    Image.fromarray(rgba, "RGBA").save(os.path.join(work, f"{base}.png"))


def alpha_inputs():
    """(name, pam, png, RGBA array) of the --alpha inputs: the --png photos cut to an antialiased disc of
    radius 0.47 min(width, height) at the centre (--quick: the SPACE_PHOTOS ones), and a 256x256 sprite, a
    disc of radius 100 filled with a gradient; the RGB of fully transparent pixels is 0."""
    import numpy as np
    found = []
    photos = sample_photos()
    if QUICK:
        photos = [p for p in photos if p[0] in SPACE_PHOTOS]
    for name, ppm, _ in photos:
        rgb = read_rgb8(ppm)
        h, w = rgb.shape[:2]
        a = disc_alpha(h, w, h / 2, w / 2, 0.47 * min(w, h))
        rgba = np.dstack([np.where(a[..., None] == 0, 0, rgb), a]).astype(np.uint8)
        write_rgba(rgba, f"{name}_disc")
        found.append((f"{name} disc", f"{name}_disc.pam", f"{name}_disc.png", rgba))
    y, x = np.mgrid[0:256, 0:256]
    a = disc_alpha(256, 256, 128, 128, 100)
    rgb = np.stack([x, y, np.full_like(x, 180)], axis=2)
    rgba = np.dstack([np.where(a[..., None] == 0, 0, rgb), a]).astype(np.uint8)
    write_rgba(rgba, "sprite")
    found.append(("sprite 256x256", "sprite.pam", "sprite.png", rgba))
    return found


def alpha_methods(pam, png, k):
    """(label, [shell commands, each timed], output PNG) of every PNG measured on one input and K, kmtools'
    first: kmfit --alpha (timed alone), then kmmap and netpbm's route to a palette PNG with tRNS."""
    return [
        ("kmtools --alpha", [f"{tool('kmfit')} --alpha -k {k} {pam} > al_pal.pam",
                             f"{tool('kmmap')} al_pal.pam < {pam} > al_km.pam && "
                             "pamchannel -infile al_km.pam -tupletype GRAYSCALE 3 | pamtopnm > al_a.pgm && "
                             "pamtopnm al_km.pam | pnmtopng -alpha=al_a.pgm > al_0.png"], "al_0.png"),
        ("pngquant (defaults: dithers)", [f"pngquant {k} --force --output al_1.png {png}"], "al_1.png"),
        ("pngquant --nofs --speed 1", [f"pngquant {k} --nofs --speed 1 --force --output al_2.png {png}"], "al_2.png"),
        ("ImageMagick PNG8 (dithers)", [f"/usr/bin/convert {png} -colors {k} PNG8:al_3.png"], "al_3.png"),
    ]


def read_rgba8(path):
    """(RGBA uint8 array, PIL mode, has 'transparency' in info) of a PNG, decoded by PIL."""
    import numpy as np
    from PIL import Image
    with Image.open(os.path.join(work, path)) as im:
        mode, trns = im.mode, "transparency" in im.info
        return np.asarray(im.convert("RGBA")), mode, trns


def read_pam_rgba(path):
    """A PAM RGB_ALPHA of maxval 255 (kmmap's output) as an RGBA uint8 array."""
    import numpy as np
    data = open(os.path.join(work, path), "rb").read()
    head, body = data.split(b"ENDHDR\n", 1)
    fields = dict(line.split(None, 1) for line in head.decode().splitlines()[1:] if line.strip())
    w, h = int(fields["WIDTH"]), int(fields["HEIGHT"])
    assert fields["DEPTH"].strip() == "4" and fields["MAXVAL"].strip() == "255", path
    return np.frombuffer(body, dtype=np.uint8, count=w * h * 4).reshape(h, w, 4)


def premultiplied_j(a, b):
    """Visible J of two RGBA uint8 images: the mean over pixels of the squared distance between the
    premultiplied colours (r a, g a, b a, a), samples on [0, 1] (0 to 4), what kmfit --alpha minimises."""
    import numpy as np
    def pre(x):
        x = x.astype(np.float64) / 255
        return np.concatenate([x[..., :3] * x[..., 3:], x[..., 3:]], axis=2)
    return float(((pre(a) - pre(b)) ** 2).sum(axis=2).mean())


def png_chunk_types(path):
    """The chunk types of a PNG, in order."""
    import struct
    data = open(os.path.join(work, path), "rb").read()
    at, kinds = 8, []
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        kinds.append(kind.decode())
        at += 12 + length
    return kinds


def alpha():
    """bench/run --alpha: issue 16's alpha-palette table, in one run."""
    import hashlib, numpy, PIL
    start = time.time()
    load0 = os.getloadavg()
    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip()
    inputs = alpha_inputs()
    labels = [m[0] for m in alpha_methods("p", "q", 16)]
    KM, PQ, PQN, IM = labels
    netpbm = sh("dpkg-query -W -f='${Version}' netpbm")
    kmfit_sum = hashlib.sha256(open(tool("kmfit"), "rb").read()).hexdigest()[:12]
    given = f"KMTOOLS_BIN={os.environ['KMTOOLS_BIN']} " if os.environ.get("KMTOOLS_BIN") else ""
    cpu = sh("grep -m1 'model name' /proc/cpuinfo").split(":")[1].strip()
    print(f"## Alpha palettes: issue 16 (`{given}{' '.join(['bench/run'] + sys.argv[1:])}`, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(f"- binaries: {BIN if os.path.isabs(os.environ.get('KMTOOLS_BIN') or '') else os.path.relpath(BIN, ROOT)} "
          f"(kmfit sha256 {kmfit_sum}…), bench at {rev}; pngquant {sh('pngquant --version').strip()}, ImageMagick "
          f"{sh('/usr/bin/convert -version').splitlines()[0].split()[2]}, netpbm {netpbm}, numpy {numpy.__version__}, "
          f"Pillow {PIL.__version__}; {cpu}, {os.cpu_count()} cores")
    print(f"- inputs: {len(inputs)}, made here: the `--png` photos (250 high; "
          f"{', '.join(n for n, *_ in inputs[:-1])}) cut to an antialiased disc, alpha = the pixel's coverage by a "
          "disc of radius 0.47 min(width, height) at the image's centre, by 8x8 supersampling, rounded to 0..255, and "
          "the RGB of fully transparent pixels set to 0; and a sprite, 256x256, a disc of radius 100 (the same "
          "coverage) filled with a gradient r = x, g = y, b = 180, outside fully transparent. kmtools reads "
          "`in.pam` (PAM RGB_ALPHA), the others `in.png` (RGBA, written by Pillow): the same pixels. "
          f"K = {', '.join(map(str, ALPHA_KS))}.")
    print("- methods, each writing one PNG:")
    for label, cmds, _ in alpha_methods("in.pam", "in.png", "K"):
        cmd = " && ".join(cmds).replace(tool("kmfit"), "kmfit").replace(tool("kmmap"), "kmmap")
        for i in range(4):
            cmd = cmd.replace(f"al_{i}.png", "out.png")
        cmd = (cmd.replace("al_pal.pam", "pal.pam").replace("al_km.pam", "out.pam").replace("al_a.pgm", "a.pgm")
               .replace("/usr/bin/convert", "convert"))
        print(f"  - {label}: `{cmd}`")
    print("- bytes: the PNG file's size; ratios: bytes, and J, / those of `pngquant K` (defaults) and of `pngquant K "
          "--nofs --speed 1` on the same input and K. J: the visible J of the PNG, decoded by Pillow, against the "
          "input: the mean over all pixels of the squared distance between premultiplied colours (r a, g a, b a, a), "
          "samples on [0,1] (0 to 4), what `kmfit --alpha` minimises; fully transparent pixels are equal whatever "
          "their RGB. type: the IHDR's colour type and bit depth (3: palette; 6: RGBA); tRNS: whether the PNG has a "
          "tRNS chunk; P+tRNS: Pillow opens it in mode P with `transparency` in its info; alpha levels: distinct "
          "alpha values in the decoded PNG (the input's count is given beside its name); colours: distinct "
          "RGBA values in the decoded PNG.")
    print("- time: wall seconds of a single ad-hoc run of each command (no warm-up, no repeat) on this shared "
          f"{os.cpu_count()}-core machine, load average {load0[0]:.2f} at the start: `kmfit --alpha` alone (the fit), "
          "kmmap plus the netpbm route, and each pngquant run. Indicative only; nothing is asserted on them.\n")
    sys.stdout.flush()

    results = {}  # (input, k) -> {label: (bytes, J, colour type, depth, tRNS, P+tRNS, alpha levels, colours, [s],
    #                                      ImageMagick's alpha values)}
    exact = []  # (input, k) where kmtools' PNG decodes to kmmap's PAM, pixel for pixel
    for name, pam, pngf, orig in inputs:
        for k in ALPHA_KS:
            row = {}
            for label, cmds, out in alpha_methods(pam, pngf, k):
                spent = []
                for cmd in cmds:
                    t0 = time.perf_counter()
                    subprocess.run(cmd, shell=True, executable="/bin/bash", check=True, cwd=work, capture_output=True)
                    spent.append(time.perf_counter() - t0)
                ctype, depth, _, _ = png_chunks(out)
                decoded, mode, trns = read_rgba8(out)
                flat = decoded.reshape(-1, 4).astype(numpy.uint32)
                colours = len(numpy.unique((flat[:, 0] << 24) | (flat[:, 1] << 16) | (flat[:, 2] << 8) | flat[:, 3]))
                row[label] = (os.path.getsize(os.path.join(work, out)), premultiplied_j(orig, decoded), ctype, depth,
                              "tRNS" in png_chunk_types(out), mode == "P" and trns, len(numpy.unique(decoded[..., 3])),
                              colours, spent, numpy.unique(decoded[..., 3]) if label == IM else ())
                if label == KM and numpy.array_equal(decoded, read_pam_rgba("al_km.pam")):
                    exact.append((name, k))
            results[(name, k)] = row
            print(f"{name} K={k}: " + ", ".join(f"{l} {row[l][0]} B J={row[l][1]:.6f}" for l in labels),
                  file=sys.stderr, flush=True)
    names = [n for n, *_ in inputs]
    levels_in = {n: len(numpy.unique(o[..., 3])) for n, _, _, o in inputs}

    print("### Every input and K\n")
    print("Bold: the smallest file of the input and K, and the lowest J.\n")
    for k in ALPHA_KS:
        print(f"#### K = {k}\n")
        print("| input | method | bytes | / pngquant | / pngquant --nofs --speed 1 | J | J / pngquant "
              "| J / pngquant --nofs --speed 1 | type | tRNS | P+tRNS | alpha levels | colours |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name in names:
            row = results[(name, k)]
            small, low = min(row[l][0] for l in labels), min(row[l][1] for l in labels)
            for i, l in enumerate(labels):
                b, j, ctype, depth, trns, ptrns, levels, colours, _, _ = row[l]
                b_s = f"**{b}**" if b == small else str(b)
                j_s = f"**{j:.6f}**" if j == low else f"{j:.6f}"
                first = f"{name} (alpha levels {levels_in[name]})" if i == 0 else ""
                print(f"| {first} | {l} | {b_s} | {b / row[PQ][0]:.3f} | {b / row[PQN][0]:.3f} | {j_s} | "
                      f"{j / row[PQ][1]:.3f} | {j / row[PQN][1]:.3f} | {ctype} ({depth}-bit) | "
                      f"{'yes' if trns else 'no'} | {'yes' if ptrns else 'no'} | {levels} | {colours} |")
        print()

    print("### Time (single ad-hoc runs)\n")
    print("Wall seconds of one run each; ratios: `kmfit --alpha`'s time (the fit alone) / pngquant's (its whole "
          "run: reading, quantizing, remapping, writing the PNG).\n")
    print("| input | K | kmfit --alpha s | kmmap + netpbm route s | pngquant s | pngquant --nofs --speed 1 s "
          "| kmfit / pngquant | kmfit / pngquant --nofs --speed 1 |")
    print("|---|---|---|---|---|---|---|---|")
    for name in names:
        for k in ALPHA_KS:
            row = results[(name, k)]
            fit_s, map_s = row[KM][8]
            pq_s, pqn_s = row[PQ][8][0], row[PQN][8][0]
            print(f"| {name} | {k} | {fit_s:.3f} | {map_s:.3f} | {pq_s:.3f} | {pqn_s:.3f} | {fit_s / pq_s:.2f} "
                  f"| {fit_s / pqn_s:.2f} |")
    print()

    print("### Summary\n")
    n = len(results)
    print(f"A case is met when kmtools' J is lower than the pngquant run's and its PNG is at most 1.10x the bytes. "
          f"Over the {n} input/K cases:\n")
    for other in (PQ, PQN):
        met, misses = 0, []
        for (name, k), row in results.items():
            rb, rj = row[KM][0] / row[other][0], row[KM][1] / row[other][1]
            if rj < 1 and rb <= 1.10:
                met += 1
            else:
                why = (["J not lower"] if rj >= 1 else []) + (["bytes over 1.10x"] if rb > 1.10 else [])
                misses.append(f"{name} K = {k}: bytes {rb:.3f}x, J {rj:.3f}x ({' and '.join(why)})")
        per_k = []
        for k in ALPHA_KS:
            rb = [results[(nm, k)][KM][0] / results[(nm, k)][other][0] for nm in names]
            rj = [results[(nm, k)][KM][1] / results[(nm, k)][other][1] for nm in names]
            per_k.append(f"K = {k}: bytes {min(rb):.3f}-{max(rb):.3f}x, J {min(rj):.3f}-{max(rj):.3f}x")
        lower_j = sum(row[KM][1] < row[other][1] for row in results.values())
        smaller = sum(row[KM][0] < row[other][0] for row in results.values())
        print(f"- against {other}: **met in {met} of {n}**; lower J in {lower_j} of {n}, smaller file in {smaller} "
              f"of {n}. kmtools / {other}: " + "; ".join(per_k) + ".")
        print(f"  - misses ({len(misses)}): " + ("; ".join(misses) if misses else "none") + ".")
    for other in (PQ, PQN):
        ratios = [row[KM][8][0] / row[other][8][0] for row in results.values()]
        per_k = []
        for k in ALPHA_KS:
            rs = [results[(nm, k)][KM][8][0] / results[(nm, k)][other][8][0] for nm in names]
            per_k.append(f"K = {k} {min(rs):.2f}-{max(rs):.2f}x")
        print(f"- time, kmfit --alpha / {other} (single runs): " + ", ".join(per_k) + f"; median "
              f"{sorted(ratios)[len(ratios) // 2]:.2f}x.")
    pal = sum(row[KM][5] for row in results.values())
    print(f"- kmtools' PNG is a palette PNG with tRNS (Pillow mode P, `transparency` in its info) in {pal} of {n} cases, "
          f"and decodes to kmmap's PAM pixel for pixel in {len(exact)} of {n}.")
    for l in (PQ, PQN, IM):
        kinds = sorted({f"{r[l][2]} ({r[l][3]}-bit){', tRNS' if r[l][4] else ''}" for r in results.values()})
        levels = sorted({r[l][6] for r in results.values()})
        j_ratio = [r[l][1] / r[KM][1] for r in results.values()]
        alphas = sorted({int(v) for r in results.values() for v in r[l][9]}) if max(levels) <= 2 else None
        how = (f"only alpha {' and '.join(map(str, alphas))} in every case (on/off transparency: the input's "
               "partial alpha is not kept)" if alphas else f"alpha levels {min(levels)}-{max(levels)}")
        colours = [r[l][7] / k for (_, k), r in results.items()]
        print(f"- {l}: type {'; '.join(kinds)}; {how}; distinct colours {min(colours):.2f}-{max(colours):.2f}x K; "
              f"its J / kmtools' {min(j_ratio):.2f}-{max(j_ratio):.2f}x.")
    load1 = os.getloadavg()
    print(f"\n(`{' '.join(['bench/run'] + sys.argv[1:])}` took {(time.time() - start) / 60:.1f} min; load average "
          f"{load0[0]:.2f} at the start, {load1[0]:.2f} at the end.)")

# ---------------------------------------------------------------------------------------------
# bench/run --bunched: issue 23's section: palettes bunched in a corner of the cube, whose far
# cells once kept nearly the whole palette (seconds and hundreds of MB to map one pixel).

ONLY_BUNCHED = "--bunched" in sys.argv


def bunched():
    import struct
    start, load = time.time(), os.getloadavg()[0]
    command = (f"KMTOOLS_BIN={os.environ['KMTOOLS_BIN']} " if os.environ.get("KMTOOLS_BIN") else "") \
        + " ".join(["bench/run"] + sys.argv[1:])
    print(f"## Bunched palettes: issue 23 (`{command}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print("kmmap PALETTE IMAGE beside pnmremap -mapfile=PALETTE -nofloyd IMAGE, palettes bunched in a corner of the cube.\n")
    netpbm = sh("dpkg-query -W -f='${Version}' netpbm")
    print(f"- netpbm {netpbm}; times are whole-process medians of {RUNS} runs "
          "(hyperfine -N, 1 warm-up, kmmap and pnmremap side by side), peak RSS is GNU time's %M of one run.")
    print("- palettes (netpbm colormaps, K x 1 PPMs): 4,096 = every colour of the 16^3 corner 0..15 of 0..255; "
          "65,536 = every colour of the 64x64x16 block 0..63 x 0..63 x 0..15 of 0..65535 (the inputs, 8-bit, "
          "are on another scale); 32,767 = that block's first 32,767 colours, the most pnmremap takes "
          "(it refuses 65,536: \"too many colors in colormap\"), so the 65,536 rows' ratios are to pnmremap "
          "with the 32,767 palette.")
    print("- 16 spread = {0,255}^3 and {85,170}^3: an ordinary palette, kmmap's and pnmremap's floor.")
    print("- images: one pixel (200,180,250), and the notebook photo 250 high (pamscale -ysize 250). "
          "Ratios are kmmap / pnmremap: below 1 means kmmap is faster or smaller.\n")
    with open(os.path.join(work, "bunch4096.ppm"), "wb") as f:
        f.write(b"P6\n4096 1\n255\n" + bytes(v for r in range(16) for g in range(16) for b in range(16) for v in (r, g, b)))
    block = [(r, g, b) for r in range(64) for g in range(64) for b in range(16)]
    for k in (32767, 65536):
        with open(os.path.join(work, f"bunch{k}.ppm"), "wb") as f:
            f.write(b"P6\n%d 1\n65535\n" % k + b"".join(struct.pack(">HHH", *c) for c in block[:k]))
    spread = [(r, g, b) for lo, hi in ((0, 255), (85, 170)) for r in (lo, hi) for g in (lo, hi) for b in (lo, hi)]
    with open(os.path.join(work, "bunch16.ppm"), "wb") as f:
        f.write(b"P6\n16 1\n255\n" + bytes(v for c in spread for v in c))
    with open(os.path.join(work, "pixel.ppm"), "wb") as f:
        f.write(b"P6\n1 1\n255\n" + bytes([200, 180, 250]))
    photo = os.path.join(ROOT, "..", "shared", "seed-images", "colorImage1.png")
    sh(f"pngtopnm {photo} | pamscale -ysize 250 > photo250.ppm")
    print("| image | K | kmmap ms | pnmremap ms | time ratio | kmmap peak RSS MiB | pnmremap peak RSS MiB | RSS ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for image, label in (("pixel.ppm", "1 pixel"), ("photo250.ppm", "photo 250 high")):
        for k, anchor in ((16, 16), (4096, 4096), (32767, 32767), (65536, 32767)):
            km = f"{tool('kmmap')} bunch{k}.ppm {image}"
            remap = f"pnmremap -mapfile=bunch{anchor}.ppm -nofloyd {image}"
            t_km, t_remap = hyper([km, remap])
            r_km, r_remap = peak_rss_kib(km), peak_rss_kib(remap)  # time's line is stderr's last
            shown = f"{k:,}" + (f" (pnmremap: {anchor:,})" if anchor != k else "") + (" spread, for scale" if k == 16 else "")
            print(f"| {label} | {shown} | {t_km * 1000:.0f} | {t_remap * 1000:.0f} | {t_km / t_remap:.2f} "
                  f"| {r_km / 1024:.1f} | {r_remap / 1024:.1f} | {r_km / r_remap:.2f} |")
            sys.stdout.flush()
    print(f"\n(`bench/run --bunched` took {(time.time() - start) / 60:.1f} min; load average {load:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end.)\n")


ONLY_FILM = "--film" in sys.argv


def kmh_j(palette, kmh):
    """J of a palette under nearest mapping over every pixel a histogram file (kmhist, opaque, maxval 255)
    counted: exact integer distances, weighted by the counts."""
    import numpy as np
    data = open(os.path.join(work, kmh), "rb").read()
    assert data[:8] == b"KMHIST\x01\x00" and int.from_bytes(data[8:10], "big") == 255, kmh
    n = int.from_bytes(data[26:34], "big")
    rows = np.frombuffer(data, dtype=np.uint8, count=11 * n, offset=34).reshape(n, 11)
    colours = rows[:, :3].astype(np.int64)
    counts = rows[:, 3:].astype(np.uint64) @ (np.uint64(1) << (8 * np.arange(7, -1, -1, dtype=np.uint64)))
    w, h, m, at = ppm_header(open(os.path.join(work, palette), "rb").read(), 0)
    assert m == 255, palette
    pal = np.frombuffer(open(os.path.join(work, palette), "rb").read(), dtype=np.uint8, count=w * h * 3,
                        offset=at + 1).reshape(-1, 3).astype(np.int64)
    best = np.full(n, np.iinfo(np.int64).max)
    for c in pal:
        best = np.minimum(best, ((colours - c) ** 2).sum(axis=1))
    return float((best.astype(np.float64) * counts.astype(np.float64)).sum() / counts.astype(np.float64).sum()) / 255 ** 2


def film():
    """Issue 27's line: one palette for a 300-frame 1920x1080 clip (H.264, a pan over two photos),
    counted in 2 shards by kmhist (two processes at once, one thread each, as two machines would)
    and fitted from the merged histograms, against one kmfit reading every frame and ffmpeg's
    palettegen: wall time (all of each pipeline, decoding included), peak RSS, J over every frame."""
    print("## One palette for a film: histograms from shards (kmhist), one kmfit, ffmpeg palettegen\n")
    import skimage, skimage.io
    data = os.path.join(os.path.dirname(skimage.__file__), "data")
    for base in ("astronaut", "coffee"):
        skimage.io.imsave(os.path.join(work, f"{base}_full.png"),
                          skimage.io.imread(os.path.join(data, base + ".png"))[..., :3], check_contrast=False)
        sh(f"pngtopnm {base}_full.png | pamscale -height 1350 > pan_{base}.ppm")
    sh("pnmcat -lr pan_astronaut.ppm pan_coffee.ppm > pan.ppm")
    sh("ffmpeg -v error -loop 1 -framerate 30 -i pan.ppm -vf \"crop=1920:1080:'n*(iw-1920)/299':'n*(ih-1080)/299',"
       "format=yuv420p\" -frames:v 300 -c:v libx264 -preset veryfast -crf 12 -g 30 -y film.mp4")
    # Two shards, cut at keyframes without re-encoding (not timed: ffmpeg copies packets).
    sh("ffmpeg -v error -i film.mp4 -c copy -f segment -segment_time 5 part%d.mp4")
    parts = sorted(f for f in os.listdir(work) if f.startswith("part") and f.endswith(".mp4"))
    decode = "ffmpeg -v error -i {} -f image2pipe -vcodec ppm -"
    said = subprocess.run(f"{decode.format('film.mp4')} | {tool('kmhist')} -v > all.kmh", shell=True, check=True,
                          cwd=work, capture_output=True, text=True).stderr.strip()
    size = os.path.getsize(os.path.join(work, "all.kmh"))
    print(f"The clip: 300 frames of 1920x1080 (H.264, crf 12, a keyframe a second), {len(parts)} shards of "
          f"{', '.join(str(int(sh(f'ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 {p}'))) for p in parts)} frames; "
          f"`{said}`; its histogram file is {size / 2**20:.1f} MiB. Times are whole pipelines, decoding included; "
          f"the shards run as two processes at once with one thread each (two machines of one core), then one kmfit on "
          f"their histograms; one kmfit and palettegen read every frame in one process (kmfit on both cores). J is the mean "
          f"over every pixel of every frame, of each palette under nearest mapping (exact, from the clip's histogram, all.kmh).\n")
    par = f"parallel --will-cite -j{len(parts)}"
    for k in (16, 256):
        cmds = {
            "one kmfit": f"{decode.format('film.mp4')} | {tool('kmfit')} -k {k} > one.ppm",
            "2 shards: kmhist, then kmfit": f"{par} '{decode} | {tool('kmhist')} --threads 1 > {{.}}.kmh' ::: {' '.join(parts)} && "
                                       f"{tool('kmfit')} -k {k} {' '.join(p[:-4] + '.kmh' for p in parts)} > shards.ppm",
            "2 shards, kmhist --bits 6": f"{par} '{decode} | {tool('kmhist')} --threads 1 --bits 6 > {{.}}.b6.kmh' ::: {' '.join(parts)} && "
                                        f"{tool('kmfit')} -k {k} {' '.join(p[:-4] + '.b6.kmh' for p in parts)} > bits6.ppm",
            "ffmpeg palettegen": f"ffmpeg -v error -i film.mp4 -vf palettegen={palettegen(k)} -y pg.png",
        }
        out = os.path.join(work, "hf.json")
        subprocess.run(["hyperfine", "--shell", "bash", "--warmup", "1", "--runs", str(RUNS), "--export-json", out,
                        *cmds.values()], check=True, cwd=work, capture_output=True)
        with open(out) as f:
            times = [r["median"] for r in json.load(f)["results"]]
        rss = {
            "one kmfit": peak_rss_kib(f"sh -c '{decode.format('film.mp4')} | {tool('kmfit')} -k {k}'"),
            "2 shards: kmhist, then kmfit": max(peak_rss_kib(f"sh -c '{decode.format(parts[0])} | {tool('kmhist')} --threads 1'"),
                                                peak_rss_kib(f"{tool('kmfit')} -k {k} {' '.join(p[:-4] + '.kmh' for p in parts)}")),
            "2 shards, kmhist --bits 6": peak_rss_kib(f"{tool('kmfit')} -k {k} {' '.join(p[:-4] + '.b6.kmh' for p in parts)}"),
            "ffmpeg palettegen": peak_rss_kib(f"ffmpeg -v error -i film.mp4 -vf palettegen={palettegen(k)} -f null -"),
        }
        ffmpeg_palette("pg.png", "ff_pal.ppm")
        js = {label: kmh_j(pal, "all.kmh") for label, pal in (
            ("one kmfit", "one.ppm"), ("2 shards: kmhist, then kmfit", "shards.ppm"),
            ("2 shards, kmhist --bits 6", "bits6.ppm"), ("ffmpeg palettegen", "ff_pal.ppm"))}
        same = open(os.path.join(work, "one.ppm"), "rb").read() == open(os.path.join(work, "shards.ppm"), "rb").read()
        print(f"K = {k}: the shards' palette is {'byte-identical to' if same else 'NOT the same as'} one kmfit's.\n")
        print("| method | wall s | vs palettegen | peak RSS MiB | J | J vs palettegen |")
        print("|---|---|---|---|---|---|")
        t_pg, j_pg = times[3], js["ffmpeg palettegen"]
        for (label, _), t in zip(cmds.items(), times):
            print(f"| {label} | {t:.2f} | {t / t_pg:.2f} | {rss[label] / 1024:.0f} | {js[label]:.6f} | {js[label] / j_pg:.3f} |")
        print()
        sys.stdout.flush()
    # What rounding costs, on the merged histogram: J of the palette fitted to the rounded colours.
    print("What `--bits` costs (the merged histogram rounded, then fitted; J over every frame, and its ratio to the "
          "unrounded fit's):\n")
    print("| K | bits | distinct colours | J | vs unrounded |")
    print("|---|---|---|---|---|")
    for k in (16, 256):
        base = None
        for bits in (None, 7, 6, 5):
            name = "all.kmh" if bits is None else f"all{bits}.kmh"
            if bits is not None:
                sh(f"{tool('kmhist')} --bits {bits} all.kmh > {name}")
            colours = int.from_bytes(open(os.path.join(work, name), "rb").read()[26:34], "big")
            sh(f"{tool('kmfit')} -k {k} {name} > bitpal.ppm")
            j = kmh_j("bitpal.ppm", "all.kmh")
            base = base or j
            print(f"| {k} | {bits or 8} | {colours:,} | {j:.6f} | {j / base:.4f} |")
    print()


def main():
    """Everything, or with --map the frame sections only (kmfit on a 4K frame, kmmap, memory)."""
    if ONLY_FILM:
        film()
        sh(f"rm -rf {work}")
        return
    if ONLY_SPACE:
        space()
        sh(f"rm -rf {work}")
        return
    if ONLY_PNG:
        png()
        sh(f"rm -rf {work}")
        return
    if ONLY_ALPHA:
        alpha()
        sh(f"rm -rf {work}")
        return
    if ONLY_BUNCHED:
        bunched()
        sh(f"rm -rf {work}")
        return
    print("# kmtools benchmark\n")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo").split(":")[1].strip()
    print(f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    versions = {
        "pngquant": sh("pngquant --version").strip(),
        "ImageMagick": sh("/usr/bin/convert -version").splitlines()[0].split()[2],
        "netpbm": sh("dpkg-query -W -f='${Version}' netpbm"),
        "ffmpeg": sh("ffmpeg -version").split()[2],
    }
    print("- anchors: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"- command: `{' '.join(['bench/run'] + sys.argv[1:])}`; times are whole-process "
          f"{'medians' if ONLY_FIT else 'means'} of {RUNS} runs (hyperfine, 1 warm-up), input from the page cache")
    if os.environ.get("KMTOOLS_BIN"):
        print(f"- binaries: KMTOOLS_BIN={os.environ['KMTOOLS_BIN']}")
    print("- J: the notebook's cost of the result against the original (kmcost); for kmfit, of its "
          "palette under nearest assignment. Ratios are kmfit / anchor: below 1 means kmfit is "
          "better (J) or faster (time).\n")

    if ANCHORS_ONLY:
        warm_anchors()
        sh(f"rm -rf {work}")
        return
    if ONLY_FIT:
        fit()
        sh(f"rm -rf {work}")
        return
    if ONLY_DITHER:
        dither()
        sh(f"rm -rf {work}")
        return
    if ONLY_VIDEO:
        video()
        sh(f"rm -rf {work}")
        return

    print("## Palette quality and time, 250-high images\n")
    print("| image | K | kmfit J | kmfit ms | anchor | anchor J | anchor ms | J ratio | time ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, ppm in ([] if ONLY_MAP else images()):
        for (img, k, j_km, t_km, anchors) in quality_rows(name, ppm):
            for label, j, t in anchors:
                print(f"| {img} | {k} | {j_km:.6f} | {t_km * 1000:.0f} | {label} | {j:.6f} | {t * 1000:.0f} "
                      f"| {j_km / j:.3f} | {t_km / t:.2f} |")
            sys.stdout.flush()

    print("\n## A 3840x2160 frame\n")
    sh("ppmforge -seed 4 -width 3840 -height 2160 -hour 14 -inclination 10 > frame4k.ppm 2>/dev/null")
    t_km = seconds(f"{tool('kmfit')} -k 16 frame4k.ppm")
    t_cm = seconds("pnmcolormap 16 frame4k.ppm")
    sh(f"{tool('kmfit')} -k 16 frame4k.ppm > pal4k.ppm")
    sh("pnmcolormap 16 frame4k.ppm > cmap4k.ppm 2>/dev/null")
    j_km = cost_of_palette("pal4k.ppm", "frame4k.ppm")
    j_cm = cost_of_palette("cmap4k.ppm", "frame4k.ppm")
    print("| K | kmfit J | kmfit ms | pnmcolormap J | pnmcolormap ms | J ratio | time ratio |")
    print("|---|---|---|---|---|---|---|")
    print(f"| 16 | {j_km:.6f} | {t_km * 1000:.0f} | {j_cm:.6f} | {t_cm * 1000:.0f} | {j_km / j_cm:.3f} | {t_km / t_cm:.2f} |")

    print("\n## kmmap: mapping a frame to a fixed palette, no dithering\n")
    print("3840x2160 frames: the planet above (black sky: many repeated colours) and, when shared/ has it, "
          "the notebook's photo scaled up by pamscale (170,000 distinct colours). Palettes fitted by kmfit. "
          "Ratios: kmmap / other.\n")
    frames = [("planet", "frame4k.ppm")]
    if os.path.exists(os.path.join(work, "notebook.ppm")) or os.path.exists(os.path.join(ROOT, "..", "shared", "seed-images", "colorImage1.png")):
        sh(f"pngtopnm {os.path.join(ROOT, '..', 'shared', 'seed-images', 'colorImage1.png')} | pamscale -xsize 3840 -ysize 2160 > photo4k.ppm")
        frames.append(("notebook photo", "photo4k.ppm"))
    print("| frame | colours | kmmap ms | pamtopnm ms | vs pamtopnm | pnmremap -nofloyd ms | vs pnmremap | ImageMagick -remap ms | vs ImageMagick |")
    print("|---|---|---|---|---|---|---|---|---|")
    for fname, frame in frames:
        t_cat = seconds(f"pamtopnm {frame}")
        for k in (16, 256):
            sh(f"{tool('kmfit')} -k {k} -r 2 {frame} > map{k}.ppm")
            pal = f"map{k}.ppm"
            t_map = seconds(f"{tool('kmmap')} {pal} {frame}")
            t_remap = seconds(f"pnmremap -nofloyd -mapfile={pal} {frame}")
            t_im = seconds(f"/usr/bin/convert {frame} -dither None -remap {pal} im.ppm")
            print(f"| {fname} | {k} | {t_map * 1000:.0f} | {t_cat * 1000:.0f} | {t_map / t_cat:.2f} | {t_remap * 1000:.0f} "
                  f"| {t_map / t_remap:.2f} | {t_im * 1000:.0f} | {t_map / t_im:.2f} |")

    dither()

    print("\n## Memory: a stream of 30 frames of 1920x1080\n")
    stream1080()
    size = os.path.getsize(os.path.join(work, "stream.ppm"))
    rss = peak_rss_kib(f"{tool('kmfit')} -k 16 stream.ppm")
    one = peak_rss_kib(f"{tool('kmfit')} -k 16 frame4k.ppm")
    print("| input | input MiB | kmfit -k 16 peak RSS MiB | RSS / input |")
    print("|---|---|---|---|")
    print(f"| 30 x 1920x1080 stream | {size / 2**20:.0f} | {rss / 1024:.0f} | {rss * 1024 / size:.3f} |")
    size4k = os.path.getsize(os.path.join(work, "frame4k.ppm"))
    print(f"| one 3840x2160 frame | {size4k / 2**20:.0f} | {one / 1024:.0f} | {one * 1024 / size4k:.3f} |")
    rss_map = peak_rss_kib(f"{tool('kmmap')} pal4k.ppm stream.ppm")
    print(f"\nkmmap over the 30-frame stream: peak RSS {rss_map / 1024:.0f} MiB (one frame is "
          f"{size / 30 / 2**20:.1f} MiB).")
    video()
    sh(f"rm -rf {work}")


main()
