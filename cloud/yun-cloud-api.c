/* yun-cloud-api.c: what the JSON APIs of yun-cloud's app back ends share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-api.h"

#include "yun-json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (yun-cloud-api-error-quark, yun_cloud_api_error)

static const struct {
  guint status;
  const char *name;
} api_errors[] = {
  [YUN_CLOUD_API_ERROR_BAD_REQUEST] = { SOUP_STATUS_BAD_REQUEST, "bad_request" },
  [YUN_CLOUD_API_ERROR_UNAUTHORIZED] = { SOUP_STATUS_UNAUTHORIZED, "unauthorized" },
  [YUN_CLOUD_API_ERROR_NOT_FOUND] = { SOUP_STATUS_NOT_FOUND, "not_found" },
  [YUN_CLOUD_API_ERROR_METHOD_NOT_ALLOWED] = { SOUP_STATUS_METHOD_NOT_ALLOWED,
                                               "method_not_allowed" },
  [YUN_CLOUD_API_ERROR_CONFLICT] = { SOUP_STATUS_CONFLICT, "conflict" },
  [YUN_CLOUD_API_ERROR_TOO_LARGE] = { SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large" },
  [YUN_CLOUD_API_ERROR_UNSUPPORTED_MEDIA_TYPE] = { SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                                   "unsupported_media_type" },
  [YUN_CLOUD_API_ERROR_TOO_MANY] = { 429 /* Too Many Requests, not in libsoup's enum */, "too_many" },
  [YUN_CLOUD_API_ERROR_GONE] = { SOUP_STATUS_GONE, "gone" },
};

static guint
error_status (const GError *error)
{
  if (error->domain == YUN_CLOUD_API_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (api_errors))
    return api_errors[error->code].status;

  /* Anything else is the server's own failure (the database, the disk):
   * never the client's fault, and logged for the operator. */
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

/**
 * yun_cloud_api_error_name:
 * @error: an error
 *
 * Returns: the `error` member of the JSON answer for @error
 */
const char *
yun_cloud_api_error_name (const GError *error)
{
  if (error->domain == YUN_CLOUD_API_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (api_errors))
    return api_errors[error->code].name;
  return "internal_error";
}

/* Answers @msg at once, on the main thread. */
void
yun_cloud_api_respond_gerror (SoupServerMessage *msg,
                              const GError      *error)
{
  if (error->domain == YUN_CLOUD_API_ERROR &&
      error->code == YUN_CLOUD_API_ERROR_METHOD_NOT_ALLOWED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                  g_object_get_data (G_OBJECT (msg), "yun-allow"));
  yun_cloud_respond_error (msg, error_status (error), yun_cloud_api_error_name (error),
                           error->message);
}

void
yun_cloud_api_job_set_gerror (YunCloudJob  *job,
                              const GError *error)
{
  guint status = error_status (error);

  if (status >= 500)
    g_warning ("Could not answer a request: %s", error->message);
  yun_cloud_job_set_error (job, status, yun_cloud_api_error_name (error),
                           status >= 500 ? "The server could not answer; try again later"
                                         : error->message);
}

/**
 * yun_cloud_api_check_method:
 * @msg: a request
 * @allowed: the methods the route takes, comma separated, such as
 *   `GET, HEAD`
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @msg's method is in @allowed; else %FALSE with
 *   %YUN_CLOUD_API_ERROR_METHOD_NOT_ALLOWED, and @allowed remembered for
 *   the answer's `Allow` header
 */
gboolean
yun_cloud_api_check_method (SoupServerMessage  *msg,
                            const char         *allowed,
                            GError            **error)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) methods = g_strsplit (allowed, ",", -1);

  for (guint i = 0; methods[i] != NULL; i++) {
    if (g_str_equal (g_strstrip (methods[i]), method))
      return TRUE;
  }

  g_object_set_data_full (G_OBJECT (msg), "yun-allow", g_strdup (allowed), g_free);
  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_METHOD_NOT_ALLOWED,
               "%s is not allowed here; use %s", method, allowed);
  return FALSE;
}

static void
api_request_free (YunCloudApiRequest *request)
{
  g_clear_object (&request->db);
  g_clear_object (&request->identifier);
  g_free (request->files_dir);
  g_strfreev (request->segments);
  g_free (request->user_header);
  g_free (request);
}

