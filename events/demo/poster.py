"""Posters for the demo events, drawn with Pillow: one coloured square per city, the title in
French and German, the date and the place. Returns JPEG bytes; saving is the caller's job."""

import io
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

SIZE = (1200, 1697)  # A-format portrait (1 : √2)
MARGIN = 90
BACKGROUND = "#f7f4ee"
INK = "#1d2733"
# Each city keeps its colour on every poster; an unknown name takes the next free one.
CITY_COLOURS = {"Luxembourg": "#1f6fb2", "Metz": "#d9412b", "Saarbrücken": "#f2b705", "Trier": "#2e8b57"}
PALETTE = list(CITY_COLOURS.values())
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def font(size, bold=False):
    """DejaVu Sans when installed, else Pillow's built-in font at that size."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size=size)


def wrap(draw, text, face, width):
    """``text`` broken into lines no wider than ``width`` pixels (a long word stays whole)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=face) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def draw_text_block(draw, y, text, face, fill, width, line_gap=1.25):
    """Draws wrapped text from ``y`` down; returns the ``y`` below it."""
    line_height = round(face.size * line_gap)
    for line in wrap(draw, text, face, width):
        draw.text((MARGIN, y), line, font=face, fill=fill)
        y += line_height
    return y


def draw_poster(*, title_fr, title_de, cities, date_line, place_line, kicker="QuattroPole"):
    width, height = SIZE
    text_width = width - 2 * MARGIN
    image = Image.new("RGBA", SIZE, BACKGROUND)

    # Four overlapping translucent circles, one per colour: the network, above the footer.
    radius, centre_y = 150, height - 470
    for index, colour in enumerate(PALETTE):
        centre_x = width - MARGIN - radius - (3 - index) * 170
        layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
        ImageDraw.Draw(layer).ellipse(
            (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius),
            fill=(*ImageColor.getrgb(colour), 140),
        )
        image = Image.alpha_composite(image, layer)
    draw = ImageDraw.Draw(image)

    # One square per city, side by side, each with the city's name below it.
    gap = 30
    side = (text_width - gap * 3) // 4
    label = font(30, bold=True)
    colours = [CITY_COLOURS.get(name, PALETTE[index % 4]) for index, name in enumerate(cities[:4])]
    for index, (name, colour) in enumerate(zip(cities[:4], colours, strict=True)):
        x = MARGIN + index * (side + gap)
        draw.rounded_rectangle((x, MARGIN, x + side, MARGIN + side), radius=24, fill=colour)
        draw.text((x + side / 2, MARGIN + side + 20), name, font=label, fill=INK, anchor="ma")

    y = MARGIN + side + 120
    draw.text((MARGIN, y), kicker.upper(), font=font(34, bold=True), fill=PALETTE[1])
    y += 80
    y = draw_text_block(draw, y, title_fr, font(76, bold=True), INK, text_width)
    y += 30
    draw.line((MARGIN, y, MARGIN + 240, y), fill=PALETTE[0], width=8)
    y += 50
    draw_text_block(draw, y, title_de, font(64, bold=True), PALETTE[0], text_width)

    # Date and place at the foot of the poster.
    footer = font(42)
    draw.rectangle((0, height - 260, width, height), fill=INK)
    draw.text((MARGIN, height - 210), date_line, font=font(46, bold=True), fill=BACKGROUND)
    draw.text((MARGIN, height - 130), place_line, font=footer, fill=BACKGROUND)

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()
