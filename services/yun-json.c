/* yun-json.c: bounded JSON parsing for input that comes from outside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-json.h"

#include <string.h>

G_DEFINE_QUARK (yun-json-error-quark, yun_json_error)

/* json-glib's parser is built on GScanner and is lenient: it takes hex
 * numbers, comments, single quotes and a second value after the first.
 * It also recurses once per nesting level, so a megabyte of '[' would
 * exhaust the stack before it could fail, and it turns a \u0000 escape
 * into a NUL that silently cuts a C string short ("contacts\u0000x" would
 * read as "contacts").  So text from outside is first checked against the
 * JSON grammar of RFC 8259 by this scanner, which keeps an explicit stack
 * bounded by @max_depth; only text that passes reaches json-glib. */

typedef enum {
  EXPECT_VALUE,         /* a value: at the start, after ':' or after ',' in an array */
  EXPECT_VALUE_OR_END,  /* after '[' */
  EXPECT_KEY,           /* after ',' in an object */
  EXPECT_KEY_OR_END,    /* after '{' */
  EXPECT_COLON,         /* after a key */
  EXPECT_COMMA_OR_END,  /* after a value inside a container */
  EXPECT_NOTHING,       /* after the top-level value */
} Expect;

static gboolean
syntax_error (GError     **error,
              gsize        offset,
              const char  *what)
{
  g_set_error (error, YUN_JSON_ERROR, YUN_JSON_ERROR_SYNTAX,
               "not JSON: %s at byte %" G_GSIZE_FORMAT, what, offset);
  return FALSE;
}

/* Scans a string starting at the opening quote; returns the offset after
 * the closing one, or 0 on error. */
static gsize
scan_string (const char  *data,
             gsize        length,
             gsize        i,
             GError     **error)
{
  for (i++; i < length; i++) {
    unsigned char c = data[i];

    if (c == '"')
      return i + 1;
    if (c < 0x20)
      return syntax_error (error, i, "a control character inside a string"), 0;
    if (c != '\\')
      continue;

    if (++i >= length)
      break;
    switch (data[i]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      break;
    case 'u':
      if (i + 4 >= length || !g_ascii_isxdigit (data[i + 1]) || !g_ascii_isxdigit (data[i + 2]) ||
          !g_ascii_isxdigit (data[i + 3]) || !g_ascii_isxdigit (data[i + 4]))
        return syntax_error (error, i, "a \\u escape without four hex digits"), 0;
      if (strncmp (data + i + 1, "0000", 4) == 0) {
        g_set_error (error, YUN_JSON_ERROR, YUN_JSON_ERROR_ENCODING,
                     "JSON text holds a \\u0000 escape, which is not accepted (at byte %"
                     G_GSIZE_FORMAT ")", i - 1);
        return 0;
      }
      i += 4;
      break;
    default:
      return syntax_error (error, i, "an unknown escape in a string"), 0;
    }
  }

  return syntax_error (error, length, "a string that does not end"), 0;
}

/* Scans a number per RFC 8259; returns the offset after it, or 0. */
static gsize
scan_number (const char  *data,
             gsize        length,
             gsize        i,
             GError     **error)
{
  gsize start = i;

  if (i < length && data[i] == '-')
    i++;
  if (i < length && data[i] == '0') {
    i++;
  } else if (i < length && data[i] >= '1' && data[i] <= '9') {
    while (i < length && g_ascii_isdigit (data[i]))
      i++;
  } else {
    return syntax_error (error, start, "a malformed number"), 0;
  }

  if (i < length && data[i] == '.') {
    if (++i >= length || !g_ascii_isdigit (data[i]))
      return syntax_error (error, start, "a malformed number"), 0;
    while (i < length && g_ascii_isdigit (data[i]))
      i++;
  }

  if (i < length && (data[i] == 'e' || data[i] == 'E')) {
    i++;
    if (i < length && (data[i] == '+' || data[i] == '-'))
      i++;
    if (i >= length || !g_ascii_isdigit (data[i]))
      return syntax_error (error, start, "a malformed number"), 0;
    while (i < length && g_ascii_isdigit (data[i]))
      i++;
  }

  return i;
}

static gboolean
check_syntax (const char  *data,
              gsize        length,
              guint        max_depth,
              GError     **error)
{
  g_autofree char *stack = g_malloc (max_depth + 1);
  guint depth = 0;
  Expect expect = EXPECT_VALUE;
  gsize i = 0;

  while (i < length) {
    char c = data[i];
    gboolean is_value_start;

    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      i++;
      continue;
    }

    switch (expect) {
    case EXPECT_NOTHING:
      return syntax_error (error, i, "text after the end of the value");

    case EXPECT_COLON:
      if (c != ':')
        return syntax_error (error, i, "a missing ':' after a member name");
      expect = EXPECT_VALUE;
      i++;
      continue;

    case EXPECT_COMMA_OR_END:
      if (c == ',') {
        expect = stack[depth - 1] == '{' ? EXPECT_KEY : EXPECT_VALUE;
        i++;
        continue;
      }
      if (c != (stack[depth - 1] == '{' ? '}' : ']'))
        return syntax_error (error, i, "a missing ',' or a wrong closing bracket");
      depth--;
      expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
      i++;
      continue;

    case EXPECT_KEY_OR_END:
    case EXPECT_KEY:
      if (c == '}' && expect == EXPECT_KEY_OR_END) {
        depth--;
        expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
        i++;
        continue;
      }
      if (c != '"')
        return syntax_error (error, i, "a member name that is not a string");
      if ((i = scan_string (data, length, i, error)) == 0)
        return FALSE;
      expect = EXPECT_COLON;
      continue;

    case EXPECT_VALUE_OR_END:
      if (c == ']') {
        depth--;
        expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
        i++;
        continue;
      }
      G_GNUC_FALLTHROUGH;
    case EXPECT_VALUE:
    default:
      break;
    }

    /* A value. */
    is_value_start = TRUE;
    if (c == '{' || c == '[') {
      if (depth >= max_depth) {
        g_set_error (error, YUN_JSON_ERROR, YUN_JSON_ERROR_TOO_DEEP,
                     "JSON nests deeper than %u levels", max_depth);
        return FALSE;
      }
      stack[depth++] = c;
      expect = c == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
      i++;
      continue;
    } else if (c == '"') {
      i = scan_string (data, length, i, error);
    } else if (c == '-' || g_ascii_isdigit (c)) {
      i = scan_number (data, length, i, error);
    } else if (length - i >= 4 && strncmp (data + i, "true", 4) == 0) {
      i += 4;
    } else if (length - i >= 5 && strncmp (data + i, "false", 5) == 0) {
      i += 5;
    } else if (length - i >= 4 && strncmp (data + i, "null", 4) == 0) {
      i += 4;
    } else {
      is_value_start = FALSE;
    }

    if (!is_value_start)
      return syntax_error (error, i, "an unexpected character");
    if (i == 0)
      return FALSE;
    /* "truex", "1a": a literal or number must end at a delimiter. */
    if (i < length && (g_ascii_isalnum (data[i]) || data[i] == '_' || data[i] == '.'))
      return syntax_error (error, i, "an unexpected character after a value");
    expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
  }

  if (expect != EXPECT_NOTHING)
    return syntax_error (error, length, length == 0 ? "the text is empty" : "the text ends too soon");
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

  if (!check_syntax (data, length, max_depth, error))
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
