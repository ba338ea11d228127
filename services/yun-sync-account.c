/* yun-sync-account.c: the phone's account on yun-cloud, for sync.
 *
 * Signing in trades the name and password for a bearer token
 * (POST <cloud>/accounts/session); the password is never kept.  The token
 * and name are kept in <profile>/sync-account.json (mode 0600), so the
 * phone stays signed in across restarts, and the sync engine replicates
 * the personal databases with <cloud>/sync/.  Signing out revokes the
 * token on the cloud and forgets it here; the data stays on the phone.
 * The cloud is the one the shell was started with unless the user signed
 * in to another one (Settings asks for its address); that one is kept too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-sync-account.h"

#include "yun-json.h"

/* The cloud's answer to a sign-in is small. */
#define MAX_ANSWER (64 * 1024)

enum {
  PROP_0,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _YunSyncAccount
{
  GObject parent_instance;

  YunSync *sync;
  SoupSession *session;
  char *cloud_url;
  char *path;
  char *name;
  char *token;
};

G_DEFINE_FINAL_TYPE (YunSyncAccount, yun_sync_account, G_TYPE_OBJECT)

static void
yun_sync_account_finalize (GObject *object)
{
  YunSyncAccount *self = YUN_SYNC_ACCOUNT (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->session);
  g_free (self->cloud_url);
  g_free (self->path);
  g_free (self->name);
  g_free (self->token);

  G_OBJECT_CLASS (yun_sync_account_parent_class)->finalize (object);
}

static void
yun_sync_account_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  YunSyncAccount *self = YUN_SYNC_ACCOUNT (object);

  switch (prop_id) {
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_sync_account_class_init (YunSyncAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = yun_sync_account_get_property;
  object_class->finalize = yun_sync_account_finalize;

  /**
   * YunSyncAccount:name: (nullable)
   *
   * The signed-in user's name; %NULL when signed out.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
yun_sync_account_init (YunSyncAccount *self)
{
}

/**
 * yun_sync_account_new:
 * @sync: the sync engine to point at the cloud
 * @session: for the cloud's account API
 * @cloud_url: yun-cloud's base URL, ending in a slash
 * @profile_dir: where the account is kept
 *
 * Returns: (transfer full): a signed-out account; call
 *   yun_sync_account_restore() to pick up a kept one
 */
YunSyncAccount *
yun_sync_account_new (YunSync     *sync,
                      SoupSession *session,
                      const char  *cloud_url,
                      const char  *profile_dir)
{
  YunSyncAccount *self = g_object_new (YUN_TYPE_SYNC_ACCOUNT, NULL);

  self->sync = g_object_ref (sync);
  self->session = g_object_ref (session);
  self->cloud_url = g_strdup (cloud_url);
  self->path = g_build_filename (profile_dir, "sync-account.json", NULL);
  return self;
}

static void
apply (YunSyncAccount *self)
{
  g_autofree char *sync_url = g_strconcat (self->cloud_url, "sync/", NULL);
  g_autoptr(GError) error = NULL;

  yun_sync_set_bearer_token (self->sync, self->token);
  if (!yun_sync_set_remote (self->sync, sync_url, &error))
    g_printerr ("yun-shell: cannot sync with %s: %s\n", sync_url, error->message);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(YunSyncAccount) self = user_data;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  JsonObject *account;
  const char *cloud_url;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
      g_printerr ("yun-shell: cannot read the sync account: %s\n", error->message);
    return;
  }
  root = yun_json_parse_bounded (contents, length, MAX_ANSWER, 4, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (account = json_node_get_object (root), "name") ||
      !json_object_has_member (account, "token") || self->token != NULL) {
    g_printerr ("yun-shell: ignoring a damaged %s\n", self->path);
    return;
  }
  self->name = g_strdup (json_object_get_string_member (account, "name"));
  self->token = g_strdup (json_object_get_string_member (account, "token"));
  /* Kept since the cloud could be chosen in Settings; older files have none. */
  cloud_url = json_object_get_string_member_with_default (account, "cloud", NULL);
  if (cloud_url != NULL) {
    g_free (self->cloud_url);
    self->cloud_url = g_strdup (cloud_url);
  }
  apply (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/**
 * yun_sync_account_restore:
 * @self: the account
 *
 * Signs in again with the kept token, if there is one; reads the file in
 * the background.
 */
void
yun_sync_account_restore (YunSyncAccount *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);

  g_return_if_fail (YUN_IS_SYNC_ACCOUNT (self));
  g_file_load_contents_async (file, NULL, on_loaded, g_object_ref (self));
}

static void
on_kept (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_printerr ("yun-shell: cannot keep the sync account: %s\n", error->message);
}

static void
keep (YunSyncAccount *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, self->token);
  json_builder_set_member_name (builder, "cloud");
  json_builder_add_string_value (builder, self->cloud_url);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  bytes = g_bytes_new_take (text, strlen (text));
  /* The token is a credential: only the user may read it. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                       on_kept, NULL);
}

typedef struct {
  SoupMessage *message;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->message);
  g_free (request);
}

/* The cloud's answer as a JSON object, or an error with its reason. */
static void
on_account_answer (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  status = soup_message_get_status (request->message);
  if (g_bytes_get_size (body) > 0)
    root = yun_json_parse_bounded (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   MAX_ANSWER, 8, NULL);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status)) {
    const char *reason = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
      ? json_object_get_string_member_with_default (json_node_get_object (root), "reason", NULL)
      : NULL;

    g_task_return_new_error (task, G_IO_ERROR,
                             status == SOUP_STATUS_NOT_FOUND ? G_IO_ERROR_NOT_FOUND
                             : status == SOUP_STATUS_UNAUTHORIZED ? G_IO_ERROR_PERMISSION_DENIED
                             : status == SOUP_STATUS_CONFLICT ? G_IO_ERROR_EXISTS
                             : status == SOUP_STATUS_BAD_REQUEST ? G_IO_ERROR_INVALID_DATA
                             : G_IO_ERROR_FAILED,
                             "the cloud answered %u: %s", status,
                             reason != NULL ? reason : "no reason given");
    return;
  }
  g_task_return_pointer (task,
                         root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                           ? json_object_ref (json_node_get_object (root)) : json_object_new (),
                         (GDestroyNotify) json_object_unref);
}

/* Sends @body (JSON) to the cloud at @base (the account's when %NULL), as
 * the signed-in user when @as_user; the answer comes through
 * yun_sync_account_request_finish(). */
static void
send_request (YunSyncAccount      *self,
              const char          *base,
              const char          *method,
              const char          *path,
              JsonNode            *body,
              gboolean             as_user,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (base != NULL ? base : self->cloud_url, path, NULL);
  g_autofree char *bearer = NULL;
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  if (as_user && self->token == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             "the phone is not signed in to a cloud");
    return;
  }
  request->message = soup_message_new (method, url);
  if (request->message == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "the cloud's address is wrong: %s", url);
    return;
  }
  if (as_user) {
    bearer = g_strconcat ("Bearer ", self->token, NULL);
    soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                  "Authorization", bearer);
  }
  if (body != NULL) {
    g_autofree char *text = json_to_string (body, FALSE);
    g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

    soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
  }
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    cancellable, on_account_answer, g_steal_pointer (&task));
}

