/* yun-gpx.c: GPX 1.0/1.1 tracks, routes and waypoints, read strictly.
 *
 * GMarkup does the XML: it refuses what is not well-formed or not UTF-8,
 * reports line and column, and expands only XML's five entities and
 * character references, so a hostile DOCTYPE cannot make the input grow.
 * On top of it this reads only what a replay needs (lat, lon, ele, time),
 * bounded in size, count and depth, and refuses a point it cannot trust
 * rather than guessing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-gpx.h"

#include <math.h>
#include <string.h>

/* <ele> and <time> are short; more than this is not a number or a date. */
#define MAX_FIELD 64
/* Elevations beyond this (metres) are not on or near the Earth. */
#define MAX_ELEVATION 1e6
#define READ_CHUNK (64 * 1024)
/* Characters of GMarkup's error message kept. */
#define MAX_MESSAGE 200

typedef enum {
  KIND_TRACK,
  KIND_ROUTE,
  KIND_WAYPOINT,
  N_KINDS,
} Kind;

typedef enum {
  FIELD_NONE,
  FIELD_ELEVATION,
  FIELD_TIME,
} Field;

/* Each kind of point, the element that holds one, and that element's
 * parent. */
static const struct {
  const char *name;
  const char *parent;
} kinds[N_KINDS] = {
  [KIND_TRACK] = { "trkpt", "trkseg" },
  [KIND_ROUTE] = { "rtept", "rte" },
  [KIND_WAYPOINT] = { "wpt", "gpx" },
};

typedef struct {
  GArray *points[N_KINDS];
  guint depth;
  /* The point being read: its kind and depth, or depth 0 outside one. */
  Kind kind;
  guint point_depth;
  YunGpxPoint point;
  Field field;
  GString *text;
  GTimeZone *utc;
} Parser;

struct _YunGpx
{
  GObject parent_instance;

  GArray *points;  /* of YunGpxPoint */
};

G_DEFINE_FINAL_TYPE (YunGpx, yun_gpx, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-gpx-error-quark, yun_gpx_error)

/* The name without its namespace prefix: GPX files written with an
 * explicit prefix (<gpx:trkpt>) mean the same thing. */
static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

static const char *
parent_name (GMarkupParseContext *context)
{
  const GSList *stack = g_markup_parse_context_get_element_stack (context);

  return stack != NULL && stack->next != NULL ? local_name (stack->next->data) : "";
}

/* A decimal number as GPX writes it (xsd:decimal, plus exponents, which
 * some writers use), and nothing else: no hex, no "inf", no trailing
 * junk. */
static gboolean
parse_number (const char *text,
              double     *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (copy[0] == '\0' || strspn (copy, "+-.0123456789eE") != strlen (copy))
    return FALSE;
  *value = g_ascii_strtod (copy, &end);
  return end != copy && *end == '\0' && isfinite (*value);
}

static gboolean
read_coordinate (const char  *element,
                 const char **names,
                 const char **values,
                 const char  *attribute,
                 double       limit,
                 double      *value,
                 GError     **error)
{
  const char *text = NULL;

  for (guint i = 0; names[i] != NULL; i++) {
    if (strcmp (names[i], attribute) != 0)
      continue;
    /* XML forbids it; GMarkup does not check. */
    if (text != NULL) {
      g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_MALFORMED,
                   "<%s> has %s twice", element, attribute);
      return FALSE;
    }
    text = values[i];
  }
  if (text == NULL) {
    g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID,
                 "<%s> has no %s", element, attribute);
    return FALSE;
  }
  if (!parse_number (text, value) || fabs (*value) > limit) {
    g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID,
                 "<%s> has a %s that is not a number from %g to %g",
                 element, attribute, -limit, limit);
    return FALSE;
  }
  return TRUE;
}

