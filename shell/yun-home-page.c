/* yun-home-page.c: the home screen: pages of apps, a dock and search.
 *
 * From top to bottom: a search entry; the installed apps in pages of
 * YUN_HOME_PAGE_COLUMNS × YUN_HOME_PAGE_ROWS tiles, flipped by swiping,
 * scrolling, the page dots or the keyboard, with a last page for the
 * cloud's apps that are not installed yet; the page dots; and a dock of up
 * to four apps.  While the entry holds text, a results view replaces the
 * pages: the apps whose names match, then what each search provider
 * (contacts, notes ...) found.
 *
 * A tile shows the app's icon from its manifest, loaded in the background
 * at the size shown times the display's scale (yun-icon-loader.c), or
 * until then and when there is none the first letter of its name in its
 * theme colour; its name; and a count the shell sets from notifications.
 * A tap launches the app through "app.launch".  A right click, a long
 * press, the Menu key or Shift+F10 opens the tile's menu: move left or
 * right, to or from the dock, and uninstall ("app.uninstall").  The order
 * and the dock are a YunHomeLayout, saved in the profile.
 *
 * Tiles are rebuilt whenever the layout changes; what outlives them (the
 * loaded icons, the badge counts) is kept per app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-home-page.h"

#include "yun-app-icon.h"
#include "yun-home-layout.h"
#include "yun-icon-loader.h"
#include "yun-json.h"

#include <math.h>
#include <string.h>

/* The app list is small; anything bigger is not one. */
#define MAX_LIST_BYTES (1024 * 1024)
#define PER_PAGE (YUN_HOME_PAGE_COLUMNS * YUN_HOME_PAGE_ROWS)
#define DEFAULT_COLOR "#1c6e8c"
/* How far a finger or the pointer moves sideways before it turns a page
 * instead of tapping, and how far it must go to turn it. */
#define SWIPE_CLAIM_PX 24
#define SWIPE_TURN_PX 48
#define LAYOUT_FILE "home-layout.json"

/* An app the home screen shows: installed, or offered by the cloud. */
typedef struct {
  YunHomePage *self;
  char *id;
  char *name;
  char *full_name;
  char *version;
  gint64 installed_at;
  gboolean installed;
  GdkRGBA color;
  YunManifest *manifest;
  char *app_dir;
  char *manifest_url;
  /* The loaded icon, the manifest entry it came from and the device
   * pixel size it was loaded for; or why it did not load. */
  GdkTexture *texture;
  YunManifestIcon *icon;
  int icon_pixel_size;
  char *icon_error;
  GCancellable *cancellable;
} App;

/* A row of tiles the keyboard moves through: a page, the dock, the
 * cloud's apps or the matching apps. */
typedef struct {
  const char *place;
  int page;
  int columns;
  GPtrArray *tiles;
} Group;

typedef struct {
  App *app;
  Group *group;
  int position;
  GtkWidget *button;
  YunAppIcon *icon;
  GtkWidget *badge;
  GtkWidget *label;
} Tile;

typedef struct {
  YunHomeSearchProvider *provider;
  GtkWidget *heading;
  GtkWidget *list;
  guint n_results;
} Provider;

struct _YunHomePage
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *search_entry;
  GtkWidget *mode_stack;
  GtkWidget *pager;
  GtkWidget *dots;
  GtkWidget *dock;
  GtkWidget *cloud_page;
  GtkWidget *cloud_grid;
  GtkWidget *status;
  GtkWidget *results_apps;
  GtkWidget *results_none;
  GtkWidget *results_providers;
  GtkWidget *menu;

  SoupSession *session;
  YunAppRegistry *registry;
  YunHomeLayout *layout;
  gboolean layout_loaded;

  /* id → App: the installed apps, and the cloud's. */
  GHashTable *apps;
  GHashTable *cloud_apps;
  /* id → count of the apps' badges. */
  GHashTable *badges;
  /* The tiles on screen now, and their groups. */
  GPtrArray *tiles;
  GPtrArray *groups;
  int n_pages;
  /* The page shown; n_pages is the cloud's. */
  int page;
  gboolean on_cloud_page;
  char *focus_after_relayout;
  guint relayout_id;

  GPtrArray *providers;
  /* What the providers were last asked. */
  char *provider_query;
  GCancellable *search_cancellable;
  gboolean swipe_claimed;

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (YunHomePage, yun_home_page, GTK_TYPE_WIDGET)

static void relayout (YunHomePage *self);
static void refresh_search (YunHomePage *self);

static void
app_free (App *app)
{
  g_cancellable_cancel (app->cancellable);
  g_clear_object (&app->cancellable);
  g_free (app->id);
  g_free (app->name);
  g_free (app->full_name);
  g_free (app->version);
  g_clear_object (&app->manifest);
  g_free (app->app_dir);
  g_free (app->manifest_url);
  g_clear_object (&app->texture);
  g_clear_pointer (&app->icon, yun_manifest_icon_unref);
  g_free (app->icon_error);
  g_free (app);
}

static App *
app_new (YunHomePage *self,
         const char  *id)
{
  App *app = g_new0 (App, 1);

  app->self = self;
  app->id = g_strdup (id);
  app->name = g_strdup (id);
  app->full_name = g_strdup (id);
  app->cancellable = g_cancellable_new ();
  gdk_rgba_parse (&app->color, DEFAULT_COLOR);
  return app;
}

static void
app_set_manifest (App         *app,
                  YunManifest *manifest)
{
  const char *theme = yun_manifest_get_theme_color (manifest);

  const char *name = yun_manifest_get_name (manifest);
  const char *short_name = yun_manifest_get_short_name (manifest);

  g_set_object (&app->manifest, manifest);
  if (name == NULL)
    name = short_name != NULL ? short_name : app->id;
  g_free (app->name);
  app->name = g_strdup (short_name != NULL ? short_name : name);
  g_free (app->full_name);
  app->full_name = g_strdup (name);
  /* A colour GTK does not parse keeps the shell's. */
  if (theme == NULL || !gdk_rgba_parse (&app->color, theme))
    gdk_rgba_parse (&app->color, DEFAULT_COLOR);
}

/* GLib 2.74 has no g_hash_table_get_values_as_ptr_array (). */
static GPtrArray *
values_of (GHashTable *table)
{
  GPtrArray *values = g_ptr_array_sized_new (g_hash_table_size (table));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (values, value);
  return values;
}

static void
provider_free (Provider *provider)
{
  g_object_unref (provider->provider);
  g_free (provider);
}

static void
group_free (Group *group)
{
  g_ptr_array_unref (group->tiles);
  g_free (group);
}

static Group *
group_new (YunHomePage *self,
           const char  *place,
           int          page,
           int          columns)
{
  Group *group = g_new0 (Group, 1);

  group->place = place;
  group->page = page;
  group->columns = columns;
  group->tiles = g_ptr_array_new ();
  g_ptr_array_add (self->groups, group);
  return group;
}

/* Tiles */

