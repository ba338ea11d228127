/* yun-share-sheet.c: the shell's share sheet, for navigator.share().
 *
 * A sheet over the bottom of the app: which app shares and what (its
 * title, text and URL), and the user's choices: make a read-only link on
 * their cloud account, send it to a friend there (a name entry), or
 * cancel.  There is no standing permission: the sheet is the consent.
 * After the choice it waits for the bridge to say how the share ended,
 * then shows the link (also copied to the clipboard), that the friend got
 * it, or why it failed, until the user closes it.  Without a cloud account
 * it only says so.  The automation interface answers through
 * yun_share_sheet_answer(), which presses the sheet's own buttons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-share-sheet.h"

/* The longest friend's name the cloud accepts. */
#define MAX_FRIEND_NAME 64

typedef enum {
  STATE_CLOSED,
  STATE_ASKING,
  STATE_WORKING,
  STATE_DONE,
  STATE_FAILED,
  STATE_NO_ACCOUNT,
} State;

static const char * const state_names[] = {
  "closed", "asking", "working", "done", "failed", "no-account",
};

typedef struct {
  YunShareChoice choice;
  char *friend_name;
} Answer;

struct _YunShareSheet
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *heading;
  GtkWidget *shared_title;
  GtkWidget *shared_text;
  GtkWidget *shared_url;
  GtkWidget *choices;
  GtkWidget *link;
  GtkWidget *friend_entry;
  GtkWidget *send;
  GtkWidget *cancel;
  GtkWidget *message;
  GtkWidget *close;

  State state;
  /* While asking: the bridge's question. */
  GTask *task;
  /* While asking and working: the asking page's call. */
  GCancellable *cancellable;
  gulong cancelled_id;
  char *app_name;
  char *title;
  char *text;
  char *url;
  char *friend_name;
};

static void yun_share_sheet_chooser_init (YunShareChooserInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunShareSheet, yun_share_sheet, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_SHARE_CHOOSER,
                                                      yun_share_sheet_chooser_init))

static void
answer_free (Answer *answer)
{
  g_free (answer->friend_name);
  g_free (answer);
}

static void
forget_page (YunShareSheet *self)
{
  if (self->cancellable != NULL)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
}

/* Shows @state; the message is the link or what the user should know. */
static void
show_state (YunShareSheet *self,
            State          state,
            const char    *message)
{
  self->state = state;
  gtk_widget_set_visible (self->choices, state == STATE_ASKING || state == STATE_WORKING);
  gtk_widget_set_sensitive (self->choices, state == STATE_ASKING);
  gtk_label_set_text (GTK_LABEL (self->message), message != NULL ? message : "");
  gtk_widget_set_visible (self->message, message != NULL);
  gtk_widget_set_visible (self->close, state >= STATE_DONE);
  gtk_widget_set_visible (GTK_WIDGET (self), state != STATE_CLOSED);
}

static void
set_shown (YunShareSheet *self,
           GtkWidget     *label,
           const char    *value)
{
  gtk_label_set_text (GTK_LABEL (label), value != NULL ? value : "");
  gtk_widget_set_visible (label, value != NULL);
}

/* Ends the question with the user's answer, or with @error. */
static void
answer_question (YunShareSheet  *self,
                 YunShareChoice  choice,
                 GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  Answer *answer;

  g_assert (task != NULL);
  if (error != NULL) {
    forget_page (self);
    show_state (self, STATE_CLOSED, NULL);
    g_task_return_error (task, error);
    return;
  }

  answer = g_new0 (Answer, 1);
  answer->choice = choice;
  answer->friend_name = g_strdup (self->friend_name);
  show_state (self, STATE_WORKING, "Sharing…");
  g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

static void
on_link_clicked (GtkButton     *button,
                 YunShareSheet *self)
{
  if (self->state == STATE_ASKING) {
    g_clear_pointer (&self->friend_name, g_free);
    answer_question (self, YUN_SHARE_CHOICE_LINK, NULL);
  }
}

static void
on_send_clicked (GtkWidget     *widget,
                 YunShareSheet *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->friend_entry));

  if (self->state != STATE_ASKING || *name == '\0')
    return;
  g_free (self->friend_name);
  self->friend_name = g_strdup (name);
  answer_question (self, YUN_SHARE_CHOICE_FRIEND, NULL);
}

