/* yun-cloud-svg.c: pictures drawn for generated data
 *
 * The generated catalog and places have no real artwork, so their icons,
 * screenshots and photos are drawn as small SVG documents when asked for,
 * from the object's colours and a hash of its id: the same object always
 * gets the same picture, and nothing is stored.  Text is escaped; colours
 * come from the database, which only holds the ones the generators or
 * checked manifests wrote, and are escaped too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-svg.h"

#include "yun-cloud-random.h"

#include <string.h>

static GBytes *
finish (GString *svg)
{
  g_string_append (svg, "</svg>\n");
  return g_string_free_to_bytes (svg);
}

/* A deterministic number in [0, n) from @hash and a step. */
static guint
draw (guint32 *hash,
      guint    n)
{
  /* xorshift32: cheap and good enough for shapes. */
  *hash ^= *hash << 13;
  *hash ^= *hash >> 17;
  *hash ^= *hash << 5;
  return n > 0 ? *hash % n : 0;
}

/**
 * yun_cloud_svg_icon:
 * @name: the app's name; its first letter is drawn
 * @color: the main colour
 * @accent: the second colour of the gradient
 * @hash: picks the decoration
 *
 * Returns: (transfer full): a 96x96 app icon
 */
GBytes *
yun_cloud_svg_icon (const char *name,
                    const char *color,
                    const char *accent,
                    guint32     hash)
{
  GString *svg = g_string_new (NULL);
  g_autofree char *c1 = g_markup_escape_text (color, -1);
  g_autofree char *c2 = g_markup_escape_text (accent, -1);
  g_autofree char *glyph = NULL;
  gunichar first = g_utf8_get_char_validated (name, -1);
  char buffer[8] = { 0 };

  if (first == (gunichar) -1 || first == (gunichar) -2 || first == 0)
    first = '?';
  g_unichar_to_utf8 (g_unichar_toupper (first), buffer);
  glyph = g_markup_escape_text (buffer, -1);
  hash = hash != 0 ? hash : 1;

  g_string_append_printf (svg,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 96 96\""
                          " width=\"96\" height=\"96\">"
                          "<defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\">"
                          "<stop offset=\"0\" stop-color=\"%s\"/>"
                          "<stop offset=\"1\" stop-color=\"%s\"/></linearGradient></defs>"
                          "<rect width=\"96\" height=\"96\" rx=\"22\" fill=\"url(#g)\"/>",
                          c1, c2);
  switch (draw (&hash, 4)) {
  case 0:
    g_string_append_printf (svg, "<circle cx=\"%u\" cy=\"%u\" r=\"%u\" fill=\"#fff\""
                                 " fill-opacity=\"0.18\"/>",
                            60 + draw (&hash, 20), 20 + draw (&hash, 20), 18 + draw (&hash, 14));
    break;
  case 1:
    g_string_append (svg, "<path d=\"M0 70 Q48 40 96 70 V96 H0Z\" fill=\"#fff\""
                          " fill-opacity=\"0.16\"/>");
    break;
  case 2:
    g_string_append_printf (svg, "<circle cx=\"48\" cy=\"48\" r=\"%u\" fill=\"none\""
                                 " stroke=\"#fff\" stroke-opacity=\"0.25\" stroke-width=\"6\"/>",
                            30 + draw (&hash, 8));
    break;
  default:
    g_string_append (svg, "<path d=\"M48 8 L88 48 L48 88 L8 48Z\" fill=\"#fff\""
                          " fill-opacity=\"0.14\"/>");
  }
  g_string_append_printf (svg,
                          "<text x=\"48\" y=\"63\" font-family=\"sans-serif\" font-size=\"44\""
                          " font-weight=\"700\" text-anchor=\"middle\" fill=\"#fff\">%s</text>",
                          glyph);
  return finish (svg);
}

/**
 * yun_cloud_svg_screenshot:
 * @title: the app's name, shown in its header bar
 * @color: the header's colour
 * @accent: the colour of the list's badges
 * @hash: picks the layout
 *
 * Returns: (transfer full): a 360x640 picture of a plausible app screen
 */