static void
start_element (GMarkupParseContext  *context,
               const char           *qualified_name,
               const char          **names,
               const char          **values,
               Parser               *parser,
               GError              **error)
{
  const char *name = local_name (qualified_name);

  parser->depth++;
  if (parser->depth > YUN_GPX_MAX_DEPTH) {
    g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_TOO_LARGE,
                 "elements nest deeper than %d", YUN_GPX_MAX_DEPTH);
    return;
  }
  if (parser->depth == 1 && strcmp (name, "gpx") != 0) {
    g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID,
                 "the document is not GPX: its root is not <gpx>");
    return;
  }

  if (parser->point_depth > 0) {
    /* Only the point's own <ele> and <time> matter, not ones inside its
     * <extensions>. */
    if (parser->depth != parser->point_depth + 1)
      return;
    if (strcmp (name, "ele") == 0)
      parser->field = FIELD_ELEVATION;
    else if (strcmp (name, "time") == 0)
      parser->field = FIELD_TIME;
    g_string_truncate (parser->text, 0);
    return;
  }

  for (Kind kind = 0; kind < N_KINDS; kind++) {
    if (strcmp (name, kinds[kind].name) != 0 ||
        strcmp (parent_name (context), kinds[kind].parent) != 0)
      continue;
    parser->kind = kind;
    parser->point_depth = parser->depth;
    parser->point = (YunGpxPoint) { .elevation = NAN };
    if (!read_coordinate (name, names, values, "lat", 90, &parser->point.latitude, error) ||
        !read_coordinate (name, names, values, "lon", 180, &parser->point.longitude, error))
      return;
    if (parser->points[kind]->len >= YUN_GPX_MAX_POINTS)
      g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_TOO_LARGE,
                   "more than %d <%s> points", YUN_GPX_MAX_POINTS, name);
    return;
  }
}

static gboolean
finish_field (Parser  *parser,
              GError **error)
{
  if (parser->field == FIELD_ELEVATION) {
    if (!parse_number (parser->text->str, &parser->point.elevation) ||
        fabs (parser->point.elevation) > MAX_ELEVATION) {
      g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID,
                   "<ele> is not a number of metres");
      return FALSE;
    }
  } else {
    g_autofree char *text = g_strstrip (g_strdup (parser->text->str));
    g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, parser->utc);

    if (time == NULL) {
      g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID,
                   "<time> is not an ISO 8601 date and time");
      return FALSE;
    }
    parser->point.time_ms = g_date_time_to_unix (time) * 1000 +
                            g_date_time_get_microsecond (time) / 1000;
    parser->point.has_time = TRUE;
  }
  return TRUE;
}

static void
end_element (Parser  *parser,
             GError **error)
{

  if (parser->field != FIELD_NONE && parser->depth == parser->point_depth + 1) {
    gboolean ok = finish_field (parser, error);

    parser->field = FIELD_NONE;
    if (!ok)
      return;
  } else if (parser->point_depth > 0 && parser->depth == parser->point_depth) {
    g_array_append_val (parser->points[parser->kind], parser->point);
    parser->point_depth = 0;
  }
  parser->depth--;
}

static void
read_text (Parser      *parser,
           const char  *text,
           gsize        length,
           GError     **error)
{

  if (parser->field == FIELD_NONE || parser->depth != parser->point_depth + 1)
    return;
  if (parser->text->len + length > MAX_FIELD) {
    g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID,
                 "<%s> is longer than %d bytes",
                 parser->field == FIELD_TIME ? "time" : "ele", MAX_FIELD);
    return;
  }
  g_string_append_len (parser->text, text, length);
}

/* GMarkup names the line in its own errors but not in the callbacks'. */
static void
prefix_line (GMarkupParseContext  *context,
             GError              **error)
{
  int line = 0, column = 0;

  if (error == NULL || *error == NULL)
    return;
  g_markup_parse_context_get_position (context, &line, &column);
  g_prefix_error (error, "line %d column %d: ", line, column);
}

static void
on_start_element (GMarkupParseContext  *context,
                  const char           *name,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  start_element (context, name, names, values, user_data, error);
  prefix_line (context, error);
}

static void
on_end_element (GMarkupParseContext  *context,
                const char           *name,
                gpointer              user_data,
                GError              **error)
{
  end_element (user_data, error);
  prefix_line (context, error);
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  read_text (user_data, text, length, error);
  prefix_line (context, error);
}

static const GMarkupParser markup_parser = {
  .start_element = on_start_element,
  .end_element = on_end_element,
  .text = on_text,
};

static void
yun_gpx_finalize (GObject *object)
{
  YunGpx *self = YUN_GPX (object);

  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (yun_gpx_parent_class)->finalize (object);
}

static void
yun_gpx_class_init (YunGpxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_gpx_finalize;
}

static void
yun_gpx_init (YunGpx *self)
{
}

static guint
count_lines (const char *data,
             gsize       length)
{
  guint lines = 1;

  /* A newline that ends the text does not start a line. */
  for (gsize i = 0; i + 1 < length; i++)
    lines += data[i] == '\n';
  return lines;
}

