/* yun-test-proxy.c: a loopback HTTP proxy that breaks chosen requests.
 *
 * It runs in the test thread's main context: the client under test must
 * run in another thread (or asynchronously) while the test spins the main
 * loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-test-proxy.h"

#include <libsoup/soup.h>

#include <string.h>

#define DEFAULT_GARBAGE "{\"results\":[{\"seq\":1,\"id\":\"a\",\"changes\":[{\"rev\":"

typedef struct {
  char *method;
  char *path_part;
  guint nth;
  guint times;
  guint seen;
  YunTestFault fault;
  guint value;
  char *body;
} Rule;

struct _YunTestProxy {
  SoupServer *server;
  SoupSession *session;
  char *upstream;
  char *url;
  GPtrArray *rules;
  GPtrArray *log;
  char *authorization;  /* of the last request */
  GCancellable *closing;
  GPtrArray *delayed;   /* Request, waiting for their delay */
  guint pending;
};

typedef struct {
  YunTestProxy *proxy;
  SoupServerMessage *msg;
  Rule *rule;
  guint delay_id;
} Request;

static void
rule_free (Rule *rule)
{
  g_free (rule->method);
  g_free (rule->path_part);
  g_free (rule->body);
  g_free (rule);
}

static void
request_free (Request *request)
{
  request->proxy->pending--;
  g_object_unref (request->msg);
  g_free (request);
}

static gboolean
matches (const char *method,
         const char *path_part,
         const char *request_method,
         const char *request_path)
{
  return (method == NULL || g_strcmp0 (method, request_method) == 0) &&
         strstr (request_path, path_part) != NULL;
}

static void
cut (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
}

/* The real answer's headers, then half its body, then the end. */
static void
truncate_answer (SoupServerMessage *msg,
                 guint              status,
                 GBytes            *body)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u OK\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                           status, g_bytes_get_size (body));
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body) / 2,
                             NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
on_upstream_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Request *request = user_data;
  SoupMessage *upstream = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  YunTestFault fault = request->rule != NULL ? request->rule->fault : YUN_TEST_FAULT_DELAY;
  const char *content_type = NULL;

  soup_server_message_unpause (request->msg);
  if (body == NULL) {
    soup_server_message_set_status (request->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  } else if (fault == YUN_TEST_FAULT_CUT) {
    cut (request->msg);
  } else if (fault == YUN_TEST_FAULT_TRUNCATE) {
    truncate_answer (request->msg, soup_message_get_status (upstream), body);
  } else if (fault == YUN_TEST_FAULT_GARBAGE) {
    const char *garbage = request->rule->body != NULL ? request->rule->body : DEFAULT_GARBAGE;

    soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_COPY,
                                      garbage, strlen (garbage));
  } else {
    content_type = soup_message_headers_get_content_type (
      soup_message_get_response_headers (upstream), NULL);
    soup_server_message_set_status (request->msg, soup_message_get_status (upstream), NULL);
    soup_server_message_set_response (request->msg,
                                      content_type != NULL ? content_type : "application/json",
                                      SOUP_MEMORY_COPY, g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body));
  }
  request_free (request);
}

static gboolean
forward (gpointer user_data)
{
  Request *request = user_data;
  YunTestProxy *proxy = request->proxy;
  SoupServerMessage *msg = request->msg;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) upstream = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *out;
  static const char *const forwarded[] = { "Accept", "Authorization" };

  if (request->delay_id != 0) {
    request->delay_id = 0;
    g_ptr_array_remove (proxy->delayed, request);
  }
  if (g_cancellable_is_cancelled (proxy->closing)) {
    soup_server_message_unpause (msg);
    soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
    request_free (request);
    return G_SOURCE_REMOVE;
  }

  url = g_strconcat (proxy->upstream, g_uri_get_path (uri) + 1,
                     g_uri_get_query (uri) != NULL ? "?" : "",
                     g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "", NULL);
  upstream = soup_message_new (soup_server_message_get_method (msg), url);
  g_assert_nonnull (upstream);
  out = soup_message_get_request_headers (upstream);
  /* The client's credentials go through: a server behind the proxy
   * checks them. */
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++) {
    const char *value = soup_message_headers_get_one (in, forwarded[i]);

    if (value != NULL)
      soup_message_headers_replace (out, forwarded[i], value);
  }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (upstream, "application/json", body);

  soup_session_send_and_read_async (proxy->session, upstream, G_PRIORITY_DEFAULT,
                                    proxy->closing, on_upstream_ready, request);
  return G_SOURCE_REMOVE;
}