static int
icon_pixel_size (YunHomePage *self)
{
  return YUN_HOME_PAGE_ICON_SIZE * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
update_tile (Tile *tile)
{
  App *app = tile->app;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (app->self->badges, app->id));

  gtk_label_set_text (GTK_LABEL (tile->label), app->name);
  gtk_widget_set_tooltip_text (tile->button, app->full_name);
  yun_app_icon_set_letter (tile->icon, app->name, &app->color);
  yun_app_icon_set_texture (tile->icon, app->texture,
                            app->icon != NULL &&
                            !(yun_manifest_icon_get_purpose (app->icon) &
                              YUN_MANIFEST_ICON_PURPOSE_ANY));
  if (count > 0) {
    g_autofree char *text = count > 99 ? g_strdup ("99+") : g_strdup_printf ("%u", count);

    gtk_label_set_text (GTK_LABEL (tile->badge), text);
  }
  gtk_widget_set_visible (tile->badge, count > 0);
}

static void
update_tiles_of (YunHomePage *self,
                 App         *app)
{
  for (guint i = 0; i < self->tiles->len; i++) {
    Tile *tile = g_ptr_array_index (self->tiles, i);

    if (tile->app == app)
      update_tile (tile);
  }
}

static void
on_icon_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifestIcon) icon = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = yun_icon_loader_load_finish (result, &icon, &error);
  /* A cancelled load's app may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&app->icon_error, g_free);
  if (texture == NULL) {
    app->icon_error = g_strdup (error->message);
    g_clear_object (&app->texture);
    g_clear_pointer (&app->icon, yun_manifest_icon_unref);
  } else {
    g_set_object (&app->texture, texture);
    g_clear_pointer (&app->icon, yun_manifest_icon_unref);
    app->icon = g_steal_pointer (&icon);
  }
  update_tiles_of (app->self, app);
}

/* (Re)loads the app's icon for the display's scale. */
static void
load_icon (App *app)
{
  YunHomePage *self = app->self;
  int pixel_size = icon_pixel_size (self);

  if (app->manifest == NULL || app->icon_pixel_size == pixel_size)
    return;

  g_cancellable_cancel (app->cancellable);
  g_clear_object (&app->cancellable);
  app->cancellable = g_cancellable_new ();
  app->icon_pixel_size = pixel_size;
  yun_icon_loader_load_async (self->session, app->id, app->app_dir,
                              yun_manifest_get_icons (app->manifest), pixel_size,
                              app->cancellable, on_icon_loaded, app);
}

static void
popdown_menu (YunHomePage *self)
{
  GtkWidget *menu = g_steal_pointer (&self->menu);

  /* Let go of now, before its tile goes: not its "closed" handler's job. */
  if (menu == NULL)
    return;
  gtk_popover_popdown (GTK_POPOVER (menu));
  gtk_widget_unparent (menu);
}

static Tile *
tile_of_widget (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget)) {
    Tile *tile = g_object_get_data (G_OBJECT (widget), "yun-home-tile");

    if (tile != NULL)
      return tile;
  }
  return NULL;
}

static gboolean
has_menu (Tile *tile)
{
  return tile->app->installed && !g_str_equal (tile->group->place, "search");
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             const char *app_id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, action, "s", app_id);
  g_menu_append_item (menu, item);
}

/* The menu of an installed app's tile, with only what applies to it. */
static GMenuModel *
build_menu (YunHomePage *self,
            Tile        *tile)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) moves = g_menu_new ();
  g_autoptr(GMenu) dock = g_menu_new ();
  g_autoptr(GMenu) remove = g_menu_new ();
  const char *id = tile->app->id;
  GPtrArray *row = yun_home_layout_is_docked (self->layout, id)
                   ? yun_home_layout_get_dock (self->layout)
                   : yun_home_layout_get_grid (self->layout);
  guint index = 0;

  g_ptr_array_find_with_equal_func (row, id, g_str_equal, &index);
  if (index > 0)
    append_item (moves, "Move left", "home.move-left", id);
  if (index + 1 < row->len)
    append_item (moves, "Move right", "home.move-right", id);
  if (yun_home_layout_is_docked (self->layout, id))
    append_item (dock, "Remove from dock", "home.undock", id);
  else if (yun_home_layout_get_dock (self->layout)->len < YUN_HOME_LAYOUT_DOCK_SIZE)
    append_item (dock, "Move to dock", "home.dock", id);
  append_item (remove, "Uninstall", "app.uninstall", id);

  g_menu_append_section (menu, NULL, G_MENU_MODEL (moves));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (dock));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (remove));
  return G_MENU_MODEL (menu);
}

static void
on_menu_done (gpointer user_data)
{
  g_autoptr(GtkWidget) popover = user_data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
}

static void
on_menu_closed (GtkPopover  *popover,
                YunHomePage *self)
{
  /* The item's action runs after the menu closes; the tile may be rebuilt
   * then, so the popover is only let go of once that is done. */
  if (self->menu == GTK_WIDGET (popover)) {
    self->menu = NULL;
    g_idle_add_once (on_menu_done, g_object_ref (popover));
  }
}

static void
open_menu (YunHomePage *self,
           Tile        *tile,
           double       x,
           double       y)
{
  g_autoptr(GMenuModel) model = NULL;

  if (!has_menu (tile))
    return;
  popdown_menu (self);

  model = build_menu (self, tile);
  self->menu = gtk_popover_menu_new_from_model (model);
  gtk_widget_set_parent (self->menu, tile->button);
  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { x, y, 1, 1 });
  g_signal_connect_object (self->menu, "closed", G_CALLBACK (on_menu_closed), self, 0);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
on_tile_long_pressed (GtkGestureLongPress *gesture,
                      double               x,
                      double               y,
                      Tile                *tile)
{
  /* Claimed, the press is no tap: releasing does not launch the app. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  open_menu (tile->app->self, tile, x, y);
}

static void
on_tile_right_clicked (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       Tile            *tile)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  open_menu (tile->app->self, tile, x, y);
}

/* A tile that launches @app: its icon with the badge over a corner, and
 * its name under it. */
static Tile *
new_tile (YunHomePage *self,
          App         *app,
          Group       *group)
{
  Tile *tile = g_new0 (Tile, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();
  GtkGesture *right_click = gtk_gesture_click_new ();

  tile->app = app;
  tile->group = group;
  tile->position = group->tiles->len;
  tile->button = gtk_button_new ();
  tile->icon = YUN_APP_ICON (yun_app_icon_new (YUN_HOME_PAGE_ICON_SIZE));
  gtk_widget_set_halign (GTK_WIDGET (tile->icon), GTK_ALIGN_CENTER);
  tile->badge = gtk_label_new (NULL);
  gtk_widget_add_css_class (tile->badge, "yun-badge-count");
  gtk_widget_set_halign (tile->badge, GTK_ALIGN_END);
  gtk_widget_set_valign (tile->badge, GTK_ALIGN_START);
  gtk_widget_set_can_target (tile->badge, FALSE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (tile->icon));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), tile->badge);
  gtk_widget_set_halign (overlay, GTK_ALIGN_CENTER);

  tile->label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (tile->label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (tile->label), 10);
  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), tile->label);
  gtk_button_set_child (GTK_BUTTON (tile->button), box);
  gtk_widget_add_css_class (tile->button, "flat");
  gtk_widget_add_css_class (tile->button, "yun-app-tile");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (tile->button), "app.launch");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (tile->button), "s", app->id);

  if (has_menu (tile)) {
    g_signal_connect (long_press, "pressed", G_CALLBACK (on_tile_long_pressed), tile);
    gtk_widget_add_controller (tile->button, GTK_EVENT_CONTROLLER (long_press));
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (right_click), GDK_BUTTON_SECONDARY);
    g_signal_connect (right_click, "pressed", G_CALLBACK (on_tile_right_clicked), tile);
    gtk_widget_add_controller (tile->button, GTK_EVENT_CONTROLLER (right_click));
  } else {
    g_object_unref (long_press);
    g_object_unref (right_click);
  }

  g_object_set_data_full (G_OBJECT (tile->button), "yun-home-tile", tile, g_free);
  g_ptr_array_add (group->tiles, tile);
  g_ptr_array_add (self->tiles, tile);
  update_tile (tile);
  return tile;
}