static void
run_thread (YunCloudJob  *job,
            gpointer      data,
            GCancellable *cancellable)
{
  YunCloudApiRequest *request = data;
  YunCloudApiFunc func = (YunCloudApiFunc) request->func;
  g_autoptr(GError) error = NULL;

  if (yun_cloud_db_ensure_open (request->db, &error) && func (job, request, &error))
    return;
  /* A worker that failed without saying why is a bug of ours, not the
   * client's. */
  if (error == NULL)
    g_set_error (&error, YUN_CLOUD_DB_ERROR, YUN_CLOUD_DB_ERROR_IO, "No answer for the request");
  yun_cloud_api_job_set_gerror (job, error);
}

/**
 * yun_cloud_api_run:
 * @context: the back end
 * @msg: a request, paused until it is answered
 * @query: (nullable): its query
 * @segments: (transfer full): the path below `/api/<app>/`
 * @func: answers it on a worker thread
 *
 * Answers @msg with @func on a worker thread.
 */
void
yun_cloud_api_run (YunCloudApiContext *context,
                   SoupServerMessage  *msg,
                   GHashTable         *query,
                   char              **segments,
                   YunCloudApiFunc     func)
{
  YunCloudJob *job = yun_cloud_job_new (msg, query, context->jobs);
  YunCloudApiRequest *request = g_new0 (YunCloudApiRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  request->db = g_object_ref (context->db);
  request->files_dir = g_strdup (context->files_dir);
  request->segments = segments;
  request->n_segments = g_strv_length (segments);
  request->user_header = g_strdup (soup_message_headers_get_one (headers,
                                                                 YUN_CLOUD_API_USER_HEADER));
  if (context->identifier != NULL)
    request->identifier = g_object_ref (context->identifier);
  request->identify = context->identify;
  request->func = (gpointer) func;

  yun_cloud_job_set_data (job, request, (GDestroyNotify) api_request_free);
  yun_cloud_job_run (job, run_thread, NULL, NULL);
}

/**
 * yun_cloud_api_parse_int:
 * @text: (nullable): a decimal integer
 * @name: what it is, for the message
 * @min: the smallest accepted
 * @max: the largest accepted
 * @out: (out): the number
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @text is a plain decimal integer between @min and
 *   @max; else %FALSE with %YUN_CLOUD_API_ERROR_BAD_REQUEST
 */
gboolean
yun_cloud_api_parse_int (const char  *text,
                         const char  *name,
                         gint64       min,
                         gint64       max,
                         gint64      *out,
                         GError     **error)
{
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, min, max, &value, NULL)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                 name, min, max);
    return FALSE;
  }
  *out = value;
  return TRUE;
}

/* Like yun_cloud_api_parse_int (), for a finite decimal number. */
gboolean
yun_cloud_api_parse_double (const char  *text,
                            const char  *name,
                            double       min,
                            double       max,
                            double      *out,
                            GError     **error)
{
  char *end = NULL;
  double value = 0;
  gboolean valid = FALSE;

  /* Only digits, a sign and a point: no "inf", "nan" or hexadecimal. */
  if (text != NULL && *text != '\0' && strlen (text) <= 32 &&
      strspn (text, "+-0123456789.eE") == strlen (text)) {
    value = g_ascii_strtod (text, &end);
    valid = end != NULL && *end == '\0' && isfinite (value) && value >= min && value <= max;
  }

  if (!valid) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s must be a number from %g to %g", name, min, max);
    return FALSE;
  }
  *out = value;
  return TRUE;
}

/* Reads the query parameter @name as an integer, or @fallback without it. */
gboolean
yun_cloud_api_query_int (YunCloudJob  *job,
                         const char   *name,
                         gint64        min,
                         gint64        max,
                         gint64        fallback,
                         gint64       *out,
                         GError      **error)
{
  const char *text = yun_cloud_job_get_query (job, name);

  if (text == NULL) {
    *out = fallback;
    return TRUE;
  }
  return yun_cloud_api_parse_int (text, name, min, max, out, error);
}

/**
 * yun_cloud_api_get_paging:
 * @job: a request
 * @limit: (out): the `limit` parameter, %YUN_CLOUD_API_DEFAULT_LIMIT
 *   without one
 * @offset: (out): the `offset` parameter, 0 without one
 * @error: return location for a #GError
 *
 * Returns: %TRUE if both are absent or in range
 */
gboolean
yun_cloud_api_get_paging (YunCloudJob  *job,
                          guint        *limit,
                          guint        *offset,
                          GError      **error)
{
  gint64 l, o;

  if (!yun_cloud_api_query_int (job, "limit", 1, YUN_CLOUD_API_MAX_LIMIT,
                                YUN_CLOUD_API_DEFAULT_LIMIT, &l, error) ||
      !yun_cloud_api_query_int (job, "offset", 0, YUN_CLOUD_API_MAX_OFFSET, 0, &o, error))
    return FALSE;

  *limit = l;
  *offset = o;
  return TRUE;
}