/* What a sign-in asks for; the password goes as soon as it is sent. */
typedef struct {
  char *cloud_url;
  char *name;
  char *password;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->cloud_url);
  g_free (sign_in->name);
  g_clear_pointer (&sign_in->password, g_free);
  g_free (sign_in);
}

/* {"name", "password"}, the body of a sign-in and of a registration. */
static JsonNode *
credentials (SignIn *sign_in)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, sign_in->name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, sign_in->password);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The cloud's answer to a sign-in: a token, kept, and sync started.  Only
 * now does the account take the cloud's address: a refusal changes
 * nothing. */
static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  YunSyncAccount *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *token;

  answer = yun_sync_account_request_finish (YUN_SYNC_ACCOUNT (source), result, &error);
  if (answer == NULL) {
    g_task_return_new_error (task, error->domain, error->code,
                             "the cloud refused to sign in: %s", error->message);
    return;
  }
  token = json_object_get_string_member_with_default (answer, "token", NULL);
  if (token == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "the cloud gave no token");
    return;
  }

  g_free (self->cloud_url);
  self->cloud_url = g_strdup (sign_in->cloud_url);
  g_free (self->name);
  self->name = g_strdup (sign_in->name);
  g_free (self->token);
  self->token = g_strdup (token);
  keep (self);
  apply (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_task_return_boolean (task, TRUE);
}

static void
send_sign_in (GTask *task)
{
  YunSyncAccount *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = credentials (sign_in);

  g_clear_pointer (&sign_in->password, g_free);
  send_request (self, sign_in->cloud_url, SOUP_METHOD_POST, "accounts/session", body, FALSE,
                g_task_get_cancellable (task), on_signed_in, task,
                yun_sync_account_sign_in_async);
}

/* A new account on the cloud; then the same sign-in as for an old one. */
static void
on_registered (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = yun_sync_account_request_finish (YUN_SYNC_ACCOUNT (source), result, &error);
  if (answer == NULL) {
    g_task_return_new_error (task, error->domain, error->code,
                             "the cloud refused to register: %s", error->message);
    return;
  }
  send_sign_in (g_steal_pointer (&task));
}