static Tile *
find_tile (YunHomePage *self,
           const char  *app_id,
           gboolean     installed_only)
{
  for (guint i = 0; i < self->tiles->len; i++) {
    Tile *tile = g_ptr_array_index (self->tiles, i);

    if (g_str_equal (tile->app->id, app_id) &&
        (!installed_only || g_str_equal (tile->group->place, "grid") ||
         g_str_equal (tile->group->place, "dock")))
      return tile;
  }
  return NULL;
}

/* Pages */

static void
remove_all (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL) {
    if (GTK_IS_STACK (container))
      gtk_stack_remove (GTK_STACK (container), child);
    else if (GTK_IS_BOX (container))
      gtk_box_remove (GTK_BOX (container), child);
    else if (GTK_IS_GRID (container))
      gtk_grid_remove (GTK_GRID (container), child);
    else
      g_assert_not_reached ();
  }
}

static void
update_dots (YunHomePage *self)
{
  int index = 0;

  for (GtkWidget *dot = gtk_widget_get_first_child (self->dots); dot != NULL;
       dot = gtk_widget_get_next_sibling (dot), index++) {
    if (index == self->page)
      gtk_widget_add_css_class (dot, "current");
    else
      gtk_widget_remove_css_class (dot, "current");
  }
}

static void
show_page (YunHomePage *self,
           int          page)
{
  g_autofree char *name = NULL;

  page = CLAMP (page, 0, self->n_pages);
  self->page = page;
  self->on_cloud_page = page == self->n_pages;
  if (self->on_cloud_page)
    name = g_strdup ("cloud");
  else
    name = g_strdup_printf ("page-%d", page);
  gtk_stack_set_visible_child_name (GTK_STACK (self->pager), name);
  update_dots (self);
}

static void
on_dot_clicked (GtkButton   *dot,
                YunHomePage *self)
{
  show_page (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dot), "yun-page")));
}

/* Keeps a grid at its columns however few tiles it has: an empty cell
 * in each, in a row of no height above the tiles. */
static void
fill_columns (GtkWidget *grid)
{
  for (int column = 0; column < YUN_HOME_PAGE_COLUMNS; column++) {
    GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    gtk_widget_set_hexpand (cell, TRUE);
    gtk_grid_attach (GTK_GRID (grid), cell, column, -1, 1, 1);
  }
}

static GtkWidget *
new_grid (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_set_valign (grid, GTK_ALIGN_START);
  fill_columns (grid);
  return grid;
}

static void
add_dot (YunHomePage *self,
         int          page,
         const char  *tooltip)
{
  GtkWidget *dot = gtk_button_new ();

  gtk_widget_add_css_class (dot, "yun-page-dot");
  gtk_widget_set_focusable (dot, FALSE);
  gtk_widget_set_tooltip_text (dot, tooltip);
  g_object_set_data (G_OBJECT (dot), "yun-page", GINT_TO_POINTER (page));
  g_signal_connect (dot, "clicked", G_CALLBACK (on_dot_clicked), self);
  gtk_box_append (GTK_BOX (self->dots), dot);
}

static int
compare_cloud_apps (gconstpointer a,
                    gconstpointer b)
{
  const App *x = *(App * const *) a;
  const App *y = *(App * const *) b;

  return g_strcmp0 (x->id, y->id);
}

static void
fill_cloud_page (YunHomePage *self)
{
  g_autoptr(GPtrArray) apps = values_of (self->cloud_apps);
  Group *group = group_new (self, "cloud", self->n_pages, YUN_HOME_PAGE_COLUMNS);

  remove_all (self->cloud_grid);
  fill_columns (self->cloud_grid);
  g_ptr_array_sort (apps, compare_cloud_apps);
  for (guint i = 0; i < apps->len; i++) {
    App *app = g_ptr_array_index (apps, i);
    Tile *tile;

    if (g_hash_table_contains (self->apps, app->id))
      continue;
    tile = new_tile (self, app, group);
    gtk_grid_attach (GTK_GRID (self->cloud_grid), tile->button,
                     tile->position % YUN_HOME_PAGE_COLUMNS,
                     tile->position / YUN_HOME_PAGE_COLUMNS, 1, 1);
  }
}

/* Builds the pages, the dock and the dots again from the layout. */
static void
relayout (YunHomePage *self)
{
  GPtrArray *grid_ids = yun_home_layout_get_grid (self->layout);
  GPtrArray *dock_ids = yun_home_layout_get_dock (self->layout);
  g_autofree char *focus = g_steal_pointer (&self->focus_after_relayout);
  Group *dock_group;

  g_clear_handle_id (&self->relayout_id, g_source_remove);
  popdown_menu (self);

  remove_all (self->pager);
  remove_all (self->dock);
  remove_all (self->dots);
  remove_all (self->results_apps);
  g_ptr_array_set_size (self->tiles, 0);
  g_ptr_array_set_size (self->groups, 0);

  self->n_pages = MAX (1, ((int) grid_ids->len + PER_PAGE - 1) / PER_PAGE);
  for (int page = 0; page < self->n_pages; page++) {
    GtkWidget *grid = new_grid ();
    Group *group = group_new (self, "grid", page, YUN_HOME_PAGE_COLUMNS);
    g_autofree char *name = g_strdup_printf ("page-%d", page);
    g_autofree char *tooltip = g_strdup_printf ("Page %d", page + 1);

    for (guint i = page * PER_PAGE; i < grid_ids->len && i < (guint) (page + 1) * PER_PAGE; i++) {
      App *app = g_hash_table_lookup (self->apps, g_ptr_array_index (grid_ids, i));
      Tile *tile;

      if (app == NULL)
        continue;
      tile = new_tile (self, app, group);
      gtk_grid_attach (GTK_GRID (grid), tile->button, tile->position % YUN_HOME_PAGE_COLUMNS,
                       tile->position / YUN_HOME_PAGE_COLUMNS, 1, 1);
    }
    if (grid_ids->len == 0 && dock_ids->len == 0) {
      GtkWidget *hint = gtk_label_new ("Apps you install show here. "
                                       "Swipe left for the cloud’s apps.");

      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), hint, 0, 0, YUN_HOME_PAGE_COLUMNS, 1);
    }
    gtk_stack_add_named (GTK_STACK (self->pager), grid, name);
    add_dot (self, page, tooltip);
  }
  gtk_stack_add_named (GTK_STACK (self->pager), self->cloud_page, "cloud");
  add_dot (self, self->n_pages, "From the cloud");
  fill_cloud_page (self);

  dock_group = group_new (self, "dock", 0, MAX (1, (int) dock_ids->len));
  for (guint i = 0; i < dock_ids->len; i++) {
    App *app = g_hash_table_lookup (self->apps, g_ptr_array_index (dock_ids, i));

    if (app != NULL)
      gtk_box_append (GTK_BOX (self->dock), new_tile (self, app, dock_group)->button);
  }
  gtk_widget_set_visible (self->dock, dock_ids->len > 0);

  show_page (self, self->on_cloud_page ? self->n_pages : MIN (self->page, self->n_pages - 1));
  refresh_search (self);

  if (focus != NULL) {
    Tile *tile = find_tile (self, focus, TRUE);

    if (tile != NULL) {
      if (g_str_equal (tile->group->place, "grid"))
        show_page (self, tile->group->page);
      gtk_widget_grab_focus (tile->button);
    }
  }
}

