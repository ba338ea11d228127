/* yun-notifications-page.c: the list of notifications.
 *
 * The newest first, each with its app, time, title and text.  Tapping one
 * opens its app (activating `app.open-notification`); its close button
 * dismisses it (`app.dismiss-notification`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-notifications-page.h"

struct _YunNotificationsPage
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  GtkWidget *list;
  GtkWidget *empty;
};

G_DEFINE_FINAL_TYPE (YunNotificationsPage, yun_notifications_page, GTK_TYPE_WIDGET)

static void
yun_notifications_page_dispose (GObject *object)
{
  YunNotificationsPage *self = YUN_NOTIFICATIONS_PAGE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (yun_notifications_page_parent_class)->dispose (object);
}

static void
yun_notifications_page_class_init (YunNotificationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yun_notifications_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-notifications-page");
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  gpointer       user_data)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "notification-id"));

  gtk_widget_activate_action (GTK_WIDGET (list), "app.open-notification", "u", id);
}

static void
yun_notifications_page_init (YunNotificationsPage *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->empty = gtk_label_new ("No notifications");
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_widget_set_vexpand (self->empty, TRUE);
  gtk_widget_set_parent (self->empty, GTK_WIDGET (self));

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), NULL);
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->list);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

/**
 * yun_notifications_page_new:
 *
 * Returns: (transfer floating): an empty list
 */
YunNotificationsPage *
yun_notifications_page_new (void)
{
  return g_object_new (YUN_TYPE_NOTIFICATIONS_PAGE, NULL);
}

static GtkWidget *
build_row (YunNotificationEntry *entry)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (entry->time / G_USEC_PER_SEC);
  g_autofree char *clock = g_date_time_format (when, "%H:%M");
  g_autofree char *source = g_strdup_printf ("%s · %s", entry->app_name, clock);
  g_autofree char *dismiss_tip = g_strdup_printf ("Dismiss “%s”", entry->title);
  GtkWidget *app = gtk_label_new (source);
  GtkWidget *title = gtk_label_new (entry->title);
  GtkWidget *body = gtk_label_new (entry->body);
  GtkWidget *dismiss = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_add_css_class (row, "yun-notification");
  gtk_widget_add_css_class (app, "dim-label");
  gtk_widget_add_css_class (title, "heading");
  GtkWidget *labels[] = { app, title, body };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++) {
    gtk_label_set_xalign (GTK_LABEL (labels[i]), 0);
    gtk_label_set_wrap (GTK_LABEL (labels[i]), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (labels[i]), PANGO_WRAP_WORD_CHAR);
  }
  gtk_box_append (GTK_BOX (text), app);
  gtk_box_append (GTK_BOX (text), title);
  if (*entry->body != '\0')
    gtk_box_append (GTK_BOX (text), body);
  gtk_widget_set_hexpand (text, TRUE);

  gtk_widget_set_tooltip_text (dismiss, dismiss_tip);
  gtk_widget_set_valign (dismiss, GTK_ALIGN_START);
  gtk_widget_add_css_class (dismiss, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (dismiss), "app.dismiss-notification");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (dismiss), "u", entry->id);

  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), dismiss);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "notification-id", GUINT_TO_POINTER (entry->id));
  return row;
}

/**
 * yun_notifications_page_refresh:
 * @self: the page
 * @center: the notifications to show
 */
void
yun_notifications_page_refresh (YunNotificationsPage  *self,
                                YunNotificationCenter *center)
{
  g_autoptr(GPtrArray) entries = NULL;
  GtkWidget *child;

  g_return_if_fail (YUN_IS_NOTIFICATIONS_PAGE (self));

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  entries = yun_notification_center_list (center);
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list), build_row (g_ptr_array_index (entries, i)));
  gtk_widget_set_visible (self->empty, entries->len == 0);
  gtk_widget_set_visible (self->scrolled, entries->len > 0);
}