/* Revoking is best effort: the token is forgotten here either way. */
static void
on_revoked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JsonObject) answer = yun_sync_account_request_finish (YUN_SYNC_ACCOUNT (source),
                                                                  result, NULL);

  (void) answer;
}

/* @cloud_url with a slash at its end, or %NULL with @error set when it is
 * not an http or https address of a host. */
static char *
normalize_cloud_url (const char  *cloud_url,
                     GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (cloud_url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "\"%s\" is not a server address (http:// or https://)", cloud_url);
    return NULL;
  }
  return g_str_has_suffix (cloud_url, "/") ? g_strdup (cloud_url)
                                           : g_strconcat (cloud_url, "/", NULL);
}

static GTask *
new_sign_in (YunSyncAccount      *self,
             const char          *cloud_url,
             const char          *name,
             const char          *password,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SignIn *sign_in = g_new0 (SignIn, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, yun_sync_account_sign_in_async);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  sign_in->name = g_strdup (name);
  sign_in->password = g_strdup (password);
  sign_in->cloud_url = normalize_cloud_url (cloud_url != NULL ? cloud_url : self->cloud_url,
                                            &error);
  if (sign_in->cloud_url == NULL)
    g_task_return_error (task, error);
  return task;
}

/**
 * yun_sync_account_sign_in_async:
 * @self: the account
 * @name: the user's name on the cloud
 * @password: their password; sent once, never kept
 * @cancellable: (nullable): a cancellable
 * @callback: called when signed in or refused
 * @user_data: data for @callback
 *
 * Signs in to the account's cloud and starts syncing.
 */
void
yun_sync_account_sign_in_async (YunSyncAccount      *self,
                                const char          *name,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  yun_sync_account_sign_in_to_async (self, NULL, name, password, FALSE, cancellable, callback,
                                     user_data);
}

/**
 * yun_sync_account_sign_in_to_async:
 * @self: the account
 * @cloud_url: (nullable): yun-cloud's base URL, http or https; %NULL for
 *   the account's
 * @name: the user's name on the cloud
 * @password: their password; sent once, never kept
 * @create: %TRUE to register @name on the cloud first
 * @cancellable: (nullable): a cancellable
 * @callback: called when signed in or refused
 * @user_data: data for @callback
 *
 * Signs in to @cloud_url, which becomes the account's cloud, and starts
 * syncing.  Finish with yun_sync_account_sign_in_finish(); on an error
 * (%G_IO_ERROR_INVALID_ARGUMENT for a bad address,
 * %G_IO_ERROR_PERMISSION_DENIED for a wrong name or password,
 * %G_IO_ERROR_EXISTS for a name taken, or the network's) the account is
 * as it was.
 */
void
yun_sync_account_sign_in_to_async (YunSyncAccount      *self,
                                   const char          *cloud_url,
                                   const char          *name,
                                   const char          *password,
                                   gboolean             create,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  SignIn *sign_in;

  g_return_if_fail (YUN_IS_SYNC_ACCOUNT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (password != NULL);

  task = new_sign_in (self, cloud_url, name, password, cancellable, callback, user_data);
  if (g_task_had_error (task))
    return;
  if (!create) {
    send_sign_in (g_steal_pointer (&task));
    return;
  }
  sign_in = g_task_get_task_data (task);
  body = credentials (sign_in);
  send_request (self, sign_in->cloud_url, SOUP_METHOD_POST, "accounts", body, FALSE, cancellable,
                on_registered, g_steal_pointer (&task), yun_sync_account_sign_in_to_async);
}

/**
 * yun_sync_account_sign_in_finish:
 * @self: the account
 * @result: the result
 * @error: return location for an error: the cloud's refusal or the
 *   network's failure
 *
 * Returns: %TRUE when signed in
 */
gboolean
yun_sync_account_sign_in_finish (YunSyncAccount  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * yun_sync_account_sign_out:
 * @self: the account
 *
 * Stops syncing, revokes the token on the cloud and forgets the account.
 * The phone's data stays.
 */
void
yun_sync_account_sign_out (YunSyncAccount *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);

  g_return_if_fail (YUN_IS_SYNC_ACCOUNT (self));

  yun_sync_sign_out (self->sync);
  if (self->token != NULL)
    send_request (self, NULL, SOUP_METHOD_DELETE, "accounts/session", NULL, TRUE, NULL, on_revoked,
                  NULL, yun_sync_account_sign_out);
  g_clear_pointer (&self->token, g_free);
  g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->name != NULL) {
    g_clear_pointer (&self->name, g_free);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  }
}

