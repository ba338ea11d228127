/* yun-emulation-panel.c: the developer session's emulated phone.
 *
 * Location: a fixed latitude/longitude or a GPX track replayed at a
 * speed, fed to the same geolocation hub as every app's
 * navigator.geolocation on the phone.  Camera: the source the next picture
 * is taken with, a real camera, a test pattern or a picture file
 * ("camera-source-changed" tells the shell).  Contacts: a few sample cards
 * or a vCard file of the developer's (a fixture) imported into the address
 * book through the contacts service, off the main thread.  Offline: the current app's
 * network session goes through a proxy that refuses every connection.
 * Permissions: the current app's declared permissions, each set to
 * ask/granted/denied in the permission store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-emulation-panel.h"

#include "yun-contacts.h"
#include "yun-location.h"

#include <string.h>

enum {
  CAMERA_SOURCE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Nothing listens on the discard port of loopback: every request the app
 * makes while offline is refused at once. */
#define OFFLINE_PROXY "http://127.0.0.1:9"

/* The sample address book the Contacts button imports. */
static const char sample_vcards[] =
  "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Li Wei\r\nN:Li;Wei;;;\r\nTEL;TYPE=CELL:+86 138 0013 8000\r\n"
  "EMAIL:li.wei@example.com\r\nEND:VCARD\r\n"
  "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zhang Min\r\nN:Zhang;Min;;;\r\nTEL;TYPE=CELL:+86 139 0000 1111\r\n"
  "END:VCARD\r\n"
  "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana García\r\nN:García;Ana;;;\r\nTEL;TYPE=WORK:+34 910 000 000\r\n"
  "EMAIL:ana@example.org\r\nEND:VCARD\r\n";

static const char * const permission_states[] = { "Ask", "Granted", "Denied", NULL };

/* The Camera drop-down's items; the last asks for a picture file. */
static const struct {
  const char *label;
  const char *source;
} camera_sources[] = {
  { "Real camera (auto)", "auto" },
  { "Test pattern: colour bars", "test" },
  { "Test pattern: moving ball", "test:ball" },
  { "Test pattern: checkers", "test:checkers-8" },
  { "Test pattern: red", "test:red" },
  { "Test pattern: blue", "test:blue" },
  { "Picture file…", NULL },
};

#define CAMERA_PICTURE (G_N_ELEMENTS (camera_sources) - 1)

struct _YunEmulationPanel
{
  GtkWidget parent_instance;

  YunGeolocationHub *hub;
  YunBridge *bridge;
  char *app_id;
  YunManifest *manifest;
  WebKitWebView *web_view;
  gboolean offline;
  GCancellable *cancellable;

  GtkWidget *latitude;
  GtkWidget *longitude;
  GtkWidget *gpx_speed;
  GtkWidget *location_status;
  GtkWidget *camera;
  /* The item chosen before, for a picture chooser that is cancelled. */
  guint camera_index;
  /* The picture file the automation chose, skipping the chooser. */
  char *camera_picture;
  GtkWidget *contacts_status;
  GtkWidget *offline_switch;
  GtkWidget *permissions;
};

G_DEFINE_FINAL_TYPE (YunEmulationPanel, yun_emulation_panel, GTK_TYPE_WIDGET)

static void
show_location_status (YunEmulationPanel *self,
                      const char        *text)
{
  gtk_label_set_text (GTK_LABEL (self->location_status), text);
}

