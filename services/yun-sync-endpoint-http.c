/* yun-sync-endpoint-http.c: the remote side of a replication, a database on
 * a server that speaks the CouchDB replication protocol over HTTP.
 *
 * Every answer is read with a size bound, parsed with yun_json_parse_bounded
 * and checked for the members the replicator reads before anything of it
 * is used: a server that is broken or hostile gets a clear
 * %YUN_REPLICATOR_ERROR_PROTOCOL, never a crash or a half-written batch.
 *
 * Attachments travel inline as base64 inside the JSON bodies (`_bulk_get`
 * with `attachments=true`, `_bulk_docs`); multipart bodies are not used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-sync-endpoint-private.h"
#include "yun-json.h"
#include "yun-replicator.h"
#include "yun-revision.h"

#include <string.h>

/* Bytes read from the network at a time, and the largest long-poll answer
 * (it lists one change). */
#define READ_CHUNK (64 * 1024)
#define MAX_WAIT_RESPONSE (1024 * 1024)

struct _YunSyncHttp {
  SoupSession *session;
  char *url;            /* the database's URL: no credentials, no trailing slash */
  char *authorization;  /* the Authorization header, or NULL */
  int no_bulk_get;      /* atomic: the server answered _bulk_get with 404 or 405 */
};

static const guint tolerate_404[] = { SOUP_STATUS_NOT_FOUND, 0 };

/* Errors. */

static void G_GNUC_PRINTF (4, 5)
protocol_error (YunSyncHttp  *http,
                const char   *what,
                GError      **error,
                const char   *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_PROTOCOL,
               "%s: %s: %s", http->url, what, message);
}

static void
transport_error (YunSyncHttp  *http,
                 const char   *what,
                 GError       *cause,
                 GError      **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_propagate_error (error, cause);
    return;
  }
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_NETWORK,
                 "%s: %s: the server did not answer in time", http->url, what);
  else
    g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_NETWORK,
                 "%s: %s: %s", http->url, what, cause->message);
  g_error_free (cause);
}

/* CouchDB explains a failure as {"error": "...", "reason": "..."}. */
static char *
dup_reason (GBytes *body)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *reason;
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  if (data == NULL || length > 64 * 1024)
    return NULL;
  node = yun_json_parse_bounded (data, length, 64 * 1024, 8, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  reason = json_object_get_string_member_with_default (object, "reason", NULL);
  if (reason == NULL)
    reason = json_object_get_string_member_with_default (object, "error", NULL);
  return reason != NULL ? g_utf8_make_valid (reason, MIN (strlen (reason), 200)) : NULL;
}

static void
status_error (YunSyncHttp  *http,
              const char   *what,
              SoupMessage  *msg,
              GBytes       *body,
              GError      **error)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *reason = dup_reason (body);
  YunReplicatorError code;

  switch (status) {
  case SOUP_STATUS_UNAUTHORIZED:
  case SOUP_STATUS_FORBIDDEN:
    code = YUN_REPLICATOR_ERROR_UNAUTHORIZED;
    break;
  case SOUP_STATUS_NOT_FOUND:
    code = YUN_REPLICATOR_ERROR_NOT_FOUND;
    break;
  case SOUP_STATUS_CONFLICT:
    code = YUN_REPLICATOR_ERROR_CONFLICT;
    break;
  default:
    code = YUN_REPLICATOR_ERROR_SERVER;
    break;
  }
  g_set_error (error, YUN_REPLICATOR_ERROR, code, "%s: %s: HTTP %u %s%s%s", http->url, what,
               status, soup_message_get_reason_phrase (msg) != NULL
                 ? soup_message_get_reason_phrase (msg) : "",
               reason != NULL ? ": " : "", reason != NULL ? reason : "");
}

/* Requests. */

static void
count_traffic (SoupMessage *msg,
               YunSyncCall *call)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (msg);

  if (metrics == NULL)
    return;
  call->bytes_sent += soup_message_metrics_get_request_header_bytes_sent (metrics) +
                      soup_message_metrics_get_request_body_bytes_sent (metrics);
  call->bytes_received += soup_message_metrics_get_response_header_bytes_received (metrics) +
                          soup_message_metrics_get_response_body_bytes_received (metrics);
}