/* Whether @text is plain text a person could have typed: valid UTF-8
 * without control characters other than new lines and tabs. */
static gboolean
is_plain_text (const char *text,
               gsize       length)
{
  const char *end = NULL;

  if (!g_utf8_validate (text, length, &end))
    return FALSE;
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
      return FALSE;
  }
  return TRUE;
}

/**
 * yun_cloud_api_get_text:
 * @job: a request
 * @name: the query parameter
 * @max_length: its longest accepted length in bytes
 * @out: (out) (transfer none) (nullable): the text, %NULL without one
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the parameter is absent or plain text no longer than
 *   @max_length
 */
gboolean
yun_cloud_api_get_text (YunCloudJob  *job,
                        const char   *name,
                        gsize         max_length,
                        const char  **out,
                        GError      **error)
{
  const char *text = yun_cloud_job_get_query (job, name);

  *out = NULL;
  if (text == NULL)
    return TRUE;

  if (strlen (text) > max_length) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s is longer than %" G_GSIZE_FORMAT " bytes", name, max_length);
    return FALSE;
  }
  if (!is_plain_text (text, strlen (text))) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s is not UTF-8 text", name);
    return FALSE;
  }
  *out = text;
  return TRUE;
}

/**
 * yun_cloud_api_fts_query:
 * @text: what a user typed
 *
 * Turns @text into an FTS5 query that matches rows holding every word of
 * it, the last one as a prefix.  Words are runs of letters and digits;
 * everything else, FTS5's own syntax included, only separates them.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL if @text holds
 *   no word
 */
char *
yun_cloud_api_fts_query (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GString) word = g_string_new (NULL);
  guint words = 0;

  for (const char *p = text;; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (c != 0 && g_unichar_isalnum (c)) {
      g_string_append_unichar (word, g_unichar_tolower (c));
      continue;
    }
    /* Eight words are plenty; more only make the query slower. */
    if (word->len > 0 && words < 8) {
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_printf (query, "\"%s\"*", word->str);
      words++;
    }
    g_string_truncate (word, 0);
    if (c == 0)
      break;
  }

  if (query->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* Whether @text is an id of ours: 1 to @max_length of [a-z0-9._-],
 * starting with a letter or digit. */
gboolean
yun_cloud_api_is_id (const char *text,
                     gsize       max_length)
{
  gsize length;

  if (text == NULL)
    return FALSE;
  length = strlen (text);
  if (length == 0 || length > max_length || !g_ascii_isalnum (text[0]))
    return FALSE;
  for (gsize i = 0; i < length; i++) {
    if (!g_ascii_islower (text[i]) && !g_ascii_isdigit (text[i]) &&
        text[i] != '.' && text[i] != '_' && text[i] != '-')
      return FALSE;
  }
  return TRUE;
}

/**
 * yun_cloud_api_read_object:
 * @job: a request with a JSON body
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the body's object, or %NULL with
 *   @error set when the body is not a JSON object of at most
 *   %YUN_CLOUD_API_MAX_JSON_BODY bytes
 */
JsonObject *
yun_cloud_api_read_object (YunCloudJob  *job,
                           GError      **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (job->body, &size);

  if (job->content_type != NULL &&
      !g_str_has_prefix (job->content_type, "application/json") &&
      !g_str_has_prefix (job->content_type, "text/plain")) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_UNSUPPORTED_MEDIA_TYPE,
                 "The body must be application/json, not %s", job->content_type);
    return NULL;
  }
  if (size > YUN_CLOUD_API_MAX_JSON_BODY) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_TOO_LARGE,
                 "The body is larger than %d bytes", YUN_CLOUD_API_MAX_JSON_BODY);
    return NULL;
  }
  if (size == 0) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "The body is empty; send a JSON object");
    return NULL;
  }

  node = yun_json_parse_bounded (data, size, YUN_CLOUD_API_MAX_JSON_BODY,
                                 YUN_CLOUD_API_MAX_JSON_DEPTH, &local_error);
  if (node == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "The body is not valid JSON: %s", local_error->message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "The body must be a JSON object, not %s", yun_json_type_name (node));
    return NULL;
  }
  return json_object_ref (json_node_get_object (node));
}

static gboolean
member_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* Reads the integer member @name of a body; absent is an error only if
 * @required, and leaves @out alone. */