static void
on_set_location_clicked (GtkButton         *button,
                         YunEmulationPanel *self)
{
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  char latitude[G_ASCII_DTOSTR_BUF_SIZE];
  char longitude[G_ASCII_DTOSTR_BUF_SIZE];
  double lat, lon;
  char *end;

  lat = g_ascii_strtod (gtk_editable_get_text (GTK_EDITABLE (self->latitude)), &end);
  if (*end != '\0' || end == gtk_editable_get_text (GTK_EDITABLE (self->latitude))) {
    show_location_status (self, "The latitude is not a number.");
    return;
  }
  lon = g_ascii_strtod (gtk_editable_get_text (GTK_EDITABLE (self->longitude)), &end);
  if (*end != '\0' || end == gtk_editable_get_text (GTK_EDITABLE (self->longitude))) {
    show_location_status (self, "The longitude is not a number.");
    return;
  }
  spec = g_strdup_printf ("fixed:%s,%s", g_ascii_dtostr (latitude, sizeof latitude, lat),
                          g_ascii_dtostr (longitude, sizeof longitude, lon));
  if (!yun_emulation_panel_set_location (self, spec, &error))
    show_location_status (self, error->message);
}

/* What to do with the file a chooser gave, or NULL when cancelled. */
typedef void (*FileChosen) (YunEmulationPanel *self,
                            const char        *path);

static void
on_chooser_response (GtkNativeDialog   *chooser,
                     int                response,
                     YunEmulationPanel *self)
{
  FileChosen chosen = (FileChosen) g_object_get_data (G_OBJECT (chooser), "chosen");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  chosen (self, path);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* GTK 4.8 has no GtkFileDialog yet. */
static void
choose_file (YunEmulationPanel *self,
             const char        *title,
             FileChosen         chosen)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  g_object_set_data (G_OBJECT (chooser), "chosen", (gpointer) chosen);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_gpx_chosen (YunEmulationPanel *self,
               const char        *path)
{
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  char speed[G_ASCII_DTOSTR_BUF_SIZE];

  if (path == NULL)
    return;
  g_ascii_dtostr (speed, sizeof speed,
                  gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->gpx_speed)));
  spec = g_strdup_printf ("gpx:%s@%s", path, speed);
  if (!yun_emulation_panel_set_location (self, spec, &error))
    show_location_status (self, error->message);
}

static void
use_camera_picture (YunEmulationPanel *self,
                    const char        *path)
{
  g_autofree char *source = g_strconcat ("image:", path, NULL);

  self->camera_index = CAMERA_PICTURE;
  g_signal_emit (self, signals[CAMERA_SOURCE_CHANGED], 0, source);
}

static void
on_picture_chosen (YunEmulationPanel *self,
                   const char        *path)
{
  if (path != NULL)
    use_camera_picture (self, path);
  else
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->camera), self->camera_index);
}

static void
on_gpx_clicked (GtkButton         *button,
                YunEmulationPanel *self)
{
  choose_file (self, "Replay a GPX track", on_gpx_chosen);
}

static void
on_camera_selected (GtkDropDown       *drop_down,
                    GParamSpec        *pspec,
                    YunEmulationPanel *self)
{
  guint index = gtk_drop_down_get_selected (drop_down);
  g_autofree char *picture = g_steal_pointer (&self->camera_picture);

  if (index >= G_N_ELEMENTS (camera_sources) || index == self->camera_index)
    return;
  if (index != CAMERA_PICTURE) {
    self->camera_index = index;
    g_signal_emit (self, signals[CAMERA_SOURCE_CHANGED], 0, camera_sources[index].source);
  } else if (picture != NULL) {
    use_camera_picture (self, picture);
  } else {
    choose_file (self, "Take pictures of a file", on_picture_chosen);
  }
}

typedef struct {
  YunContacts *contacts;
  char *path;           /* NULL: the sample cards */
} Import;

static void
import_free (Import *import)
{
  g_clear_object (&import->contacts);
  g_free (import->path);
  g_free (import);
}

