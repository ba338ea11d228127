/* yun-json.c: bounded JSON parsing for input that comes from outside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-json.h"

G_DEFINE_QUARK (yun-json-error-quark, yun_json_error)

/* json-glib's parser recurses once per nesting level, so a megabyte of '['
 * would exhaust the stack before it could fail.  Measure the depth first
 * with a scan that knows about strings and escapes. */
static gboolean
check_depth (const char  *data,
             gsize        length,
             guint        max_depth,
             GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++) {
    char c = data[i];

    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
      continue;
    }

    switch (c) {
    case '"':
      in_string = TRUE;
      break;
    case '[':
    case '{':
      if (++depth > max_depth) {
        g_set_error (error, YUN_JSON_ERROR, YUN_JSON_ERROR_TOO_DEEP,
                     "JSON nests deeper than %u levels", max_depth);
        return FALSE;
      }
      break;
    case ']':
    case '}':
      if (depth > 0)
        depth--;
      break;
    default:
      break;
    }
  }

  return TRUE;
}

/**
 * yun_json_parse_bounded:
 * @data: (array length=length): the text to parse
 * @length: the length of @data in bytes
 * @max_length: the longest text accepted, in bytes
 * @max_depth: the deepest nesting of arrays and objects accepted
 * @error: return location for a #YunJsonError
 *
 * Parses JSON that came from an untrusted source, refusing it before the
 * parser runs when it is too long, too deep or not UTF-8.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
yun_json_parse_bounded (const char  *data,
                        gsize        length,
                        gsize        max_length,
                        guint        max_depth,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *end = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > max_length) {
    g_set_error (error, YUN_JSON_ERROR, YUN_JSON_ERROR_TOO_LARGE,
                 "JSON text of %" G_GSIZE_FORMAT " bytes is over the limit of %"
                 G_GSIZE_FORMAT " bytes", length, max_length);
    return NULL;
  }

  if (!g_utf8_validate_len (data, length, &end)) {
    g_set_error (error, YUN_JSON_ERROR, YUN_JSON_ERROR_ENCODING,
                 "JSON text is not valid UTF-8 or holds a NUL byte (at byte %" G_GSIZE_FORMAT ")",
                 (gsize) (end - data));
    return NULL;
  }

  if (!check_depth (data, length, max_depth, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error)) {
    g_set_error (error, YUN_JSON_ERROR, YUN_JSON_ERROR_SYNTAX,
                 "not JSON: %s", local_error->message);
    return NULL;
  }

  if (json_parser_get_root (parser) == NULL) {
    g_set_error_literal (error, YUN_JSON_ERROR, YUN_JSON_ERROR_SYNTAX,
                         "not JSON: the text is empty");
    return NULL;
  }

  return json_parser_steal_root (parser);
}

/**
 * yun_json_type_name:
 * @node: (nullable): a JSON node
 *
 * Names the JSON type of @node the way an error message for a web developer
 * should: "object", "array", "string", "number", "boolean" or "null".
 *
 * Returns: (transfer none): a static string
 */
const char *
yun_json_type_name (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";

  switch (json_node_get_value_type (node)) {
  case G_TYPE_STRING:
    return "string";
  case G_TYPE_BOOLEAN:
    return "boolean";
  default:
    return "number";
  }
}
