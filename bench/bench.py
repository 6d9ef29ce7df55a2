"""Runs the kmtools benchmark and prints a Markdown report (see bench/run)."""
import json, os, platform, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")
QUICK = "--quick" in sys.argv
ONLY_MAP = "--map" in sys.argv
ONLY_VIDEO = "--video" in sys.argv
ONLY_DITHER = "--dither" in sys.argv
RUNS = 3 if QUICK else 5
KS = [3, 16, 64, 256]
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


def read_unit(path):
    """A PPM as a float array (height, width, 3) on [0, 1]."""
    import numpy as np
    data = open(os.path.join(work, path), "rb").read()
    fields, at = [], 2
    while len(fields) < 3:
        while data[at:at + 1].isspace():
            at += 1
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[at:end]))
        at = end
    w, h, m = fields
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


def main():
    """Everything, or with --map the frame sections only (kmfit on a 4K frame, kmmap, memory)."""
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
    print(f"- command: `{' '.join(['bench/run'] + sys.argv[1:])}`; times are whole-process means of "
          f"{RUNS} runs (hyperfine, 1 warm-up), input from the page cache")
    print("- J: the notebook's cost of the result against the original (kmcost); for kmfit, of its "
          "palette under nearest assignment. Ratios are kmfit / anchor: below 1 means kmfit is "
          "better (J) or faster (time).\n")

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