static SoupMessage *
new_message (YunSyncHttp  *http,
             const char   *method,
             const char   *path,
             const char   *query,
             JsonNode     *body,
             const char   *what,
             GError      **error)
{
  g_autofree char *url = g_strconcat (http->url, path, query != NULL ? "?" : "",
                                      query != NULL ? query : "", NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  if (msg == NULL) {
    g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_INVALID,
                 "%s: %s: cannot make a request of \"%s\"", http->url, what, url);
    return NULL;
  }
  soup_message_add_flags (msg, SOUP_MESSAGE_COLLECT_METRICS);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (http->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", http->authorization);
  if (body != NULL) {
    gsize length;
    char *text = json_to_string (body, FALSE);

    length = strlen (text);
    soup_message_set_request_body_from_bytes (msg, "application/json",
                                              g_bytes_new_take (text, length));
  }
  return msg;
}

/* Sends @msg and reads its whole answer, up to @max bytes. */
static GBytes *
send_and_read (YunSyncHttp  *http,
               SoupMessage  *msg,
               const char   *what,
               gsize         max,
               YunSyncCall  *call,
               GError      **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  gboolean too_large = FALSE;

  stream = soup_session_send (http->session, msg, call->cancellable, &local_error);
  while (stream != NULL) {
    guint old = buffer->len;
    gssize n;

    g_byte_array_set_size (buffer, old + READ_CHUNK);
    n = g_input_stream_read (stream, buffer->data + old, READ_CHUNK, call->cancellable,
                             &local_error);
    g_byte_array_set_size (buffer, old + MAX (n, 0));
    if (n <= 0)
      break;
    if (buffer->len > max) {
      too_large = TRUE;
      break;
    }
  }
  if (stream != NULL)
    g_input_stream_close (stream, NULL, NULL);
  count_traffic (msg, call);

  if (local_error != NULL) {
    transport_error (http, what, g_steal_pointer (&local_error), error);
    return NULL;
  }
  if (too_large) {
    protocol_error (http, what, error, "the answer is larger than %u MiB",
                    (guint) (max / (1024 * 1024)));
    return NULL;
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* One request.  Returns the body of a 2xx answer, or of an answer whose
 * status is in @tolerated (then *@status says which); other statuses are
 * errors. */
static GBytes *
request (YunSyncHttp   *http,
         const char    *method,
         const char    *path,
         const char    *query,
         JsonNode      *body,
         const char    *what,
         const guint   *tolerated,
         guint         *status,
         YunSyncCall   *call,
         GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint code;

  msg = new_message (http, method, path, query, body, what, error);
  if (msg == NULL)
    return NULL;
  answer = send_and_read (http, msg, what, YUN_SYNC_MAX_RESPONSE, call, error);
  if (answer == NULL)
    return NULL;

  code = soup_message_get_status (msg);
  if (status != NULL)
    *status = code;
  if (SOUP_STATUS_IS_SUCCESSFUL (code))
    return g_steal_pointer (&answer);
  for (guint i = 0; tolerated != NULL && tolerated[i] != 0; i++) {
    if (tolerated[i] == code)
      return g_steal_pointer (&answer);
  }
  status_error (http, what, msg, answer, error);
  return NULL;
}

static JsonNode *
parse_answer (YunSyncHttp  *http,
              const char   *what,
              GBytes       *answer,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (answer, &length);
  JsonNode *node;

  node = yun_json_parse_bounded (data != NULL ? data : "", length, YUN_SYNC_MAX_RESPONSE,
                                 YUN_SYNC_MAX_DEPTH, &local_error);
  if (node == NULL)
    protocol_error (http, what, error, "the answer is not JSON (%s)", local_error->message);
  return node;
}

/* A request whose 2xx answer must be a JSON object or array. */
static JsonNode *
request_json (YunSyncHttp   *http,
              const char    *method,
              const char    *path,
              const char    *query,
              JsonNode      *body,
              const char    *what,
              JsonNodeType   expected,
              YunSyncCall   *call,
              GError       **error)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;

  answer = request (http, method, path, query, body, what, NULL, NULL, call, error);
  if (answer == NULL)
    return NULL;
  node = parse_answer (http, what, answer, error);
  if (node == NULL)
    return NULL;
  if (JSON_NODE_TYPE (node) != expected) {
    protocol_error (http, what, error, "expected an %s, got %s",
                    expected == JSON_NODE_OBJECT ? "object" : "array",
                    yun_json_type_name (node));
    return NULL;
  }
  return g_steal_pointer (&node);
}

/* Checks. */

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_rev (JsonNode *node)
{
  return is_string (node) && yun_revision_parse (json_node_get_string (node), NULL, NULL);
}

static gboolean
is_doc_id (JsonNode *node)
{
  const char *id;

  if (!is_string (node))
    return FALSE;
  id = json_node_get_string (node);
  return id[0] != '\0' && strlen (id) <= YUN_DOC_STORE_MAX_ID;
}

/* A changes feed: {results: [{seq, id, changes: [{rev}]}], last_seq}.
 * Local documents are never replicated, so rows that name one are
 * dropped. */
static JsonObject *
check_changes (YunSyncHttp  *http,
               JsonNode     *node,
               GError      **error)
{
  const char *what = "_changes";
  JsonObject *feed = json_node_get_object (node);
  JsonNode *results = json_object_get_member (feed, "results");
  JsonNode *last_seq = json_object_get_member (feed, "last_seq");
  g_autoptr(JsonArray) kept = json_array_new ();
  g_autoptr(JsonObject) checked = json_object_new ();
  JsonArray *rows;

  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results)) {
    protocol_error (http, what, error, "results: expected an array");
    return NULL;
  }
  if (last_seq == NULL || JSON_NODE_HOLDS_NULL (last_seq)) {
    protocol_error (http, what, error, "last_seq is missing");
    return NULL;
  }

  rows = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonNode *row_node = json_array_get_element (rows, i);
    JsonObject *row;
    JsonNode *changes;

    if (!JSON_NODE_HOLDS_OBJECT (row_node)) {
      protocol_error (http, what, error, "results[%u]: expected an object", i);
      return NULL;
    }
    row = json_node_get_object (row_node);
    changes = json_object_get_member (row, "changes");
    if (!is_doc_id (json_object_get_member (row, "id")) ||
        json_object_get_member (row, "seq") == NULL ||
        changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) ||
        json_array_get_length (json_node_get_array (changes)) == 0) {
      protocol_error (http, what, error, "results[%u]: expected {seq, id, changes}", i);
      return NULL;
    }
    for (guint j = 0; j < json_array_get_length (json_node_get_array (changes)); j++) {
      JsonNode *change = json_array_get_element (json_node_get_array (changes), j);

      if (!JSON_NODE_HOLDS_OBJECT (change) ||
          !is_rev (json_object_get_member (json_node_get_object (change), "rev"))) {
        protocol_error (http, what, error, "results[%u].changes[%u]: expected {rev}", i, j);
        return NULL;
      }
    }
    if (g_str_has_prefix (json_object_get_string_member (row, "id"), "_local/"))
      continue;
    json_array_add_object_element (kept, json_object_ref (row));
  }

  json_object_set_array_member (checked, "results", g_steal_pointer (&kept));
  json_object_set_member (checked, "last_seq", json_node_copy (last_seq));
  return g_steal_pointer (&checked);
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++) {
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  }
  return FALSE;
}

