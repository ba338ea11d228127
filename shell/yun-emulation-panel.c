/* yun-emulation-panel.c: the developer session's emulated phone.
 *
 * Location: a fixed latitude/longitude or a GPX track replayed at a
 * speed, fed to the same geolocation hub as every app's
 * navigator.geolocation on the phone.  Camera: the source the next picture
 * is taken with ("camera-source-changed" tells the shell).  Contacts: a
 * button that imports a few sample cards into the address book through
 * the contacts service, off the main thread.  Offline: the current app's
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

static void
on_gpx_response (GtkNativeDialog   *chooser,
                 int                response,
                 YunEmulationPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
    g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
    g_autofree char *spec = NULL;
    g_autoptr(GError) error = NULL;
    char speed[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_dtostr (speed, sizeof speed,
                    gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->gpx_speed)));
    spec = g_strdup_printf ("gpx:%s@%s", path, speed);
    if (path != NULL && !yun_emulation_panel_set_location (self, spec, &error))
      show_location_status (self, error->message);
  }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* GTK 4.8 has no GtkFileDialog yet. */
static void
on_gpx_clicked (GtkButton         *button,
                YunEmulationPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new ("Replay a GPX track",
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_gpx_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_camera_selected (GtkDropDown       *drop_down,
                    GParamSpec        *pspec,
                    YunEmulationPanel *self)
{
  g_signal_emit (self, signals[CAMERA_SOURCE_CHANGED], 0,
                 gtk_drop_down_get_selected (drop_down) == 1 ? "test" : "auto");
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  JsonObject *summary = yun_contacts_import_vcard (task_data, sample_vcards,
                                                   sizeof sample_vcards - 1, &error);

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
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (summary == NULL) {
    g_autofree char *text = g_strdup_printf ("Not imported: %s", error->message);

    gtk_label_set_text (GTK_LABEL (self->contacts_status), text);
  } else {
    gtk_label_set_text (GTK_LABEL (self->contacts_status), "Imported the sample contacts.");
  }
}

static void
on_import_clicked (GtkButton         *button,
                   YunEmulationPanel *self)
{
  g_autoptr(GTask) task = NULL;
  gpointer contacts = self->bridge != NULL ? yun_bridge_get_service (self->bridge, "contacts")
                                           : NULL;

  if (!YUN_IS_CONTACTS (contacts)) {
    gtk_label_set_text (GTK_LABEL (self->contacts_status), "The address book is not open.");
    return;
  }
  task = g_task_new (self, self->cancellable, on_imported, NULL);
  g_task_set_source_tag (task, on_import_clicked);
  g_task_set_task_data (task, g_object_ref (contacts), g_object_unref);
  g_task_run_in_thread (task, import_thread);
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
    gtk_drop_down_set_selected (GTK_DROP_DOWN (choice),
                                state == YUN_PERMISSION_STATE_GRANTED ? 1
                                : state == YUN_PERMISSION_STATE_DENIED ? 2 : 0);
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
  if (g_strcmp0 (app_id, self->app_id) == 0)
    rebuild_permissions (self);
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
   * @source: "auto" or "test"
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
  self->camera = gtk_drop_down_new_from_strings ((const char * const []) {
                                                   "Real camera (auto)", "Test pattern", NULL });
  g_signal_connect (self->camera, "notify::selected", G_CALLBACK (on_camera_selected), self);
  gtk_box_append (GTK_BOX (box), self->camera);

  section (box, "Contacts");
  button = gtk_button_new_with_label ("Import sample contacts");
  g_signal_connect (button, "clicked", G_CALLBACK (on_import_clicked), self);
  gtk_box_append (GTK_BOX (box), button);
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
