#!/usr/bin/env python3
"""The HTML stats page in a real browser, and its CSV against cfgrun's.

test/unit/render_stats_page writes the page cfgrun's code renders for a
compiled plan (a generation built as cfgrun builds it). Debian's chromium,
headless, loads the file: its DOM (after parsing, as a browser sees it)
must hold a table per proxy and a row per server, the result banner and
the admin form; its screenshot must be a PNG that is not blank and shows
the colours of the rows (a server in maintenance, the result banner).
The ";csv" export is compared with what a running cfgrun answers to
`show stat` on its stats socket for the same plan: the same bytes but for
the seconds-since-change columns, which depend on when each was read.

Skipped (77) when chromium is not installed.
"""
import os
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib  # noqa: E402
from rtlib import check, done, log, skip, tmp  # noqa: E402

RENDER = os.path.join(rtlib.TOP_BUILDDIR, "test", "unit", "render_stats_page")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

CFG = """
global
    stats socket {sock} level admin
    maxconn 300
defaults
    mode tcp
    timeout client 2s
    timeout connect 2s
    timeout server 2s
frontend web
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    server a1 127.0.0.1:{s1}
    server a2 127.0.0.1:{s2} maxconn 9
    server spare 127.0.0.1:{s3} backup
backend other
    server o1 127.0.0.1:{s4}
"""


def render(plan, out, mode="html", query="", flags=""):
    r = subprocess.run([RENDER, plan, out, mode, query, flags],
                       capture_output=True, text=True, timeout=rtlib.TIMEOUT * 4)
    check(r.returncode == 0, "render_stats_page %s %r %s exits 0 (%s)"
          % (mode, query, flags, r.stderr.strip()[-300:]))
    with open(out, "rb") as f:
        return f.read()


def chromium(args, timeout=90):
    profile = tmp("chromium-profile")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--no-first-run", "--user-data-dir=" + profile] + args
    return subprocess.run(cmd, capture_output=True, timeout=timeout)


def png_pixels(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA
    PNG, filters undone (RFC 2083)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise ValueError("unsupported PNG type %d/%d" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def check_browser(plan):
    page = tmp("page.html")
    html = render(plan, page, "html", ";st=DONE", "admin,legends,node,desc,maint1")
    check(b"data-proxy=\"web\"" in html, "the rendered page has the frontend's table")
    r = chromium(["--dump-dom", "file://" + page])
    dom = r.stdout.decode("utf-8", "replace")
    check(r.returncode == 0 and "</html>" in dom,
          "chromium --dump-dom loads the page (exit %d)" % r.returncode)
    check(dom.count('<table class="px"') == 3,
          "the DOM has a table per proxy (3, found %d)" % dom.count('<table class="px"'))
    for name in ("a1", "a2", "spare", "o1"):
        check('data-server="%s"' % name in dom, "the DOM has the row of server %s" % name)
    check(dom.count('<tr class="frontend"') == 1 and dom.count('<tr class="backend"') == 2,
          "the DOM has one frontend row and two backend rows")
    check('<tr class="maintain" data-server="a1"' in dom,
          "the server put in maintenance has the maintenance colour class")
    check('data-st="DONE"' in dom and "Action processed successfully." in dom,
          "the DOM shows the result banner of ;st=DONE")
    check(dom.count('name="s"') == 4 and '<select name="action">' in dom,
          "the DOM has the admin form: a checkbox per server, the action list")
    check("test-node: rendered by a test" in dom, "the DOM shows the node and description")

    shot = tmp("page.png")
    r = chromium(["--window-size=1400,700", "--screenshot=" + shot, "file://" + page])
    check(r.returncode == 0 and os.path.exists(shot),
          "chromium --screenshot writes a file (exit %d)" % r.returncode)
    if not os.path.exists(shot):
        return
    try:
        width, height, rows = png_pixels(shot)
    except (ValueError, zlib.error) as e:
        check(False, "the screenshot is a PNG we can read (%s)" % e)
        return
    check((width, height) == (1400, 700), "the screenshot is 1400x700 (%dx%d)" % (width, height))
    colours = {}
    for row in rows:
        for px in row:
            colours[px] = colours.get(px, 0) + 1
    white = colours.get((255, 255, 255), 0)
    total = width * height
    check(white < total * 0.95, "the screenshot is not blank (%d%% white)" % (100 * white // total))
    check(len(colours) > 20, "the screenshot has many colours (%d)" % len(colours))
    # the stylesheet's colours: maintenance row, result banner (active_up)
    check(colours.get((0xc0, 0x78, 0x20), 0) > 1000,
          "the maintenance row is painted in its colour (%d pixels)"
          % colours.get((0xc0, 0x78, 0x20), 0))
    check(colours.get((0xc0, 0xff, 0xc0), 0) > 1000,
          "the result banner is painted green (%d pixels)" % colours.get((0xc0, 0xff, 0xc0), 0))


def csv_rows(text):
    """CSV lines split in columns, the seconds-since-change columns
    (lastchg, downtime: read at different moments) blanked."""
    lines = [l for l in text.split("\n") if l]
    header = lines[0][2:].split(",")
    drop = {header.index("lastchg"), header.index("downtime")}
    out = []
    for l in lines:
        cols = l.split(",")
        out.append(",".join("" if i in drop and not l.startswith("#") else c
                            for i, c in enumerate(cols)))
    return out


def check_csv(plan, sock):
    csv = render(plan, tmp("page.csv"), "csv").decode()
    check(csv.startswith("# pxname,svname,"), "the ;csv export starts with show stat's header")
    cr = rtlib.Cfgrun(plan)
    rtlib.wait_until(lambda: os.path.exists(sock))
    sock_csv = rtlib.stats_cmd(sock, "show stat")
    rc, _ = cr.stop()
    check(rc == 0, "cfgrun stops cleanly (%s)" % rc)
    check(sock_csv.endswith("\n\n") and not csv.endswith("\n\n"),
          "the socket ends its answer with an empty line, the page does not")
    a, b = csv_rows(csv), csv_rows(sock_csv)
    check(len(a) == len(b) == 1 + 1 + 4 + 2,
          "both have the header and 7 rows (%d, %d)" % (len(a), len(b)))
    for x, y in zip(a, b):
        if not check(x == y, "same row: %s" % x[:40]):
            log("  page:   " + x)
            log("  socket: " + y)


def main():
    if not os.access(RENDER, os.X_OK):
        skip("test/unit/render_stats_page is not built")
    ports = rtlib.free_ports(5)
    sock = tmp("stats.sock")
    plan = rtlib.compile_cfg(CFG.format(sock=sock, port=ports[0], s1=ports[1],
                                        s2=ports[2], s3=ports[3], s4=ports[4]))
    check_csv(plan, sock)
    if not CHROMIUM:
        log("chromium is not installed: the browser checks are skipped")
        if rtlib._failures:
            done()
        skip("chromium is not installed (scripts/setup-debian.sh installs it)")
    check_browser(plan)
    done()


if __name__ == "__main__":
    main()
