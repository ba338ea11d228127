/* test-apps-api.c: navigator.yun.apps through the real bridge and gate.
 *
 * Apps come from a real SoupServer on 127.0.0.1, port 0; packages are
 * packed from temporary folders with yun_package_pack_directory(); the
 * registry is a real one in a temporary profile.  The prompter is a
 * scripted stand-in for the person at the screen that allows and counts
 * how often it was asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "yun-app-installer.h"
#include "yun-apps-host.h"
#include "yun-bridge.h"
#include "yun-package.h"
#include "yun-test-files.h"

#define TEST_TYPE_PROMPTER (test_prompter_get_type ())
G_DECLARE_FINAL_TYPE (TestPrompter, test_prompter, TEST, PROMPTER, GObject)

struct _TestPrompter
{
  GObject parent_instance;

  guint asked;
};

static void test_prompter_iface_init (YunPermissionPrompterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestPrompter, test_prompter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_PERMISSION_PROMPTER,
                                                      test_prompter_iface_init))

static void
prompter_ask_async (YunPermissionPrompter       *prompter,
                    const YunPermissionQuestion *question,
                    GCancellable                *cancellable,
                    GAsyncReadyCallback          callback,
                    gpointer                     user_data)
{
  TestPrompter *self = TEST_PROMPTER (prompter);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->asked++;
  g_task_return_int (task, YUN_PROMPT_ANSWER_ALLOW_ALWAYS);
}

static YunPromptAnswer
prompter_ask_finish (YunPermissionPrompter  *prompter,
                     GAsyncResult           *result,
                     GError                **error)
{
  return (YunPromptAnswer) g_task_propagate_int (G_TASK (result), error);
}

static void
test_prompter_iface_init (YunPermissionPrompterInterface *iface)
{
  iface->ask_async = prompter_ask_async;
  iface->ask_finish = prompter_ask_finish;
}

static void
test_prompter_class_init (TestPrompterClass *klass)
{
}

static void
test_prompter_init (TestPrompter *self)
{
}

#define STORE_MANIFEST "{\"name\": \"Store\", \"yun\": {\"permissions\": {\"apps\": " \
                       "{\"access\": \"readwrite\", \"reason\": \"To install apps\"}}}}"
#define HELLO_MANIFEST "{\"name\": \"Hello\", \"start_url\": \"index.html\"}"
#define HELLO_PAGE "<!doctype html><title>Hello</title><p>Hello"
#define PACKAGED_MANIFEST "{\"name\": \"Boxed\", \"version\": \"2.0.0\", \"start_url\": " \
                          "\"index.html\"}"

typedef struct {
  char *root;
  SoupServer *server;
  char *base;
  GBytes *zip;
  char *zip_sha256;
  TestPrompter *prompter;
  YunPermissionStore *store;
  YunPermissionGate *gate;
  YunAppRegistry *registry;
  SoupSession *session;
  YunAppInstaller *installer;
  YunAppsHost *host;
  YunBridge *bridge;
  YunManifest *store_manifest;
  GPtrArray *progress;
  GPtrArray *changed;
  GPtrArray *closing;
} Fixture;

static void
on_request (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;

  if (g_str_equal (path, "/hello/manifest.json")) {
    soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (message, "application/manifest+json", SOUP_MEMORY_STATIC,
                                      HELLO_MANIFEST, strlen (HELLO_MANIFEST));
  } else if (g_str_equal (path, "/hello/index.html")) {
    soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC, HELLO_PAGE,
                                      strlen (HELLO_PAGE));
  } else if (g_str_equal (path, "/boxed.zip")) {
    gsize length;
    const char *data = g_bytes_get_data (fixture->zip, &length);

    soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (message, "application/zip", SOUP_MEMORY_COPY, data, length);
  } else {
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
  }
}

static void
on_progress (YunAppsHost *host,
             const char  *caller_id,
             JsonNode    *detail,
             Fixture     *fixture)
{
  g_assert_cmpstr (caller_id, ==, "store");
  g_ptr_array_add (fixture->progress, json_node_ref (detail));
}

static void
on_changed (YunAppsHost *host,
            const char  *app_id,
            gboolean     installed,
            Fixture     *fixture)
{
  g_ptr_array_add (fixture->changed, g_strdup_printf ("%s:%s", app_id, installed ? "in" : "out"));
}

static void
on_closing (YunAppsHost *host,
            const char  *app_id,
            Fixture     *fixture)
{
  g_ptr_array_add (fixture->closing, g_strdup (app_id));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDevice) device = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *package_dir = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *store_url = NULL;
  const char *model_files[] = { NULL };

  fixture->root = g_dir_make_tmp ("yun-apps-api-XXXXXX", &error);
  g_assert_no_error (error);
  package_dir = g_build_filename (fixture->root, "boxed", NULL);
  yun_test_write_file (package_dir, "manifest.json", PACKAGED_MANIFEST, -1);
  yun_test_write_file (package_dir, "index.html", HELLO_PAGE, -1);
  fixture->zip = yun_package_pack_directory (package_dir, NULL, &error);
  g_assert_no_error (error);
  fixture->zip_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fixture->zip);

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, on_request, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  fixture->prompter = g_object_new (TEST_TYPE_PROMPTER, NULL);
  fixture->store = yun_permission_store_open (":memory:", &error);
  g_assert_no_error (error);
  fixture->gate = yun_permission_gate_new (fixture->store);
  yun_permission_gate_set_prompter (fixture->gate, YUN_PERMISSION_PROMPTER (fixture->prompter));
  store_url = g_strconcat (fixture->base, "apps/store/manifest.json", NULL);
  yun_permission_gate_reserve (fixture->gate, "apps", "store", store_url);
  fixture->store_manifest = yun_manifest_new_from_data (STORE_MANIFEST, strlen (STORE_MANIFEST), store_url, &error);
  g_assert_no_error (error);

  profile = g_build_filename (fixture->root, "profile", NULL);
  fixture->registry = yun_app_registry_open (profile, &error);
  g_assert_no_error (error);
  fixture->session = soup_session_new ();
  fixture->installer = yun_app_installer_new (fixture->registry, fixture->session);
  fixture->host = yun_apps_host_new ();
  fixture->progress = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  fixture->changed = g_ptr_array_new_with_free_func (g_free);
  fixture->closing = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->host, "progress", G_CALLBACK (on_progress), fixture);
  g_signal_connect (fixture->host, "changed", G_CALLBACK (on_changed), fixture);
  g_signal_connect (fixture->host, "closing", G_CALLBACK (on_closing), fixture);

  device = yun_device_new_for_sources (model_files);
  fixture->bridge = yun_bridge_new (device, fixture->gate);
  yun_bridge_set_service (fixture->bridge, "installer", fixture->installer);
  yun_bridge_set_service (fixture->bridge, "apps-host", fixture->host);
}

static void
on_installer_finalized (gpointer  data,
                        GObject  *where)
{
  g_atomic_int_set ((int *) data, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  int gone = FALSE;

  g_assert_finalize_object (fixture->bridge);
  g_clear_object (&fixture->store_manifest);
  /* The installer's worker thread lets go of its task, and so of the
   * installer, a moment after the task returned. */
  g_object_weak_ref (G_OBJECT (fixture->installer), on_installer_finalized, &gone);
  g_object_unref (fixture->installer);
  for (int i = 0; i < 10000 && !g_atomic_int_get (&gone); i++) {
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
  g_assert_true (g_atomic_int_get (&gone));
  g_assert_finalize_object (fixture->host);
  g_clear_object (&fixture->registry);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->gate);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->prompter);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_bytes_unref (fixture->zip);
  g_free (fixture->zip_sha256);
  g_free (fixture->base);
  g_ptr_array_unref (fixture->progress);
  g_ptr_array_unref (fixture->changed);
  g_ptr_array_unref (fixture->closing);
  yun_test_remove_tree (fixture->root);
  g_free (fixture->root);
}

