/* yun-contact-picker-sheet.c: the shell's Contact Picker.
 *
 * A sheet over the bottom of the app: which app asks and what it will get
 * of each contact, a search field, the contacts (check boxes, or one
 * choice when the app asked for one), Share and Cancel.  Only what the
 * user ticks goes to the app.  The list comes from the address book in a
 * worker thread.  The automation interface answers through
 * yun_contact_picker_sheet_answer(), as the buttons do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-contact-picker-sheet.h"

/* Contacts listed at once; search narrows them. */
#define MAX_ROWS 200

struct _YunContactPickerSheet
{
  GtkWidget parent_instance;

  YunContacts *contacts;
  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *detail;
  GtkWidget *search;
  GtkWidget *list;
  GtkWidget *share;
  GTask *task;
  gulong cancelled_id;
  char *app_name;
  GStrv properties;
  gboolean multiple;
  /* Ticked contact ids, kept across searches. */
  GHashTable *chosen;
  GCancellable *loading;
};

static void yun_contact_picker_sheet_chooser_init (YunContactChooserInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunContactPickerSheet, yun_contact_picker_sheet, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_CONTACT_CHOOSER,
                                                      yun_contact_picker_sheet_chooser_init))

static void
close_picker (YunContactPickerSheet *self,
              GStrv                  ids,
              GError                *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_assert (task != NULL);
  g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->app_name, g_free);
  g_clear_pointer (&self->properties, g_strfreev);
  g_hash_table_remove_all (self->chosen);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_strfreev);
}

static GStrv
chosen_ids (YunContactPickerSheet *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, self->chosen);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_strv_builder_add (ids, id);
  return g_strv_builder_end (ids);
}

static void
on_share_clicked (GtkButton             *button,
                  YunContactPickerSheet *self)
{
  if (self->task != NULL)
    close_picker (self, chosen_ids (self), NULL);
}

static void
on_cancel_clicked (GtkButton             *button,
                   YunContactPickerSheet *self)
{
  if (self->task != NULL)
    close_picker (self, g_new0 (char *, 1), NULL);
}

static void
on_row_toggled (GtkCheckButton        *check,
                YunContactPickerSheet *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "contact-id");

  if (!gtk_check_button_get_active (check)) {
    g_hash_table_remove (self->chosen, id);
  } else {
    if (!self->multiple)
      g_hash_table_remove_all (self->chosen);
    g_hash_table_add (self->chosen, g_strdup (id));
  }
  gtk_widget_set_sensitive (self->share, g_hash_table_size (self->chosen) > 0);
}

static char *
describe (JsonObject *contact)
{
  JsonObject *name = json_object_has_member (contact, "name")
    ? json_object_get_object_member (contact, "name") : NULL;
  JsonArray *tel = json_object_has_member (contact, "tel")
    ? json_object_get_array_member (contact, "tel") : NULL;
  JsonArray *email = json_object_has_member (contact, "email")
    ? json_object_get_array_member (contact, "email") : NULL;
  const char *shown = name != NULL ? json_object_get_string_member_with_default (name, "formatted", "")
                                   : "";
  const char *extra = tel != NULL && json_array_get_length (tel) > 0
    ? json_object_get_string_member (json_array_get_object_element (tel, 0), "value")
    : email != NULL && json_array_get_length (email) > 0
    ? json_object_get_string_member (json_array_get_object_element (email, 0), "value") : NULL;

  if (*shown == '\0')
    shown = extra != NULL ? extra : "(no name)";
  return extra != NULL && extra != shown ? g_strdup_printf ("%s — %s", shown, extra)
                                         : g_strdup (shown);
}

static void
show_rows (YunContactPickerSheet *self,
           JsonArray             *found)
{
  GtkWidget *child;
  GtkWidget *group = NULL;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);

  for (guint i = 0; i < json_array_get_length (found); i++) {
    JsonObject *contact = json_array_get_object_element (found, i);
    const char *id = json_object_get_string_member (contact, "id");
    g_autofree char *label = describe (contact);
    GtkWidget *check = gtk_check_button_new_with_label (label);

    /* One choice: the boxes act as radio buttons. */
    if (!self->multiple) {
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (group));
      else
        group = check;
    }
    g_object_set_data_full (G_OBJECT (check), "contact-id", g_strdup (id), g_free);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (self->chosen, id));
    g_signal_connect (check, "toggled", G_CALLBACK (on_row_toggled), self);
    gtk_list_box_append (GTK_LIST_BOX (self->list), check);
  }
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  YunContacts *contacts = g_object_get_data (G_OBJECT (task), "contacts");
  GError *error = NULL;
  JsonArray *found = yun_contacts_find (contacts, task_data, YUN_PERSONAL_INDEX_ORDER_NAME,
                                        MAX_ROWS, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) json_array_unref);
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  YunContactPickerSheet *self = user_data;
  g_autoptr(JsonArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->task == NULL)
    return;
  if (found == NULL) {
    gtk_label_set_text (GTK_LABEL (self->detail), error->message);
    return;
  }
  show_rows (self, found);
}

