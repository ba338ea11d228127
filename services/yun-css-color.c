/* yun-css-color.c: which strings are CSS colours.
 *
 * A manifest's theme_color and background_color are CSS colours.  The shell
 * paints its own chrome with them, so a value it cannot read must be caught
 * at install time.  This accepts the forms CSS Color 4 gives for sRGB:
 * hex notation, rgb()/rgba(), hsl()/hsla() in both their comma-separated
 * legacy syntax and their space-separated modern syntax, the named colours
 * and "transparent".  It checks syntax only: CSS clamps out-of-range
 * components, so "rgb(300 0 0)" is a colour.  Keywords that depend on
 * context ("currentcolor", system colours) mean nothing in a manifest and
 * are refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-css-color.h"

#include <string.h>

/* The named colours of CSS Color 4, section 6.1, in its order. */
static const char * const named_colors[] = {
  "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque", "black",
  "blanchedalmond", "blue", "blueviolet", "brown", "burlywood", "cadetblue", "chartreuse",
  "chocolate", "coral", "cornflowerblue", "cornsilk", "crimson", "cyan", "darkblue",
  "darkcyan", "darkgoldenrod", "darkgray", "darkgreen", "darkgrey", "darkkhaki",
  "darkmagenta", "darkolivegreen", "darkorange", "darkorchid", "darkred", "darksalmon",
  "darkseagreen", "darkslateblue", "darkslategray", "darkslategrey", "darkturquoise",
  "darkviolet", "deeppink", "deepskyblue", "dimgray", "dimgrey", "dodgerblue", "firebrick",
  "floralwhite", "forestgreen", "fuchsia", "gainsboro", "ghostwhite", "gold", "goldenrod",
  "gray", "green", "greenyellow", "grey", "honeydew", "hotpink", "indianred", "indigo",
  "ivory", "khaki", "lavender", "lavenderblush", "lawngreen", "lemonchiffon", "lightblue",
  "lightcoral", "lightcyan", "lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey",
  "lightpink", "lightsalmon", "lightseagreen", "lightskyblue", "lightslategray",
  "lightslategrey", "lightsteelblue", "lightyellow", "lime", "limegreen", "linen", "magenta",
  "maroon", "mediumaquamarine", "mediumblue", "mediumorchid", "mediumpurple",
  "mediumseagreen", "mediumslateblue", "mediumspringgreen", "mediumturquoise",
  "mediumvioletred", "midnightblue", "mintcream", "mistyrose", "moccasin", "navajowhite",
  "navy", "oldlace", "olive", "olivedrab", "orange", "orangered", "orchid", "palegoldenrod",
  "palegreen", "paleturquoise", "palevioletred", "papayawhip", "peachpuff", "peru", "pink",
  "plum", "powderblue", "purple", "rebeccapurple", "red", "rosybrown", "royalblue",
  "saddlebrown", "salmon", "sandybrown", "seagreen", "seashell", "sienna", "silver",
  "skyblue", "slateblue", "slategray", "slategrey", "snow", "springgreen", "steelblue", "tan",
  "teal", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "whitesmoke",
  "yellow", "yellowgreen", "transparent",
};

typedef enum {
  TOKEN_NUMBER,
  TOKEN_PERCENTAGE,
  TOKEN_ANGLE,
  TOKEN_NONE,
  TOKEN_COMMA,
  TOKEN_SLASH,
} TokenKind;

/* rgb() and hsl() take at most four components and three separators. */
#define MAX_TOKENS 8