/* A revs_diff answer, keeping only what was asked about. */
static JsonObject *
check_revs_diff (YunSyncHttp  *http,
                 JsonNode     *node,
                 JsonObject   *asked,
                 GError      **error)
{
  const char *what = "_revs_diff";
  g_autoptr(JsonObject) checked = json_object_new ();
  JsonObjectIter iter;
  const char *id;
  JsonNode *entry_node;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &id, &entry_node)) {
    JsonArray *asked_revs = yun_sync_array_member (asked, id);
    g_autoptr(JsonArray) missing = json_array_new ();
    g_autoptr(JsonArray) ancestors = json_array_new ();
    g_autoptr(JsonObject) entry = json_object_new ();
    JsonNode *list;

    if (!json_object_has_member (asked, id))
      continue;
    if (!JSON_NODE_HOLDS_OBJECT (entry_node)) {
      protocol_error (http, what, error, "%s: expected an object", id);
      return NULL;
    }
    list = json_object_get_member (json_node_get_object (entry_node), "missing");
    if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list)) {
      protocol_error (http, what, error, "%s.missing: expected an array", id);
      return NULL;
    }
    for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++) {
      JsonNode *rev = json_array_get_element (json_node_get_array (list), i);

      if (!is_rev (rev)) {
        protocol_error (http, what, error, "%s.missing[%u]: expected a revision", id, i);
        return NULL;
      }
      if (array_has_string (asked_revs, json_node_get_string (rev)) &&
          !array_has_string (missing, json_node_get_string (rev)))
        json_array_add_string_element (missing, json_node_get_string (rev));
    }
    list = json_object_get_member (json_node_get_object (entry_node), "possible_ancestors");
    for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
                      i < json_array_get_length (json_node_get_array (list)); i++) {
      JsonNode *rev = json_array_get_element (json_node_get_array (list), i);

      if (is_rev (rev))
        json_array_add_string_element (ancestors, json_node_get_string (rev));
    }

    if (json_array_get_length (missing) == 0)
      continue;
    json_object_set_array_member (entry, "missing", g_steal_pointer (&missing));
    if (json_array_get_length (ancestors) > 0)
      json_object_set_array_member (entry, "possible_ancestors", g_steal_pointer (&ancestors));
    json_object_set_object_member (checked, id, g_steal_pointer (&entry));
  }
  return g_steal_pointer (&checked);
}