static void
load (YunContactPickerSheet *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  task = g_task_new (NULL, self->loading, on_found, self);
  g_task_set_source_tag (task, load);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search))),
                        g_free);
  g_object_set_data_full (G_OBJECT (task), "contacts", g_object_ref (self->contacts),
                          g_object_unref);
  g_task_run_in_thread (task, find_thread);
}

static void
on_search_changed (GtkSearchEntry        *entry,
                   YunContactPickerSheet *self)
{
  if (self->task != NULL)
    load (self);
}

static void
close_if_cancelled (gpointer user_data)
{
  g_autoptr(YunContactPickerSheet) self = user_data;

  if (self->task != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    close_picker (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "the page went away"));
}

/* The asking page went away.  A handler may not disconnect itself, so
 * the picker closes from the main loop. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  g_idle_add_once (close_if_cancelled, g_object_ref (user_data));
}

static void
choose_async (YunContactChooser      *chooser,
              const YunContactChoice *choice,
              GCancellable           *cancellable,
              GAsyncReadyCallback     callback,
              gpointer                user_data)
{
  YunContactPickerSheet *self = YUN_CONTACT_PICKER_SHEET (chooser);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *title = NULL;
  g_autofree char *what = NULL;

  g_task_set_source_tag (task, choose_async);
  if (self->task != NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "another contact picker is open");
    return;
  }
  if (self->contacts == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             "the address book is not open");
    return;
  }

  self->task = g_steal_pointer (&task);
  self->app_name = g_strdup (choice->app_name);
  self->properties = g_strdupv ((GStrv) choice->properties);
  self->multiple = choice->multiple;
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  title = g_strdup_printf (choice->multiple ? "Share contacts with “%s”" : "Share a contact with “%s”",
                           choice->app_name);
  what = g_strjoinv (", ", self->properties);
  gtk_label_set_text (GTK_LABEL (self->title), title);
  {
    g_autofree char *detail = g_strdup_printf ("It will get only: %s", what);

    gtk_label_set_text (GTK_LABEL (self->detail), detail);
  }
  gtk_editable_set_text (GTK_EDITABLE (self->search), "");
  gtk_widget_set_sensitive (self->share, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  load (self);
}

static GStrv
choose_finish (YunContactChooser  *chooser,
               GAsyncResult       *result,
               GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
yun_contact_picker_sheet_chooser_init (YunContactChooserInterface *iface)
{
  iface->choose_async = choose_async;
  iface->choose_finish = choose_finish;
}

static void
yun_contact_picker_sheet_dispose (GObject *object)
{
  YunContactPickerSheet *self = YUN_CONTACT_PICKER_SHEET (object);

  if (self->task != NULL)
    close_picker (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "the shell is closing"));
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->contacts);
  g_clear_pointer (&self->chosen, g_hash_table_unref);

  G_OBJECT_CLASS (yun_contact_picker_sheet_parent_class)->dispose (object);
}

static void
yun_contact_picker_sheet_class_init (YunContactPickerSheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yun_contact_picker_sheet_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-contact-picker-sheet");
}

static void
yun_contact_picker_sheet_init (YunContactPickerSheet *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *cancel = gtk_button_new_with_label ("Cancel");
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (self->box, "yun-permission-sheet");
  self->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title, "title");
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  self->detail = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->detail, "reason");
  gtk_label_set_wrap (GTK_LABEL (self->detail), TRUE);
  self->search = gtk_search_entry_new ();
  g_signal_connect (self->search, "search-changed", G_CALLBACK (on_search_changed), self);
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);

  self->share = gtk_button_new_with_label ("Share");
  gtk_widget_add_css_class (self->share, "suggested-action");
  gtk_widget_set_hexpand (self->share, TRUE);
  gtk_widget_set_hexpand (cancel, TRUE);
  g_signal_connect (self->share, "clicked", G_CALLBACK (on_share_clicked), self);
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_cancel_clicked), self);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), self->share);

  gtk_box_append (GTK_BOX (self->box), self->title);
  gtk_box_append (GTK_BOX (self->box), self->detail);
  gtk_box_append (GTK_BOX (self->box), self->search);
  gtk_box_append (GTK_BOX (self->box), scrolled);
  gtk_box_append (GTK_BOX (self->box), buttons);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_END);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * yun_contact_picker_sheet_new:
 *
 * Returns: (transfer floating): a hidden picker
 */