/* Reads the fixture (or takes the sample cards) and imports it. */
static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Import *import = task_data;
  const char *path = import->path;
  g_autofree char *text = NULL;
  gsize length = sizeof sample_vcards - 1;
  GError *error = NULL;
  JsonObject *summary;

  if (path != NULL && !g_file_get_contents (path, &text, &length, &error)) {
    g_task_return_error (task, error);
    return;
  }
  summary = yun_contacts_import_vcard (import->contacts, text != NULL ? text : sample_vcards, length,
                                       &error);
  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) json_object_unref);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  YunEmulationPanel *self = YUN_EMULATION_PANEL (source);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (outer, g_steal_pointer (&error));
    return;
  }
  if (summary == NULL) {
    text = g_strdup_printf ("Not imported: %s", error->message);
    g_task_return_error (outer, g_steal_pointer (&error));
  } else {
    text = g_strdup_printf ("Imported %" G_GINT64_FORMAT " contacts, skipped %u.",
                            json_object_get_int_member (summary, "imported"),
                            json_array_get_length (json_object_get_array_member (summary,
                                                                                 "skipped")));
    g_task_return_pointer (outer, g_steal_pointer (&summary), (GDestroyNotify) json_object_unref);
  }
  gtk_label_set_text (GTK_LABEL (self->contacts_status), text);
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  /* What was imported is shown under the buttons already. */
  JsonObject *summary = yun_emulation_panel_import_contacts_finish (YUN_EMULATION_PANEL (source),
                                                                    result, NULL);

  g_clear_pointer (&summary, json_object_unref);
}

static void
on_import_clicked (GtkButton         *button,
                   YunEmulationPanel *self)
{
  yun_emulation_panel_import_contacts_async (self, NULL, NULL, on_import_done, NULL);
}

static void
on_contacts_file_chosen (YunEmulationPanel *self,
                         const char        *path)
{
  if (path != NULL)
    yun_emulation_panel_import_contacts_async (self, path, NULL, on_import_done, NULL);
}

static void
on_contacts_file_clicked (GtkButton         *button,
                          YunEmulationPanel *self)
{
  choose_file (self, "Import a contacts file (vCard)", on_contacts_file_chosen);
}

static void
apply_offline (YunEmulationPanel *self)
{
  WebKitNetworkSession *session;

  if (self->web_view == NULL)
    return;
  session = webkit_web_view_get_network_session (self->web_view);
  if (self->offline) {
    WebKitNetworkProxySettings *proxy = webkit_network_proxy_settings_new (OFFLINE_PROXY, NULL);

    webkit_network_session_set_proxy_settings (session, WEBKIT_NETWORK_PROXY_MODE_CUSTOM, proxy);
    webkit_network_proxy_settings_free (proxy);
  } else {
    webkit_network_session_set_proxy_settings (session, WEBKIT_NETWORK_PROXY_MODE_DEFAULT, NULL);
  }
}

static void
on_offline_toggled (GtkSwitch         *toggle,
                    GParamSpec        *pspec,
                    YunEmulationPanel *self)
{
  yun_emulation_panel_set_offline (self, gtk_switch_get_active (toggle));
}

static void
on_permission_selected (GtkDropDown       *drop_down,
                        GParamSpec        *pspec,
                        YunEmulationPanel *self)
{
  const char *permission = g_object_get_data (G_OBJECT (drop_down), "permission");
  YunPermissionState state;

  if (self->bridge == NULL || self->app_id == NULL || permission == NULL)
    return;
  switch (gtk_drop_down_get_selected (drop_down)) {
  case 1:
    state = YUN_PERMISSION_STATE_GRANTED;
    break;
  case 2:
    state = YUN_PERMISSION_STATE_DENIED;
    break;
  default:
    state = YUN_PERMISSION_STATE_PROMPT;
  }
  yun_permission_store_set (yun_permission_gate_get_store (yun_bridge_get_gate (self->bridge)),
                            self->app_id, permission, state);
}

static guint
state_index (YunPermissionState state)
{
  return state == YUN_PERMISSION_STATE_GRANTED ? 1 : state == YUN_PERMISSION_STATE_DENIED ? 2 : 0;
}