/* Once a request's headers are in, before its body: the request is logged
 * and its rule chosen here, so that a rule can cut the upload. */
static void
on_request_headers (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  YunTestProxy *proxy = user_data;
  const char *method = soup_server_message_get_method (msg);
  Rule *rule = NULL;

  g_ptr_array_add (proxy->log, g_strconcat (method, " ", path, NULL));
  g_free (proxy->authorization);
  proxy->authorization = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization"));
  for (guint i = 0; i < proxy->rules->len; i++) {
    Rule *candidate = g_ptr_array_index (proxy->rules, i);

    if (!matches (candidate->method, candidate->path_part, method, path))
      continue;
    candidate->seen++;
    if (rule == NULL && (candidate->nth == 0 ||
                         (candidate->seen >= candidate->nth &&
                          candidate->seen < candidate->nth + candidate->times)))
      rule = candidate;
  }

  if (rule != NULL && rule->fault == YUN_TEST_FAULT_CUT_UPLOAD)
    cut (msg);
  else
    g_object_set_data (G_OBJECT (msg), "yun-test-proxy-rule", rule);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  YunTestProxy *proxy = user_data;
  Rule *rule = g_object_get_data (G_OBJECT (msg), "yun-test-proxy-rule");
  Request *request;

  if (rule != NULL && rule->fault == YUN_TEST_FAULT_STATUS) {
    const char *body = rule->body != NULL ? rule->body
                                          : "{\"error\":\"injected\",\"reason\":\"by the test\"}";

    soup_server_message_set_status (msg, rule->value, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                      strlen (body));
    return;
  }
  if (rule != NULL && rule->fault == YUN_TEST_FAULT_CUT_BEFORE) {
    cut (msg);
    return;
  }

  request = g_new0 (Request, 1);
  request->proxy = proxy;
  request->msg = g_object_ref (msg);
  request->rule = rule;
  proxy->pending++;
  soup_server_message_pause (msg);
  if (rule != NULL && rule->fault == YUN_TEST_FAULT_DELAY) {
    request->delay_id = g_timeout_add (rule->value, forward, request);
    g_ptr_array_add (proxy->delayed, request);
  } else
    forward (request);
}

/**
 * yun_test_proxy_new:
 * @upstream: the server's root URL, ending in a slash
 *
 * Returns: (transfer full): a proxy listening on a free loopback port
 */