YunContactPickerSheet *
yun_contact_picker_sheet_new (void)
{
  return g_object_new (YUN_TYPE_CONTACT_PICKER_SHEET, NULL);
}

/**
 * yun_contact_picker_sheet_set_contacts:
 * @self: the picker
 * @contacts: the address book it lists
 */
void
yun_contact_picker_sheet_set_contacts (YunContactPickerSheet *self,
                                       YunContacts           *contacts)
{
  g_return_if_fail (YUN_IS_CONTACT_PICKER_SHEET (self));
  g_set_object (&self->contacts, contacts);
}

/**
 * yun_contact_picker_sheet_get_state:
 * @self: the picker
 * @app_name: (out) (transfer full): the app that asks
 * @properties: (out) (transfer full): what it will get
 * @multiple: (out): whether several may be picked
 * @rows: (out) (transfer full) (element-type utf8): the contacts shown, as
 *   id and label pairs one after the other
 *
 * Returns: whether the picker is open; the outs are set only then
 */
gboolean
yun_contact_picker_sheet_get_state (YunContactPickerSheet  *self,
                                    char                  **app_name,
                                    GStrv                  *properties,
                                    gboolean               *multiple,
                                    GPtrArray             **rows)
{
  g_return_val_if_fail (YUN_IS_CONTACT_PICKER_SHEET (self), FALSE);

  if (self->task == NULL)
    return FALSE;
  *app_name = g_strdup (self->app_name);
  *properties = g_strdupv (self->properties);
  *multiple = self->multiple;
  *rows = g_ptr_array_new_with_free_func (g_free);
  for (GtkWidget *row = gtk_widget_get_first_child (self->list); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    GtkWidget *check = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

    g_ptr_array_add (*rows, g_strdup (g_object_get_data (G_OBJECT (check), "contact-id")));
    g_ptr_array_add (*rows, g_strdup (gtk_check_button_get_label (GTK_CHECK_BUTTON (check))));
  }
  return TRUE;
}

/**
 * yun_contact_picker_sheet_answer:
 * @self: the picker
 * @ids: the contacts to share, as shown in the list; none cancels
 * @error: return location for an error
 *
 * Answers the open picker as ticking the boxes and pressing Share (or
 * Cancel) would.
 *
 * Returns: %TRUE when the picker was open and the ids were in its list
 */
gboolean
yun_contact_picker_sheet_answer (YunContactPickerSheet  *self,
                                 const char * const     *ids,
                                 GError                **error)
{
  guint n = ids != NULL ? g_strv_length ((GStrv) ids) : 0;

  g_return_val_if_fail (YUN_IS_CONTACT_PICKER_SHEET (self), FALSE);

  if (self->task == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no contact picker is open");
    return FALSE;
  }
  if (n > 1 && !self->multiple) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "the app asked for one contact");
    return FALSE;
  }

  g_hash_table_remove_all (self->chosen);
  for (guint i = 0; i < n; i++) {
    gboolean listed = FALSE;

    for (GtkWidget *row = gtk_widget_get_first_child (self->list); row != NULL && !listed;
         row = gtk_widget_get_next_sibling (row)) {
      GtkWidget *check = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

      listed = g_strcmp0 (g_object_get_data (G_OBJECT (check), "contact-id"), ids[i]) == 0;
    }
    if (!listed) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not in the list",
                   ids[i]);
      g_hash_table_remove_all (self->chosen);
      return FALSE;
    }
    g_hash_table_add (self->chosen, g_strdup (ids[i]));
  }
  close_picker (self, chosen_ids (self), NULL);
  return TRUE;
}