/* The drop-down of @permission's row, or NULL. */
static GtkWidget *
find_permission_choice (YunEmulationPanel *self,
                        const char        *permission)
{
  for (GtkWidget *row = gtk_widget_get_first_child (self->permissions); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    GtkWidget *choice = gtk_widget_get_last_child (row);

    if (GTK_IS_DROP_DOWN (choice) &&
        g_strcmp0 (g_object_get_data (G_OBJECT (choice), "permission"), permission) == 0)
      return choice;
  }
  return NULL;
}

static void
rebuild_permissions (YunEmulationPanel *self)
{
  const char * const *names;
  YunPermissionStore *store;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->permissions)) != NULL)
    gtk_box_remove (GTK_BOX (self->permissions), child);
  if (self->manifest == NULL || self->bridge == NULL)
    return;
  store = yun_permission_gate_get_store (yun_bridge_get_gate (self->bridge));
  names = yun_manifest_get_permission_names (self->manifest);
  for (guint i = 0; names != NULL && names[i] != NULL; i++) {
    GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *label = gtk_label_new (names[i]);
    GtkWidget *choice = gtk_drop_down_new_from_strings (permission_states);
    YunPermissionState state = yun_permission_store_get (store, self->app_id, names[i]);

    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_set_hexpand (label, TRUE);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), state_index (state));
    g_object_set_data_full (G_OBJECT (choice), "permission", g_strdup (names[i]), g_free);
    g_signal_connect (choice, "notify::selected", G_CALLBACK (on_permission_selected), self);
    gtk_box_append (GTK_BOX (row), label);
    gtk_box_append (GTK_BOX (row), choice);
    gtk_box_append (GTK_BOX (self->permissions), row);
  }
  if (names == NULL || names[0] == NULL)
    gtk_box_append (GTK_BOX (self->permissions), gtk_label_new ("This app declares none."));
}

static void
on_decision_changed (YunPermissionStore *store,
                     const char         *app_id,
                     const char         *permission,
                     int                 state,
                     YunEmulationPanel  *self)
{
  GtkWidget *choice;

  if (g_strcmp0 (app_id, self->app_id) != 0)
    return;
  /* The menu in place: rebuilding would free the one that changed it
   * while it still tells of its change. */
  choice = find_permission_choice (self, permission);
  if (choice == NULL) {
    rebuild_permissions (self);
    return;
  }
  g_signal_handlers_block_by_func (choice, on_permission_selected, self);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), state_index (state));
  g_signal_handlers_unblock_by_func (choice, on_permission_selected, self);
}

static GtkWidget *
section (GtkWidget  *box,
         const char *title)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static void
yun_emulation_panel_dispose (GObject *object)
{
  YunEmulationPanel *self = YUN_EMULATION_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->bridge != NULL)
    g_signal_handlers_disconnect_by_data (
      yun_permission_gate_get_store (yun_bridge_get_gate (self->bridge)), self);
  g_clear_object (&self->bridge);
  g_clear_object (&self->hub);
  g_clear_object (&self->manifest);
  g_clear_object (&self->web_view);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (yun_emulation_panel_parent_class)->dispose (object);
}

static void
yun_emulation_panel_finalize (GObject *object)
{
  YunEmulationPanel *self = YUN_EMULATION_PANEL (object);

  g_free (self->app_id);
  g_free (self->camera_picture);

  G_OBJECT_CLASS (yun_emulation_panel_parent_class)->finalize (object);
}

