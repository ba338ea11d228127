/* yun-cloud-cors.c: cross-origin access to yun-cloud's APIs, configured
 * like CouchDB's [cors] section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-cors.h"

#include <string.h>

/**
 * YunCloudCors:
 *
 * Which web origins may call the sync and account APIs from a browser,
 * with which methods and request headers, and whether with credentials.
 * Like CouchDB, an allowed origin is echoed back; `*` allows every origin,
 * and is itself sent back only when credentials are off.  Without a
 * configuration (the default) no CORS header is ever sent, so browsers
 * keep other origins out.
 */
struct _YunCloudCors {
  gboolean  any_origin;
  GStrv     origins;
  GStrv     methods;
  GStrv     headers;
  char     *methods_value;
  gboolean  credentials;
  char     *max_age;
};

G_DEFINE_QUARK (yun-cloud-cors-error-quark, yun_cloud_cors_error)

/* RFC 9110 token characters. */
static gboolean
is_token (const char *text)
{
  if (*text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  }

  return TRUE;
}

/* Splits a comma-separated list, trimming blanks and dropping empty items;
 * @lower folds them to lowercase. */
static GStrv
split_list (const char *list,
            gboolean    lower)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; items[i] != NULL; i++) {
    char *item = g_strstrip (items[i]);

    if (*item == '\0')
      continue;
    if (lower) {
      g_autofree char *folded = g_ascii_strdown (item, -1);

      g_strv_builder_add (builder, folded);
    } else {
      g_strv_builder_add (builder, item);
    }
  }

  return g_strv_builder_end (builder);
}

/* Turns an origin as configured into the form browsers send: scheme, host
 * and port only, in lowercase, without a trailing slash. */