static void
on_reply (char     *text,
          gpointer  user_data)
{
  char **reply = user_data;

  g_assert_nonnull (text);
  *reply = text;
}

/* Calls apps.@method with @args (JSON) as app @app_id; returns the reply's
 * "result" or sets @error_name to the rejection's name. */
static JsonNode *
call_as (Fixture     *fixture,
         const char  *app_id,
         YunManifest *manifest,
         const char  *method,
         const char  *args,
         char       **error_name)
{
  g_autofree char *uri = g_strconcat (yun_manifest_get_scope (manifest), "index.html", NULL);
  YunBridgeCaller caller = { app_id, manifest, uri };
  g_autofree char *request = g_strdup_printf ("{\"id\": 7, \"api\": \"apps\", \"method\": \"%s\", "
                                              "\"args\": %s}", method, args);
  g_autofree char *reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  yun_bridge_handle (fixture->bridge, &caller, request, strlen (request), NULL, on_reply, &reply);
  while (reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  root = json_from_string (reply, NULL);
  g_assert_nonnull (root);
  object = json_node_get_object (root);
  if (json_object_has_member (object, "error")) {
    JsonObject *error = json_object_get_object_member (object, "error");

    g_test_message ("apps.%s: %s", method, json_object_get_string_member (error, "message"));
    *error_name = g_strdup (json_object_get_string_member (error, "name"));
    g_object_set_data_full (G_OBJECT (fixture->bridge), "last-message",
                            g_strdup (json_object_get_string_member (error, "message")), g_free);
    return NULL;
  }
  *error_name = NULL;
  return json_node_copy (json_object_get_member (object, "result"));
}

static JsonNode *
call_store (Fixture    *fixture,
            const char *method,
            const char *args,
            char      **error_name)
{
  return call_as (fixture, "store", fixture->store_manifest, method, args, error_name);
}

static void
assert_refused_without_prompt (Fixture    *fixture,
                               const char *app_id,
                               const char *manifest_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = yun_manifest_new_from_data (STORE_MANIFEST, strlen (STORE_MANIFEST), manifest_url,
                                                                &error);
  const char *methods[] = { "list", "get", "install", "update", "uninstall" };
  const char *args[] = {
    "{}", "{\"id\": \"hello\"}",
    "{\"id\": \"hello\", \"manifestUrl\": \"http://127.0.0.1:1/m.json\"}",
    "{\"id\": \"hello\", \"manifestUrl\": \"http://127.0.0.1:1/m.json\"}",
    "{\"id\": \"hello\"}",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    g_autofree char *name = NULL;
    g_autoptr(JsonNode) result = call_as (fixture, app_id, manifest, methods[i], args[i], &name);

    g_assert_null (result);
    g_assert_cmpstr (name, ==, "NotAllowedError");
  }
  g_assert_cmpuint (fixture->prompter->asked, ==, 0);
  g_assert_cmpint (yun_permission_gate_query (fixture->gate, app_id, manifest, "apps"), ==,
                   YUN_PERMISSION_STATE_DENIED);
  g_assert_cmpuint (fixture->changed->len, ==, 0);
}

static void
test_other_app_declaring_apps_is_refused (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *url = g_strconcat (fixture->base, "apps/evil/manifest.json", NULL);

  assert_refused_without_prompt (fixture, "evil", url);
}

static void
test_store_id_from_elsewhere_is_refused (Fixture       *fixture,
                                         gconstpointer  data)
{
  /* The id alone is not the store: the manifest must be the cloud's. */
  assert_refused_without_prompt (fixture, "store", "http://evil.example/apps/store/manifest.json");
}

static void
test_store_is_asked_once_then_lists (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) first = call_store (fixture, "list", "{}", &name);
  g_autoptr(JsonNode) second = NULL;

  g_assert_null (name);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (first));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (first)), ==, 0);
  second = call_store (fixture, "list", "{}", &name);
  g_assert_nonnull (second);
  g_assert_cmpuint (fixture->prompter->asked, ==, 1);
}

