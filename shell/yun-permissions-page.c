/* yun-permissions-page.c: Settings: the cloud account and the permission
 * centre.
 *
 * Shows the cloud account section (YunAccountPage), then lists every
 * standing decision, app by app, each with a Revoke button (the
 * "app.revoke-permission" action, which automation can use too), and the
 * newest entries of the access log: every gated call, allowed or not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-permissions-page.h"

/* How many log entries the page shows. */
#define LOG_ENTRIES 100

struct _YunPermissionsPage
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  YunAccountPage *account;
  GtkWidget *decisions;
  GtkWidget *log;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (YunPermissionsPage, yun_permissions_page, GTK_TYPE_WIDGET)

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static GtkWidget *
row_label (const char *text,
           gboolean    expand)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, expand);
  return label;
}

static GtkWidget *
decision_row (YunPermissionDecision *decision)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *revoke = gtk_button_new_with_label ("Revoke");
  g_autofree char *what = g_strdup_printf ("%s · %s", decision->app_id, decision->permission);

  gtk_widget_add_css_class (row, "yun-permission-row");
  gtk_box_append (GTK_BOX (row), row_label (what, TRUE));
  gtk_box_append (GTK_BOX (row), row_label (yun_permission_state_to_string (decision->state), FALSE));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (revoke), "app.revoke-permission");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (revoke), "(ss)", decision->app_id,
                                    decision->permission);
  gtk_box_append (GTK_BOX (row), revoke);
  return row;
}

static GtkWidget *
access_row (YunPermissionAccess *access)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (access->time / G_USEC_PER_SEC);
  g_autofree char *when = g_date_time_format (time, "%H:%M:%S");
  g_autofree char *text = g_strdup_printf ("%s  %s  %s  %s", when, access->app_id, access->method,
                                           access->allowed ? "allowed" : "refused");
  GtkWidget *label = row_label (text, TRUE);

  gtk_widget_add_css_class (label, access->allowed ? "allowed" : "refused");
  return label;
}

static void
on_accesses_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  YunPermissionsPage *self = user_data;
  g_autoptr(GPtrArray) accesses = NULL;
  g_autoptr(GError) error = NULL;

  accesses = yun_permission_store_list_accesses_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_box (self->log);
  if (accesses == NULL) {
    gtk_box_append (GTK_BOX (self->log), row_label (error->message, TRUE));
    return;
  }
  if (accesses->len == 0)
    gtk_box_append (GTK_BOX (self->log), row_label ("No app has used a permission yet.", TRUE));
  for (guint i = 0; i < accesses->len; i++)
    gtk_box_append (GTK_BOX (self->log), access_row (g_ptr_array_index (accesses, i)));
}

static void
yun_permissions_page_dispose (GObject *object)
{
  YunPermissionsPage *self = YUN_PERMISSIONS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);

  G_OBJECT_CLASS (yun_permissions_page_parent_class)->dispose (object);
}

static void
yun_permissions_page_class_init (YunPermissionsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = yun_permissions_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-permissions-page");
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
yun_permissions_page_init (YunPermissionsPage *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *back = gtk_button_new_with_label ("← Back");

  self->cancellable = g_cancellable_new ();
  gtk_widget_add_css_class (content, "yun-permissions-page");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "app.show-app");
  gtk_widget_set_halign (back, GTK_ALIGN_START);

  self->account = yun_account_page_new ();
  self->decisions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  self->log = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_box_append (GTK_BOX (content), back);
  gtk_box_append (GTK_BOX (content), heading ("Cloud account"));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->account));
  gtk_box_append (GTK_BOX (content), heading ("Permissions"));
  gtk_box_append (GTK_BOX (content), self->decisions);
  gtk_box_append (GTK_BOX (content), heading ("Access log"));
  gtk_box_append (GTK_BOX (content), self->log);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), content);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

/**
 * yun_permissions_page_new:
 *
 * Returns: (transfer floating): an empty permission centre
 */
YunPermissionsPage *
yun_permissions_page_new (void)
{
  return g_object_new (YUN_TYPE_PERMISSIONS_PAGE, NULL);
}

/**
 * yun_permissions_page_refresh:
 * @self: the page
 * @store: where decisions and accesses are kept
 *
 * Shows the current decisions at once and the access log when it has been
 * read.
 */
void
yun_permissions_page_refresh (YunPermissionsPage *self,
                              YunPermissionStore *store)
{
  g_autoptr(GPtrArray) decisions = NULL;

  g_return_if_fail (YUN_IS_PERMISSIONS_PAGE (self));
  g_return_if_fail (YUN_IS_PERMISSION_STORE (store));

  clear_box (self->decisions);
  decisions = yun_permission_store_list_decisions (store);
  if (decisions->len == 0)
    gtk_box_append (GTK_BOX (self->decisions),
                    row_label ("No app has been allowed or denied anything.", TRUE));
  for (guint i = 0; i < decisions->len; i++)
    gtk_box_append (GTK_BOX (self->decisions), decision_row (g_ptr_array_index (decisions, i)));

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  yun_permission_store_list_accesses_async (store, LOG_ENTRIES, self->cancellable,
                                            on_accesses_ready, self);
}

/**
 * yun_permissions_page_get_account_page:
 * @self: the page
 *
 * Returns: (transfer none): the cloud account section
 */
YunAccountPage *
yun_permissions_page_get_account_page (YunPermissionsPage *self)
{
  g_return_val_if_fail (YUN_IS_PERMISSIONS_PAGE (self), NULL);
  return self->account;
}