static void
yun_emulation_panel_class_init (YunEmulationPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_emulation_panel_dispose;
  object_class->finalize = yun_emulation_panel_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "yun-emulation-panel");

  /**
   * YunEmulationPanel::camera-source-changed:
   * @panel: the panel
   * @source: "auto", "test", "test:PATTERN" or "image:PATH", as
   *   yun_camera_new() takes it
   *
   * The developer chose where pictures come from.
   */
  signals[CAMERA_SOURCE_CHANGED] =
    g_signal_new ("camera-source-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
yun_emulation_panel_init (YunEmulationPanel *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row;
  GtkWidget *button;
  GtkWidget *label;
  g_autoptr(GtkStringList) camera_names = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  label = section (box, "Emulation");
  gtk_widget_add_css_class (label, "title-4");

  section (box, "Location");
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->latitude = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->latitude), "latitude");
  gtk_editable_set_width_chars (GTK_EDITABLE (self->latitude), 9);
  self->longitude = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->longitude), "longitude");
  gtk_editable_set_width_chars (GTK_EDITABLE (self->longitude), 9);
  button = gtk_button_new_with_label ("Set");
  g_signal_connect (button, "clicked", G_CALLBACK (on_set_location_clicked), self);
  gtk_box_append (GTK_BOX (row), self->latitude);
  gtk_box_append (GTK_BOX (row), self->longitude);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (box), row);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  button = gtk_button_new_with_label ("Replay GPX…");
  g_signal_connect (button, "clicked", G_CALLBACK (on_gpx_clicked), self);
  self->gpx_speed = gtk_spin_button_new_with_range (0.1, 100, 0.1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->gpx_speed), 1);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (row), gtk_label_new ("speed ×"));
  gtk_box_append (GTK_BOX (row), self->gpx_speed);
  gtk_box_append (GTK_BOX (box), row);
  self->location_status = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->location_status), 0);
  gtk_label_set_wrap (GTK_LABEL (self->location_status), TRUE);
  gtk_box_append (GTK_BOX (box), self->location_status);

  section (box, "Camera");
  for (guint i = 0; i < G_N_ELEMENTS (camera_sources); i++)
    gtk_string_list_append (camera_names, camera_sources[i].label);
  self->camera = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (camera_names)), NULL);
  g_signal_connect (self->camera, "notify::selected", G_CALLBACK (on_camera_selected), self);
  gtk_box_append (GTK_BOX (box), self->camera);

  section (box, "Contacts");
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  button = gtk_button_new_with_label ("Import samples");
  g_signal_connect (button, "clicked", G_CALLBACK (on_import_clicked), self);
  gtk_box_append (GTK_BOX (row), button);
  button = gtk_button_new_with_label ("Import a file…");
  gtk_widget_set_tooltip_text (button, "Add the contacts of a vCard file to the address book");
  g_signal_connect (button, "clicked", G_CALLBACK (on_contacts_file_clicked), self);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (box), row);
  self->contacts_status = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->contacts_status), 0);
  gtk_box_append (GTK_BOX (box), self->contacts_status);

  section (box, "Network");
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new ("Offline");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  self->offline_switch = gtk_switch_new ();
  g_signal_connect (self->offline_switch, "notify::active", G_CALLBACK (on_offline_toggled), self);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), self->offline_switch);
  gtk_box_append (GTK_BOX (box), row);

  section (box, "Permissions of this app");
  self->permissions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (box), self->permissions);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scrolled, 280, -1);
  gtk_widget_set_parent (scrolled, GTK_WIDGET (self));
}

/**
 * yun_emulation_panel_new:
 * @hub: the geolocation hub every app's navigator.geolocation reads
 *
 * Returns: (transfer floating): the panel
 */
YunEmulationPanel *
yun_emulation_panel_new (YunGeolocationHub *hub)
{
  YunEmulationPanel *self;

  g_return_val_if_fail (YUN_IS_GEOLOCATION_HUB (hub), NULL);

  self = g_object_new (YUN_TYPE_EMULATION_PANEL, NULL);
  self->hub = g_object_ref (hub);
  return self;
}

/**
 * yun_emulation_panel_set_bridge:
 * @self: the panel
 * @bridge: the bridge, for its services and permission store
 */