/**
 * yun_sync_account_share_async:
 * @self: the account
 * @db: the item's database: notes, contacts, messages, calls or photos
 * @id: the item's id
 * @to: (nullable): a friend's name: copy the item into their account
 *   instead of making a link
 * @cancellable: (nullable): a cancellable
 * @callback: called with the cloud's answer
 * @user_data: data for @callback
 *
 * Shares one synced item through the cloud: a revocable read-only link
 * (`{token, url, id}`), or a copy in a friend's account.
 */
void
yun_sync_account_share_async (YunSyncAccount      *self,
                              const char          *db,
                              const char          *id,
                              const char          *to,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (YUN_IS_SYNC_ACCOUNT (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "db");
  json_builder_add_string_value (builder, db);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  if (to != NULL) {
    json_builder_set_member_name (builder, "to");
    json_builder_add_string_value (builder, to);
  }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  send_request (self, NULL, SOUP_METHOD_POST, "accounts/shares", body, TRUE, cancellable, callback,
                user_data, yun_sync_account_share_async);
}

/**
 * yun_sync_account_share_content_async:
 * @self: the account
 * @title: (nullable): a title
 * @text: (nullable): a text
 * @url: (nullable): an absolute http or https URL
 * @to: (nullable): a friend's name: a note in their account instead of a
 *   link
 * @cancellable: (nullable): a cancellable
 * @callback: called with the cloud's answer
 * @user_data: data for @callback
 *
 * Shares what a page gave navigator.share(), not an item of the phone's:
 * the cloud keeps it for a revocable read-only link (`{token, url, id}`),
 * or makes it a note in a friend's account.  The cloud checks the content
 * again (G_IO_ERROR_INVALID_DATA when it refuses it).
 */
void
yun_sync_account_share_content_async (YunSyncAccount      *self,
                                      const char          *title,
                                      const char          *text,
                                      const char          *url,
                                      const char          *to,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonObject) content = json_object_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (YUN_IS_SYNC_ACCOUNT (self));

  if (title != NULL)
    json_object_set_string_member (content, "title", title);
  if (text != NULL)
    json_object_set_string_member (content, "text", text);
  if (url != NULL)
    json_object_set_string_member (content, "url", url);
  json_object_set_object_member (object, "content", g_steal_pointer (&content));
  if (to != NULL)
    json_object_set_string_member (object, "to", to);
  body = json_node_init_object (json_node_alloc (), object);
  send_request (self, NULL, SOUP_METHOD_POST, "accounts/shares", body, TRUE, cancellable, callback,
                user_data, yun_sync_account_share_content_async);
}

/**
 * yun_sync_account_revoke_share_async:
 * @self: the account
 * @token: a link's token or id
 * @cancellable: (nullable): a cancellable
 * @callback: called when the link is gone
 * @user_data: data for @callback
 *
 * Revokes a link made by yun_sync_account_share_async().
 */
void
yun_sync_account_revoke_share_async (YunSyncAccount      *self,
                                     const char          *token,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (YUN_IS_SYNC_ACCOUNT (self));

  escaped = g_uri_escape_string (token, NULL, FALSE);
  path = g_strconcat ("accounts/shares/", escaped, NULL);
  send_request (self, NULL, SOUP_METHOD_DELETE, path, NULL, TRUE, cancellable, callback, user_data,
                yun_sync_account_revoke_share_async);
}

/**
 * yun_sync_account_request_finish:
 * @self: the account
 * @result: the result of yun_sync_account_share_async(),
 *   yun_sync_account_share_content_async() or
 *   yun_sync_account_revoke_share_async()
 * @error: return location for an error: G_IO_ERROR_NOT_FOUND when the
 *   cloud has no such item (yet: it may not have synced), the cloud's
 *   refusal otherwise
 *
 * Returns: (transfer full) (nullable): the cloud's answer
 */
JsonObject *
yun_sync_account_request_finish (YunSyncAccount  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_sync_account_get_name:
 * @self: the account
 *
 * Returns: (nullable): the signed-in user's name
 */
const char *
yun_sync_account_get_name (YunSyncAccount *self)
{
  g_return_val_if_fail (YUN_IS_SYNC_ACCOUNT (self), NULL);
  return self->name;
}

/**
 * yun_sync_account_get_cloud_url:
 * @self: the account
 *
 * Returns: the cloud the account signs in to, ending in a slash
 */
const char *
yun_sync_account_get_cloud_url (YunSyncAccount *self)
{
  g_return_val_if_fail (YUN_IS_SYNC_ACCOUNT (self), NULL);
  return self->cloud_url;
}
