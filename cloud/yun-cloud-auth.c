/* yun-cloud-auth.c: who is calling, and the /accounts routes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-auth.h"

#include "yun-cloud-job.h"
#include "yun-json.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

/**
 * YunCloudAuth:
 *
 * Authenticates requests the ways CouchDB does: HTTP Basic with a name and
 * password, or `Authorization: Bearer <token>` with a token from
 * `POST /accounts/session`.
 *
 * Checking a password takes tens of milliseconds on purpose, too long for
 * every request of a replication that uses Basic.  So a name and password
 * that were verified are remembered for
 * %YUN_CLOUD_AUTH_BASIC_CACHE_SECONDS, keyed by an HMAC of the two under a
 * random key made at start-up: the cache holds no password, and its keys
 * say nothing without the key.
 *
 * It also serves the account routes:
 *
 * - `POST /accounts` `{"name", "password"}`: register; 201
 * - `POST /accounts/session` `{"name", "password"}`: sign in; 201 with
 *   `{"ok", "name", "token", "expires"}`, `expires` in ISO 8601 UTC
 * - `GET /accounts/session`: who the credentials belong to
 * - `DELETE /accounts/session`: revoke the bearer token presented;
 *   with `?all=true`, every token of the user
 *
 * Bodies are JSON of at most %YUN_CLOUD_AUTH_MAX_BODY bytes; errors are
 * CouchDB's `{"error", "reason"}`.
 */

/* The most remembered Basic credentials; past it the expired ones go, and
 * if that is not enough, all. */
#define MAX_CACHED 4096
#define CACHE_KEY_BYTES 32

typedef struct {
  char   *name;
  gint64  expires;
} CacheEntry;

struct _YunCloudAuth {
  GObject           parent_instance;

  YunCloudAccounts *accounts;
  /* The jobs in flight, to cancel in dispose. */
  GHashTable       *jobs;

  GMutex            cache_mutex;
  guint8            cache_key[CACHE_KEY_BYTES];
  /* HMAC hex digest → CacheEntry. */
  GHashTable       *cache;
};

G_DEFINE_FINAL_TYPE (YunCloudAuth, yun_cloud_auth, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-cloud-auth-error-quark, yun_cloud_auth_error)

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->name);
  g_free (entry);
}

static char *
cache_key (YunCloudAuth *self,
           const char   *name,
           const char   *password)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->cache_key, CACHE_KEY_BYTES);

  /* The NUL keeps "ab" + "c" apart from "a" + "bc". */
  g_hmac_update (hmac, (const guchar *) name, strlen (name) + 1);
  g_hmac_update (hmac, (const guchar *) password, strlen (password));

  return g_strdup (g_hmac_get_string (hmac));
}

static gboolean
cache_lookup (YunCloudAuth *self,
              const char   *key,
              const char   *name)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->cache_mutex);
  CacheEntry *entry = g_hash_table_lookup (self->cache, key);

  if (entry == NULL)
    return FALSE;

  if (entry->expires <= g_get_monotonic_time () || strcmp (entry->name, name) != 0) {
    g_hash_table_remove (self->cache, key);
    return FALSE;
  }

  return TRUE;
}

static gboolean
remove_if_expired (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  CacheEntry *entry = value;
  gint64 *now = user_data;

  return entry->expires <= *now;
}

static void
cache_insert (YunCloudAuth *self,
              char         *key,
              const char   *name)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->cache_mutex);
  CacheEntry *entry = g_new0 (CacheEntry, 1);
  gint64 now = g_get_monotonic_time ();

  if (g_hash_table_size (self->cache) >= MAX_CACHED) {
    g_hash_table_foreach_remove (self->cache, remove_if_expired, &now);
    if (g_hash_table_size (self->cache) >= MAX_CACHED)
      g_hash_table_remove_all (self->cache);
  }

  entry->name = g_strdup (name);
  entry->expires = now + YUN_CLOUD_AUTH_BASIC_CACHE_SECONDS * G_USEC_PER_SEC;
  g_hash_table_replace (self->cache, key, entry);
}