static void
on_friend_changed (GtkEditable   *entry,
                   YunShareSheet *self)
{
  gtk_widget_set_sensitive (self->send, *gtk_editable_get_text (entry) != '\0');
}

static void
on_cancel_clicked (GtkButton     *button,
                   YunShareSheet *self)
{
  if (self->state == STATE_ASKING)
    answer_question (self, 0, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "the user cancelled"));
}

static void
on_close_clicked (GtkButton     *button,
                  YunShareSheet *self)
{
  if (self->state >= STATE_DONE)
    show_state (self, STATE_CLOSED, NULL);
}

static void
close_if_cancelled (gpointer user_data)
{
  g_autoptr(YunShareSheet) self = user_data;

  if (self->cancellable == NULL || !g_cancellable_is_cancelled (self->cancellable))
    return;
  if (self->task != NULL) {
    answer_question (self, 0, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "the page went away"));
  } else {
    forget_page (self);
    show_state (self, STATE_CLOSED, NULL);
  }
}

/* The sharing page went away.  A handler may not disconnect itself, so
 * the sheet closes from the main loop. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  g_idle_add_once (close_if_cancelled, g_object_ref (user_data));
}

static void
choose_async (YunShareChooser       *chooser,
              const YunShareContent *content,
              GCancellable          *cancellable,
              GAsyncReadyCallback    callback,
              gpointer               user_data)
{
  YunShareSheet *self = YUN_SHARE_SHEET (chooser);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *heading = NULL;

  g_task_set_source_tag (task, choose_async);
  if (self->state == STATE_ASKING || self->state == STATE_WORKING) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "another share is under way");
    return;
  }

  g_free (self->app_name);
  self->app_name = g_strdup (content->app_name);
  g_free (self->title);
  self->title = g_strdup (content->title);
  g_free (self->text);
  self->text = g_strdup (content->text);
  g_free (self->url);
  self->url = g_strdup (content->url);
  g_clear_pointer (&self->friend_name, g_free);

  heading = g_strdup_printf ("“%s” wants to share", content->app_name);
  gtk_label_set_text (GTK_LABEL (self->heading), heading);
  set_shown (self, self->shared_title, content->title);
  set_shown (self, self->shared_text, content->text);
  set_shown (self, self->shared_url, content->url);
  gtk_editable_set_text (GTK_EDITABLE (self->friend_entry), "");

  if (content->account == NULL) {
    show_state (self, STATE_NO_ACCOUNT,
                "Sharing needs a cloud account: sign in to one in Settings first.");
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             "the phone is not signed in to a cloud account");
    return;
  }

  self->task = g_steal_pointer (&task);
  if (cancellable != NULL) {
    self->cancellable = g_object_ref (cancellable);
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
  }
  show_state (self, STATE_ASKING, NULL);
}

static gboolean
choose_finish (YunShareChooser  *chooser,
               GAsyncResult     *result,
               YunShareChoice   *choice,
               char            **friend_name,
               GError          **error)
{
  Answer *answer = g_task_propagate_pointer (G_TASK (result), error);

  if (answer == NULL)
    return FALSE;
  *choice = answer->choice;
  *friend_name = g_steal_pointer (&answer->friend_name);
  answer_free (answer);
  return TRUE;
}

static void
finish_share (YunShareChooser *chooser,
              const char      *url,
              const GError    *error)
{
  YunShareSheet *self = YUN_SHARE_SHEET (chooser);

  /* Closed meanwhile, with the page; or the page went away meanwhile. */
  if (self->state != STATE_WORKING)
    return;
  forget_page (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    show_state (self, STATE_CLOSED, NULL);
  } else if (error != NULL) {
    g_autofree char *message = g_strdup_printf ("Could not share: %s", error->message);

    show_state (self, STATE_FAILED, message);
  } else if (url != NULL) {
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
    show_state (self, STATE_DONE, url);
    gtk_label_set_text (GTK_LABEL (self->heading),
                        "Anyone with this link can read it (copied to the clipboard):");
  } else {
    g_autofree char *message = g_strdup_printf ("Sent to %s.", self->friend_name);

    show_state (self, STATE_DONE, message);
  }
}