GBytes *
yun_cloud_svg_screenshot (const char *title,
                          const char *color,
                          const char *accent,
                          guint32     hash)
{
  GString *svg = g_string_new (NULL);
  g_autofree char *c1 = g_markup_escape_text (color, -1);
  g_autofree char *c2 = g_markup_escape_text (accent, -1);
  g_autofree char *text = g_markup_escape_text (title, -1);
  gboolean cards;
  guint y = 76;

  hash = hash != 0 ? hash : 1;
  cards = draw (&hash, 2) == 0;

  g_string_append_printf (svg,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 360 640\""
                          " width=\"360\" height=\"640\">"
                          "<rect width=\"360\" height=\"640\" fill=\"#f5f6f8\"/>"
                          "<rect width=\"360\" height=\"56\" fill=\"%s\"/>"
                          "<text x=\"16\" y=\"36\" font-family=\"sans-serif\" font-size=\"20\""
                          " fill=\"#fff\">%s</text>",
                          c1, text);

  while (y < 560) {
    if (cards) {
      guint height = 90 + draw (&hash, 60);

      g_string_append_printf (svg,
                              "<rect x=\"12\" y=\"%u\" width=\"336\" height=\"%u\" rx=\"10\""
                              " fill=\"#fff\"/>"
                              "<rect x=\"24\" y=\"%u\" width=\"%u\" height=\"12\" rx=\"6\""
                              " fill=\"#2b2f36\" fill-opacity=\"0.75\"/>"
                              "<rect x=\"24\" y=\"%u\" width=\"%u\" height=\"10\" rx=\"5\""
                              " fill=\"#8a919c\"/>"
                              "<rect x=\"24\" y=\"%u\" width=\"%u\" height=\"%u\" rx=\"6\""
                              " fill=\"%s\" fill-opacity=\"0.35\"/>",
                              y, height, y + 14, 120 + draw (&hash, 160), y + 36,
                              80 + draw (&hash, 200), y + 54, 312, height - 66, c2);
      y += height + 12;
    } else {
      g_string_append_printf (svg,
                              "<circle cx=\"36\" cy=\"%u\" r=\"18\" fill=\"%s\"/>"
                              "<rect x=\"66\" y=\"%u\" width=\"%u\" height=\"12\" rx=\"6\""
                              " fill=\"#2b2f36\" fill-opacity=\"0.75\"/>"
                              "<rect x=\"66\" y=\"%u\" width=\"%u\" height=\"10\" rx=\"5\""
                              " fill=\"#8a919c\"/>"
                              "<rect x=\"0\" y=\"%u\" width=\"360\" height=\"1\" fill=\"#dde0e5\"/>",
                              y + 22, c2, y + 8, 100 + draw (&hash, 170), y + 28,
                              60 + draw (&hash, 200), y + 52);
      y += 56;
    }
  }

  g_string_append_printf (svg,
                          "<rect y=\"584\" width=\"360\" height=\"56\" fill=\"#fff\"/>"
                          "<circle cx=\"60\" cy=\"612\" r=\"10\" fill=\"%s\"/>"
                          "<circle cx=\"180\" cy=\"612\" r=\"10\" fill=\"#b8bec7\"/>"
                          "<circle cx=\"300\" cy=\"612\" r=\"10\" fill=\"#b8bec7\"/>",
                          c1);
  return finish (svg);
}

/**
 * yun_cloud_svg_photo:
 * @caption: shown in a corner
 * @hash: picks the scene and its colours
 *
 * Returns: (transfer full): a 640x420 picture standing for a photo of a
 *   place or a product: sky, hills or a skyline, a sun or a moon
 */
GBytes *
yun_cloud_svg_photo (const char *caption,
                     guint32     hash)
{
  GString *svg = g_string_new (NULL);
  g_autofree char *text = g_markup_escape_text (caption, -1);
  g_autofree char *sky = NULL;
  g_autofree char *ground = NULL;
  g_autofree char *far = NULL;
  guint x;

  hash = hash != 0 ? hash : 1;
  sky = yun_cloud_random_hsl (0.52 + draw (&hash, 100) / 1000.0, 0.55, 0.55 + draw (&hash, 25) / 100.0);
  ground = yun_cloud_random_hsl (0.22 + draw (&hash, 120) / 1000.0, 0.35, 0.32);
  far = yun_cloud_random_hsl (0.5 + draw (&hash, 150) / 1000.0, 0.2, 0.45);

  g_string_append_printf (svg,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 420\""
                          " width=\"640\" height=\"420\">"
                          "<rect width=\"640\" height=\"420\" fill=\"%s\"/>"
                          "<circle cx=\"%u\" cy=\"%u\" r=\"%u\" fill=\"#fff6d5\""
                          " fill-opacity=\"0.9\"/>",
                          sky, 80 + draw (&hash, 480), 60 + draw (&hash, 80), 24 + draw (&hash, 20));

  if (draw (&hash, 2) == 0) {
    /* Hills around a lake, as around the West Lake. */
    g_string_append_printf (svg,
                            "<path d=\"M0 260 Q%u %u 320 250 T640 240 V420 H0Z\" fill=\"%s\"/>"
                            "<rect y=\"300\" width=\"640\" height=\"120\" fill=\"#5b8fa8\""
                            " fill-opacity=\"0.8\"/>",
                            100 + draw (&hash, 120), 150 + draw (&hash, 60), far);
  } else {
    /* A street front. */
    for (x = 0; x < 640;) {
      guint width = 50 + draw (&hash, 70);
      guint height = 120 + draw (&hash, 160);

      g_string_append_printf (svg,
                              "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\""
                              " fill-opacity=\"%.2f\"/>",
                              x, 330 - height, width, height, far,
                              0.6 + draw (&hash, 40) / 100.0);
      x += width + 4;
    }
  }
  g_string_append_printf (svg,
                          "<rect y=\"330\" width=\"640\" height=\"90\" fill=\"%s\"/>"
                          "<rect x=\"12\" y=\"372\" width=\"%u\" height=\"34\" rx=\"6\""
                          " fill=\"#000\" fill-opacity=\"0.45\"/>"
                          "<text x=\"24\" y=\"395\" font-family=\"sans-serif\" font-size=\"18\""
                          " fill=\"#fff\">%s</text>",
                          ground, (guint) MIN (616, 24 + 10 * g_utf8_strlen (caption, -1)), text);
  return finish (svg);
}
