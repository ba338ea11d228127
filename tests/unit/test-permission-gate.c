/* test-permission-gate.c: the rules of the permission gate.
 *
 * The prompter here is a scripted stand-in for the person at the screen,
 * implementing the same interface as the shell's prompt sheet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-bridge-error.h"
#include "yun-permission-gate.h"

#define TEST_TYPE_PROMPTER (test_prompter_get_type ())
G_DECLARE_FINAL_TYPE (TestPrompter, test_prompter, TEST, PROMPTER, GObject)

struct _TestPrompter
{
  GObject parent_instance;

  GTask *open;
  char *permission;
  char *app_name;
  char *reason;
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

  /* The gate must never ask two questions at once. */
  g_assert_null (self->open);
  self->open = g_task_new (self, cancellable, callback, user_data);
  g_free (self->permission);
  g_free (self->app_name);
  g_free (self->reason);
  self->permission = g_strdup (question->permission);
  self->app_name = g_strdup (question->app_name);
  self->reason = g_strdup (question->reason);
  self->asked++;
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
test_prompter_finalize (GObject *object)
{
  TestPrompter *self = TEST_PROMPTER (object);

  g_assert_null (self->open);
  g_free (self->permission);
  g_free (self->app_name);
  g_free (self->reason);
  G_OBJECT_CLASS (test_prompter_parent_class)->finalize (object);
}

static void
test_prompter_class_init (TestPrompterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_prompter_finalize;
}

static void
test_prompter_init (TestPrompter *self)
{
}

static void
prompter_answer (TestPrompter    *self,
                 YunPromptAnswer  answer)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->open);

  g_assert_nonnull (task);
  g_task_return_int (task, answer);
}

#define MANIFEST "{\"name\": \"Gate Test\", \"yun\": {\"permissions\": {" \
                 "\"contacts\": {\"access\": \"read\", \"reason\": \"To show names\"}," \
                 "\"notes\": {\"access\": \"readwrite\", \"reason\": \"To keep notes\"}}}}"

typedef struct {
  YunPermissionStore *store;
  YunPermissionGate *gate;
  TestPrompter *prompter;
  YunManifest *manifest;
} Fixture;

typedef struct {
  gboolean done;
  gboolean allowed;
  GError *error;
} Outcome;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = yun_permission_store_open (":memory:", &error);
  g_assert_no_error (error);
  fixture->gate = yun_permission_gate_new (fixture->store);
  fixture->prompter = g_object_new (TEST_TYPE_PROMPTER, NULL);
  yun_permission_gate_set_prompter (fixture->gate, YUN_PERMISSION_PROMPTER (fixture->prompter));
  fixture->manifest = yun_manifest_new_from_data (MANIFEST, strlen (MANIFEST),
                                                  "http://127.0.0.1/apps/gate/manifest.json", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->gate);
  g_assert_finalize_object (fixture->prompter);
  g_assert_finalize_object (fixture->manifest);
  g_assert_finalize_object (fixture->store);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->allowed = yun_permission_gate_check_finish (YUN_PERMISSION_GATE (source), result,
                                                       &outcome->error);
  outcome->done = TRUE;
}

static void
check (Fixture    *fixture,
       const char *permission,
       const char *access,
       Outcome    *outcome)
{
  yun_permission_gate_check_async (fixture->gate, "gate", fixture->manifest, permission, access,
                                   "test.method", NULL, on_checked, outcome);
}

static void
settle (Outcome *outcome)
{
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE));
}

static void
test_undeclared_is_refused_without_asking (Fixture       *fixture,
                                           gconstpointer  data)
{
  Outcome outcome = { 0 };

  check (fixture, "camera", "read", &outcome);
  settle (&outcome);
  g_assert_false (outcome.allowed);
  g_assert_error (outcome.error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED);
  g_assert_nonnull (strstr (outcome.error->message, "does not declare the \"camera\" permission"));
  g_assert_cmpuint (fixture->prompter->asked, ==, 0);
  g_clear_error (&outcome.error);
}

static void
test_more_access_than_declared_is_refused (Fixture       *fixture,
                                           gconstpointer  data)
{
  Outcome outcome = { 0 };

  yun_permission_store_set (fixture->store, "gate", "contacts", YUN_PERMISSION_STATE_GRANTED);
  check (fixture, "contacts", "readwrite", &outcome);
  settle (&outcome);
  g_assert_error (outcome.error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED);
  g_assert_cmpuint (fixture->prompter->asked, ==, 0);
  g_clear_error (&outcome.error);
}