static gboolean
is_named_color (const char *text)
{
  for (gsize i = 0; i < G_N_ELEMENTS (named_colors); i++) {
    if (g_ascii_strcasecmp (text, named_colors[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
is_hex_color (const char *text)
{
  gsize length = strlen (text);

  if (text[0] != '#' || (length != 4 && length != 5 && length != 7 && length != 9))
    return FALSE;
  for (gsize i = 1; i < length; i++) {
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  }
  return TRUE;
}

/* A CSS <number>: an optional sign, digits with an optional fraction (or a
 * fraction alone), and an optional exponent.  Returns the characters read,
 * 0 when there is no number at @p. */
static gsize
scan_number (const char *p)
{
  const char *start = p;
  gboolean digits = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  while (g_ascii_isdigit (*p)) {
    p++;
    digits = TRUE;
  }
  if (*p == '.' && g_ascii_isdigit (p[1])) {
    p++;
    while (g_ascii_isdigit (*p))
      p++;
    digits = TRUE;
  }
  if (!digits)
    return 0;
  if ((*p == 'e' || *p == 'E') &&
      (g_ascii_isdigit (p[1]) || ((p[1] == '+' || p[1] == '-') && g_ascii_isdigit (p[2])))) {
    p += 2;
    while (g_ascii_isdigit (*p))
      p++;
  }
  return p - start;
}

/* Splits the inside of a functional notation into tokens; FALSE when it
 * holds anything else. */
static gboolean
tokenize (const char *p,
          TokenKind  *tokens,
          int        *n_tokens)
{
  static const char * const angle_units[] = { "deg", "grad", "rad", "turn", NULL };
  int n = 0;

  for (;;) {
    gsize length;
    TokenKind kind;

    while (g_ascii_isspace (*p))
      p++;
    if (*p == '\0')
      break;
    if (n == MAX_TOKENS)
      return FALSE;

    if (*p == ',' || *p == '/') {
      tokens[n++] = *p == ',' ? TOKEN_COMMA : TOKEN_SLASH;
      p++;
      continue;
    }

    if (g_ascii_strncasecmp (p, "none", 4) == 0) {
      kind = TOKEN_NONE;
      length = 4;
    } else {
      length = scan_number (p);
      if (length == 0)
        return FALSE;
      p += length;
      length = 0;
      kind = TOKEN_NUMBER;
      if (*p == '%') {
        kind = TOKEN_PERCENTAGE;
        length = 1;
      } else {
        for (int i = 0; angle_units[i] != NULL; i++) {
          gsize unit_length = strlen (angle_units[i]);

          if (g_ascii_strncasecmp (p, angle_units[i], unit_length) == 0) {
            kind = TOKEN_ANGLE;
            length = unit_length;
            break;
          }
        }
      }
    }
    p += length;

    /* A value ends at a space, a separator or the end; "10px" is not one. */
    if (*p != '\0' && !g_ascii_isspace (*p) && *p != ',' && *p != '/')
      return FALSE;
    tokens[n++] = kind;
  }

  *n_tokens = n;
  return TRUE;
}

static gboolean
is_alpha (TokenKind kind,
          gboolean  modern)
{
  return kind == TOKEN_NUMBER || kind == TOKEN_PERCENTAGE || (modern && kind == TOKEN_NONE);
}

/* Legacy syntax: "a, b, c" or "a, b, c, alpha", no "none". */
static gboolean
check_legacy (const TokenKind *tokens,
              int              n,
              gboolean         hsl)
{
  if (n != 5 && n != 7)
    return FALSE;
  for (int i = 1; i < n; i += 2) {
    if (tokens[i] != TOKEN_COMMA)
      return FALSE;
  }
  if (n == 7 && !is_alpha (tokens[6], FALSE))
    return FALSE;

  if (hsl)
    return (tokens[0] == TOKEN_NUMBER || tokens[0] == TOKEN_ANGLE) &&
           tokens[2] == TOKEN_PERCENTAGE && tokens[4] == TOKEN_PERCENTAGE;

  /* rgb() components are all numbers or all percentages. */
  return (tokens[0] == TOKEN_NUMBER || tokens[0] == TOKEN_PERCENTAGE) &&
         tokens[2] == tokens[0] && tokens[4] == tokens[0];
}

/* Modern syntax: "a b c" or "a b c / alpha", where any may be "none". */
static gboolean
check_modern (const TokenKind *tokens,
              int              n,
              gboolean         hsl)
{
  if (n != 3 && n != 5)
    return FALSE;
  if (n == 5 && (tokens[3] != TOKEN_SLASH || !is_alpha (tokens[4], TRUE)))
    return FALSE;

  for (int i = 0; i < 3; i++) {
    TokenKind kind = tokens[i];

    if (kind == TOKEN_NONE || kind == TOKEN_NUMBER)
      continue;
    if (kind == TOKEN_PERCENTAGE && !(hsl && i == 0))
      continue;
    if (kind == TOKEN_ANGLE && hsl && i == 0)
      continue;
    return FALSE;
  }
  return TRUE;
}

static gboolean
is_functional_color (const char *text)
{
  static const char * const functions[] = { "rgb(", "rgba(", "hsl(", "hsla(", NULL };
  TokenKind tokens[MAX_TOKENS];
  g_autofree char *inside = NULL;
  gsize length = strlen (text);
  gboolean hsl;
  int n = 0;
  int i;

  for (i = 0; functions[i] != NULL; i++) {
    if (g_ascii_strncasecmp (text, functions[i], strlen (functions[i])) == 0)
      break;
  }
  if (functions[i] == NULL || text[length - 1] != ')')
    return FALSE;

  hsl = i >= 2;
  inside = g_strndup (text + strlen (functions[i]), length - strlen (functions[i]) - 1);
  if (!tokenize (inside, tokens, &n))
    return FALSE;

  return check_legacy (tokens, n, hsl) || check_modern (tokens, n, hsl);
}

/**
 * yun_css_color_is_valid:
 * @text: a string from a manifest
 *
 * Whether @text is an sRGB CSS colour: `#rgb`, `#rgba`, `#rrggbb`,
 * `#rrggbbaa`, `rgb()`, `rgba()`, `hsl()`, `hsla()`, a named colour or
 * `transparent`, ignoring ASCII case and surrounding white space.
 *
 * Returns: %TRUE when CSS would read @text as a colour
 */
gboolean
yun_css_color_is_valid (const char *text)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return FALSE;

  return is_hex_color (stripped) || is_named_color (stripped) || is_functional_color (stripped);
}
