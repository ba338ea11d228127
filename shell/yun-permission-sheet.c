/* yun-permission-sheet.c: the shell's permission prompt.
 *
 * A sheet at the bottom of the screen that names the app and quotes the
 * reason from its manifest, with three answers: Allow once, Allow always,
 * Deny.  It shows one question at a time; the permission gate queues the
 * others.  The buttons and the automation interface answer through the
 * same "prompt.answer" action.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-permission-sheet.h"

struct _YunPermissionSheet
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *reason;
  GTask *task;
  gulong cancelled_id;
  char *app_name;
  char *permission;
  char *access;
  char *reason_text;
};

static void yun_permission_sheet_prompter_init (YunPermissionPrompterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunPermissionSheet, yun_permission_sheet, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_PERMISSION_PROMPTER,
                                                      yun_permission_sheet_prompter_init))

static const struct {
  const char *name;
  YunPromptAnswer answer;
} answers[] = {
  { "deny", YUN_PROMPT_ANSWER_DENY },
  { "once", YUN_PROMPT_ANSWER_ALLOW_ONCE },
  { "always", YUN_PROMPT_ANSWER_ALLOW_ALWAYS },
};

/* Closes the open question; with @error, it was dismissed rather than
 * answered. */
static void
close_question (YunPermissionSheet *self,
                YunPromptAnswer     answer,
                GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_assert (task != NULL);
  g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_pointer (&self->app_name, g_free);
  g_clear_pointer (&self->permission, g_free);
  g_clear_pointer (&self->access, g_free);
  g_clear_pointer (&self->reason_text, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, answer);
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  YunPermissionSheet *self = user_data;

  if (self->task != NULL)
    close_question (self, YUN_PROMPT_ANSWER_DENY,
                    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the question was withdrawn"));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable       *cancellable,
              YunPermissionSheet *self)
{
  /* Cancellation may come from any thread and inside g_cancellable_cancel:
   * close the sheet from the main loop. */
  g_idle_add (on_cancelled_idle, g_object_ref (self));
}

static void
ask_async (YunPermissionPrompter       *prompter,
           const YunPermissionQuestion *question,
           GCancellable                *cancellable,
           GAsyncReadyCallback          callback,
           gpointer                     user_data)
{
  YunPermissionSheet *self = YUN_PERMISSION_SHEET (prompter);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *title = NULL;

  g_task_set_source_tag (task, ask_async);
  if (self->task != NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                             "another permission question is open");
    return;
  }

  self->app_name = g_strdup (question->app_name);
  self->permission = g_strdup (question->permission);
  self->access = g_strdup (question->access);
  self->reason_text = g_strdup (question->reason);

  title = g_strdup_printf (g_str_equal (question->access, "readwrite") ?
                           "Allow “%s” to read and change your %s?" :
                           "Allow “%s” to use your %s?",
                           question->app_name, question->permission);
  gtk_label_set_text (GTK_LABEL (self->title), title);
  gtk_label_set_text (GTK_LABEL (self->reason),
                      question->reason != NULL ? question->reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
}

static YunPromptAnswer
ask_finish (YunPermissionPrompter  *prompter,
            GAsyncResult           *result,
            GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize answer;

  answer = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return YUN_PROMPT_ANSWER_DENY;
  }
  return (YunPromptAnswer) answer;
}

static void
yun_permission_sheet_prompter_init (YunPermissionPrompterInterface *iface)
{
  iface->ask_async = ask_async;
  iface->ask_finish = ask_finish;
}

static void
on_answer_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  yun_permission_sheet_answer (YUN_PERMISSION_SHEET (widget),
                               g_variant_get_string (parameter, NULL), NULL);
}