static void
on_relayout (gpointer user_data)
{
  YunHomePage *self = user_data;

  self->relayout_id = 0;
  relayout (self);
}

/* Rebuilds once the current event is over: a menu item's action runs
 * while its popover, on the tile, is still being closed. */
static void
queue_relayout (YunHomePage *self)
{
  if (self->relayout_id == 0)
    self->relayout_id = g_idle_add_once (on_relayout, self);
}

/* Layout changes from the tiles' menus */

static void
change_layout (YunHomePage *self,
               const char  *app_id,
               gboolean     changed,
               GError      *error)
{
  if (!changed) {
    /* The menu only offers what applies; a refusal here is a race with
     * another change, and nothing changed. */
    g_debug ("home screen: %s: %s", app_id, error != NULL ? error->message : "no change");
    g_clear_error (&error);
    return;
  }
  yun_home_layout_save (self->layout);
  g_free (self->focus_after_relayout);
  self->focus_after_relayout = g_strdup (app_id);
  queue_relayout (self);
}

static void
on_move_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  YunHomePage *self = YUN_HOME_PAGE (widget);
  const char *app_id = g_variant_get_string (parameter, NULL);
  GError *error = NULL;
  gboolean changed;

  changed = yun_home_layout_move (self->layout, app_id,
                                  g_str_equal (action_name, "home.move-left") ? -1 : 1, &error);
  change_layout (self, app_id, changed, error);
}

static void
on_dock_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  YunHomePage *self = YUN_HOME_PAGE (widget);
  const char *app_id = g_variant_get_string (parameter, NULL);
  GError *error = NULL;
  gboolean changed;

  if (g_str_equal (action_name, "home.dock"))
    changed = yun_home_layout_dock (self->layout, app_id, &error);
  else
    changed = yun_home_layout_undock (self->layout, app_id, &error);
  change_layout (self, app_id, changed, error);
}

/* Search */

static char *
fold (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normal != NULL ? normal : "", -1);
}

static gboolean
app_matches (App        *app,
             const char *folded_query)
{
  g_autofree char *name = fold (app->name);
  g_autofree char *full_name = fold (app->full_name);

  return strstr (name, folded_query) != NULL || strstr (full_name, folded_query) != NULL;
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  const App *x = *(App * const *) a;
  const App *y = *(App * const *) b;
  int order = g_utf8_collate (x->name, y->name);

  return order != 0 ? order : strcmp (x->id, y->id);
}

static void
add_matches (YunHomePage *self,
             GHashTable  *apps,
             const char  *query,
             Group       *group)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, apps);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    App *app = value;

    if (apps == self->cloud_apps && g_hash_table_contains (self->apps, app->id))
      continue;
    if (app_matches (app, query))
      g_ptr_array_add (matches, app);
  }
  g_ptr_array_sort (matches, compare_by_name);
  for (guint i = 0; i < matches->len; i++) {
    Tile *tile = new_tile (self, g_ptr_array_index (matches, i), group);

    gtk_grid_attach (GTK_GRID (self->results_apps), tile->button,
                     tile->position % YUN_HOME_PAGE_COLUMNS,
                     tile->position / YUN_HOME_PAGE_COLUMNS, 1, 1);
  }
}

/* Shows the apps that match what the entry holds, or the pages when it
 * holds nothing. */
static void
refresh_search (YunHomePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *query = NULL;
  Group *group = NULL;

  /* Drop the previous results' tiles. */
  for (guint i = 0; i < self->groups->len; i++) {
    if (g_str_equal (((Group *) g_ptr_array_index (self->groups, i))->place, "search")) {
      group = g_ptr_array_index (self->groups, i);
      break;
    }
  }
  if (group != NULL) {
    for (guint i = 0; i < group->tiles->len; i++)
      g_ptr_array_remove (self->tiles, g_ptr_array_index (group->tiles, i));
    g_ptr_array_remove (self->groups, group);
  }
  remove_all (self->results_apps);
  fill_columns (self->results_apps);

  if (*stripped == '\0') {
    gtk_stack_set_visible_child_name (GTK_STACK (self->mode_stack), "pages");
    return;
  }

  query = fold (stripped);
  group = group_new (self, "search", 0, YUN_HOME_PAGE_COLUMNS);
  add_matches (self, self->apps, query, group);
  add_matches (self, self->cloud_apps, query, group);
  gtk_widget_set_visible (self->results_none, group->tiles->len == 0);
  gtk_stack_set_visible_child_name (GTK_STACK (self->mode_stack), "search");
}

typedef struct {
  YunHomePage *self;
  Provider *provider;
} ProviderSearch;

static void
on_provider_results (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autofree ProviderSearch *search = user_data;
  Provider *provider = search->provider;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = yun_home_search_provider_search_finish (YUN_HOME_SEARCH_PROVIDER (source), result,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (results == NULL) {
    g_debug ("home search: %s: %s", yun_home_search_provider_get_name (provider->provider),
             error->message);
    return;
  }

  remove_all (provider->list);
  provider->n_results = results->len;
  for (guint i = 0; i < results->len; i++) {
    YunHomeSearchResult *found = g_ptr_array_index (results, i);
    GtkWidget *button = gtk_button_new ();
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
    GtkWidget *title = gtk_label_new (found->title);

    gtk_label_set_xalign (GTK_LABEL (title), 0);
    gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
    gtk_widget_add_css_class (title, "heading");
    gtk_box_append (GTK_BOX (box), title);
    if (found->subtitle != NULL) {
      GtkWidget *subtitle = gtk_label_new (found->subtitle);

      gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
      gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (subtitle, "dim-label");
      gtk_box_append (GTK_BOX (box), subtitle);
    }
    gtk_button_set_child (GTK_BUTTON (button), box);
    gtk_widget_add_css_class (button, "flat");
    gtk_widget_add_css_class (button, "yun-search-result");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), found->action_name);
    if (found->action_target != NULL)
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), found->action_target);
    g_object_set_data_full (G_OBJECT (button), "yun-search-result",
                            yun_home_search_result_copy (found),
                            (GDestroyNotify) yun_home_search_result_free);
    gtk_box_append (GTK_BOX (provider->list), button);
  }
  gtk_widget_set_visible (provider->heading, results->len > 0);
  gtk_widget_set_visible (provider->list, results->len > 0);
}

static void
search_providers (YunHomePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *query = g_strstrip (g_strdup (text));

  /* The entry's pause after typing asks again for what is asked already. */
  if (g_strcmp0 (query, self->provider_query) == 0)
    return;
  g_free (self->provider_query);
  self->provider_query = g_strdup (query);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  for (guint i = 0; i < self->providers->len; i++) {
    Provider *provider = g_ptr_array_index (self->providers, i);

    /* Old results go at once; new ones show as they come. */
    remove_all (provider->list);
    provider->n_results = 0;
    gtk_widget_set_visible (provider->heading, FALSE);
    gtk_widget_set_visible (provider->list, FALSE);
  }
  if (*query == '\0')
    return;

  self->search_cancellable = g_cancellable_new ();
  for (guint i = 0; i < self->providers->len; i++) {
    ProviderSearch *search = g_new0 (ProviderSearch, 1);

    search->self = self;
    search->provider = g_ptr_array_index (self->providers, i);
    yun_home_search_provider_search_async (search->provider->provider, query,
                                           self->search_cancellable, on_provider_results, search);
  }
}

