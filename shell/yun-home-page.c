/* yun-home-page.c: the home screen's grid of apps.
 *
 * The apps yun-cloud lists at /apps/, each a tile with its name from its
 * manifest and its theme colour; a tap activates "app.launch" with its id.
 * Icons, pages, a dock and search come with the home-screen work; this is
 * the grid they will grow from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-home-page.h"

#include "yun-json.h"

/* The app list is small; anything bigger is not one. */
#define MAX_LIST_BYTES (1024 * 1024)

struct _YunHomePage
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *installed_heading;
  GtkWidget *installed_grid;
  GtkWidget *grid;
  GtkWidget *status;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (YunHomePage, yun_home_page, GTK_TYPE_WIDGET)

typedef struct {
  GtkWidget *label;
  GtkWidget *badge;
} Tile;

static void
on_tile_manifest_ready (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autofree Tile *tile = user_data;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *initial = NULL;
  const char *name;

  manifest = yun_manifest_fetch_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (manifest == NULL) {
    gtk_widget_set_tooltip_text (tile->label, error->message);
    return;
  }

  name = yun_manifest_get_short_name (manifest);
  initial = g_utf8_substring (name, 0, 1);
  gtk_label_set_text (GTK_LABEL (tile->label), name);
  gtk_label_set_text (GTK_LABEL (tile->badge), initial);
}

/* A tile that launches @id: a badge with the name's first letter, and the
 * name under it. */
static GtkWidget *
new_tile (const char  *id,
          const char  *name,
          GtkWidget  **badge,
          GtkWidget  **label)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *initial = g_utf8_strup (name, g_utf8_next_char (name) - name);

  *badge = gtk_label_new (initial);
  gtk_widget_add_css_class (*badge, "yun-app-badge");
  *label = gtk_label_new (name);
  gtk_label_set_ellipsize (GTK_LABEL (*label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (*label), 10);
  gtk_box_append (GTK_BOX (box), *badge);
  gtk_box_append (GTK_BOX (box), *label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "yun-app-tile");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.launch");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  return button;
}

/* A cloud app's tile shows its id until its manifest names it. */
static void
add_tile (YunHomePage *self,
          SoupSession *session,
          const char  *id,
          const char  *manifest_url)
{
  Tile *tile = g_new0 (Tile, 1);

  gtk_flow_box_append (GTK_FLOW_BOX (self->grid), new_tile (id, id, &tile->badge, &tile->label));
  yun_manifest_fetch_async (session, manifest_url, self->cancellable, on_tile_manifest_ready, tile);
}

typedef struct {
  YunHomePage *self;
  SoupSession *session;
} Load;

static void
on_list_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree Load *load = user_data;
  YunHomePage *self = load->self;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  const char *data;
  JsonArray *apps;

  body = soup_session_send_and_read_finish (load->session, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (body == NULL) {
    gtk_label_set_text (GTK_LABEL (self->status), error->message);
    return;
  }

  data = g_bytes_get_data (body, &length);
  root = yun_json_parse_bounded (data, length, MAX_LIST_BYTES, 8, &error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root)) {
    gtk_label_set_text (GTK_LABEL (self->status), "The cloud sent an app list that is not one.");
    return;
  }

  apps = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (apps); i++) {
    JsonNode *node = json_array_get_element (apps, i);
    JsonObject *app;
    const char *id, *manifest_url;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    app = json_node_get_object (node);
    id = json_object_get_string_member_with_default (app, "id", NULL);
    manifest_url = json_object_get_string_member_with_default (app, "manifest_url", NULL);
    if (id != NULL && manifest_url != NULL)
      add_tile (self, load->session, id, manifest_url);
  }

  gtk_label_set_text (GTK_LABEL (self->status),
                      json_array_get_length (apps) == 0 ? "The cloud has no apps yet." : "");
}

static void
yun_home_page_dispose (GObject *object)
{
  YunHomePage *self = YUN_HOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (yun_home_page_parent_class)->dispose (object);
}

static void
yun_home_page_class_init (YunHomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = yun_home_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-home-page");
}

static GtkWidget *
new_grid (void)
{
  GtkWidget *grid = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (grid), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (grid), 4);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (grid), 4);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (grid), TRUE);
  return grid;
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
yun_home_page_init (YunHomePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (self->box, "yun-home");
  self->installed_heading = new_heading ("On this phone");
  self->installed_grid = new_grid ();
  gtk_widget_set_visible (self->installed_heading, FALSE);
  self->grid = new_grid ();
  self->status = gtk_label_new ("Loading apps…");
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_box_append (GTK_BOX (self->box), self->installed_heading);
  gtk_box_append (GTK_BOX (self->box), self->installed_grid);
  gtk_box_append (GTK_BOX (self->box), new_heading ("From the cloud"));
  gtk_box_append (GTK_BOX (self->box), self->grid);
  gtk_box_append (GTK_BOX (self->box), self->status);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

/**
 * yun_home_page_new:
 *
 * Returns: (transfer floating): an empty home screen
 */
YunHomePage *
yun_home_page_new (void)
{
  return g_object_new (YUN_TYPE_HOME_PAGE, NULL);
}

/**
 * yun_home_page_show_installed:
 * @self: the home screen
 * @records: (element-type YunAppRecord): the installed apps
 *
 * Shows a tile per installed app, named from its manifest, above the
 * cloud's apps.
 */
void
yun_home_page_show_installed (YunHomePage *self,
                              GPtrArray   *records)
{
  GtkWidget *child;

  g_return_if_fail (YUN_IS_HOME_PAGE (self));

  while ((child = gtk_widget_get_first_child (self->installed_grid)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->installed_grid), child);

  for (guint i = 0; i < records->len; i++) {
    YunAppRecord *record = g_ptr_array_index (records, i);
    GtkWidget *badge, *label;

    gtk_flow_box_append (GTK_FLOW_BOX (self->installed_grid),
                         new_tile (record->id, yun_manifest_get_short_name (record->manifest),
                                   &badge, &label));
  }
  gtk_widget_set_visible (self->installed_heading, records->len > 0);
}

/**
 * yun_home_page_load:
 * @self: the home screen
 * @session: the session to fetch with
 * @cloud_url: the cloud's base URL, ending in a slash
 *
 * Fetches the cloud's app list and shows a tile per app.
 */
void
yun_home_page_load (YunHomePage *self,
                    SoupSession *session,
                    const char  *cloud_url)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  Load *load;

  g_return_if_fail (YUN_IS_HOME_PAGE (self));

  url = g_strconcat (cloud_url, "apps/", NULL);
  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL) {
    gtk_label_set_text (GTK_LABEL (self->status), "The cloud's address is wrong.");
    return;
  }

  load = g_new0 (Load, 1);
  load->self = self;
  load->session = session;
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, self->cancellable,
                                    on_list_ready, load);
}
