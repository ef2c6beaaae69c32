#!/usr/bin/env python3
"""Draw the theme's small images with the standard library only.

    python3 themes/default/tools/make-images.py

writes static/dzjg.png (a stand-in for the 党政机关网站标识 badge: the real
image is issued with each site's registration and set in site.yaml),
static/favicon.png and static/gongan.png (the small emblem before the
公安机关备案号).  Output is byte-for-byte deterministic.
"""
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "..", "static")
SS = 4  # supersampling per axis, for smooth edges


def png(path, w, h, pixels):
    """pixels: list of rows of (r, g, b, a) tuples."""
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(tag, data):
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    data = (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def star(cx, cy, r_out, r_in, rot=-math.pi / 2):
    pts = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = rot + i * math.pi / 5
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def in_poly(x, y, pts):
    inside = False
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def render(w, h, shade):
    """shade(x, y) -> (r, g, b, a) at a sample point; averaged per pixel."""
    rows = []
    for py in range(h):
        row = []
        for px in range(w):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    r, g, b, a = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = SS * SS
            a = acc[3] / n
            if a == 0:
                row.append((0, 0, 0, 0))
            else:
                row.append(tuple(round(acc[i] / acc[3]) for i in range(3)) + (round(a),))
        rows.append(row)
    return rows


RED = (200, 16, 24, 255)
WHITE = (255, 255, 255, 255)
GOLD = (245, 205, 100, 255)
NONE = (0, 0, 0, 0)


def rounded(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def dzjg(x, y):
    # 110x44: white card, red frame; a red round emblem with a white ring
    # and star on the left; on the right a red band and two rows of short
    # white strokes standing in for the characters 党政机关 / 网站标识.
    W, H = 110, 44
    if not rounded(x, y, 0, 0, W, H, 4):
        return NONE
    if not rounded(x, y, 1.5, 1.5, W - 1.5, H - 1.5, 3):
        return RED
    d = math.hypot(x - 22, y - 22)
    if d <= 18:
        if 13.5 <= d <= 15.5:
            return WHITE
        if in_poly(x, y, star(22, 22.5, 9.5, 3.8)):
            return GOLD
        return RED
    if 44 <= x <= 104 and 6 <= y <= 24:
        # four "characters" of the first row
        for i in range(4):
            cx = 47 + i * 14.5
            if cx <= x <= cx + 11 and 9 <= y <= 21:
                inner = (cx + 1.8 <= x <= cx + 9.2) and (10.8 <= y <= 19.2)
                bar = abs(y - 15) <= 1.0 or abs(x - (cx + 5.5)) <= 1.0
                return RED if inner and not bar else WHITE
        return RED
    if 44 <= x <= 104 and 28 <= y <= 37:
        for i in range(4):
            cx = 47 + i * 14.5
            if cx <= x <= cx + 11 and 29.5 <= y <= 35.5:
                return RED
        return WHITE
    return WHITE


def favicon(x, y):
    if not rounded(x, y, 0, 0, 32, 32, 6):
        return NONE
    if in_poly(x, y, star(16, 17, 12, 4.8)):
        return GOLD
    return RED


def gongan(x, y):
    # 16x16 round blue emblem with a gold star: a stand-in for the 公安 mark.
    d = math.hypot(x - 8, y - 8)
    if d > 7.8:
        return NONE
    if d > 6.6:
        return GOLD
    if in_poly(x, y, star(8, 8.4, 5.2, 2.1)):
        return GOLD
    return (22, 74, 150, 255)


png(os.path.join(STATIC, "dzjg.png"), 110, 44, render(110, 44, dzjg))
png(os.path.join(STATIC, "favicon.png"), 32, 32, render(32, 32, favicon))
png(os.path.join(STATIC, "gongan.png"), 16, 16, render(16, 16, gongan))