static void
on_search_text_changed (GtkEditable *entry,
                        YunHomePage *self)
{
  refresh_search (self);
}

static void
on_search_changed (GtkEditable *entry,
                   YunHomePage *self)
{
  search_providers (self);
}

/* Enter in the entry opens the first match. */
static void
on_search_activate (GtkSearchEntry *entry,
                    YunHomePage    *self)
{
  for (guint i = 0; i < self->tiles->len; i++) {
    Tile *tile = g_ptr_array_index (self->tiles, i);

    if (g_str_equal (tile->group->place, "search")) {
      gtk_widget_activate (tile->button);
      return;
    }
  }
}

static void
on_stop_search (GtkSearchEntry *entry,
                YunHomePage    *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

/* Keyboard */

static Group *
find_group (YunHomePage *self,
            const char  *place,
            int          page)
{
  for (guint i = 0; i < self->groups->len; i++) {
    Group *group = g_ptr_array_index (self->groups, i);

    if (g_str_equal (group->place, place) && group->page == page)
      return group;
  }
  return NULL;
}

static Tile *
tile_at (Group *group,
         int    position)
{
  if (group == NULL || group->tiles->len == 0)
    return NULL;
  return g_ptr_array_index (group->tiles, CLAMP (position, 0, (int) group->tiles->len - 1));
}

/* The tile of @group in the last row, in @column or the nearest before. */
static Tile *
last_row_tile (Group *group,
               int    column)
{
  int last_row;

  if (group == NULL || group->tiles->len == 0)
    return NULL;
  last_row = ((int) group->tiles->len - 1) / group->columns;
  return tile_at (group, last_row * group->columns + column);
}

/* Where an arrow key goes from @tile; %NULL for the search entry. */
static Tile *
neighbour (YunHomePage      *self,
           Tile             *tile,
           GtkDirectionType  direction,
           gboolean         *to_entry)
{
  Group *group = tile->group;
  int columns = group->columns;
  int column = tile->position % columns;
  int row = tile->position / columns;
  int count = group->tiles->len;
  gboolean is_grid = g_str_equal (group->place, "grid");
  gboolean is_dock = g_str_equal (group->place, "dock");

  *to_entry = FALSE;
  switch (direction) {
  case GTK_DIR_LEFT:
    if (column > 0)
      return tile_at (group, tile->position - 1);
    if (is_grid && group->page > 0)
      return tile_at (find_group (self, "grid", group->page - 1), row * columns + columns - 1);
    return NULL;

  case GTK_DIR_RIGHT:
    if (column < columns - 1 && tile->position + 1 < count)
      return tile_at (group, tile->position + 1);
    if (is_grid && group->page + 1 < self->n_pages)
      return tile_at (find_group (self, "grid", group->page + 1), row * columns);
    if (is_grid)
      return tile_at (find_group (self, "cloud", self->n_pages), 0);
    return NULL;

  case GTK_DIR_UP:
    if (is_dock) {
      Tile *above = last_row_tile (find_group (self, "grid", self->on_cloud_page ? 0 : self->page),
                                   column);

      return above;
    }
    if (row > 0)
      return tile_at (group, tile->position - columns);
    *to_entry = TRUE;
    return NULL;

  case GTK_DIR_DOWN:
    if (is_dock)
      return NULL;
    if (tile->position + columns < count)
      return tile_at (group, tile->position + columns);
    if (row < (count - 1) / columns)
      return tile_at (group, count - 1);
    if (is_grid)
      return tile_at (find_group (self, "dock", 0), column);
    return NULL;

  case GTK_DIR_TAB_FORWARD:
  case GTK_DIR_TAB_BACKWARD:
  default:
    return NULL;
  }
}

static void
focus_tile (YunHomePage *self,
            Tile        *tile)
{
  if (g_str_equal (tile->group->place, "grid"))
    show_page (self, tile->group->page);
  else if (g_str_equal (tile->group->place, "cloud"))
    show_page (self, self->n_pages);
  gtk_widget_grab_focus (tile->button);
}

/* The first tile of what shows: the matches, the page or the dock. */
static Tile *
first_tile (YunHomePage *self)
{
  const char *mode = gtk_stack_get_visible_child_name (GTK_STACK (self->mode_stack));
  Tile *tile;

  if (g_strcmp0 (mode, "search") == 0)
    return tile_at (find_group (self, "search", 0), 0);
  if (self->on_cloud_page)
    tile = tile_at (find_group (self, "cloud", self->n_pages), 0);
  else
    tile = tile_at (find_group (self, "grid", self->page), 0);
  return tile != NULL ? tile : tile_at (find_group (self, "dock", 0), 0);
}

/**
 * yun_home_page_move_focus:
 * @self: the home screen
 * @direction: an arrow's direction
 *
 * Moves the keyboard focus as the arrow keys do: between tiles, across
 * pages at their edges, down to the dock, up to the search entry, and from
 * the entry down to the first tile.
 *
 * Returns: whether the focus moved
 */
gboolean
yun_home_page_move_focus (YunHomePage      *self,
                          GtkDirectionType  direction)
{
  GtkRoot *root;
  GtkWidget *focus;
  Tile *tile, *target;
  gboolean to_entry;

  g_return_val_if_fail (YUN_IS_HOME_PAGE (self), FALSE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus != NULL && gtk_widget_is_ancestor (focus, self->search_entry)) {
    if (direction != GTK_DIR_DOWN || (target = first_tile (self)) == NULL)
      return FALSE;
    focus_tile (self, target);
    return TRUE;
  }

  tile = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self))
         ? tile_of_widget (focus) : NULL;
  if (tile == NULL) {
    target = first_tile (self);
    if (target == NULL)
      return FALSE;
    focus_tile (self, target);
    return TRUE;
  }

  target = neighbour (self, tile, direction, &to_entry);
  if (to_entry) {
    gtk_widget_grab_focus (self->search_entry);
    return TRUE;
  }
  if (target == NULL)
    return FALSE;
  focus_tile (self, target);
  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                YunHomePage           *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  Tile *tile = focus != NULL ? tile_of_widget (focus) : NULL;
  GdkModifierType modifiers = state & gtk_accelerator_get_default_mod_mask ();

  /* An open menu has keys of its own. */
  if (focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)
    return FALSE;

  if (tile != NULL && (keyval == GDK_KEY_Menu ||
                       (keyval == GDK_KEY_F10 && modifiers == GDK_SHIFT_MASK))) {
    open_menu (self, tile, -1, -1);
    return has_menu (tile);
  }
  if (modifiers != 0)
    return FALSE;

  switch (keyval) {
  case GDK_KEY_Left:
  case GDK_KEY_KP_Left:
    return tile != NULL && yun_home_page_move_focus (self, GTK_DIR_LEFT);
  case GDK_KEY_Right:
  case GDK_KEY_KP_Right:
    return tile != NULL && yun_home_page_move_focus (self, GTK_DIR_RIGHT);
  case GDK_KEY_Up:
  case GDK_KEY_KP_Up:
    return tile != NULL && yun_home_page_move_focus (self, GTK_DIR_UP);
  case GDK_KEY_Down:
  case GDK_KEY_KP_Down:
    return yun_home_page_move_focus (self, GTK_DIR_DOWN);
  case GDK_KEY_Page_Down:
    show_page (self, self->page + 1);
    return TRUE;
  case GDK_KEY_Page_Up:
    show_page (self, self->page - 1);
    return TRUE;
  default:
    return FALSE;
  }
}