static void
test_install_hosted_then_uninstall (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *args = g_strdup_printf ("{\"id\": \"hello\", \"manifestUrl\": "
                                           "\"%shello/manifest.json\"}", fixture->base);
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) installed = call_store (fixture, "install", args, &name);
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *record;
  JsonObject *last;
  double fraction = 0;

  g_assert_null (name);
  record = json_node_get_object (installed);
  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, "hello");
  g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "Hello");
  g_assert_cmpstr (json_object_get_string_member (record, "source"), ==, "hosted");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (record, "manifestUrl"),
                                   "/hello/manifest.json"));
  g_assert_cmpint (json_object_get_int_member (record, "installed"), >, 0);

  /* Progress only goes up and ends with done at 1. */
  g_assert_cmpuint (fixture->progress->len, >=, 2);
  for (guint i = 0; i < fixture->progress->len; i++) {
    JsonObject *detail = json_node_get_object (g_ptr_array_index (fixture->progress, i));

    g_assert_cmpstr (json_object_get_string_member (detail, "id"), ==, "hello");
    g_assert_cmpfloat (json_object_get_double_member (detail, "fraction"), >=, fraction);
    fraction = json_object_get_double_member (detail, "fraction");
  }
  last = json_node_get_object (g_ptr_array_index (fixture->progress, fixture->progress->len - 1));
  g_assert_cmpstr (json_object_get_string_member (last, "phase"), ==, "done");
  g_assert_cmpfloat (json_object_get_double_member (last, "fraction"), ==, 1.0);
  g_assert_cmpuint (fixture->changed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->changed, 0), ==, "hello:in");

  got = call_store (fixture, "get", "{\"id\": \"hello\"}", &name);
  g_assert_nonnull (got);
  again = call_store (fixture, "install", args, &name);
  g_assert_null (again);
  g_assert_cmpstr (name, ==, "InvalidStateError");
  g_clear_pointer (&name, g_free);

  removed = call_store (fixture, "uninstall", "{\"id\": \"hello\"}", &name);
  g_assert_null (name);
  g_assert_true (json_node_get_boolean (removed));
  g_assert_cmpuint (fixture->closing->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->changed, 1), ==, "hello:out");
  g_clear_pointer (&got, json_node_unref);
  got = call_store (fixture, "get", "{\"id\": \"hello\"}", &name);
  g_assert_null (got);
  g_assert_cmpstr (name, ==, "NotFoundError");
}

