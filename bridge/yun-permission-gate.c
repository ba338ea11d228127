/* yun-permission-gate.c: decides, in C, whether an app may use a permission.
 *
 * The rules, in order:
 * 1. A permission the app's manifest does not declare, or declares with
 *    less access than the method needs, is refused without asking anyone;
 *    so is a reserved permission ("apps": installing and removing apps)
 *    for any app but the one it is reserved for, whatever its manifest
 *    declares.
 * 2. A standing decision (allow always, deny) answers at once.
 * 3. Otherwise the user is asked, once: questions wait in a queue and are
 *    shown one at a time, and calls that need the same answer while it is
 *    being asked share it.  "Allow always" and "Deny" are remembered.
 * Every check is written to the access log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-permission-gate.h"

#include "yun-bridge-error.h"

typedef struct {
  char *app_id;
  char *app_name;
  char *permission;
  char *access;
  char *reason;
  /* GTasks waiting for this answer; each has its method name as data. */
  GPtrArray *waiters;
  /* Cancelled to take the question back when nobody waits any more. */
  GCancellable *cancellable;
} Question;

struct _YunPermissionGate
{
  GObject parent_instance;

  YunPermissionStore *store;
  YunPermissionPrompter *prompter;
  GQueue questions;
  Question *asking;
  GCancellable *cancellable;
  /* reserved permission → Holder: the one app that may use it */
  GHashTable *holders;
};

/* Permissions that let an app change the phone itself.  Only the app
 * yun_permission_gate_reserve() names may hold one; with no such app
 * nobody does. */
static const char * const reserved_permissions[] = { "apps", NULL };

typedef struct {
  char *app_id;
  char *manifest_url;
} Holder;

G_DEFINE_FINAL_TYPE (YunPermissionGate, yun_permission_gate, G_TYPE_OBJECT)

static void
holder_free (Holder *holder)
{
  g_free (holder->app_id);
  g_free (holder->manifest_url);
  g_free (holder);
}

static void
question_free (Question *question)
{
  g_free (question->app_id);
  g_free (question->app_name);
  g_free (question->permission);
  g_free (question->access);
  g_free (question->reason);
  g_ptr_array_unref (question->waiters);
  g_clear_object (&question->cancellable);
  g_free (question);
}

static void
allow (YunPermissionGate *self,
       GTask             *task,
       const char        *app_id,
       const char        *permission)
{
  yun_permission_store_log_access (self->store, app_id, g_task_get_task_data (task),
                                   permission, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
refuse (YunPermissionGate *self,
        GTask             *task,
        const char        *app_id,
        const char        *permission,
        const char        *why)
{
  yun_permission_store_log_access (self->store, app_id, g_task_get_task_data (task),
                                   permission, FALSE);
  g_task_return_new_error (task, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED,
                           "%s: %s", (const char *) g_task_get_task_data (task), why);
}

static void ask_next (YunPermissionGate *self);

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  YunPermissionGate *self = user_data;
  g_autoptr(GError) error = NULL;
  Question *question;
  YunPromptAnswer answer;

  answer = yun_permission_prompter_ask_finish (YUN_PERMISSION_PROMPTER (source), result, &error);
  /* The gate was disposed while the question was open: nobody waits. */
  if (self->asking == NULL) {
    g_object_unref (self);
    return;
  }

  question = g_steal_pointer (&self->asking);
  if (answer == YUN_PROMPT_ANSWER_ALLOW_ALWAYS)
    yun_permission_store_set (self->store, question->app_id, question->permission,
                              YUN_PERMISSION_STATE_GRANTED);
  else if (answer == YUN_PROMPT_ANSWER_DENY && error == NULL)
    yun_permission_store_set (self->store, question->app_id, question->permission,
                              YUN_PERMISSION_STATE_DENIED);

  for (guint i = 0; i < question->waiters->len; i++) {
    GTask *task = g_ptr_array_index (question->waiters, i);

    if (answer != YUN_PROMPT_ANSWER_DENY)
      allow (self, task, question->app_id, question->permission);
    else if (error != NULL)
      refuse (self, task, question->app_id, question->permission, error->message);
    else
      refuse (self, task, question->app_id, question->permission,
              "the user did not allow it");
  }

  question_free (question);
  ask_next (self);
  g_object_unref (self);
}

static void
ask_next (YunPermissionGate *self)
{
  YunPermissionQuestion shown;

  if (self->asking != NULL || g_queue_is_empty (&self->questions))
    return;

  self->asking = g_queue_pop_head (&self->questions);
  shown = (YunPermissionQuestion) {
    .app_id = self->asking->app_id,
    .app_name = self->asking->app_name,
    .permission = self->asking->permission,
    .access = self->asking->access,
    .reason = self->asking->reason,
  };
  self->asking->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           self->asking->cancellable, G_CONNECT_SWAPPED);
  yun_permission_prompter_ask_async (self->prompter, &shown, self->asking->cancellable, on_answer,
                                     g_object_ref (self));
}

/* Takes back the calls whose page went away.  A question nobody waits for
 * any more is dropped from the queue, or closed if it is on the screen;
 * no decision is recorded for it. */