/* Swipes and scrolling */

static void
on_swipe_update (GtkGestureDrag *gesture,
                 double          dx,
                 double          dy,
                 YunHomePage    *self)
{
  if (!self->swipe_claimed && fabs (dx) > SWIPE_CLAIM_PX && fabs (dx) > 2 * fabs (dy)) {
    self->swipe_claimed = TRUE;
    /* The press becomes a swipe: the tile under it is not launched. */
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  }
}

static void
on_swipe_end (GtkGestureDrag *gesture,
              double          dx,
              double          dy,
              YunHomePage    *self)
{
  if (self->swipe_claimed && fabs (dx) > SWIPE_TURN_PX)
    show_page (self, self->page + (dx < 0 ? 1 : -1));
  self->swipe_claimed = FALSE;
}

static void
on_swipe_begin (GtkGestureDrag *gesture,
                double          x,
                double          y,
                YunHomePage    *self)
{
  self->swipe_claimed = FALSE;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           YunHomePage              *self)
{
  double delta = dx != 0 ? dx : dy;

  /* The cloud's page scrolls up and down itself. */
  if (delta == 0 || (dx == 0 && self->on_cloud_page))
    return FALSE;
  show_page (self, self->page + (delta > 0 ? 1 : -1));
  return TRUE;
}

static void
on_scale_factor_changed (YunHomePage *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->apps);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    load_icon (value);
  g_hash_table_iter_init (&iter, self->cloud_apps);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    load_icon (value);
}

/* Loading */

static void
on_layout_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  YunHomePage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_home_layout_load_finish (YUN_HOME_LAYOUT (source), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    /* A damaged layout costs the user's order, not the home screen. */
    g_printerr ("yun-shell: the saved home screen is ignored: %s\n", error->message);
  }
  self->layout_loaded = TRUE;
  /* The installed apps may have come first: fit the saved layout to
   * them. */
  yun_home_page_show_installed (self, NULL);
}

static void
on_tile_manifest_ready (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;

  manifest = yun_manifest_fetch_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (manifest == NULL) {
    g_free (app->icon_error);
    app->icon_error = g_strdup (error->message);
    return;
  }

  app_set_manifest (app, manifest);
  update_tiles_of (app->self, app);
  load_icon (app);
}

static void
on_list_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  YunHomePage *self = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  const char *data;
  JsonArray *apps;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
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

  g_hash_table_remove_all (self->cloud_apps);
  apps = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (apps); i++) {
    JsonNode *node = json_array_get_element (apps, i);
    JsonObject *object;
    const char *id, *manifest_url;
    App *app;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    object = json_node_get_object (node);
    id = json_object_get_string_member_with_default (object, "id", NULL);
    manifest_url = json_object_get_string_member_with_default (object, "manifest_url", NULL);
    if (id == NULL || manifest_url == NULL || !yun_app_id_is_valid (id) ||
        g_hash_table_contains (self->cloud_apps, id))
      continue;

    app = app_new (self, id);
    app->manifest_url = g_strdup (manifest_url);
    g_hash_table_insert (self->cloud_apps, app->id, app);
    yun_manifest_fetch_async (self->session, manifest_url, app->cancellable,
                              on_tile_manifest_ready, app);
  }

  gtk_label_set_text (GTK_LABEL (self->status),
                      json_array_get_length (apps) == 0 ? "The cloud has no apps yet." : "");
  relayout (self);
}

/* GObject */

static void
yun_home_page_dispose (GObject *object)
{
  YunHomePage *self = YUN_HOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_handle_id (&self->relayout_id, g_source_remove);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->cloud_page);
  /* Tiles are gone with the widgets; then the apps they showed. */
  if (self->tiles != NULL)
    g_ptr_array_set_size (self->tiles, 0);
  g_clear_pointer (&self->apps, g_hash_table_unref);
  g_clear_pointer (&self->cloud_apps, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->registry);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (yun_home_page_parent_class)->dispose (object);
}

static void
yun_home_page_finalize (GObject *object)
{
  YunHomePage *self = YUN_HOME_PAGE (object);

  g_clear_pointer (&self->tiles, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->badges, g_hash_table_unref);
  g_free (self->focus_after_relayout);
  g_free (self->provider_query);

  G_OBJECT_CLASS (yun_home_page_parent_class)->finalize (object);
}

static void
yun_home_page_class_init (YunHomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = yun_home_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = yun_home_page_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-home-page");

  gtk_widget_class_install_action (widget_class, "home.move-left", "s", on_move_activated);
  gtk_widget_class_install_action (widget_class, "home.move-right", "s", on_move_activated);
  gtk_widget_class_install_action (widget_class, "home.dock", "s", on_dock_activated);
  gtk_widget_class_install_action (widget_class, "home.undock", "s", on_dock_activated);
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
build_cloud_page (YunHomePage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  self->cloud_grid = new_grid ();
  self->status = gtk_label_new ("Loading apps…");
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_box_append (GTK_BOX (box), new_heading ("From the cloud"));
  gtk_box_append (GTK_BOX (box), self->cloud_grid);
  gtk_box_append (GTK_BOX (box), self->status);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  return scrolled;
}

static GtkWidget *
build_results (YunHomePage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  self->results_apps = new_grid ();
  self->results_none = gtk_label_new ("No app has that name.");
  gtk_widget_add_css_class (self->results_none, "dim-label");
  self->results_providers = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (box), new_heading ("Apps"));
  gtk_box_append (GTK_BOX (box), self->results_apps);
  gtk_box_append (GTK_BOX (box), self->results_none);
  gtk_box_append (GTK_BOX (box), self->results_providers);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  return scrolled;
}