static void
yun_permission_sheet_dispose (GObject *object)
{
  YunPermissionSheet *self = YUN_PERMISSION_SHEET (object);

  if (self->task != NULL)
    close_question (self, YUN_PROMPT_ANSWER_DENY,
                    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the shell closed"));
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (yun_permission_sheet_parent_class)->dispose (object);
}

static void
yun_permission_sheet_class_init (YunPermissionSheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yun_permission_sheet_dispose;

  gtk_widget_class_install_action (widget_class, "prompt.answer", "s", on_answer_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-permission-sheet");
}

static GtkWidget *
answer_button (const char *label,
               const char *answer)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prompt.answer");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", answer);
  gtk_widget_set_hexpand (button, TRUE);
  return button;
}

static void
yun_permission_sheet_init (YunPermissionSheet *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_add_css_class (self->box, "yun-permission-sheet");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->title = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_widget_add_css_class (self->title, "title");
  self->reason = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->reason), TRUE);
  gtk_widget_add_css_class (self->reason, "reason");

  gtk_box_append (GTK_BOX (buttons), answer_button ("_Deny", "deny"));
  gtk_box_append (GTK_BOX (buttons), answer_button ("Allow _once", "once"));
  gtk_box_append (GTK_BOX (buttons), answer_button ("Allow _always", "always"));

  gtk_box_append (GTK_BOX (self->box), self->title);
  gtk_box_append (GTK_BOX (self->box), self->reason);
  gtk_box_append (GTK_BOX (self->box), buttons);

  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_END);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * yun_permission_sheet_new:
 *
 * Returns: (transfer floating): a hidden sheet
 */
YunPermissionSheet *
yun_permission_sheet_new (void)
{
  return g_object_new (YUN_TYPE_PERMISSION_SHEET, NULL);
}

/**
 * yun_permission_sheet_answer:
 * @self: the sheet
 * @answer: "deny", "once" or "always"
 * @error: return location for an error
 *
 * Answers the open question, as its buttons do.
 *
 * Returns: %TRUE when a question was open and @answer is one of the three
 */
gboolean
yun_permission_sheet_answer (YunPermissionSheet  *self,
                             const char          *answer,
                             GError             **error)
{
  g_return_val_if_fail (YUN_IS_PERMISSION_SHEET (self), FALSE);

  if (self->task == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no permission question is open");
    return FALSE;
  }

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++) {
    if (g_strcmp0 (answer, answers[i].name) == 0) {
      close_question (self, answers[i].answer, NULL);
      return TRUE;
    }
  }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not an answer: use deny, once or always", answer);
  return FALSE;
}

/**
 * yun_permission_sheet_dismiss:
 * @self: the sheet
 *
 * Closes the open question without an answer, as when the user presses
 * Home: the call that asked is refused, and nothing is remembered.
 *
 * Returns: %TRUE when a question was open
 */
gboolean
yun_permission_sheet_dismiss (YunPermissionSheet *self)
{
  g_return_val_if_fail (YUN_IS_PERMISSION_SHEET (self), FALSE);

  if (self->task == NULL)
    return FALSE;
  close_question (self, YUN_PROMPT_ANSWER_DENY,
                  g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "the user left without answering"));
  return TRUE;
}

/**
 * yun_permission_sheet_get_question:
 * @self: the sheet
 * @app_name: (out) (optional): the asking app's name
 * @permission: (out) (optional): the permission
 * @access: (out) (optional): "read" or "readwrite"
 * @reason: (out) (optional): the reason shown
 *
 * Returns: %TRUE when a question is open
 */
gboolean
yun_permission_sheet_get_question (YunPermissionSheet  *self,
                                   char               **app_name,
                                   char               **permission,
                                   char               **access,
                                   char               **reason)
{
  g_return_val_if_fail (YUN_IS_PERMISSION_SHEET (self), FALSE);

  if (self->task == NULL)
    return FALSE;
  if (app_name != NULL)
    *app_name = g_strdup (self->app_name);
  if (permission != NULL)
    *permission = g_strdup (self->permission);
  if (access != NULL)
    *access = g_strdup (self->access);
  if (reason != NULL)
    *reason = g_strdup (self->reason_text != NULL ? self->reason_text : "");
  return TRUE;
}
