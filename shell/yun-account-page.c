/* yun-account-page.c: the cloud account section of Settings.
 *
 * Signed out, it asks for the server's address, a user name and a
 * password, and signs in (or registers, then signs in) through the same
 * YunSyncAccount path as the automation's SyncSignIn, in the background.
 * A refusal is shown under the form in words the user can act on, and
 * changes nothing.  Signed in, it shows the user, the server, the sync
 * state with the last sync time, and a Sign out button.
 *
 * Its widgets have names ("server", "user", "password", "sign-in",
 * "register", "sign-out", "error", "status") so that automation can fill
 * and press them as a user would (yun_account_page_lookup()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-account-page.h"

struct _YunAccountPage
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *signed_out;
  GtkWidget *signed_in;
  GtkWidget *server;
  GtkWidget *user;
  GtkWidget *password;
  GtkWidget *sign_in;
  GtkWidget *create;
  GtkWidget *error;
  GtkWidget *who;
  GtkWidget *status;

  YunSyncAccount *account;
  YunSync *sync;
  GCancellable *cancellable;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (YunAccountPage, yun_account_page, GTK_TYPE_WIDGET)

/* What a refusal means to the user, and what to do about it. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup ("Wrong user name or password.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return g_strdup ("That is not a server address: it starts with http:// or https://.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    return g_strdup ("That user name is taken; sign in instead, or choose another.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_strdup ("There is no Yun cloud at that address.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    return g_strdup_printf ("The server did not accept that: %s", error->message);
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_FAILED)
    return g_strdup_printf ("The server could not sign you in: %s", error->message);
  /* Refused connections, unknown hosts, timeouts, TLS: the network's. */
  return g_strdup_printf ("Cannot reach the server: %s", error->message);
}

static void
update (YunAccountPage *self)
{
  const char *name = self->account != NULL ? yun_sync_account_get_name (self->account) : NULL;

  gtk_widget_set_visible (self->signed_out, name == NULL);
  gtk_widget_set_visible (self->signed_in, name != NULL);
  gtk_widget_set_sensitive (self->signed_out, self->account != NULL && !self->busy);

  if (name != NULL) {
    g_autofree char *who = g_strdup_printf ("Signed in as %s on %s", name,
                                            yun_sync_account_get_cloud_url (self->account));
    YunSyncState state = yun_sync_get_state (self->sync);
    gint64 last = yun_sync_get_last_sync_time (self->sync);
    const char *problem = yun_sync_get_last_error (self->sync);
    g_autofree char *when = NULL;
    g_autofree char *status = NULL;

    if (last > 0) {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (last / G_USEC_PER_SEC);

      when = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
    }
    status = g_strdup_printf ("Sync: %s · last synced %s%s%s", yun_sync_state_to_string (state),
                              when != NULL ? when : "never",
                              (state == YUN_SYNC_STATE_ERROR || state == YUN_SYNC_STATE_OFFLINE) &&
                                problem != NULL ? " · " : "",
                              (state == YUN_SYNC_STATE_ERROR || state == YUN_SYNC_STATE_OFFLINE) &&
                                problem != NULL ? problem : "");
    gtk_label_set_text (GTK_LABEL (self->who), who);
    gtk_label_set_text (GTK_LABEL (self->status), status);
  }
}

static void
show_error (YunAccountPage *self,
            const char     *message)
{
  gtk_label_set_text (GTK_LABEL (self->error), message != NULL ? message : "");
  gtk_widget_set_visible (self->error, message != NULL);
}

static void
on_sign_in_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  YunAccountPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_sync_account_sign_in_finish (YUN_SYNC_ACCOUNT (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  if (error != NULL) {
    g_autofree char *message = describe_error (error);

    show_error (self, message);
  } else {
    gtk_editable_set_text (GTK_EDITABLE (self->password), "");
    show_error (self, NULL);
  }
  update (self);
}

static void
start_sign_in (YunAccountPage *self,
               gboolean        create)
{
  g_autofree char *server = NULL;
  const char *user;

  if (self->account == NULL || self->busy)
    return;

  server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server))));
  user = gtk_editable_get_text (GTK_EDITABLE (self->user));
  if (*user == '\0') {
    show_error (self, "Enter your user name.");
    return;
  }

  self->busy = TRUE;
  show_error (self, NULL);
  update (self);
  yun_sync_account_sign_in_to_async (self->account, server, user,
                                     gtk_editable_get_text (GTK_EDITABLE (self->password)),
                                     create, self->cancellable, on_sign_in_ready, self);
}

static void
on_sign_in_clicked (GtkButton      *button,
                    YunAccountPage *self)
{
  start_sign_in (self, FALSE);
}

static void
on_register_clicked (GtkButton      *button,
                     YunAccountPage *self)
{
  start_sign_in (self, TRUE);
}

static void
on_sign_out_clicked (GtkButton      *button,
                     YunAccountPage *self)
{
  if (self->account != NULL)
    yun_sync_account_sign_out (self->account);
}

static void
on_account_name_changed (YunSyncAccount *account,
                         GParamSpec     *pspec,
                         YunAccountPage *self)
{
  update (self);
}