static void
test_install_packaged (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *args = g_strdup_printf ("{\"id\": \"boxed\", \"manifestUrl\": "
                                           "\"%sboxed/manifest.json\", \"packageUrl\": "
                                           "\"%sboxed.zip\", \"sha256\": \"%s\"}",
                                           fixture->base, fixture->base, fixture->zip_sha256);
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) installed = call_store (fixture, "install", args, &name);
  g_autofree char *downloads = g_build_filename (fixture->root, "profile", "downloads", NULL);
  g_autoptr(GDir) dir = NULL;
  gboolean saw_download = FALSE;
  gboolean saw_verify = FALSE;
  JsonObject *record;

  g_assert_null (name);
  record = json_node_get_object (installed);
  g_assert_cmpstr (json_object_get_string_member (record, "source"), ==, "packaged");
  g_assert_cmpstr (json_object_get_string_member (record, "version"), ==, "2.0.0");
  for (guint i = 0; i < fixture->progress->len; i++) {
    JsonObject *detail = json_node_get_object (g_ptr_array_index (fixture->progress, i));
    const char *phase = json_object_get_string_member (detail, "phase");

    saw_download |= g_str_equal (phase, "download");
    saw_verify |= g_str_equal (phase, "verify");
  }
  g_assert_true (saw_download && saw_verify);

  /* The downloaded zip is gone once installed. */
  dir = g_dir_open (downloads, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_package_with_wrong_hash_is_refused (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autofree char *args = g_strdup_printf ("{\"id\": \"boxed\", \"manifestUrl\": "
                                           "\"%sboxed/manifest.json\", \"packageUrl\": "
                                           "\"%sboxed.zip\", \"sha256\": \"%064d\"}",
                                           fixture->base, fixture->base, 0);
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) installed = call_store (fixture, "install", args, &name);
  g_autoptr(YunAppRecord) record = yun_app_registry_get (fixture->registry, "boxed");
  const char *message = g_object_get_data (G_OBJECT (fixture->bridge), "last-message");

  g_assert_null (installed);
  g_assert_cmpstr (name, ==, "DataError");
  g_assert_nonnull (strstr (message, "SHA-256"));
  g_assert_null (record);
  g_assert_cmpuint (fixture->changed->len, ==, 0);
}

/* Whether main() could give this process mounts of its own. */
static gboolean private_mounts;

/* The apps folder on a tmpfs that is full: the page hears
 * QuotaExceededError, which the store shows as "not enough space", and
 * nothing is installed. */
static void
test_full_disk_is_quota_exceeded (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *args = g_strdup_printf ("{\"id\": \"hello\", \"manifestUrl\": "
                                           "\"%shello/manifest.json\"}", fixture->base);
  g_autofree char *apps = g_build_filename (fixture->root, "profile", "apps", NULL);
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) installed = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *message;

  if (!private_mounts) {
    g_test_skip ("no mount namespace of its own (needs CAP_SYS_ADMIN) to mount a small tmpfs");
    return;
  }
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  yun_test_mount_tmpfs (apps, 64);
  yun_test_fill_disk (apps);

  installed = call_store (fixture, "install", args, &name);
  message = g_object_get_data (G_OBJECT (fixture->bridge), "last-message");
  g_assert_null (installed);
  g_assert_cmpstr (name, ==, "QuotaExceededError");
  g_assert_nonnull (strstr (message, g_strerror (ENOSPC)));
  records = yun_app_registry_list (fixture->registry);
  g_assert_cmpuint (records->len, ==, 0);
  g_assert_cmpuint (fixture->changed->len, ==, 0);
  g_assert_cmpint (umount2 (apps, MNT_DETACH), ==, 0);
}