YunTestProxy *
yun_test_proxy_new (const char *upstream)
{
  YunTestProxy *proxy = g_new0 (YunTestProxy, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  proxy->upstream = g_strdup (upstream);
  proxy->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  proxy->log = g_ptr_array_new_with_free_func (g_free);
  proxy->closing = g_cancellable_new ();
  proxy->delayed = g_ptr_array_new ();
  /* Long polls hold connections: do not let them queue other requests. */
  proxy->session = soup_session_new_with_options ("max-conns", 256, "max-conns-per-host", 256,
                                                  NULL);
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_early_handler (proxy->server, NULL, on_request_headers, proxy, NULL);
  soup_server_add_handler (proxy->server, NULL, on_request, proxy, NULL);
  soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return proxy;
}

/**
 * yun_test_proxy_get_url:
 * @proxy: a proxy
 *
 * Returns: the proxy's root URL, ending in a slash
 */
const char *
yun_test_proxy_get_url (YunTestProxy *proxy)
{
  return proxy->url;
}

/**
 * yun_test_proxy_break:
 * @proxy: a proxy
 * @method: (nullable): the request method to break, or %NULL for any
 * @path_part: what the request's path contains ("" for any)
 * @nth: break the nth matching request, counting from 1; 0 for every one
 * @fault: how to break it
 * @value: the status for %YUN_TEST_FAULT_STATUS, the milliseconds for
 *   %YUN_TEST_FAULT_DELAY; for the other faults, how many matching
 *   requests in a row to break from the nth on (0 for one)
 * @body: (nullable): the body for %YUN_TEST_FAULT_GARBAGE or
 *   %YUN_TEST_FAULT_STATUS
 *
 * Adds a fault; the first rule that matches a request decides.
 */
void
yun_test_proxy_break (YunTestProxy *proxy,
                      const char   *method,
                      const char   *path_part,
                      guint         nth,
                      YunTestFault  fault,
                      guint         value,
                      const char   *body)
{
  Rule *rule = g_new0 (Rule, 1);

  rule->method = g_strdup (method);
  rule->path_part = g_strdup (path_part);
  rule->nth = nth;
  rule->times = 1;
  if (fault != YUN_TEST_FAULT_STATUS && fault != YUN_TEST_FAULT_DELAY && value > 0)
    rule->times = value;
  rule->fault = fault;
  rule->value = value;
  rule->body = g_strdup (body);
  g_ptr_array_add (proxy->rules, rule);
}

/**
 * yun_test_proxy_clear:
 * @proxy: a proxy
 *
 * Removes every fault and forgets the requests seen.
 */
void
yun_test_proxy_clear (YunTestProxy *proxy)
{
  g_ptr_array_set_size (proxy->rules, 0);
  g_ptr_array_set_size (proxy->log, 0);
}

/**
 * yun_test_proxy_count:
 * @proxy: a proxy
 * @method: (nullable): a method, or %NULL for any
 * @path_part: what the paths contain
 *
 * Returns: how many such requests the proxy received
 */
guint
yun_test_proxy_count (YunTestProxy *proxy,
                      const char   *method,
                      const char   *path_part)
{
  guint n = 0;

  for (guint i = 0; i < proxy->log->len; i++) {
    const char *line = g_ptr_array_index (proxy->log, i);
    const char *space = strchr (line, ' ');
    g_autofree char *line_method = g_strndup (line, space - line);

    if (matches (method, path_part, line_method, space + 1))
      n++;
  }
  return n;
}

/**
 * yun_test_proxy_get_authorization:
 * @proxy: a proxy
 *
 * Returns: (nullable): the Authorization header of the last request
 */
const char *
yun_test_proxy_get_authorization (YunTestProxy *proxy)
{
  return proxy->authorization;
}

/**
 * yun_test_proxy_free:
 * @proxy: (nullable): a proxy
 *
 * Ends the requests in flight (long polls would wait for ever), then
 * stops the proxy.
 */
void
yun_test_proxy_free (YunTestProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_cancellable_cancel (proxy->closing);
  while (proxy->delayed->len > 0) {
    Request *request = g_ptr_array_index (proxy->delayed, 0);

    g_source_remove (request->delay_id);
    forward (request);
  }
  while (proxy->pending > 0)
    g_main_context_iteration (NULL, TRUE);
  soup_server_disconnect (proxy->server);
  g_object_unref (proxy->server);
  soup_session_abort (proxy->session);
  g_object_unref (proxy->session);
  g_ptr_array_unref (proxy->rules);
  g_ptr_array_unref (proxy->log);
  g_free (proxy->upstream);
  g_free (proxy->url);
  g_free (proxy->authorization);
  g_object_unref (proxy->closing);
  g_ptr_array_unref (proxy->delayed);
  g_free (proxy);
}