/* A revision a source sent: an object with the `_id` asked for and a
 * `_rev`.  The store or server it is written to checks the rest. */
static gboolean
check_doc (YunSyncHttp  *http,
           const char   *what,
           JsonNode     *node,
           const char   *id,
           GError      **error)
{
  JsonObject *doc;
  JsonNode *revisions;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)) {
    protocol_error (http, what, error, "%s: expected a document object", id);
    return FALSE;
  }
  doc = json_node_get_object (node);
  revisions = json_object_get_member (doc, "_revisions");
  if (g_strcmp0 (json_object_get_string_member_with_default (doc, "_id", NULL), id) != 0 ||
      !is_rev (json_object_get_member (doc, "_rev")) ||
      (revisions != NULL && !JSON_NODE_HOLDS_OBJECT (revisions))) {
    protocol_error (http, what, error, "%s: expected a revision of \"%s\" with _id and _rev",
                    id, id);
    return FALSE;
  }
  return TRUE;
}

/* Public. */

YunSyncHttp *
yun_sync_http_new (GUri    *uri,
                   GError **error)
{
  g_autofree char *path = NULL;
  const char *scheme = g_uri_get_scheme (uri);
  YunSyncHttp *http;
  gsize length;

  if ((g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0') {
    g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_INVALID,
                 "\"%s\" is not an http or https URL of a database", g_uri_get_path (uri));
    return NULL;
  }

  path = g_strdup (g_uri_get_path (uri));
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    path[--length] = '\0';

  http = g_new0 (YunSyncHttp, 1);
  http->url = g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, g_uri_get_host (uri),
                          g_uri_get_port (uri), path, NULL, NULL);
  http->session = soup_session_new_with_options ("timeout", YUN_SYNC_ENDPOINT_DEFAULT_TIMEOUT,
                                                 "user-agent", "Yun/" YUN_VERSION,
                                                 NULL);

  if (g_uri_get_user (uri) != NULL) {
    g_autofree char *user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
    g_autofree char *password = g_uri_unescape_string (g_uri_get_password (uri) != NULL
                                                         ? g_uri_get_password (uri) : "",
                                                       NULL);
    g_autofree char *pair = g_strconcat (user != NULL ? user : "", ":",
                                         password != NULL ? password : "", NULL);
    g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

    http->authorization = g_strconcat ("Basic ", encoded, NULL);
  }
  return http;
}

void
yun_sync_http_free (YunSyncHttp *http)
{
  soup_session_abort (http->session);
  g_object_unref (http->session);
  g_free (http->url);
  g_free (http->authorization);
  g_free (http);
}