static gboolean
parse_markup (Parser      *parser,
              const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;

  context = g_markup_parse_context_new (&markup_parser, 0, parser, NULL);
  if (g_markup_parse_context_parse (context, data, length, &local_error) &&
      g_markup_parse_context_end_parse (context, &local_error))
    return TRUE;

  if (local_error->domain == YUN_GPX_ERROR) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  /* GMarkup's own message names the line, but may quote the input:
   * keep it short and valid UTF-8. */
  message = g_utf8_make_valid (local_error->message, -1);
  if (g_utf8_strlen (message, -1) > MAX_MESSAGE) {
    g_autofree char *cut = g_utf8_substring (message, 0, MAX_MESSAGE);

    g_free (message);
    message = g_strconcat (cut, "…", NULL);
  }
  g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_MALFORMED,
               "GPX is not well-formed XML: %s", message);
  return FALSE;
}

/**
 * yun_gpx_parse:
 * @data: (array length=length): the document's bytes
 * @length: how many bytes @data holds
 * @error: where a #YunGpxError goes
 *
 * Reads a GPX document.  Nothing is kept from a document that has any
 * problem: one bad point fails the whole document, since a replay that
 * silently skips points would teleport.
 *
 * Returns: (transfer full) (nullable): the points, or %NULL with @error set
 */
YunGpx *
yun_gpx_parse (const char  *data,
               gsize        length,
               GError     **error)
{
  Parser parser = { 0 };
  YunGpx *self = NULL;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > YUN_GPX_MAX_BYTES) {
    g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_TOO_LARGE,
                 "GPX is %" G_GSIZE_FORMAT " bytes, more than the %d allowed",
                 length, YUN_GPX_MAX_BYTES);
    return NULL;
  }

  for (Kind kind = 0; kind < N_KINDS; kind++)
    parser.points[kind] = g_array_new (FALSE, FALSE, sizeof (YunGpxPoint));
  parser.text = g_string_sized_new (MAX_FIELD);
  parser.utc = g_time_zone_new_utc ();

  ok = parse_markup (&parser, data != NULL ? data : "", length, error);
  for (Kind kind = 0; ok && kind < N_KINDS; kind++) {
    if (parser.points[kind]->len > 0) {
      self = g_object_new (YUN_TYPE_GPX, NULL);
      self->points = g_array_ref (parser.points[kind]);
      break;
    }
  }
  if (ok && self == NULL)
    g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID,
                 "line %u: GPX has no <trkpt>, <rtept> or <wpt> up to its end",
                 count_lines (data, length));

  for (Kind kind = 0; kind < N_KINDS; kind++)
    g_array_unref (parser.points[kind]);
  g_string_free (parser.text, TRUE);
  g_time_zone_unref (parser.utc);
  return self;
}

/**
 * yun_gpx_load:
 * @path: a GPX file
 * @error: where a #YunGpxError or #GIOErrorEnum goes
 *
 * Reads a GPX file, no more than %YUN_GPX_MAX_BYTES of it.  This blocks on
 * the disk: call it at start-up or from a worker thread.
 *
 * Returns: (transfer full) (nullable): the points, or %NULL with @error set
 */
YunGpx *
yun_gpx_load (const char  *path,
              GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  for (;;) {
    gsize start = bytes->len;
    gssize n;

    g_byte_array_set_size (bytes, start + READ_CHUNK);
    n = g_input_stream_read (G_INPUT_STREAM (stream), bytes->data + start,
                             READ_CHUNK, NULL, error);
    if (n < 0)
      return NULL;
    g_byte_array_set_size (bytes, start + n);
    if (n == 0)
      break;
    if (bytes->len > YUN_GPX_MAX_BYTES) {
      g_set_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_TOO_LARGE,
                   "%s is more than the %d bytes of GPX allowed",
                   path, YUN_GPX_MAX_BYTES);
      return NULL;
    }
  }
  return yun_gpx_parse ((const char *) bytes->data, bytes->len, error);
}

/**
 * yun_gpx_get_n_points:
 * @self: a #YunGpx
 *
 * Returns: how many points there are, at least one
 */
guint
yun_gpx_get_n_points (YunGpx *self)
{
  g_return_val_if_fail (YUN_IS_GPX (self), 0);

  return self->points->len;
}

/**
 * yun_gpx_get_point:
 * @self: a #YunGpx
 * @index: from 0 to yun_gpx_get_n_points() - 1
 *
 * Returns: (transfer none): the point, valid as long as @self
 */
const YunGpxPoint *
yun_gpx_get_point (YunGpx *self,
                   guint   index)
{
  g_return_val_if_fail (YUN_IS_GPX (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);

  return &g_array_index (self->points, YunGpxPoint, index);
}