static void
yun_home_page_init (YunHomePage *self)
{
  GtkWidget *pages = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkGesture *swipe = gtk_gesture_drag_new ();
  GtkEventController *scroll;
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->cancellable = g_cancellable_new ();
  self->apps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) app_free);
  self->cloud_apps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) app_free);
  self->badges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tiles = g_ptr_array_new ();
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_free);
  self->layout = yun_home_layout_new (NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (self->box, "yun-home");

  self->search_entry = gtk_search_entry_new ();
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (self->search_entry), 150);
  g_object_set (self->search_entry, "placeholder-text", "Search apps, contacts, notes", NULL);
  g_signal_connect (self->search_entry, "changed", G_CALLBACK (on_search_text_changed), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (on_search_activate), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self);

  self->pager = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->pager),
                                 GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_stack_set_transition_duration (GTK_STACK (self->pager), 200);
  gtk_widget_set_vexpand (self->pager, TRUE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (swipe), GTK_PHASE_CAPTURE);
  g_signal_connect (swipe, "drag-begin", G_CALLBACK (on_swipe_begin), self);
  g_signal_connect (swipe, "drag-update", G_CALLBACK (on_swipe_update), self);
  g_signal_connect (swipe, "drag-end", G_CALLBACK (on_swipe_end), self);
  gtk_widget_add_controller (self->pager, GTK_EVENT_CONTROLLER (swipe));
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                            GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (self->pager, scroll);

  self->cloud_page = g_object_ref_sink (build_cloud_page (self));
  self->dots = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (self->dots, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->dots, "yun-page-dots");
  self->dock = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_set_homogeneous (GTK_BOX (self->dock), TRUE);
  gtk_widget_add_css_class (self->dock, "yun-dock");

  gtk_box_append (GTK_BOX (pages), self->pager);
  gtk_box_append (GTK_BOX (pages), self->dots);
  self->mode_stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->mode_stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->mode_stack), pages, "pages");
  gtk_stack_add_named (GTK_STACK (self->mode_stack), build_results (self), "search");

  gtk_box_append (GTK_BOX (self->box), self->search_entry);
  gtk_box_append (GTK_BOX (self->box), self->mode_stack);
  gtk_box_append (GTK_BOX (self->box), self->dock);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);

  relayout (self);
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
 * yun_home_page_set_registry:
 * @self: the home screen
 * @registry: the installed apps' registry
 *
 * Tells the home screen where the installed apps keep their files (for
 * their icons) and where the profile keeps the home screen's layout, which
 * it then loads.  Call it once, before yun_home_page_show_installed().
 */
void
yun_home_page_set_registry (YunHomePage    *self,
                            YunAppRegistry *registry)
{
  g_autofree char *path = NULL;

  g_return_if_fail (YUN_IS_HOME_PAGE (self));
  g_return_if_fail (YUN_IS_APP_REGISTRY (registry));
  g_return_if_fail (self->registry == NULL);

  self->registry = g_object_ref (registry);
  path = g_build_filename (yun_app_registry_get_profile_dir (registry), LAYOUT_FILE, NULL);
  g_clear_object (&self->layout);
  self->layout = yun_home_layout_new (path);
  yun_home_layout_load_async (self->layout, self->cancellable, on_layout_loaded, self);
}

static int
compare_install_order (gconstpointer a,
                       gconstpointer b)
{
  const YunAppRecord *x = *(YunAppRecord * const *) a;
  const YunAppRecord *y = *(YunAppRecord * const *) b;

  if (x->installed_at != y->installed_at)
    return x->installed_at < y->installed_at ? -1 : 1;
  return strcmp (x->id, y->id);
}

static int
compare_apps_install_order (gconstpointer a,
                            gconstpointer b)
{
  const App *x = *(App * const *) a;
  const App *y = *(App * const *) b;

  if (x->installed_at != y->installed_at)
    return x->installed_at < y->installed_at ? -1 : 1;
  return strcmp (x->id, y->id);
}

static void
arrange (YunHomePage *self)
{
  g_autoptr(GPtrArray) apps = values_of (self->apps);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_ptr_array_sort (apps, compare_apps_install_order);
  for (guint i = 0; i < apps->len; i++)
    g_ptr_array_add (ids, ((App *) g_ptr_array_index (apps, i))->id);
  g_ptr_array_add (ids, NULL);

  /* Until the saved layout is read, a change would overwrite it. */
  if (yun_home_layout_arrange (self->layout, (const char * const *) ids->pdata) &&
      self->layout_loaded)
    yun_home_layout_save (self->layout);
}

/**
 * yun_home_page_show_installed:
 * @self: the home screen
 * @records: (nullable) (element-type YunAppRecord): the installed apps, or
 *   %NULL to show the same ones again
 *
 * Shows a tile per installed app, where the user put it; new apps go at
 * the end of the pages.  Icons of apps that were already shown and did not
 * change are kept.
 */
void
yun_home_page_show_installed (YunHomePage *self,
                              GPtrArray   *records)
{
  g_autoptr(GHashTable) old = NULL;
  g_autoptr(GPtrArray) sorted = NULL;

  g_return_if_fail (YUN_IS_HOME_PAGE (self));

  if (records != NULL) {
    old = g_steal_pointer (&self->apps);
    self->apps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) app_free);
    /* Borrowed records: a copy of the array would free them too. */
    sorted = g_ptr_array_sized_new (records->len);
    for (guint i = 0; i < records->len; i++)
      g_ptr_array_add (sorted, g_ptr_array_index (records, i));
    g_ptr_array_sort (sorted, compare_install_order);

    for (guint i = 0; i < sorted->len; i++) {
      YunAppRecord *record = g_ptr_array_index (sorted, i);
      App *app = g_hash_table_lookup (old, record->id);

      if (app != NULL && g_strcmp0 (app->version, record->version) == 0) {
        g_hash_table_steal (old, record->id);
      } else {
        app = app_new (self, record->id);
        app->installed = TRUE;
        app->version = g_strdup (record->version);
        app_set_manifest (app, record->manifest);
        if (self->registry != NULL)
          app->app_dir = yun_app_registry_dup_app_dir (self->registry, record->id);
      }
      app->installed_at = record->installed_at;
      g_hash_table_insert (self->apps, app->id, app);
    }
  }

  arrange (self);
  relayout (self);

  /* The old tiles are gone: their apps can go. */
  g_clear_pointer (&old, g_hash_table_unref);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->apps);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      load_icon (value);
  }
}

/**
 * yun_home_page_load:
 * @self: the home screen
 * @session: the session to fetch with
 * @cloud_url: the cloud's base URL, ending in a slash
 *
 * Fetches the cloud's app list and shows a tile per app that is not
 * installed; the session also fetches installed hosted apps' icons that
 * have no offline copy.
 */
void
yun_home_page_load (YunHomePage *self,
                    SoupSession *session,
                    const char  *cloud_url)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_if_fail (YUN_IS_HOME_PAGE (self));
  g_return_if_fail (SOUP_IS_SESSION (session));

  g_set_object (&self->session, session);
  url = g_strconcat (cloud_url, "apps/", NULL);
  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL) {
    gtk_label_set_text (GTK_LABEL (self->status), "The cloud's address is wrong.");
    return;
  }

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, self->cancellable,
                                    on_list_ready, self);
}

/**
 * yun_home_page_set_badge:
 * @self: the home screen
 * @app_id: an app
 * @count: how many unseen things it has, such as notifications; 0 hides
 *   the badge
 *
 * Shows a count over the app's icon, wherever its tile is.  The count is
 * kept for the app even while it has no tile.
 */
void
yun_home_page_set_badge (YunHomePage *self,
                         const char  *app_id,
                         guint        count)
{
  g_return_if_fail (YUN_IS_HOME_PAGE (self));
  g_return_if_fail (app_id != NULL);

  if (count == 0)
    g_hash_table_remove (self->badges, app_id);
  else
    g_hash_table_insert (self->badges, g_strdup (app_id), GUINT_TO_POINTER (count));

  for (guint i = 0; i < self->tiles->len; i++) {
    Tile *tile = g_ptr_array_index (self->tiles, i);

    if (g_str_equal (tile->app->id, app_id))
      update_tile (tile);
  }
}

/**
 * yun_home_page_add_search_provider:
 * @self: the home screen
 * @provider: a source of search results
 *
 * Adds a section of results under the matching apps, filled by @provider
 * as the user types.
 */