const char *
yun_sync_http_get_url (YunSyncHttp *http)
{
  return http->url;
}

void
yun_sync_http_set_authorization (YunSyncHttp *http,
                                 const char  *value)
{
  g_free (http->authorization);
  http->authorization = g_strdup (value);
}

void
yun_sync_http_set_timeout (YunSyncHttp *http,
                           guint        seconds)
{
  g_object_set (http->session, "timeout", seconds, NULL);
}

gboolean
yun_sync_http_open_db (YunSyncHttp  *http,
                       gboolean      create,
                       YunSyncCall  *call,
                       GError      **error)
{
  static const guint tolerate_412[] = { SOUP_STATUS_PRECONDITION_FAILED, 0 };
  g_autoptr(GBytes) answer = NULL;
  guint status = 0;

  answer = request (http, "GET", "", NULL, NULL, "the database", create ? tolerate_404 : NULL,
                    &status, call, error);
  if (answer == NULL)
    return FALSE;
  if (status != SOUP_STATUS_NOT_FOUND)
    return TRUE;

  g_clear_pointer (&answer, g_bytes_unref);
  /* 412: someone else created it meanwhile. */
  answer = request (http, "PUT", "", NULL, NULL, "creating the database", tolerate_412, NULL,
                    call, error);
  return answer != NULL;
}

static char *
local_path (const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id + strlen ("_local/"), NULL, FALSE);

  return g_strconcat ("/_local/", escaped, NULL);
}

JsonObject *
yun_sync_http_get_local (YunSyncHttp  *http,
                         const char   *id,
                         YunSyncCall  *call,
                         GError      **error)
{
  g_autofree char *path = local_path (id);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  answer = request (http, "GET", path, NULL, NULL, "reading the checkpoint", tolerate_404,
                    &status, call, error);
  if (answer == NULL || status == SOUP_STATUS_NOT_FOUND)
    return NULL;
  node = parse_answer (http, "reading the checkpoint", answer, error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    protocol_error (http, "reading the checkpoint", error, "expected an object, got %s",
                    yun_json_type_name (node));
    return NULL;
  }
  return json_object_ref (json_node_get_object (node));
}

char *
yun_sync_http_put_local (YunSyncHttp  *http,
                         JsonObject   *doc,
                         YunSyncCall  *call,
                         GError      **error)
{
  const char *what = "writing the checkpoint";
  g_autofree char *path = local_path (json_object_get_string_member (doc, "_id"));
  g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), doc);
  g_autoptr(JsonNode) node = NULL;
  JsonNode *rev;

  node = request_json (http, "PUT", path, NULL, body, what, JSON_NODE_OBJECT, call, error);
  if (node == NULL)
    return NULL;
  rev = json_object_get_member (json_node_get_object (node), "rev");
  if (!is_string (rev)) {
    protocol_error (http, what, error, "the answer has no rev");
    return NULL;
  }
  return g_strdup (json_node_get_string (rev));
}

/* A sequence as a query parameter: CouchDB 1.x and PouchDB count with
 * integers, CouchDB 2 and later with opaque strings. */
static char *
seq_param (JsonNode *since)
{
  g_autofree char *text = NULL;

  if (since == NULL)
    return g_strdup ("0");
  if (JSON_NODE_HOLDS_VALUE (since) && json_node_get_value_type (since) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (since));
  if (is_string (since))
    return g_uri_escape_string (json_node_get_string (since), NULL, FALSE);
  text = json_to_string (since, FALSE);
  return g_uri_escape_string (text, NULL, FALSE);
}

JsonObject *
yun_sync_http_changes (YunSyncHttp  *http,
                       JsonNode     *since,
                       guint         limit,
                       YunSyncCall  *call,
                       GError      **error)
{
  g_autofree char *seq = seq_param (since);
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (limit > 0)
    query = g_strdup_printf ("style=all_docs&since=%s&limit=%u", seq, limit);
  else
    query = g_strdup_printf ("style=all_docs&since=%s", seq);
  node = request_json (http, "GET", "/_changes", query, NULL, "_changes", JSON_NODE_OBJECT,
                       call, error);
  if (node == NULL)
    return NULL;
  return check_changes (http, node, error);
}