static void
on_sync_state_changed (YunSync        *sync,
                       GParamSpec     *pspec,
                       YunAccountPage *self)
{
  update (self);
}

static void
yun_account_page_dispose (GObject *object)
{
  YunAccountPage *self = YUN_ACCOUNT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (yun_account_page_parent_class)->dispose (object);
}

static void
yun_account_page_class_init (YunAccountPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = yun_account_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-account-page");
}

static GtkWidget *
named (GtkWidget  *widget,
       const char *name)
{
  gtk_widget_set_name (widget, name);
  return widget;
}

static GtkWidget *
field (const char *label,
       GtkWidget  *entry)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *caption = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), entry);
  gtk_box_append (GTK_BOX (row), caption);
  gtk_box_append (GTK_BOX (row), entry);
  return row;
}

static GtkWidget *
wrapped_label (const char *name)
{
  GtkWidget *label = named (gtk_label_new (NULL), name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  return label;
}

static void
yun_account_page_init (YunAccountPage *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *sign_out = named (gtk_button_new_with_label ("Sign out"), "sign-out");

  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->server = named (gtk_entry_new (), "server");
  gtk_entry_set_input_purpose (GTK_ENTRY (self->server), GTK_INPUT_PURPOSE_URL);
  self->user = named (gtk_entry_new (), "user");
  self->password = named (gtk_password_entry_new (), "password");
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (self->password), TRUE);
  self->sign_in = named (gtk_button_new_with_label ("Sign in"), "sign-in");
  gtk_widget_add_css_class (self->sign_in, "suggested-action");
  self->create = named (gtk_button_new_with_label ("Register"), "register");
  self->error = wrapped_label ("error");
  gtk_widget_add_css_class (self->error, "error");
  gtk_widget_set_visible (self->error, FALSE);
  /* Enter in the password signs in. */
  g_signal_connect_swapped (self->password, "activate", G_CALLBACK (gtk_widget_activate),
                            self->sign_in);
  g_signal_connect (self->sign_in, "clicked", G_CALLBACK (on_sign_in_clicked), self);
  g_signal_connect (self->create, "clicked", G_CALLBACK (on_register_clicked), self);
  gtk_box_append (GTK_BOX (buttons), self->sign_in);
  gtk_box_append (GTK_BOX (buttons), self->create);

  self->signed_out = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (self->signed_out), field ("_Server", self->server));
  gtk_box_append (GTK_BOX (self->signed_out), field ("_User name", self->user));
  gtk_box_append (GTK_BOX (self->signed_out), field ("_Password", self->password));
  gtk_box_append (GTK_BOX (self->signed_out), buttons);
  gtk_box_append (GTK_BOX (self->box), self->signed_out);
  gtk_box_append (GTK_BOX (self->box), self->error);

  self->who = wrapped_label ("who");
  self->status = wrapped_label ("status");
  g_signal_connect (sign_out, "clicked", G_CALLBACK (on_sign_out_clicked), self);
  gtk_widget_set_halign (sign_out, GTK_ALIGN_START);
  self->signed_in = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (self->signed_in), self->who);
  gtk_box_append (GTK_BOX (self->signed_in), self->status);
  gtk_box_append (GTK_BOX (self->signed_in), sign_out);
  gtk_box_append (GTK_BOX (self->box), self->signed_in);

  update (self);
}

/**
 * yun_account_page_new:
 *
 * Returns: (transfer floating): the section, insensitive until it has an
 *   account
 */
YunAccountPage *
yun_account_page_new (void)
{
  return g_object_new (YUN_TYPE_ACCOUNT_PAGE, NULL);
}

/**
 * yun_account_page_set_account:
 * @self: the section
 * @account: the phone's cloud account
 * @sync: the sync engine the account drives, for its state
 *
 * Shows @account and lets the user sign in or out; the server field
 * starts with the account's cloud.
 */
void
yun_account_page_set_account (YunAccountPage *self,
                              YunSyncAccount *account,
                              YunSync        *sync)
{
  g_return_if_fail (YUN_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (YUN_IS_SYNC_ACCOUNT (account));
  g_return_if_fail (YUN_IS_SYNC (sync));
  g_return_if_fail (self->account == NULL);

  self->account = g_object_ref (account);
  self->sync = g_object_ref (sync);
  gtk_editable_set_text (GTK_EDITABLE (self->server), yun_sync_account_get_cloud_url (account));
  g_signal_connect_object (account, "notify::name", G_CALLBACK (on_account_name_changed), self, 0);
  g_signal_connect_object (sync, "notify::state", G_CALLBACK (on_sync_state_changed), self, 0);
  update (self);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_named (child, name);

    if (found != NULL)
      return found;
  }
  return NULL;
}

/**
 * yun_account_page_lookup:
 * @self: the section
 * @name: a widget's name: "server", "user", "password", "sign-in",
 *   "register", "sign-out", "error", "who" or "status"
 *
 * For automation, which fills and presses the widgets as a user would.
 *
 * Returns: (transfer none) (nullable): the widget
 */
GtkWidget *
yun_account_page_lookup (YunAccountPage *self,
                         const char     *name)
{
  g_return_val_if_fail (YUN_IS_ACCOUNT_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return find_named (self->box, name);
}