static void
test_asks_with_name_and_reason (Fixture       *fixture,
                                gconstpointer  data)
{
  Outcome outcome = { 0 };

  check (fixture, "contacts", "read", &outcome);
  spin ();
  g_assert_cmpuint (fixture->prompter->asked, ==, 1);
  g_assert_cmpstr (fixture->prompter->app_name, ==, "Gate Test");
  g_assert_cmpstr (fixture->prompter->reason, ==, "To show names");
  g_assert_false (outcome.done);

  prompter_answer (fixture->prompter, YUN_PROMPT_ANSWER_ALLOW_ALWAYS);
  settle (&outcome);
  g_assert_true (outcome.allowed);
  g_assert_cmpint (yun_permission_store_get (fixture->store, "gate", "contacts"), ==,
                   YUN_PERMISSION_STATE_GRANTED);
}

static void
test_deny_is_stored (Fixture       *fixture,
                     gconstpointer  data)
{
  Outcome first = { 0 }, second = { 0 };

  check (fixture, "contacts", "read", &first);
  spin ();
  prompter_answer (fixture->prompter, YUN_PROMPT_ANSWER_DENY);
  settle (&first);
  g_assert_error (first.error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED);

  check (fixture, "contacts", "read", &second);
  settle (&second);
  g_assert_error (second.error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED);
  g_assert_cmpuint (fixture->prompter->asked, ==, 1);
  g_clear_error (&first.error);
  g_clear_error (&second.error);
}

static void
test_allow_once_is_not_stored (Fixture       *fixture,
                               gconstpointer  data)
{
  Outcome outcome = { 0 };

  check (fixture, "contacts", "read", &outcome);
  spin ();
  prompter_answer (fixture->prompter, YUN_PROMPT_ANSWER_ALLOW_ONCE);
  settle (&outcome);
  g_assert_true (outcome.allowed);
  g_assert_cmpint (yun_permission_store_get (fixture->store, "gate", "contacts"), ==,
                   YUN_PERMISSION_STATE_PROMPT);
}

static void
test_same_question_is_asked_once (Fixture       *fixture,
                                  gconstpointer  data)
{
  Outcome first = { 0 }, second = { 0 };

  check (fixture, "contacts", "read", &first);
  check (fixture, "contacts", "read", &second);
  spin ();
  g_assert_cmpuint (fixture->prompter->asked, ==, 1);

  prompter_answer (fixture->prompter, YUN_PROMPT_ANSWER_ALLOW_ONCE);
  settle (&first);
  settle (&second);
  g_assert_true (first.allowed);
  g_assert_true (second.allowed);
}

static void
test_questions_wait_their_turn (Fixture       *fixture,
                                gconstpointer  data)
{
  Outcome contacts = { 0 }, notes = { 0 };

  check (fixture, "contacts", "read", &contacts);
  check (fixture, "notes", "readwrite", &notes);
  spin ();
  g_assert_cmpuint (fixture->prompter->asked, ==, 1);
  g_assert_cmpstr (fixture->prompter->permission, ==, "contacts");

  prompter_answer (fixture->prompter, YUN_PROMPT_ANSWER_DENY);
  settle (&contacts);
  spin ();
  g_assert_cmpuint (fixture->prompter->asked, ==, 2);
  g_assert_cmpstr (fixture->prompter->permission, ==, "notes");
  g_assert_false (notes.done);

  prompter_answer (fixture->prompter, YUN_PROMPT_ANSWER_ALLOW_ALWAYS);
  settle (&notes);
  g_assert_true (notes.allowed);
  g_clear_error (&contacts.error);
}

static void
test_nobody_to_ask_is_refused (Fixture       *fixture,
                               gconstpointer  data)
{
  Outcome outcome = { 0 };

  yun_permission_gate_set_prompter (fixture->gate, NULL);
  check (fixture, "contacts", "read", &outcome);
  settle (&outcome);
  g_assert_error (outcome.error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED);
  g_clear_error (&outcome.error);
}

static void
test_query_never_asks (Fixture       *fixture,
                       gconstpointer  data)
{
  g_assert_cmpint (yun_permission_gate_query (fixture->gate, "gate", fixture->manifest, "contacts"),
                   ==, YUN_PERMISSION_STATE_PROMPT);
  g_assert_cmpint (yun_permission_gate_query (fixture->gate, "gate", fixture->manifest, "camera"),
                   ==, YUN_PERMISSION_STATE_DENIED);
  g_assert_cmpuint (fixture->prompter->asked, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/bridge/permission-gate/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("undeclared-is-refused-without-asking", test_undeclared_is_refused_without_asking);
  ADD ("more-access-than-declared-is-refused", test_more_access_than_declared_is_refused);
  ADD ("asks-with-name-and-reason", test_asks_with_name_and_reason);
  ADD ("deny-is-stored", test_deny_is_stored);
  ADD ("allow-once-is-not-stored", test_allow_once_is_not_stored);
  ADD ("same-question-is-asked-once", test_same_question_is_asked_once);
  ADD ("questions-wait-their-turn", test_questions_wait_their_turn);
  ADD ("nobody-to-ask-is-refused", test_nobody_to_ask_is_refused);
  ADD ("query-never-asks", test_query_never_asks);

#undef ADD

  return g_test_run ();
}