JsonObject *
yun_sync_http_revs_diff (YunSyncHttp  *http,
                         JsonObject   *revs,
                         YunSyncCall  *call,
                         GError      **error)
{
  g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), revs);
  g_autoptr(JsonNode) node = NULL;

  node = request_json (http, "POST", "/_revs_diff", NULL, body, "_revs_diff",
                       JSON_NODE_OBJECT, call, error);
  if (node == NULL)
    return NULL;
  return check_revs_diff (http, node, revs, error);
}

/* `_bulk_get`; FALSE without error when the server does not have it. */
static gboolean
fetch_bulk_get (YunSyncHttp  *http,
                JsonObject   *diff,
                JsonArray    *docs,
                YunSyncCall  *call,
                GError      **error)
{
  static const guint tolerated[] = { SOUP_STATUS_NOT_FOUND, SOUP_STATUS_METHOD_NOT_ALLOWED, 0 };
  const char *what = "_bulk_get";
  g_autoptr(JsonArray) wanted = json_array_new ();
  g_autoptr(JsonObject) request_object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonNode *results;
  JsonObjectIter iter;
  const char *id;
  JsonNode *entry;
  guint status = 0;

  json_object_iter_init_ordered (&iter, diff);
  while (json_object_iter_next_ordered (&iter, &id, &entry)) {
    JsonArray *missing = json_object_get_array_member (json_node_get_object (entry), "missing");
    JsonArray *ancestors = yun_sync_array_member (json_node_get_object (entry),
                                                  "possible_ancestors");

    for (guint i = 0; i < json_array_get_length (missing); i++) {
      g_autoptr(JsonObject) item = json_object_new ();

      json_object_set_string_member (item, "id", id);
      json_object_set_string_member (item, "rev", json_array_get_string_element (missing, i));
      if (ancestors != NULL)
        json_object_set_array_member (item, "atts_since", json_array_ref (ancestors));
      json_array_add_object_element (wanted, g_steal_pointer (&item));
    }
  }
  json_object_set_array_member (request_object, "docs", g_steal_pointer (&wanted));
  body = json_node_init_object (json_node_alloc (), request_object);

  answer = request (http, "POST", "/_bulk_get", "revs=true&attachments=true", body, what,
                    tolerated, &status, call, error);
  if (answer == NULL)
    return FALSE;
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_METHOD_NOT_ALLOWED) {
    g_atomic_int_set (&http->no_bulk_get, TRUE);
    return FALSE;
  }

  node = parse_answer (http, what, answer, error);
  if (node == NULL)
    return FALSE;
  results = JSON_NODE_HOLDS_OBJECT (node)
              ? json_object_get_member (json_node_get_object (node), "results") : NULL;
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results)) {
    protocol_error (http, what, error, "expected {\"results\": [...]}");
    return FALSE;
  }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (results)); i++) {
    JsonNode *result = json_array_get_element (json_node_get_array (results), i);
    JsonObject *object = JSON_NODE_HOLDS_OBJECT (result) ? json_node_get_object (result) : NULL;
    JsonNode *result_id = object != NULL ? json_object_get_member (object, "id") : NULL;
    JsonNode *rows = object != NULL ? json_object_get_member (object, "docs") : NULL;

    if (!is_string (result_id) || !json_object_has_member (diff, json_node_get_string (result_id)) ||
        rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows)) {
      protocol_error (http, what, error, "results[%u]: expected {id, docs} for an id asked for",
                      i);
      return FALSE;
    }
    for (guint j = 0; j < json_array_get_length (json_node_get_array (rows)); j++) {
      JsonNode *row = json_array_get_element (json_node_get_array (rows), j);
      JsonNode *doc = JSON_NODE_HOLDS_OBJECT (row)
                        ? json_object_get_member (json_node_get_object (row), "ok") : NULL;

      /* {"error": ...}: the revision is gone; a later change carries its
       * successor. */
      if (doc == NULL)
        continue;
      if (!check_doc (http, what, doc, json_node_get_string (result_id), error))
        return FALSE;
      json_array_add_element (docs, json_node_ref (doc));
    }
  }
  return TRUE;
}