static void
yun_share_sheet_chooser_init (YunShareChooserInterface *iface)
{
  iface->choose_async = choose_async;
  iface->choose_finish = choose_finish;
  iface->finish_share = finish_share;
}

static void
yun_share_sheet_dispose (GObject *object)
{
  YunShareSheet *self = YUN_SHARE_SHEET (object);

  if (self->task != NULL)
    answer_question (self, 0, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "the shell is closing"));
  forget_page (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (yun_share_sheet_parent_class)->dispose (object);
}

static void
yun_share_sheet_finalize (GObject *object)
{
  YunShareSheet *self = YUN_SHARE_SHEET (object);

  g_free (self->app_name);
  g_free (self->title);
  g_free (self->text);
  g_free (self->url);
  g_free (self->friend_name);

  G_OBJECT_CLASS (yun_share_sheet_parent_class)->finalize (object);
}

static void
yun_share_sheet_class_init (YunShareSheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yun_share_sheet_dispose;
  object_class->finalize = yun_share_sheet_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-share-sheet");
}

static GtkWidget *
wrapped_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
yun_share_sheet_init (YunShareSheet *self)
{
  GtkWidget *friend_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (self->box, "yun-permission-sheet");
  self->heading = wrapped_label ("title");
  self->shared_title = wrapped_label ("heading");
  self->shared_text = wrapped_label ("reason");
  /* A long text shows its start; the whole goes where the user chooses. */
  gtk_label_set_lines (GTK_LABEL (self->shared_text), 6);
  gtk_label_set_ellipsize (GTK_LABEL (self->shared_text), PANGO_ELLIPSIZE_END);
  self->shared_url = wrapped_label ("reason");
  gtk_label_set_ellipsize (GTK_LABEL (self->shared_url), PANGO_ELLIPSIZE_MIDDLE);

  self->choices = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  self->link = gtk_button_new_with_label ("Make a read-only link");
  gtk_widget_add_css_class (self->link, "suggested-action");
  g_signal_connect (self->link, "clicked", G_CALLBACK (on_link_clicked), self);
  self->friend_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->friend_entry), "Friend's name on your cloud");
  gtk_entry_set_max_length (GTK_ENTRY (self->friend_entry), MAX_FRIEND_NAME);
  gtk_widget_set_hexpand (self->friend_entry, TRUE);
  g_signal_connect (self->friend_entry, "changed", G_CALLBACK (on_friend_changed), self);
  g_signal_connect (self->friend_entry, "activate", G_CALLBACK (on_send_clicked), self);
  self->send = gtk_button_new_with_label ("Send to a friend");
  gtk_widget_set_sensitive (self->send, FALSE);
  g_signal_connect (self->send, "clicked", G_CALLBACK (on_send_clicked), self);
  self->cancel = gtk_button_new_with_label ("Cancel");
  g_signal_connect (self->cancel, "clicked", G_CALLBACK (on_cancel_clicked), self);
  gtk_box_append (GTK_BOX (friend_row), self->friend_entry);
  gtk_box_append (GTK_BOX (friend_row), self->send);
  gtk_box_append (GTK_BOX (self->choices), self->link);
  gtk_box_append (GTK_BOX (self->choices), friend_row);
  gtk_box_append (GTK_BOX (self->choices), self->cancel);

  self->message = wrapped_label (NULL);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  self->close = gtk_button_new_with_label ("Done");
  g_signal_connect (self->close, "clicked", G_CALLBACK (on_close_clicked), self);

  gtk_box_append (GTK_BOX (self->box), self->heading);
  gtk_box_append (GTK_BOX (self->box), self->shared_title);
  gtk_box_append (GTK_BOX (self->box), self->shared_text);
  gtk_box_append (GTK_BOX (self->box), self->shared_url);
  gtk_box_append (GTK_BOX (self->box), self->choices);
  gtk_box_append (GTK_BOX (self->box), self->message);
  gtk_box_append (GTK_BOX (self->box), self->close);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_END);
  show_state (self, STATE_CLOSED, NULL);
}