void
yun_emulation_panel_set_bridge (YunEmulationPanel *self,
                                YunBridge         *bridge)
{
  g_return_if_fail (YUN_IS_EMULATION_PANEL (self));
  g_return_if_fail (YUN_IS_BRIDGE (bridge));

  if (self->bridge != NULL)
    return;
  self->bridge = g_object_ref (bridge);
  g_signal_connect_object (yun_permission_gate_get_store (yun_bridge_get_gate (bridge)), "changed",
                           G_CALLBACK (on_decision_changed), self, 0);
  rebuild_permissions (self);
}

/**
 * yun_emulation_panel_set_app:
 * @self: the panel
 * @app_id: (nullable): the app on the screen
 * @manifest: (nullable): its manifest
 * @web_view: (nullable): its web view
 *
 * The permissions and the offline switch apply to this app.
 */
void
yun_emulation_panel_set_app (YunEmulationPanel *self,
                             const char        *app_id,
                             YunManifest       *manifest,
                             WebKitWebView     *web_view)
{
  g_return_if_fail (YUN_IS_EMULATION_PANEL (self));

  if (self->web_view != NULL && self->web_view != web_view && self->offline) {
    /* The app left behind is online again. */
    gboolean offline = self->offline;

    self->offline = FALSE;
    apply_offline (self);
    self->offline = offline;
  }
  g_free (self->app_id);
  self->app_id = g_strdup (app_id);
  g_set_object (&self->manifest, manifest);
  g_set_object (&self->web_view, web_view);
  apply_offline (self);
  rebuild_permissions (self);
}

/**
 * yun_emulation_panel_set_location:
 * @self: the panel
 * @spec: "fixed:LAT,LON[,ACCURACY]" or "gpx:PATH[@SPEED]"
 * @error: where a spec that does not parse is reported
 *
 * Every app's navigator.geolocation reads positions from @spec from now on.
 *
 * Returns: %TRUE when the spec was taken
 */
gboolean
yun_emulation_panel_set_location (YunEmulationPanel  *self,
                                  const char         *spec,
                                  GError            **error)
{
  g_autoptr(YunLocation) check = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (YUN_IS_EMULATION_PANEL (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  /* Made and dropped unstarted: only to see that the spec reads. */
  check = yun_location_new_for_spec (spec, "org.yun.Shell", error);
  if (check == NULL)
    return FALSE;
  yun_geolocation_hub_set_spec (self->hub, spec);
  text = g_strdup_printf ("Positions from %s", spec);
  show_location_status (self, text);
  return TRUE;
}

/**
 * yun_emulation_panel_get_offline:
 * @self: the panel
 *
 * Returns: whether the current app's network is cut
 */
gboolean
yun_emulation_panel_get_offline (YunEmulationPanel *self)
{
  g_return_val_if_fail (YUN_IS_EMULATION_PANEL (self), FALSE);
  return self->offline;
}

/**
 * yun_emulation_panel_set_offline:
 * @self: the panel
 * @offline: whether to cut the current app's network
 */
void
yun_emulation_panel_set_offline (YunEmulationPanel *self,
                                 gboolean           offline)
{
  g_return_if_fail (YUN_IS_EMULATION_PANEL (self));

  if (self->offline == !!offline)
    return;
  self->offline = !!offline;
  gtk_switch_set_active (GTK_SWITCH (self->offline_switch), self->offline);
  apply_offline (self);
}

/**
 * yun_emulation_panel_set_camera_source:
 * @self: the panel
 * @source: one of the Camera drop-down's sources ("auto", "test",
 *   "test:ball" ...) or "image:PATH" for a picture file
 * @error: where a source the drop-down does not offer is reported
 *
 * Chooses @source in the Camera drop-down, as the developer would (a
 * picture file as if chosen in its file chooser).
 *
 * Returns: %TRUE when chosen
 */
gboolean
yun_emulation_panel_set_camera_source (YunEmulationPanel  *self,
                                       const char         *source,
                                       GError            **error)
{
  g_return_val_if_fail (YUN_IS_EMULATION_PANEL (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  if (g_str_has_prefix (source, "image:")) {
    const char *path = source + strlen ("image:");

    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "there is no picture file %s", path);
      return FALSE;
    }
    if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->camera)) == CAMERA_PICTURE) {
      use_camera_picture (self, path);
      return TRUE;
    }
    g_free (self->camera_picture);
    self->camera_picture = g_strdup (path);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->camera), CAMERA_PICTURE);
    return TRUE;
  }
  for (guint i = 0; i < CAMERA_PICTURE; i++) {
    if (g_str_equal (camera_sources[i].source, source)) {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->camera), i);
      return TRUE;
    }
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "the Camera menu offers no source “%s”", source);
  return FALSE;
}

