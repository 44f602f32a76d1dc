"""Pictures for the demo stories, painted with Pillow: no photographs to license or ship.

Each painter draws one 3:2 scene (a sky, a horizon, a few shapes) and returns JPEG bytes.
"""

import math
import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1440, 960


def _gradient(top: tuple, bottom: tuple, height: int = HEIGHT) -> Image.Image:
    image = Image.new("RGB", (WIDTH, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return image


def _ridge(rng: random.Random, base: int, amplitude: int, step: int = 40) -> list[tuple[int, int]]:
    points, y = [(0, HEIGHT)], base
    for x in range(0, WIDTH + step, step):
        y = max(base - amplitude, min(base + amplitude, y + rng.randint(-amplitude // 3, amplitude // 3)))
        points.append((x, y))
    return [*points, (WIDTH, HEIGHT)]


def flood(rng):
    image = _gradient((168, 186, 204), (236, 222, 200))
    draw = ImageDraw.Draw(image)
    draw.polygon(_ridge(rng, 430, 40), fill=(92, 110, 96))
    for x in range(40, WIDTH, 150):  # the old town along the far bank
        w, h = rng.randint(70, 120), rng.randint(90, 200)
        draw.rectangle([x, 520 - h, x + w, 560], fill=(rng.randint(150, 200), 150, 130))
        draw.polygon([(x - 6, 520 - h), (x + w // 2, 470 - h), (x + w + 6, 520 - h)], fill=(120, 70, 60))
    draw.rectangle([0, 560, WIDTH, HEIGHT], fill=(122, 104, 78))
    for _ in range(260):  # currents
        x, y = rng.randint(0, WIDTH), rng.randint(570, HEIGHT)
        draw.line([(x, y), (x + rng.randint(40, 160), y)], fill=(148, 128, 98), width=2)
    draw.rectangle([0, 690, WIDTH, 720], fill=(190, 190, 186))  # the mobile wall
    for x in range(0, WIDTH, 60):
        draw.rectangle([x, 680, x + 8, 730], fill=(90, 90, 96))
    draw.rectangle([0, 730, WIDTH, HEIGHT], fill=(70, 68, 64))
    return image


def parliament(rng):
    image = _gradient((40, 52, 96), (244, 150, 72))
    draw = ImageDraw.Draw(image)
    ink = (28, 24, 36)
    cx = WIDTH // 2
    draw.rectangle([cx - 420, 560, cx + 420, HEIGHT], fill=ink)
    for x in range(cx - 400, cx + 400, 56):
        draw.rectangle([x, 600, x + 26, 760], fill=(250, 210, 120))  # lit windows
    draw.rectangle([cx - 150, 420, cx + 150, 560], fill=ink)
    draw.pieslice([cx - 150, 260, cx + 150, 560], 180, 360, fill=ink)
    draw.rectangle([cx - 8, 210, cx + 8, 280], fill=ink)
    for x in (cx - 600, cx + 480):
        draw.rectangle([x, 640, x + 140, HEIGHT], fill=(48, 40, 52))
    return image


def chart(rng):
    image = Image.new("RGB", (WIDTH, HEIGHT), (250, 248, 243))
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 120, 120, WIDTH - 100, HEIGHT - 140
    for i in range(6):
        y = top + i * (bottom - top) // 5
        draw.line([(left, y), (right, y)], fill=(214, 210, 200), width=2)
    target = bottom - (bottom - top) * 2 // 5
    for x in range(left, right, 40):
        draw.line([(x, target), (x + 20, target)], fill=(120, 120, 120), width=4)
    values = [4.1, 3.9, 3.8, 3.6, 3.3, 3.2, 3.0, 2.9, 2.9, 2.8, 2.7, 2.4]
    points = [
        (left + i * (right - left) // (len(values) - 1), bottom - round((v / 5) * (bottom - top)))
        for i, v in enumerate(values)
    ]
    draw.line(points, fill=(163, 22, 27), width=10, joint="curve")
    for x, y in points:
        draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=(163, 22, 27))
    draw.rectangle([left, bottom, right, bottom + 4], fill=(40, 40, 40))
    return image


def reef(rng):
    image = _gradient((64, 170, 206), (8, 46, 92))
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(14):  # light shafts
        x = rng.randint(-200, WIDTH)
        draw.polygon([(x, 0), (x + 90, 0), (x + 300, HEIGHT), (x + 160, HEIGHT)], fill=(255, 255, 255, 18))
    colours = [(240, 120, 110), (250, 190, 90), (190, 110, 200), (120, 210, 170), (245, 235, 200)]
    for _ in range(90):
        x, y, r = rng.randint(0, WIDTH), rng.randint(620, HEIGHT), rng.randint(30, 110)
        draw.ellipse([x - r, y - r, x + r, y + r // 2], fill=(*rng.choice(colours), 235))
    for _ in range(40):  # branching coral
        x, y = rng.randint(0, WIDTH), rng.randint(640, HEIGHT)
        for _ in range(5):
            angle = rng.uniform(-2.4, -0.7)
            draw.line([(x, y), (x + 90 * math.cos(angle), y + 90 * math.sin(angle))], fill=(230, 140, 120), width=9)
    for _ in range(30):  # fish
        x, y = rng.randint(0, WIDTH), rng.randint(200, 600)
        draw.ellipse([x, y, x + 34, y + 14], fill=(255, 210, 80, 220))
    return image.filter(ImageFilter.GaussianBlur(1.2))


def pitch(rng):
    image = _gradient((10, 14, 30), (30, 40, 70), height=HEIGHT)
    draw = ImageDraw.Draw(image)
    for i in range(10):  # stripes, in perspective
        y0, y1 = 420 + i * 54, 420 + (i + 1) * 54
        shade = (46, 140, 64) if i % 2 else (58, 158, 76)
        inset0, inset1 = 360 - i * 36, 360 - (i + 1) * 36
        draw.polygon([(inset0, y0), (WIDTH - inset0, y0), (WIDTH - inset1, y1), (inset1, y1)], fill=shade)
    draw.line([(WIDTH // 2 - 420, 690), (WIDTH // 2 + 420, 690)], fill=(235, 240, 235), width=5)
    draw.ellipse([WIDTH // 2 - 180, 630, WIDTH // 2 + 180, 750], outline=(235, 240, 235), width=5)
    for x in (180, WIDTH - 180):  # floodlights
        draw.line([(x, 420), (x, 90)], fill=(90, 90, 100), width=10)
        draw.rectangle([x - 70, 60, x + 70, 110], fill=(255, 250, 220))
    draw.rectangle([0, 330, WIDTH, 420], fill=(44, 40, 60))
    for _ in range(1400):  # the crowd
        x, y = rng.randint(0, WIDTH), rng.randint(330, 418)
        draw.point((x, y), fill=rng.choice([(200, 40, 40), (240, 240, 240), (40, 60, 160), (230, 200, 60)]))
    return image


def cranes(rng):
    image = _gradient((196, 212, 228), (250, 232, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 700, WIDTH, HEIGHT], fill=(70, 92, 112))
    for x in (160, 560, 960):
        ink = (40, 44, 56)
        draw.polygon([(x, 700), (x + 40, 300), (x + 80, 300), (x + 120, 700)], outline=ink, width=12)
        draw.rectangle([x - 140, 280, x + 330, 310], fill=ink)
        draw.line([(x + 60, 200), (x - 140, 280)], fill=ink, width=6)
        draw.line([(x + 60, 200), (x + 330, 280)], fill=ink, width=6)
        draw.line([(x + 260, 310), (x + 260, 520)], fill=ink, width=3)
    colours = [(176, 60, 48), (40, 96, 150), (210, 160, 40), (60, 130, 90)]
    for row in range(3):  # containers on the quay
        for x in range(0, WIDTH, 130):
            draw.rectangle([x + 4, 640 - row * 46, x + 124, 684 - row * 46], fill=rng.choice(colours))
    return image


def moon(rng):
    image = _gradient((6, 8, 24), (24, 30, 64))
    draw = ImageDraw.Draw(image)
    for _ in range(500):
        x, y = rng.randint(0, WIDTH), rng.randint(0, 760)
        draw.point((x, y), fill=(255, 255, 255) if rng.random() < 0.3 else (170, 170, 200))
    draw.ellipse([860, 140, 1180, 460], fill=(236, 232, 214))
    draw.ellipse([800, 110, 1120, 430], fill=(12, 15, 36))  # the shadow makes a crescent
    draw.polygon(_ridge(rng, 800, 40), fill=(18, 18, 26))
    return image


def mountains(rng):
    image = _gradient((190, 200, 206), (232, 234, 228))
    draw = ImageDraw.Draw(image)
    for base, colour in ((420, (120, 140, 140)), (560, (80, 118, 92)), (700, (52, 92, 64))):
        draw.polygon(_ridge(rng, base, 150, step=60), fill=colour)
    draw.line([(0, 900), (500, 820), (900, 860), (WIDTH, 780)], fill=(150, 120, 90), width=14)  # the road
    return image.filter(ImageFilter.GaussianBlur(1.5))


def train(rng):
    image = _gradient((252, 186, 110), (250, 226, 180))
    draw = ImageDraw.Draw(image)
    draw.ellipse([980, 420, 1160, 600], fill=(255, 236, 180))
    draw.rectangle([0, 640, WIDTH, HEIGHT], fill=(150, 130, 80))
    draw.line([(0, 690), (WIDTH, 690)], fill=(70, 60, 50), width=6)
    colours = [(120, 50, 40), (50, 80, 120), (140, 110, 50), (60, 100, 70)]
    for i, x in enumerate(range(60, WIDTH - 100, 118)):
        colour = (30, 30, 36) if i == 0 else rng.choice(colours)
        draw.rectangle([x, 590 - (20 if i == 0 else 0), x + 110, 680], fill=colour)
        for wheel in (x + 20, x + 90):
            draw.ellipse([wheel - 12, 674, wheel + 12, 698], fill=(20, 20, 20))
    return image


def turbines(rng):
    image = _gradient((176, 190, 204), (226, 230, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 600, WIDTH, HEIGHT], fill=(96, 112, 124))
    for _ in range(120):
        x, y = rng.randint(0, WIDTH), rng.randint(610, HEIGHT)
        draw.line([(x, y), (x + rng.randint(30, 90), y)], fill=(130, 144, 152), width=2)
    for i, x in enumerate(range(120, WIDTH, 240)):
        top, scale = 250 + i * 18, 1 - i * 0.05
        draw.line([(x, 610), (x, top)], fill=(245, 245, 245), width=max(4, round(12 * scale)))
        for angle in (rng.uniform(0, 2.1) + k * 2.094 for k in range(3)):
            length = 170 * scale
            draw.line([(x, top), (x + length * math.cos(angle), top + length * math.sin(angle))],
                      fill=(250, 250, 250), width=max(3, round(9 * scale)))  # fmt: skip
    return image


def court(rng):
    image = Image.new("RGB", (WIDTH, HEIGHT), (62, 120, 70))
    draw = ImageDraw.Draw(image)
    draw.rectangle([180, 90, WIDTH - 180, HEIGHT - 90], fill=(40, 92, 160))
    white = (245, 245, 245)
    draw.rectangle([240, 150, WIDTH - 240, HEIGHT - 150], outline=white, width=8)
    draw.line([(240, 250), (WIDTH - 240, 250)], fill=white, width=6)
    draw.line([(240, HEIGHT - 250), (WIDTH - 240, HEIGHT - 250)], fill=white, width=6)
    draw.line([(WIDTH // 2, 150), (WIDTH // 2, HEIGHT - 150)], fill=(30, 30, 30), width=10)  # the net
    draw.line([(440, 250), (440, HEIGHT - 250)], fill=white, width=6)
    draw.line([(WIDTH - 440, 250), (WIDTH - 440, HEIGHT - 250)], fill=white, width=6)
    draw.line([(440, HEIGHT // 2), (WIDTH - 440, HEIGHT // 2)], fill=white, width=6)
    draw.ellipse([900, 300, 924, 324], fill=(220, 240, 60))
    return image


def street(rng):
    image = _gradient((30, 40, 80), (210, 130, 90), height=HEIGHT)
    draw = ImageDraw.Draw(image)
    x = 0
    while x < WIDTH:
        w, h = rng.randint(120, 260), rng.randint(300, 620)
        draw.rectangle([x, HEIGHT - 180 - h, x + w, HEIGHT - 180], fill=(40 + rng.randint(0, 30), 36, 52))
        for wx in range(x + 16, x + w - 30, 44):
            for wy in range(HEIGHT - 160 - h, HEIGHT - 220, 60):
                if rng.random() < 0.6:
                    draw.rectangle([wx, wy, wx + 22, wy + 30], fill=(250, 214, 130))
        x += w + 6
    draw.rectangle([0, HEIGHT - 180, WIDTH, HEIGHT], fill=(58, 56, 64))
    for i in range(60):  # the queue
        px = 300 + i * 14
        draw.ellipse([px, HEIGHT - 210, px + 12, HEIGHT - 198], fill=(20, 20, 24))
        coat = rng.choice([(90, 30, 30), (30, 50, 90), (20, 20, 24)])
        draw.rectangle([px, HEIGHT - 198, px + 12, HEIGHT - 170], fill=coat)
    return image


PAINTERS = {
    "flood": flood, "parliament": parliament, "chart": chart, "reef": reef, "pitch": pitch,
    "cranes": cranes, "moon": moon, "mountains": mountains, "train": train, "turbines": turbines,
    "court": court, "street": street,
}  # fmt: skip


def paint(name: str, *, seed: int = 2026) -> bytes:
    """The scene ``name`` as a JPEG."""
    out = BytesIO()
    PAINTERS[name](random.Random(f"{name}-{seed}")).save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