/**
 * yun_share_sheet_new:
 *
 * Returns: (transfer floating): a hidden share sheet
 */
YunShareSheet *
yun_share_sheet_new (void)
{
  return g_object_new (YUN_TYPE_SHARE_SHEET, NULL);
}

/**
 * yun_share_sheet_get_state:
 * @self: the sheet
 * @app_name: (out) (transfer none): the app that shares, or ""
 * @title: (out) (transfer none): the title it shares, or ""
 * @text: (out) (transfer none): the text it shares, or ""
 * @url: (out) (transfer none): the URL it shares, or ""
 * @message: (out) (transfer none): what the sheet says: the link made, or
 *   that the friend got it, or why it failed; or ""
 *
 * Returns: the sheet's state: "closed", "asking" (the user chooses),
 *   "working" (the cloud shares), "done", "failed" or "no-account"
 */
const char *
yun_share_sheet_get_state (YunShareSheet  *self,
                           const char    **app_name,
                           const char    **title,
                           const char    **text,
                           const char    **url,
                           const char    **message)
{
  g_return_val_if_fail (YUN_IS_SHARE_SHEET (self), NULL);

  *app_name = self->app_name != NULL ? self->app_name : "";
  *title = self->title != NULL ? self->title : "";
  *text = self->text != NULL ? self->text : "";
  *url = self->url != NULL ? self->url : "";
  *message = gtk_label_get_text (GTK_LABEL (self->message));
  return state_names[self->state];
}

/* Presses @button as the user would, if the user could now. */
static gboolean
press (GtkWidget  *button,
       GError    **error)
{
  if (!gtk_widget_is_visible (button) || !gtk_widget_is_sensitive (button)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the sheet shows no “%s” now",
                 gtk_button_get_label (GTK_BUTTON (button)));
    return FALSE;
  }
  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

/**
 * yun_share_sheet_answer:
 * @self: the sheet
 * @choice: "link", "friend", "cancel", or "close" for the sheet that
 *   shows how a share ended
 * @friend_name: (nullable): the friend's name, typed into the entry, with
 *   "friend"
 * @error: return location for an error
 *
 * Answers the sheet as its buttons do.
 *
 * Returns: whether the sheet offered that choice
 */
gboolean
yun_share_sheet_answer (YunShareSheet  *self,
                        const char     *choice,
                        const char     *friend_name,
                        GError        **error)
{
  g_return_val_if_fail (YUN_IS_SHARE_SHEET (self), FALSE);
  g_return_val_if_fail (choice != NULL, FALSE);

  if (g_str_equal (choice, "link"))
    return press (self->link, error);
  if (g_str_equal (choice, "cancel"))
    return press (self->cancel, error);
  if (g_str_equal (choice, "close"))
    return press (self->close, error);
  if (g_str_equal (choice, "friend")) {
    if (self->state == STATE_ASKING)
      gtk_editable_set_text (GTK_EDITABLE (self->friend_entry), friend_name != NULL ? friend_name : "");
    return press (self->send, error);
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not a choice: link, friend, cancel or close", choice);
  return FALSE;
}