/**
 * yun_emulation_panel_import_contacts_async:
 * @self: the panel
 * @path: (nullable): a vCard file, the developer's fixture; %NULL for the
 *   sample cards
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once imported
 * @user_data: data for @callback
 *
 * Adds the cards to the address book off the main thread, as the
 * Contacts buttons do, and shows what was imported under them.
 */
void
yun_emulation_panel_import_contacts_async (YunEmulationPanel   *self,
                                           const char          *path,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  Import *import;
  gpointer contacts = self->bridge != NULL ? yun_bridge_get_service (self->bridge, "contacts")
                                           : NULL;

  g_return_if_fail (YUN_IS_EMULATION_PANEL (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, yun_emulation_panel_import_contacts_async);
  if (!YUN_IS_CONTACTS (contacts)) {
    gtk_label_set_text (GTK_LABEL (self->contacts_status), "The address book is not open.");
    g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             "the address book is not open");
    return;
  }
  gtk_label_set_text (GTK_LABEL (self->contacts_status), "Importing…");
  import = g_new0 (Import, 1);
  import->contacts = g_object_ref (contacts);
  import->path = g_strdup (path);
  task = g_task_new (self, self->cancellable, on_imported, g_steal_pointer (&outer));
  g_task_set_source_tag (task, import_thread);
  g_task_set_task_data (task, import, (GDestroyNotify) import_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * yun_emulation_panel_import_contacts_finish:
 * @self: the panel
 * @result: the result given to the callback
 * @error: where a file that cannot be read or a failed import goes
 *
 * Returns: (transfer full) (nullable): what yun_contacts_import_vcard()
 *   says: `{"imported", "ids", "skipped"}`
 */
JsonObject *
yun_emulation_panel_import_contacts_finish (YunEmulationPanel  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_emulation_panel_set_permission:
 * @self: the panel
 * @permission: one the current app declares
 * @state: "ask" (or "reset"), "granted" or "denied"
 * @error: where a permission the panel does not list is reported
 *
 * Chooses @state in the permission's drop-down, as the developer would.
 *
 * Returns: %TRUE when chosen
 */
gboolean
yun_emulation_panel_set_permission (YunEmulationPanel  *self,
                                    const char         *permission,
                                    const char         *state,
                                    GError            **error)
{
  GtkWidget *choice;
  guint index;

  g_return_val_if_fail (YUN_IS_EMULATION_PANEL (self), FALSE);
  g_return_val_if_fail (permission != NULL && state != NULL, FALSE);

  /* Resetting is asking again. */
  if (g_ascii_strcasecmp (state, "reset") == 0)
    state = permission_states[0];
  for (index = 0; permission_states[index] != NULL; index++)
    if (g_ascii_strcasecmp (permission_states[index], state) == 0)
      break;
  if (permission_states[index] == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "“%s” is not a permission state: use ask, reset, granted or denied", state);
    return FALSE;
  }
  choice = find_permission_choice (self, permission);
  if (choice != NULL) {
    gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), index);
    return TRUE;
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "the panel lists no permission “%s” for this app", permission);
  return FALSE;
}