static gboolean
drop_waiters (Question *question)
{
  for (guint i = question->waiters->len; i > 0; i--) {
    GTask *task = g_ptr_array_index (question->waiters, i - 1);

    if (g_cancellable_is_cancelled (g_task_get_cancellable (task))) {
      g_autoptr(GTask) gone = g_ptr_array_steal_index (question->waiters, i - 1);

      g_task_return_error_if_cancelled (gone);
    }
  }
  return question->waiters->len == 0;
}

static void
on_waiters_cancelled (gpointer user_data)
{
  g_autoptr(YunPermissionGate) self = user_data;
  GList *l = self->questions.head;

  while (l != NULL) {
    GList *next = l->next;

    if (drop_waiters (l->data)) {
      question_free (l->data);
      g_queue_delete_link (&self->questions, l);
    }
    l = next;
  }
  if (self->asking != NULL && drop_waiters (self->asking))
    g_cancellable_cancel (self->asking->cancellable);
}

/* Called inside g_cancellable_cancel(), where handlers may not be
 * disconnected: the work waits for the main loop. */
static void
on_waiter_cancelled (GCancellable      *cancellable,
                     YunPermissionGate *self)
{
  g_idle_add_once (on_waiters_cancelled, g_object_ref (self));
}

static Question *
find_question (YunPermissionGate *self,
               const char        *app_id,
               const char        *permission)
{
  if (self->asking != NULL && g_str_equal (self->asking->app_id, app_id) &&
      g_str_equal (self->asking->permission, permission))
    return self->asking;

  for (GList *l = self->questions.head; l != NULL; l = l->next) {
    Question *question = l->data;

    if (g_str_equal (question->app_id, app_id) && g_str_equal (question->permission, permission))
      return question;
  }

  return NULL;
}

static void
yun_permission_gate_dispose (GObject *object)
{
  YunPermissionGate *self = YUN_PERMISSION_GATE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->questions, (GDestroyNotify) question_free);
  g_clear_pointer (&self->asking, question_free);
  g_clear_object (&self->prompter);
  g_clear_object (&self->store);
  g_clear_pointer (&self->holders, g_hash_table_unref);

  G_OBJECT_CLASS (yun_permission_gate_parent_class)->dispose (object);
}

static void
yun_permission_gate_class_init (YunPermissionGateClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = yun_permission_gate_dispose;
}

static void
yun_permission_gate_init (YunPermissionGate *self)
{
  g_queue_init (&self->questions);
  self->cancellable = g_cancellable_new ();
  self->holders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) holder_free);
}

/**
 * yun_permission_gate_new:
 * @store: where decisions are kept and accesses logged
 *
 * Returns: (transfer full): a gate with nobody to ask yet: until a
 *   prompter is set, undecided permissions are refused
 */