gboolean
yun_cloud_api_member_int (JsonObject  *object,
                          const char  *name,
                          gboolean     required,
                          gint64       min,
                          gint64       max,
                          gint64      *out,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  double value;

  if (node == NULL && !required)
    return TRUE;

  value = node != NULL && member_is_number (node) ? json_node_get_double (node) : NAN;
  if (!isfinite (value) || value != floor (value) || value < min || value > max) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                 name, min, max);
    return FALSE;
  }
  *out = (gint64) value;
  return TRUE;
}

/* Reads the optional text member @name of a body: plain text of at most
 * @max_chars characters; @out is %NULL when it is absent. */
gboolean
yun_cloud_api_member_text (JsonObject  *object,
                           const char  *name,
                           gsize        max_chars,
                           const char **out,
                           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s must be a string, not %s", name, yun_json_type_name (node));
    return FALSE;
  }
  text = json_node_get_string (node);
  if (!is_plain_text (text, strlen (text))) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s holds control characters", name);
    return FALSE;
  }
  if ((gsize) g_utf8_strlen (text, -1) > max_chars) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "%s is longer than %" G_GSIZE_FORMAT " characters", name, max_chars);
    return FALSE;
  }
  *out = text;
  return TRUE;
}

/**
 * yun_cloud_api_get_user:
 * @job: a request
 * @request: its data
 * @error: return location for a #GError
 *
 * Finds who is calling.  A request with an `Authorization` header is
 * authenticated by the accounts API; one without it may name its user in
 * the %YUN_CLOUD_API_USER_HEADER stand-in header.
 *
 * Returns: (transfer full) (nullable): the user's name, or %NULL with
 *   %YUN_CLOUD_API_ERROR_UNAUTHORIZED or a bad-request error
 */
char *
yun_cloud_api_get_user (YunCloudJob         *job,
                        YunCloudApiRequest  *request,
                        GError             **error)
{
  if (job->authorization != NULL) {
    g_autoptr(GError) local_error = NULL;
    char *user;

    if (request->identify == NULL) {
      g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_UNAUTHORIZED,
                   "This cloud has no accounts to sign in to; name the user in the "
                   YUN_CLOUD_API_USER_HEADER " header instead");
      return NULL;
    }
    /* The function says 401 with YUN_CLOUD_API_ERROR_UNAUTHORIZED; any
     * other error is the accounts' own failure. */
    user = request->identify (request->identifier, job->authorization, &local_error);
    if (user == NULL)
      g_propagate_error (error, g_steal_pointer (&local_error));
    return user;
  }

  if (request->user_header == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_UNAUTHORIZED,
                 "Sign in, or name the user in the " YUN_CLOUD_API_USER_HEADER " header");
    return NULL;
  }
  if (!yun_cloud_api_is_id (request->user_header, YUN_CLOUD_API_MAX_USER)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 YUN_CLOUD_API_USER_HEADER " must be 1 to %d of a-z, 0-9, '.', '_' and '-'",
                 YUN_CLOUD_API_MAX_USER);
    return NULL;
  }
  return g_strdup (request->user_header);
}

/**
 * yun_cloud_api_new_page:
 * @items: (transfer none): one page of a list
 * @limit: the page's size as asked
 * @offset: where it starts
 * @more: whether items follow it
 *
 * Returns: (transfer full): `{"items": [...], "limit": L, "offset": O,
 *   "next_offset": N}`, N being %NULL on the last page
 */
JsonObject *
yun_cloud_api_new_page (JsonArray *items,
                        guint      limit,
                        guint      offset,
                        gboolean   more)
{
  JsonObject *object = json_object_new ();

  json_object_set_array_member (object, "items", json_array_ref (items));
  json_object_set_int_member (object, "limit", limit);
  json_object_set_int_member (object, "offset", offset);
  if (more)
    json_object_set_int_member (object, "next_offset", offset + json_array_get_length (items));
  else
    json_object_set_null_member (object, "next_offset");
  return object;
}

/* Answers with yun_cloud_api_new_page (). */
void
yun_cloud_api_set_page (YunCloudJob *job,
                        JsonArray   *items,
                        guint        limit,
                        guint        offset,
                        gboolean     more)
{
  g_autoptr(JsonObject) object = yun_cloud_api_new_page (items, limit, offset, more);

  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
}

/* Returns: (transfer full): @unix_seconds as an ISO 8601 UTC time */
char *
yun_cloud_api_iso_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  if (time == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}