static gboolean
remove_if_user (gpointer key,
                gpointer value,
                gpointer user_data)
{
  CacheEntry *entry = value;

  return strcmp (entry->name, user_data) == 0;
}

/* Whether @text is only base64 characters with padding at the end. */
static gboolean
is_base64 (const char *text)
{
  gsize length = strlen (text);
  gsize padding = 0;

  if (length == 0 || length % 4 != 0)
    return FALSE;

  while (padding < 2 && padding < length && text[length - 1 - padding] == '=')
    padding++;

  for (gsize i = 0; i < length - padding; i++) {
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/')
      return FALSE;
  }

  return TRUE;
}

static char *
authenticate_basic (YunCloudAuth  *self,
                    const char    *credentials,
                    GError       **error)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  const char *password;
  char *colon;
  gsize length;

  /* A name and password longer than both limits together is refused
   * before decoding anything. */
  if (strlen (credentials) > 4 * (YUN_CLOUD_ACCOUNTS_MAX_NAME + YUN_CLOUD_ACCOUNTS_MAX_PASSWORD) / 3 + 8 ||
      !is_base64 (credentials)) {
    g_set_error_literal (error, YUN_CLOUD_AUTH_ERROR, YUN_CLOUD_AUTH_ERROR_MALFORMED,
                         "The Basic credentials are not base64 of name:password");
    return NULL;
  }

  decoded = g_base64_decode (credentials, &length);
  colon = memchr (decoded, ':', length);
  if (colon == NULL || memchr (decoded, '\0', length) != NULL) {
    g_set_error_literal (error, YUN_CLOUD_AUTH_ERROR, YUN_CLOUD_AUTH_ERROR_MALFORMED,
                         "The Basic credentials are not base64 of name:password");
    return NULL;
  }

  name = g_strndup ((const char *) decoded, colon - (char *) decoded);
  password = colon + 1;
  /* g_base64_decode () leaves no terminator; make the password a string. */
  {
    g_autofree char *password_copy = g_strndup (password, length - (password - (char *) decoded));
    g_autoptr(GError) local_error = NULL;

    key = cache_key (self, name, password_copy);
    if (cache_lookup (self, key, name))
      return g_steal_pointer (&name);

    if (!yun_cloud_accounts_check_password (self->accounts, name, password_copy, &local_error)) {
      if (g_error_matches (local_error, YUN_CLOUD_ACCOUNTS_ERROR,
                           YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS))
        g_set_error_literal (error, YUN_CLOUD_AUTH_ERROR, YUN_CLOUD_AUTH_ERROR_REJECTED,
                             "Name or password is incorrect");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  }

  cache_insert (self, g_steal_pointer (&key), name);

  return g_steal_pointer (&name);
}

static char *
authenticate_bearer (YunCloudAuth  *self,
                     const char    *token,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *name;

  name = yun_cloud_accounts_check_token (self->accounts, token, NULL, &local_error);
  if (name == NULL) {
    if (g_error_matches (local_error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN))
      g_set_error_literal (error, YUN_CLOUD_AUTH_ERROR, YUN_CLOUD_AUTH_ERROR_REJECTED,
                           local_error->message);
    else
      g_propagate_error (error, g_steal_pointer (&local_error));
  }

  return name;
}

/* If @header starts with the scheme @scheme and a space, returns what
 * follows, without leading blanks. */
static const char *
after_scheme (const char *header,
              const char *scheme)
{
  gsize length = strlen (scheme);

  if (g_ascii_strncasecmp (header, scheme, length) != 0 || header[length] != ' ')
    return NULL;

  header += length;
  while (*header == ' ')
    header++;

  return header;
}

/**
 * yun_cloud_auth_authenticate:
 * @self: a #YunCloudAuth
 * @authorization: (nullable): the request's `Authorization` header
 * @error: return location for a #GError
 *
 * Finds who sent a request.  Blocks on the accounts database and, for
 * Basic credentials not seen lately, hashes the password: call it from a
 * worker thread.  Safe to call from several threads.
 *
 * Returns: (transfer full) (nullable): the user's name, or %NULL with
 *   @error set to a #YunCloudAuthError (answer 401) or a
 *   #YunCloudAccountsError (the database failed; answer 500)
 */