YunPermissionGate *
yun_permission_gate_new (YunPermissionStore *store)
{
  YunPermissionGate *self;

  g_return_val_if_fail (YUN_IS_PERMISSION_STORE (store), NULL);

  self = g_object_new (YUN_TYPE_PERMISSION_GATE, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * yun_permission_gate_get_store:
 * @self: a gate
 *
 * Returns: (transfer none): the store of decisions and accesses
 */
YunPermissionStore *
yun_permission_gate_get_store (YunPermissionGate *self)
{
  g_return_val_if_fail (YUN_IS_PERMISSION_GATE (self), NULL);
  return self->store;
}

/**
 * yun_permission_gate_set_prompter:
 * @self: a gate
 * @prompter: (nullable): who asks the user
 */
void
yun_permission_gate_set_prompter (YunPermissionGate     *self,
                                  YunPermissionPrompter *prompter)
{
  g_return_if_fail (YUN_IS_PERMISSION_GATE (self));
  g_return_if_fail (prompter == NULL || YUN_IS_PERMISSION_PROMPTER (prompter));

  g_set_object (&self->prompter, prompter);
}

/**
 * yun_permission_gate_reserve:
 * @self: a gate
 * @permission: a reserved permission: "apps"
 * @app_id: the one app that may hold it
 * @manifest_url: the URL that app's manifest must have been fetched from
 *
 * Lets one app, and only it, hold a reserved permission: the app must
 * have the id @app_id and a manifest from @manifest_url, so another app
 * that takes the id (or declares the permission) does not get it.  It is
 * still asked for like any other permission.  Reserving again moves the
 * permission to the new app.
 */
void
yun_permission_gate_reserve (YunPermissionGate *self,
                             const char        *permission,
                             const char        *app_id,
                             const char        *manifest_url)
{
  Holder *holder;

  g_return_if_fail (YUN_IS_PERMISSION_GATE (self));
  g_return_if_fail (permission != NULL && g_strv_contains (reserved_permissions, permission));
  g_return_if_fail (app_id != NULL && manifest_url != NULL);

  holder = g_new0 (Holder, 1);
  holder->app_id = g_strdup (app_id);
  holder->manifest_url = g_strdup (manifest_url);
  g_hash_table_replace (self->holders, g_strdup (permission), holder);
}

/* Whether the app may hold @permission at all: every app may hold an
 * ordinary one, only the reserved app a reserved one. */
static gboolean
may_hold (YunPermissionGate *self,
          const char        *app_id,
          YunManifest       *manifest,
          const char        *permission)
{
  Holder *holder;

  if (!g_strv_contains (reserved_permissions, permission))
    return TRUE;
  holder = g_hash_table_lookup (self->holders, permission);
  return holder != NULL && g_str_equal (holder->app_id, app_id) &&
         g_strcmp0 (holder->manifest_url, yun_manifest_get_manifest_url (manifest)) == 0;
}

/* Whether the manifest grants at least @access to @permission. */
static gboolean
is_declared (YunManifest *manifest,
             const char  *permission,
             const char  *access)
{
  YunManifestAccess declared = YUN_MANIFEST_ACCESS_READ;

  if (!yun_manifest_get_permission (manifest, permission, &declared, NULL))
    return FALSE;
  return g_strcmp0 (access, "readwrite") != 0 || declared == YUN_MANIFEST_ACCESS_READWRITE;
}

/**
 * yun_permission_gate_query:
 * @self: a gate
 * @app_id: the app
 * @manifest: its manifest
 * @permission: a permission's name
 *
 * The state the Permissions API reports, without asking anyone.
 *
 * Returns: denied for an undeclared permission, else the standing decision
 */
YunPermissionState
yun_permission_gate_query (YunPermissionGate *self,
                           const char        *app_id,
                           YunManifest       *manifest,
                           const char        *permission)
{
  g_return_val_if_fail (YUN_IS_PERMISSION_GATE (self), YUN_PERMISSION_STATE_DENIED);
  g_return_val_if_fail (YUN_IS_MANIFEST (manifest), YUN_PERMISSION_STATE_DENIED);

  if (!is_declared (manifest, permission, "read") || !may_hold (self, app_id, manifest, permission))
    return YUN_PERMISSION_STATE_DENIED;
  return yun_permission_store_get (self->store, app_id, permission);
}

/**
 * yun_permission_gate_check_async:
 * @self: a gate
 * @app_id: the calling app, as the UI process knows it
 * @manifest: its manifest
 * @permission: the permission the method needs
 * @access: "read" or "readwrite"
 * @method: the method, for the access log and messages: "contacts.find"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it is decided
 * @user_data: data for @callback
 *
 * Decides whether the call may go on, asking the user when it must.
 */
void
yun_permission_gate_check_async (YunPermissionGate   *self,
                                 const char          *app_id,
                                 YunManifest         *manifest,
                                 const char          *permission,
                                 const char          *access,
                                 const char          *method,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *why = NULL;
  const char *reason = NULL;
  Question *question;

  g_return_if_fail (YUN_IS_PERMISSION_GATE (self));
  g_return_if_fail (app_id != NULL && permission != NULL && access != NULL && method != NULL);
  g_return_if_fail (YUN_IS_MANIFEST (manifest));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_permission_gate_check_async);
  g_task_set_task_data (task, g_strdup (method), g_free);

  if (!is_declared (manifest, permission, access)) {
    why = g_strdup_printf ("the app's manifest does not declare the \"%s\" permission with "
                           "\"%s\" access", permission, access);
    refuse (self, task, app_id, permission, why);
    return;
  }
  if (!may_hold (self, app_id, manifest, permission)) {
    why = g_strdup_printf ("only the phone's store may hold the \"%s\" permission", permission);
    refuse (self, task, app_id, permission, why);
    return;
  }

  switch (yun_permission_store_get (self->store, app_id, permission)) {
  case YUN_PERMISSION_STATE_GRANTED:
    allow (self, task, app_id, permission);
    return;
  case YUN_PERMISSION_STATE_DENIED:
    why = g_strdup_printf ("the user denied the \"%s\" permission", permission);
    refuse (self, task, app_id, permission, why);
    return;
  case YUN_PERMISSION_STATE_PROMPT:
  default:
    break;
  }

  if (self->prompter == NULL) {
    refuse (self, task, app_id, permission, "there is no one to ask for permission");
    return;
  }

  question = find_question (self, app_id, permission);
  if (question == NULL) {
    yun_manifest_get_permission (manifest, permission, NULL, &reason);
    question = g_new0 (Question, 1);
    question->app_id = g_strdup (app_id);
    question->app_name = g_strdup (yun_manifest_get_name (manifest));
    question->permission = g_strdup (permission);
    question->access = g_strdup (access);
    question->reason = g_strdup (reason);
    question->waiters = g_ptr_array_new_with_free_func (g_object_unref);
    g_queue_push_tail (&self->questions, question);
  }
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (on_waiter_cancelled), g_object_ref (self),
                           g_object_unref);
  g_ptr_array_add (question->waiters, g_steal_pointer (&task));
  ask_next (self);
}

/**
 * yun_permission_gate_check_finish:
 * @self: a gate
 * @result: the result given to the callback
 * @error: return location for a %YUN_BRIDGE_ERROR_NOT_ALLOWED error that
 *   says why
 *
 * Returns: %TRUE when the call may go on
 */
gboolean
yun_permission_gate_check_finish (YunPermissionGate  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