static void
test_missing_package_is_network_error (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *args = g_strdup_printf ("{\"id\": \"boxed\", \"manifestUrl\": "
                                           "\"%sboxed/manifest.json\", \"packageUrl\": "
                                           "\"%snothing.zip\", \"sha256\": \"%s\"}",
                                           fixture->base, fixture->base, fixture->zip_sha256);
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) installed = call_store (fixture, "install", args, &name);

  g_assert_null (installed);
  g_assert_cmpstr (name, ==, "NetworkError");
  g_assert_null (yun_app_registry_get (fixture->registry, "boxed"));
}

static void
test_unreachable_manifest_is_network_error (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) installed = NULL;
  g_autofree char *args = g_strdup_printf ("{\"id\": \"hello\", \"manifestUrl\": "
                                           "\"%snowhere/manifest.json\"}", fixture->base);

  installed = call_store (fixture, "install", args, &name);
  g_assert_null (installed);
  g_assert_cmpstr (name, ==, "NetworkError");
}

static void
test_bad_arguments_are_data_errors (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *cases[] = {
    "{\"id\": \"Not An Id\", \"manifestUrl\": \"http://127.0.0.1/m.json\"}",
    "{\"id\": \"x\", \"manifestUrl\": \"file:///etc/passwd\"}",
    "{\"id\": \"x\", \"manifestUrl\": \"http://127.0.0.1/m.json\", \"packageUrl\": "
    "\"http://127.0.0.1/p.zip\"}",
    "{\"id\": \"x\", \"manifestUrl\": \"http://127.0.0.1/m.json\", \"packageUrl\": "
    "\"ftp://127.0.0.1/p.zip\", \"sha256\": "
    "\"0000000000000000000000000000000000000000000000000000000000000000\"}",
    "{\"id\": \"x\", \"manifestUrl\": \"http://127.0.0.1/m.json\", \"packageUrl\": "
    "\"http://127.0.0.1/p.zip\", \"sha256\": "
    "\"zz00000000000000000000000000000000000000000000000000000000000000\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *name = NULL;
    g_autoptr(JsonNode) result = call_store (fixture, "install", cases[i], &name);

    g_assert_null (result);
    g_assert_cmpstr (name, ==, "DataError");
  }
  g_assert_cmpuint (fixture->progress->len, ==, 0);
}

static void
test_update_of_missing_app_is_not_found (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autofree char *name = NULL;
  g_autofree char *args = g_strdup_printf ("{\"id\": \"hello\", \"manifestUrl\": "
                                           "\"%shello/manifest.json\"}", fixture->base);
  g_autoptr(JsonNode) result = call_store (fixture, "update", args, &name);

  g_assert_null (result);
  g_assert_cmpstr (name, ==, "NotFoundError");
}

static void
test_store_cannot_uninstall_itself (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) result = call_store (fixture, "uninstall", "{\"id\": \"store\"}", &name);

  g_assert_null (result);
  g_assert_cmpstr (name, ==, "NotAllowedError");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* While the process has one thread; without the privilege the full-disk
   * test is skipped. */
  private_mounts = yun_test_enter_private_mounts ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/bridge/apps/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("gate/other-app-declaring-apps-refused-without-prompt",
       test_other_app_declaring_apps_is_refused);
  ADD ("gate/store-id-from-another-origin-refused", test_store_id_from_elsewhere_is_refused);
  ADD ("gate/store-asked-once", test_store_is_asked_once_then_lists);
  ADD ("install/hosted-then-uninstall", test_install_hosted_then_uninstall);
  ADD ("install/packaged", test_install_packaged);
  ADD ("install/wrong-sha256-data-error", test_package_with_wrong_hash_is_refused);
  ADD ("install/full-disk-quota-exceeded", test_full_disk_is_quota_exceeded);
  ADD ("install/missing-package-network-error", test_missing_package_is_network_error);
  ADD ("install/unreachable-manifest-network-error", test_unreachable_manifest_is_network_error);
  ADD ("install/bad-arguments-data-error", test_bad_arguments_are_data_errors);
  ADD ("update/not-installed-not-found", test_update_of_missing_app_is_not_found);
  ADD ("uninstall/store-itself-not-allowed", test_store_cannot_uninstall_itself);

  return g_test_run ();
}