char *
yun_cloud_auth_authenticate (YunCloudAuth  *self,
                             const char    *authorization,
                             GError       **error)
{
  const char *rest;

  g_return_val_if_fail (YUN_IS_CLOUD_AUTH (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (authorization == NULL || *authorization == '\0') {
    g_set_error_literal (error, YUN_CLOUD_AUTH_ERROR, YUN_CLOUD_AUTH_ERROR_NO_CREDENTIALS,
                         "You are not signed in: send Basic or Bearer credentials");
    return NULL;
  }

  if ((rest = after_scheme (authorization, "Basic")) != NULL)
    return authenticate_basic (self, rest, error);

  if ((rest = after_scheme (authorization, "Bearer")) != NULL)
    return authenticate_bearer (self, rest, error);

  g_set_error_literal (error, YUN_CLOUD_AUTH_ERROR, YUN_CLOUD_AUTH_ERROR_NO_CREDENTIALS,
                       "Only Basic and Bearer credentials are accepted");
  return NULL;
}

/**
 * yun_cloud_auth_forget_user:
 * @self: a #YunCloudAuth
 * @name: a user name
 *
 * Forgets the Basic credentials of @name that were verified lately, so
 * that the next request checks the password again.
 */
void
yun_cloud_auth_forget_user (YunCloudAuth *self,
                            const char   *name)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (YUN_IS_CLOUD_AUTH (self));
  g_return_if_fail (name != NULL);

  locker = g_mutex_locker_new (&self->cache_mutex);
  g_hash_table_foreach_remove (self->cache, remove_if_user, (gpointer) name);
}

/* The /accounts routes. */

typedef enum {
  ROUTE_REGISTER,
  ROUTE_SESSION,
} Route;

typedef struct {
  YunCloudAuth *auth;
  Route         route;
} AccountsRequest;

static void
accounts_request_free (AccountsRequest *request)
{
  g_clear_object (&request->auth);
  g_free (request);
}

/* Answers 401 the way CouchDB does, with a challenge. */
static void
set_unauthorized (YunCloudJob *job,
                  const char  *reason)
{
  yun_cloud_job_set_error (job, SOUP_STATUS_UNAUTHORIZED, "unauthorized", reason);
  yun_cloud_job_add_header (job, "WWW-Authenticate", YUN_CLOUD_AUTH_CHALLENGE);
}

static void
set_internal_error (YunCloudJob  *job,
                    const GError *error)
{
  g_warning ("Accounts failed: %s", error->message);
  yun_cloud_job_set_error (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                           "The accounts database failed; try again later");
}

static gboolean
is_json_type (const char *content_type)
{
  g_autofree char *type = NULL;

  if (content_type == NULL)
    return FALSE;

  type = g_ascii_strdown (content_type, strcspn (content_type, ";"));
  return strcmp (g_strstrip (type), "application/json") == 0;
}

/* Reads {"name": string, "password": string} from the body. */
static gboolean
read_name_and_password (YunCloudJob  *job,
                        const char  **name,
                        const char  **password,
                        JsonNode    **root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *names[] = { "name", "password" };
  const char **values[] = { name, password };
  JsonObject *object;
  gsize size;
  const char *data;

  if (!is_json_type (job->content_type)) {
    yun_cloud_job_set_error (job, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type",
                             "Content-Type must be application/json");
    return FALSE;
  }

  data = g_bytes_get_data (job->body, &size);
  node = yun_json_parse_bounded (data, size, YUN_CLOUD_AUTH_MAX_BODY, 8, &error);
  if (node == NULL) {
    yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
    return FALSE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request",
                             "The body must be a JSON object with name and password");
    return FALSE;
  }

  object = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    JsonNode *member = json_object_get_member (object, names[i]);
    g_autofree char *reason = NULL;

    if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
        json_node_get_value_type (member) != G_TYPE_STRING) {
      reason = g_strdup_printf ("%s: expected a string, got %s", names[i],
                                member != NULL ? yun_json_type_name (member) : "nothing");
      yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request", reason);
      return FALSE;
    }
    *values[i] = json_node_get_string (member);
  }

  *root = g_steal_pointer (&node);
  return TRUE;
}