void
yun_home_page_add_search_provider (YunHomePage           *self,
                                   YunHomeSearchProvider *provider)
{
  Provider *entry;

  g_return_if_fail (YUN_IS_HOME_PAGE (self));
  g_return_if_fail (YUN_IS_HOME_SEARCH_PROVIDER (provider));

  entry = g_new0 (Provider, 1);
  entry->provider = g_object_ref (provider);
  entry->heading = new_heading (yun_home_search_provider_get_name (provider));
  entry->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_visible (entry->heading, FALSE);
  gtk_widget_set_visible (entry->list, FALSE);
  gtk_box_append (GTK_BOX (self->results_providers), entry->heading);
  gtk_box_append (GTK_BOX (self->results_providers), entry->list);
  g_ptr_array_add (self->providers, entry);
  /* The next search asks every provider, the new one too. */
  g_clear_pointer (&self->provider_query, g_free);
}

/**
 * yun_home_page_set_search_text:
 * @self: the home screen
 * @text: what to search for; empty to show the pages again
 *
 * Types @text into the search entry, as the user would.
 */
void
yun_home_page_set_search_text (YunHomePage *self,
                               const char  *text)
{
  g_return_if_fail (YUN_IS_HOME_PAGE (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* Providers hear of it now rather than after the typing pause. */
  search_providers (self);
}

static void
add_tile_description (YunHomePage     *self,
                      GVariantBuilder *builder,
                      Tile            *tile)
{
  App *app = tile->app;
  GdkTexture *texture = yun_app_icon_get_texture (tile->icon);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  graphene_rect_t bounds;
  guint badge = GPOINTER_TO_UINT (g_hash_table_lookup (self->badges, app->id));

  g_variant_builder_open (builder, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (builder, "{sv}", "app_id", g_variant_new_string (app->id));
  g_variant_builder_add (builder, "{sv}", "name", g_variant_new_string (app->name));
  g_variant_builder_add (builder, "{sv}", "place", g_variant_new_string (tile->group->place));
  g_variant_builder_add (builder, "{sv}", "page", g_variant_new_int32 (tile->group->page));
  g_variant_builder_add (builder, "{sv}", "position", g_variant_new_int32 (tile->position));
  g_variant_builder_add (builder, "{sv}", "installed", g_variant_new_boolean (app->installed));
  g_variant_builder_add (builder, "{sv}", "icon_loaded", g_variant_new_boolean (texture != NULL));
  g_variant_builder_add (builder, "{sv}", "icon_width",
                         g_variant_new_int32 (texture != NULL ? gdk_texture_get_width (texture) : 0));
  g_variant_builder_add (builder, "{sv}", "icon_height",
                         g_variant_new_int32 (texture != NULL ? gdk_texture_get_height (texture) : 0));
  g_variant_builder_add (builder, "{sv}", "icon_pixel_size",
                         g_variant_new_int32 (app->icon_pixel_size));
  g_variant_builder_add (builder, "{sv}", "icon_src",
                         g_variant_new_string (app->icon != NULL ? yun_manifest_icon_get_src (app->icon) : ""));
  g_variant_builder_add (builder, "{sv}", "icon_error",
                         g_variant_new_string (app->icon_error != NULL ? app->icon_error : ""));
  g_variant_builder_add (builder, "{sv}", "badge", g_variant_new_uint32 (badge));
  g_variant_builder_add (builder, "{sv}", "mapped",
                         g_variant_new_boolean (gtk_widget_get_mapped (tile->button)));
  if (root != NULL && gtk_widget_compute_bounds (GTK_WIDGET (tile->icon), GTK_WIDGET (root), &bounds)) {
    g_variant_builder_add (builder, "{sv}", "x", g_variant_new_double (bounds.origin.x));
    g_variant_builder_add (builder, "{sv}", "y", g_variant_new_double (bounds.origin.y));
    g_variant_builder_add (builder, "{sv}", "width", g_variant_new_double (bounds.size.width));
    g_variant_builder_add (builder, "{sv}", "height", g_variant_new_double (bounds.size.height));
  }
  g_variant_builder_close (builder);
}

/**
 * yun_home_page_describe_tiles:
 * @self: the home screen
 *
 * Describes every tile the home screen holds now, for automation: the
 * app's id and name; its place ("grid", "dock", "cloud" or "search"), page
 * and position there; whether its icon image loaded, the image's size in
 * pixels and the size it was loaded for, its URL or why it failed; the
 * badge count; whether the tile is on screen and, when it is, its icon's
 * bounds in the window.  Provider results follow with place "result",
 * their title, subtitle and action.
 *
 * Returns: (transfer floating): an `aa{sv}`
 */
GVariant *
yun_home_page_describe_tiles (YunHomePage *self)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("aa{sv}"));

  g_return_val_if_fail (YUN_IS_HOME_PAGE (self), NULL);

  /* A change from a menu waits for an idle moment; report what it made. */
  if (self->relayout_id != 0)
    relayout (self);

  for (guint i = 0; i < self->tiles->len; i++)
    add_tile_description (self, builder, g_ptr_array_index (self->tiles, i));

  for (guint i = 0; i < self->providers->len; i++) {
    Provider *provider = g_ptr_array_index (self->providers, i);

    for (GtkWidget *row = gtk_widget_get_first_child (provider->list); row != NULL;
         row = gtk_widget_get_next_sibling (row)) {
      YunHomeSearchResult *found = g_object_get_data (G_OBJECT (row), "yun-search-result");

      g_variant_builder_open (builder, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (builder, "{sv}", "place", g_variant_new_string ("result"));
      g_variant_builder_add (builder, "{sv}", "provider",
                             g_variant_new_string (yun_home_search_provider_get_name (provider->provider)));
      g_variant_builder_add (builder, "{sv}", "title", g_variant_new_string (found->title));
      g_variant_builder_add (builder, "{sv}", "subtitle",
                             g_variant_new_string (found->subtitle != NULL ? found->subtitle : ""));
      g_variant_builder_add (builder, "{sv}", "action", g_variant_new_string (found->action_name));
      g_variant_builder_close (builder);
    }
  }
  return g_variant_builder_end (builder);
}

/**
 * yun_home_page_activate_menu_item:
 * @self: the home screen
 * @app_id: an installed app with a tile on the pages or in the dock
 * @label: the label of an item of the tile's menu, such as "Move left"
 * @error: return location for a %G_IO_ERROR_NOT_FOUND
 *
 * Does what choosing the item in the tile's menu does: activates the
 * item's action with its target, from the tile.
 *
 * Returns: %TRUE when the menu has the item and its action was activated
 */
gboolean
yun_home_page_activate_menu_item (YunHomePage  *self,
                                  const char   *app_id,
                                  const char   *label,
                                  GError      **error)
{
  g_autoptr(GMenuModel) menu = NULL;
  Tile *tile;

  g_return_val_if_fail (YUN_IS_HOME_PAGE (self), FALSE);
  g_return_val_if_fail (app_id != NULL && label != NULL, FALSE);

  if (self->relayout_id != 0)
    relayout (self);
  tile = find_tile (self, app_id, TRUE);
  if (tile == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "“%s” has no tile on the home screen",
                 app_id);
    return FALSE;
  }

  menu = build_menu (self, tile);
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++) {
    g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

    for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++) {
      g_autofree char *item_label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      if (!g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) ||
          !g_str_equal (item_label, label))
        continue;
      g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      target = g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      return gtk_widget_activate_action_variant (tile->button, action, target);
    }
  }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the menu of “%s” has no item “%s”",
               app_id, label);
  return FALSE;
}