/* The fallback: GET doc?open_revs=[...] for each document. */
static gboolean
fetch_open_revs (YunSyncHttp  *http,
                 const char   *id,
                 JsonObject   *entry,
                 JsonArray    *docs,
                 YunSyncCall  *call,
                 GError      **error)
{
  const char *what = "GET open_revs";
  g_autoptr(JsonNode) missing = json_node_init_array (json_node_alloc (),
                                                      json_object_get_array_member (entry,
                                                                                    "missing"));
  JsonArray *ancestors = yun_sync_array_member (entry, "possible_ancestors");
  g_autofree char *missing_text = json_to_string (missing, FALSE);
  g_autofree char *missing_param = g_uri_escape_string (missing_text, NULL, FALSE);
  g_autofree char *escaped_id = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/", escaped_id, NULL);
  g_autofree char *query = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  if (ancestors != NULL) {
    g_autoptr(JsonNode) since = json_node_init_array (json_node_alloc (), ancestors);
    g_autofree char *since_text = json_to_string (since, FALSE);
    g_autofree char *since_param = g_uri_escape_string (since_text, NULL, FALSE);

    query = g_strdup_printf ("revs=true&latest=true&attachments=true&open_revs=%s&atts_since=%s",
                             missing_param, since_param);
  } else {
    query = g_strdup_printf ("revs=true&latest=true&attachments=true&open_revs=%s",
                             missing_param);
  }

  answer = request (http, "GET", path, query, NULL, what, tolerate_404, &status, call, error);
  if (answer == NULL)
    return FALSE;
  if (status == SOUP_STATUS_NOT_FOUND)
    return TRUE;
  node = parse_answer (http, what, answer, error);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node)) {
    protocol_error (http, what, error, "%s: expected an array", id);
    return FALSE;
  }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++) {
    JsonNode *row = json_array_get_element (json_node_get_array (node), i);
    JsonNode *doc = JSON_NODE_HOLDS_OBJECT (row)
                      ? json_object_get_member (json_node_get_object (row), "ok") : NULL;

    if (doc == NULL)
      continue;
    if (!check_doc (http, what, doc, id, error))
      return FALSE;
    json_array_add_element (docs, json_node_ref (doc));
  }
  return TRUE;
}

JsonArray *
yun_sync_http_fetch (YunSyncHttp  *http,
                     JsonObject   *diff,
                     YunSyncCall  *call,
                     GError      **error)
{
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  const char *id;
  JsonNode *entry;

  if (!g_atomic_int_get (&http->no_bulk_get)) {
    if (fetch_bulk_get (http, diff, docs, call, &local_error))
      return g_steal_pointer (&docs);
    if (local_error != NULL) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  }

  json_object_iter_init_ordered (&iter, diff);
  while (json_object_iter_next_ordered (&iter, &id, &entry)) {
    if (!fetch_open_revs (http, id, json_node_get_object (entry), docs, call, error))
      return NULL;
  }
  return g_steal_pointer (&docs);
}

gboolean
yun_sync_http_write (YunSyncHttp  *http,
                     JsonArray    *docs,
                     guint        *n_failed,
                     YunSyncCall  *call,
                     GError      **error)
{
  g_autoptr(JsonObject) request_object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *rows;

  json_object_set_array_member (request_object, "docs", json_array_ref (docs));
  json_object_set_boolean_member (request_object, "new_edits", FALSE);
  body = json_node_init_object (json_node_alloc (), request_object);

  node = request_json (http, "POST", "/_bulk_docs", NULL, body, "_bulk_docs", JSON_NODE_ARRAY,
                       call, error);
  if (node == NULL)
    return FALSE;
  rows = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonNode *row = json_array_get_element (rows, i);

    if (JSON_NODE_HOLDS_OBJECT (row) && json_object_has_member (json_node_get_object (row),
                                                                "error"))
      (*n_failed)++;
  }
  return TRUE;
}

/* The long poll, asynchronous so that one thread can wait on many
 * databases at once. */

typedef struct {
  YunSyncHttp *http;    /* the endpoint that owns it outlives the wait */
  SoupMessage *msg;
  GInputStream *stream;
  GByteArray *buffer;
} Wait;