static char *
normalize_origin (const char  *origin,
                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;

  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    goto bad;

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  path = g_uri_get_path (uri);
  if ((strcmp (scheme, "http") != 0 && strcmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL || (*path != '\0' && strcmp (path, "/") != 0))
    goto bad;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (strchr (host, ':') != NULL) {
    /* An IPv6 literal goes back between brackets. */
    char *bracketed = g_strconcat ("[", host, "]", NULL);

    g_free (host);
    host = bracketed;
  }
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s:%d", scheme, host, g_uri_get_port (uri));

  return g_strdup_printf ("%s://%s", scheme, host);

bad:
  g_set_error (error, YUN_CLOUD_CORS_ERROR, YUN_CLOUD_CORS_ERROR_INVALID_ORIGIN,
               "“%s” is not an origin such as https://example.com or *", origin);
  return NULL;
}

/**
 * yun_cloud_cors_new:
 * @origins: comma-separated origins, such as
 *   `https://a.example, http://localhost:8080`, or `*` for all
 * @methods: (nullable): comma-separated methods a browser may use;
 *   %NULL for %YUN_CLOUD_CORS_DEFAULT_METHODS
 * @headers: (nullable): comma-separated request headers a browser may
 *   send; %NULL for %YUN_CLOUD_CORS_DEFAULT_HEADERS
 * @credentials: whether browsers may send cookies and `Authorization`
 * @max_age: how long browsers may cache a preflight answer, in seconds
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL with
 *   @error set when an origin, method or header is malformed
 */
YunCloudCors *
yun_cloud_cors_new (const char  *origins,
                    const char  *methods,
                    const char  *headers,
                    gboolean     credentials,
                    guint        max_age,
                    GError     **error)
{
  g_autoptr(YunCloudCors) cors = g_new0 (YunCloudCors, 1);
  g_auto(GStrv) given = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (origins != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  given = split_list (origins, FALSE);
  if (given[0] == NULL) {
    g_set_error_literal (error, YUN_CLOUD_CORS_ERROR, YUN_CLOUD_CORS_ERROR_INVALID_ORIGIN,
                         "No origin given; use * for all");
    return NULL;
  }
  for (guint i = 0; given[i] != NULL; i++) {
    g_autofree char *origin = NULL;

    if (strcmp (given[i], "*") == 0) {
      cors->any_origin = TRUE;
      continue;
    }
    origin = normalize_origin (given[i], error);
    if (origin == NULL)
      return NULL;
    g_strv_builder_add (builder, origin);
  }
  cors->origins = g_strv_builder_end (builder);

  cors->methods = split_list (methods != NULL ? methods : YUN_CLOUD_CORS_DEFAULT_METHODS, FALSE);
  for (guint i = 0; cors->methods[i] != NULL; i++) {
    char *method = cors->methods[i];

    if (!is_token (method)) {
      g_set_error (error, YUN_CLOUD_CORS_ERROR, YUN_CLOUD_CORS_ERROR_INVALID_TOKEN,
                   "“%s” is not an HTTP method", method);
      return NULL;
    }
    /* Methods are case-sensitive, but people write them in any case. */
    for (char *p = method; *p != '\0'; p++)
      *p = g_ascii_toupper (*p);
  }
  cors->methods_value = g_strjoinv (", ", cors->methods);

  cors->headers = split_list (headers != NULL ? headers : YUN_CLOUD_CORS_DEFAULT_HEADERS, TRUE);
  for (guint i = 0; cors->headers[i] != NULL; i++) {
    if (!is_token (cors->headers[i])) {
      g_set_error (error, YUN_CLOUD_CORS_ERROR, YUN_CLOUD_CORS_ERROR_INVALID_TOKEN,
                   "“%s” is not an HTTP header name", cors->headers[i]);
      return NULL;
    }
  }

  cors->credentials = credentials;
  cors->max_age = g_strdup_printf ("%u", max_age);

  return g_steal_pointer (&cors);
}

void
yun_cloud_cors_free (YunCloudCors *cors)
{
  if (cors == NULL)
    return;

  g_strfreev (cors->origins);
  g_strfreev (cors->methods);
  g_strfreev (cors->headers);
  g_free (cors->methods_value);
  g_free (cors->max_age);
  g_free (cors);
}

/* The request's Origin if it is allowed, else %NULL. */
static const char *
allowed_origin (YunCloudCors      *cors,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *origin = soup_message_headers_get_one (headers, "Origin");

  if (origin == NULL || *origin == '\0')
    return NULL;

  if (cors->any_origin)
    return origin;

  for (guint i = 0; cors->origins[i] != NULL; i++) {
    if (g_ascii_strcasecmp (cors->origins[i], origin) == 0)
      return origin;
  }

  return NULL;
}

static void
set_origin_headers (YunCloudCors       *cors,
                    SoupMessageHeaders *headers,
                    const char         *origin)
{
  /* "*" cannot go with credentials, so an allowed origin is echoed then. */
  if (cors->any_origin && !cors->credentials)
    soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  else
    soup_message_headers_replace (headers, "Access-Control-Allow-Origin", origin);

  if (cors->credentials)
    soup_message_headers_replace (headers, "Access-Control-Allow-Credentials", "true");

  soup_message_headers_append (headers, "Vary", "Origin");
}

/**
 * yun_cloud_cors_preflight:
 * @cors: (nullable): the configuration; %NULL when CORS is off
 * @msg: a request, from an early handler
 *
 * Answers a CORS preflight request (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) from an allowed origin for an allowed
 * method.  Any other request is left alone, so an `OPTIONS` from elsewhere
 * ends in the API's usual 405.
 *
 * Returns: %TRUE if @msg was answered
 */
gboolean
yun_cloud_cors_preflight (YunCloudCors      *cors,
                          SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *origin;
  const char *method;
  const char *wanted_headers;
  g_autoptr(GStrvBuilder) granted = g_strv_builder_new ();
  g_auto(GStrv) granted_headers = NULL;
  gboolean method_allowed = FALSE;

  if (cors == NULL || soup_server_message_get_method (msg) != SOUP_METHOD_OPTIONS)
    return FALSE;

  method = soup_message_headers_get_one (request, "Access-Control-Request-Method");
  origin = allowed_origin (cors, msg);
  if (method == NULL || origin == NULL)
    return FALSE;

  for (guint i = 0; cors->methods[i] != NULL; i++)
    method_allowed = method_allowed || strcmp (cors->methods[i], method) == 0;
  if (!method_allowed)
    return FALSE;

  /* Grant the requested headers that are allowed, like CouchDB. */
  wanted_headers = soup_message_headers_get_one (request, "Access-Control-Request-Headers");
  if (wanted_headers != NULL) {
    g_auto(GStrv) wanted = split_list (wanted_headers, TRUE);

    for (guint i = 0; wanted[i] != NULL; i++) {
      if (g_strv_contains ((const char * const *) cors->headers, wanted[i]))
        g_strv_builder_add (granted, wanted[i]);
    }
  }
  granted_headers = g_strv_builder_end (granted);

  set_origin_headers (cors, response, origin);
  soup_message_headers_replace (response, "Access-Control-Allow-Methods", cors->methods_value);
  if (granted_headers[0] != NULL) {
    g_autofree char *value = g_strjoinv (", ", granted_headers);

    soup_message_headers_replace (response, "Access-Control-Allow-Headers", value);
  }
  soup_message_headers_replace (response, "Access-Control-Max-Age", cors->max_age);
  soup_message_headers_set_content_length (response, 0);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);

  return TRUE;
}

/**
 * yun_cloud_cors_decorate:
 * @cors: (nullable): the configuration; %NULL when CORS is off
 * @msg: a request, before its answer is sent
 *
 * Adds the CORS response headers when @msg comes from an allowed origin.
 */
void
yun_cloud_cors_decorate (YunCloudCors      *cors,
                         SoupServerMessage *msg)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *origin;

  if (cors == NULL)
    return;

  origin = allowed_origin (cors, msg);
  if (origin == NULL)
    return;

  set_origin_headers (cors, response, origin);
  soup_message_headers_replace (response, "Access-Control-Expose-Headers",
                                YUN_CLOUD_CORS_EXPOSED_HEADERS);
}