static void
run_register (YunCloudJob  *job,
              YunCloudAuth *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *name;
  const char *password;

  if (job->method != SOUP_METHOD_POST) {
    yun_cloud_job_set_error (job, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                             "Only POST allowed");
    yun_cloud_job_add_header (job, "Allow", "POST");
    return;
  }

  if (!read_name_and_password (job, &name, &password, &root))
    return;

  if (!yun_cloud_accounts_register (self->accounts, name, password, &error)) {
    if (g_error_matches (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_EXISTS))
      yun_cloud_job_set_error (job, SOUP_STATUS_CONFLICT, "conflict", error->message);
    else if (g_error_matches (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_IO))
      set_internal_error (job, error);
    else
      yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
    return;
  }

  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "name", name);
  yun_cloud_job_set_object (job, SOUP_STATUS_CREATED, reply);
}

static char *
format_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  if (time == NULL)
    return g_strdup ("9999-12-31T23:59:59Z");

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static void
run_sign_in (YunCloudJob  *job,
             YunCloudAuth *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires_text = NULL;
  const char *name;
  const char *password;
  gint64 expires = 0;

  if (!read_name_and_password (job, &name, &password, &root))
    return;

  token = yun_cloud_accounts_sign_in (self->accounts, name, password, &expires, &error);
  if (token == NULL) {
    if (g_error_matches (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_IO))
      set_internal_error (job, error);
    else
      set_unauthorized (job, error->message);
    return;
  }

  expires_text = format_time (expires);
  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "name", name);
  json_object_set_string_member (reply, "token", token);
  json_object_set_string_member (reply, "expires", expires_text);
  yun_cloud_job_set_object (job, SOUP_STATUS_CREATED, reply);
}

static void
run_session_info (YunCloudJob  *job,
                  YunCloudAuth *self,
                  const char   *name)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(JsonObject) user = json_object_new ();

  json_object_set_string_member (user, "name", name);
  json_object_set_array_member (user, "roles", json_array_new ());
  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_object_member (reply, "userCtx", g_steal_pointer (&user));
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
}

static void
run_sign_out (YunCloudJob  *job,
              YunCloudAuth *self,
              const char   *name)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *all = yun_cloud_job_get_query (job, "all");
  const char *token = after_scheme (job->authorization, "Bearer");

  if (all != NULL && strcmp (all, "true") == 0) {
    if (!yun_cloud_accounts_revoke_all (self->accounts, name, &error)) {
      set_internal_error (job, error);
      return;
    }
  } else if (token == NULL) {
    yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request",
                             "Only a bearer token can be revoked; add ?all=true to revoke "
                             "every token of the account");
    return;
  } else if (!yun_cloud_accounts_revoke_token (self->accounts, token, &error)) {
    if (g_error_matches (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN))
      set_unauthorized (job, error->message);
    else
      set_internal_error (job, error);
    return;
  }

  json_object_set_boolean_member (reply, "ok", TRUE);
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
}

static void
run_session (YunCloudJob  *job,
             YunCloudAuth *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (job->method == SOUP_METHOD_POST) {
    run_sign_in (job, self);
    return;
  }

  if (job->method != SOUP_METHOD_GET && job->method != SOUP_METHOD_DELETE) {
    yun_cloud_job_set_error (job, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                             "Only GET, POST and DELETE allowed");
    yun_cloud_job_add_header (job, "Allow", "GET, POST, DELETE");
    return;
  }

  name = yun_cloud_auth_authenticate (self, job->authorization, &error);
  if (name == NULL) {
    if (error->domain == YUN_CLOUD_AUTH_ERROR)
      set_unauthorized (job, error->message);
    else
      set_internal_error (job, error);
    return;
  }

  if (job->method == SOUP_METHOD_GET)
    run_session_info (job, self, name);
  else
    run_sign_out (job, self, name);
}

