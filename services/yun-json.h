/* yun-json.h: bounded JSON parsing for input that comes from outside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define YUN_JSON_ERROR (yun_json_error_quark ())

/**
 * YunJsonError:
 * @YUN_JSON_ERROR_TOO_LARGE: the text is longer than the caller allows
 * @YUN_JSON_ERROR_TOO_DEEP: arrays and objects nest deeper than the caller allows
 * @YUN_JSON_ERROR_ENCODING: the text is not valid UTF-8 or holds a NUL byte
 * @YUN_JSON_ERROR_SYNTAX: the text is not JSON
 *
 * Why untrusted JSON was refused.
 */
typedef enum {
  YUN_JSON_ERROR_TOO_LARGE,
  YUN_JSON_ERROR_TOO_DEEP,
  YUN_JSON_ERROR_ENCODING,
  YUN_JSON_ERROR_SYNTAX,
} YunJsonError;

GQuark    yun_json_error_quark (void);

JsonNode *yun_json_parse_bounded (const char  *data,
                                  gsize        length,
                                  gsize        max_length,
                                  guint        max_depth,
                                  GError     **error);

const char *yun_json_type_name (JsonNode *node);

G_END_DECLS