static void
wait_free (Wait *wait)
{
  g_clear_object (&wait->msg);
  g_clear_object (&wait->stream);
  g_clear_pointer (&wait->buffer, g_byte_array_unref);
  g_free (wait);
}

static void on_wait_read_ready (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);

static void
wait_finish_body (GTask *task)
{
  Wait *wait = g_task_get_task_data (task);
  YunSyncHttp *http = wait->http;
  const char *what = "waiting for changes";
  g_autoptr(GBytes) answer = g_byte_array_free_to_bytes (g_steal_pointer (&wait->buffer));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) feed = NULL;
  GError *error = NULL;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (wait->msg))) {
    status_error (http, what, wait->msg, answer, &error);
    g_task_return_error (task, error);
    return;
  }
  node = parse_answer (http, what, answer, &error);
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    protocol_error (http, what, &error, "expected an object");
  else if (node != NULL)
    feed = check_changes (http, node, &error);
  if (feed == NULL) {
    g_task_return_error (task, error);
    return;
  }
  g_task_return_boolean (task,
                         json_array_get_length (json_object_get_array_member (feed, "results"))
                         > 0);
}

static void
on_wait_read_ready (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Wait *wait = g_task_get_task_data (task);
  YunSyncHttp *http = wait->http;
  GCancellable *cancellable;
  g_autoptr(GBytes) bytes = NULL;
  GError *cause = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &cause);
  if (bytes == NULL) {
    transport_error (http, "waiting for changes", cause, &error);
    g_task_return_error (task, error);
    return;
  }
  if (g_bytes_get_size (bytes) == 0) {
    wait_finish_body (task);
    return;
  }
  g_byte_array_append (wait->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (wait->buffer->len > MAX_WAIT_RESPONSE) {
    protocol_error (http, "waiting for changes", &error, "the answer is too large");
    g_task_return_error (task, error);
    return;
  }
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (wait->stream, READ_CHUNK, G_PRIORITY_DEFAULT, cancellable,
                                   on_wait_read_ready, g_steal_pointer (&task));
}

static void
on_wait_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Wait *wait = g_task_get_task_data (task);
  YunSyncHttp *http = wait->http;
  GCancellable *cancellable;
  GError *cause = NULL;
  GError *error = NULL;

  wait->stream = soup_session_send_finish (SOUP_SESSION (source), result, &cause);
  if (wait->stream == NULL) {
    transport_error (http, "waiting for changes", cause, &error);
    g_task_return_error (task, error);
    return;
  }
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (wait->stream, READ_CHUNK, G_PRIORITY_DEFAULT, cancellable,
                                   on_wait_read_ready, g_steal_pointer (&task));
}

/* Waits with `feed=longpoll` until the database changes after @since.
 * The server sends a newline every @heartbeat_ms meanwhile, or ends the
 * poll after that long, so a dead connection fails at the session's
 * timeout, which must be longer.
 * Callbacks come in the thread-default main context. */
void
yun_sync_http_wait_changes_async (YunSyncHttp         *http,
                                  JsonNode            *since,
                                  guint                heartbeat_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *seq = seq_param (since);
  /* PouchDB Server ignores `timeout` and CouchDB lets `heartbeat` win;
   * a server that ends the poll instead (yun-cloud) answers "no changes"
   * and is asked again. */
  g_autofree char *query = g_strdup_printf ("feed=longpoll&since=%s&limit=1&heartbeat=%u"
                                            "&timeout=%u", seq, heartbeat_ms, heartbeat_ms);
  Wait *wait = g_new0 (Wait, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, yun_sync_http_wait_changes_async);
  g_task_set_task_data (task, wait, (GDestroyNotify) wait_free);
  wait->http = http;
  wait->buffer = g_byte_array_new ();
  wait->msg = new_message (http, "GET", "/_changes", query, NULL, "waiting for changes", &error);
  if (wait->msg == NULL) {
    g_task_return_error (task, error);
    return;
  }
  soup_session_send_async (http->session, wait->msg, G_PRIORITY_DEFAULT, cancellable,
                           on_wait_sent, g_steal_pointer (&task));
}

gboolean
yun_sync_http_wait_changes_finish (YunSyncHttp   *http,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