static void
accounts_thread (YunCloudJob  *job,
                 gpointer      data,
                 GCancellable *cancellable)
{
  AccountsRequest *request = data;

  switch (request->route) {
  case ROUTE_REGISTER:
    run_register (job, request->auth);
    break;
  case ROUTE_SESSION:
    run_session (job, request->auth);
    break;
  default:
    g_assert_not_reached ();
  }
}

/**
 * yun_cloud_auth_handle:
 * @self: a #YunCloudAuth
 * @msg: a request for a path under `/accounts`
 * @path: its path, not decoded
 * @query: (nullable) (element-type utf8 utf8): its query
 *
 * Answers an account route; the work happens on a worker thread while
 * @msg is paused.
 */
void
yun_cloud_auth_handle (YunCloudAuth      *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query)
{
  AccountsRequest *request;
  YunCloudJob *job;
  Route route;

  g_return_if_fail (YUN_IS_CLOUD_AUTH (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  if (strcmp (path, "/accounts") == 0 || strcmp (path, "/accounts/") == 0) {
    route = ROUTE_REGISTER;
  } else if (strcmp (path, "/accounts/session") == 0) {
    route = ROUTE_SESSION;
  } else {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "missing");
    return;
  }

  request = g_new0 (AccountsRequest, 1);
  request->auth = g_object_ref (self);
  request->route = route;

  job = yun_cloud_job_new (msg, query, self->jobs);
  yun_cloud_job_set_data (job, request, (GDestroyNotify) accounts_request_free);
  yun_cloud_job_run (job, accounts_thread, NULL, NULL);
}

static void
yun_cloud_auth_dispose (GObject *object)
{
  YunCloudAuth *self = YUN_CLOUD_AUTH (object);

  /* Cancel first: jobs still running then leave the registry alone. */
  if (self->jobs != NULL)
    yun_cloud_job_cancel_all (self->jobs);
  g_clear_pointer (&self->jobs, g_hash_table_unref);

  G_OBJECT_CLASS (yun_cloud_auth_parent_class)->dispose (object);
}

static void
yun_cloud_auth_finalize (GObject *object)
{
  YunCloudAuth *self = YUN_CLOUD_AUTH (object);

  g_clear_object (&self->accounts);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_mutex_clear (&self->cache_mutex);

  G_OBJECT_CLASS (yun_cloud_auth_parent_class)->finalize (object);
}

static void
yun_cloud_auth_class_init (YunCloudAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_cloud_auth_dispose;
  object_class->finalize = yun_cloud_auth_finalize;
}

static void
yun_cloud_auth_init (YunCloudAuth *self)
{
  gsize done = 0;

  g_mutex_init (&self->cache_mutex);
  self->jobs = g_hash_table_new (NULL, NULL);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) cache_entry_free);

  while (done < CACHE_KEY_BYTES) {
    gssize n = getrandom (self->cache_key + done, CACHE_KEY_BYTES - done, 0);

    /* getrandom () only fails before the kernel's pool is ready or on a
     * signal; without a key the cache would be guessable, so keep trying. */
    if (n < 0 && errno != EINTR)
      g_error ("Could not get random bytes: %s", g_strerror (errno));
    if (n > 0)
      done += n;
  }
}

/**
 * yun_cloud_auth_new:
 * @accounts: the accounts to check credentials against
 *
 * Returns: (transfer full): a new #YunCloudAuth
 */
YunCloudAuth *
yun_cloud_auth_new (YunCloudAccounts *accounts)
{
  YunCloudAuth *self;

  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (accounts), NULL);

  self = g_object_new (YUN_TYPE_CLOUD_AUTH, NULL);
  self->accounts = g_object_ref (accounts);

  return self;
}

/**
 * yun_cloud_auth_get_accounts:
 * @self: a #YunCloudAuth
 *
 * Returns: (transfer none): the accounts
 */
YunCloudAccounts *
yun_cloud_auth_get_accounts (YunCloudAuth *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_AUTH (self), NULL);

  return self->accounts;
}
