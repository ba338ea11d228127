/* yun-app-icon.c: an app's icon on the home screen, or its letter.
 *
 * A square of a fixed size in CSS pixels.  Until the app's icon has
 * loaded, or when it has none that loads, it shows the first letter of the
 * app's name on a rounded square in the app's theme colour.  A maskable
 * icon is cut to the same rounded square (its safe zone survives that);
 * any other icon is shown whole, fitted in the square.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-icon.h"

/* Corners as on the letter badges of style.css: 16 px of 56. */
#define CORNER_RATIO (16.0 / 56.0)

struct _YunAppIcon
{
  GtkWidget parent_instance;

  int size;
  char *letter;
  GdkRGBA color;
  GdkTexture *texture;
  gboolean maskable;
};

G_DEFINE_FINAL_TYPE (YunAppIcon, yun_app_icon, GTK_TYPE_WIDGET)

static void
yun_app_icon_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = YUN_APP_ICON (widget)->size;
}

/* Dark letters on light colours, white ones on dark colours. */
static GdkRGBA
letter_color (const GdkRGBA *background)
{
  double luminance = 0.2126 * background->red + 0.7152 * background->green +
                     0.0722 * background->blue;

  return luminance > 0.6 ? (GdkRGBA) { 0.08, 0.13, 0.17, 1 } : (GdkRGBA) { 1, 1, 1, 1 };
}

static void
snapshot_letter (YunAppIcon  *self,
                 GtkSnapshot *snapshot,
                 float        x,
                 float        y)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  PangoRectangle extents;
  GdkRGBA color = letter_color (&self->color);

  if (self->letter == NULL)
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->letter);
  font = pango_font_description_new ();
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_absolute_size (font, self->size * 0.45 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_get_pixel_extents (layout, NULL, &extents);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (
                            x + (self->size - extents.width) / 2.0f - extents.x,
                            y + (self->size - extents.height) / 2.0f - extents.y));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
yun_app_icon_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  YunAppIcon *self = YUN_APP_ICON (widget);
  float x = (gtk_widget_get_width (widget) - self->size) / 2.0f;
  float y = (gtk_widget_get_height (widget) - self->size) / 2.0f;
  graphene_rect_t square = GRAPHENE_RECT_INIT (x, y, self->size, self->size);
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, &square, self->size * CORNER_RATIO);

  if (self->texture != NULL) {
    int width = gdk_texture_get_width (self->texture);
    int height = gdk_texture_get_height (self->texture);
    /* The texture is in device pixels; fit its shape in the square. */
    double scale = MIN ((double) self->size / width, (double) self->size / height);
    graphene_rect_t fitted = GRAPHENE_RECT_INIT (x + (self->size - width * scale) / 2,
                                                 y + (self->size - height * scale) / 2,
                                                 width * scale, height * scale);

    if (self->maskable)
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
    gtk_snapshot_append_texture (snapshot, self->texture, &fitted);
    if (self->maskable)
      gtk_snapshot_pop (snapshot);
    return;
  }

  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &self->color, &square);
  gtk_snapshot_pop (snapshot);
  snapshot_letter (self, snapshot, x, y);
}

static void
yun_app_icon_finalize (GObject *object)
{
  YunAppIcon *self = YUN_APP_ICON (object);

  g_free (self->letter);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (yun_app_icon_parent_class)->finalize (object);
}

static void
yun_app_icon_class_init (YunAppIconClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = yun_app_icon_finalize;
  widget_class->measure = yun_app_icon_measure;
  widget_class->snapshot = yun_app_icon_snapshot;
  gtk_widget_class_set_css_name (widget_class, "yun-app-icon");
}

static void
yun_app_icon_init (YunAppIcon *self)
{
  gdk_rgba_parse (&self->color, "#1c6e8c");
}

/**
 * yun_app_icon_new:
 * @size: the side of the square, in CSS pixels
 *
 * Returns: (transfer floating): an icon showing nothing yet
 */
GtkWidget *
yun_app_icon_new (int size)
{
  YunAppIcon *self;

  g_return_val_if_fail (size > 0, NULL);

  self = g_object_new (YUN_TYPE_APP_ICON, NULL);
  self->size = size;
  return GTK_WIDGET (self);
}

/**
 * yun_app_icon_set_letter:
 * @self: the icon
 * @name: the app's name; its first letter is shown
 * @color: (nullable): the square's colour, or %NULL for the shell's
 *
 * Sets what shows while there is no image.
 */
void
yun_app_icon_set_letter (YunAppIcon    *self,
                         const char    *name,
                         const GdkRGBA *color)
{
  g_autofree char *first = NULL;

  g_return_if_fail (YUN_IS_APP_ICON (self));
  g_return_if_fail (name != NULL);

  first = g_utf8_substring (name, 0, 1);
  g_free (self->letter);
  self->letter = g_utf8_strup (first, -1);
  if (color != NULL)
    self->color = *color;
  else
    gdk_rgba_parse (&self->color, "#1c6e8c");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * yun_app_icon_set_texture:
 * @self: the icon
 * @texture: (nullable): the image, or %NULL to show the letter
 * @maskable: whether the image is a maskable icon, cut to the rounded
 *   square
 */
void
yun_app_icon_set_texture (YunAppIcon *self,
                          GdkTexture *texture,
                          gboolean    maskable)
{
  g_return_if_fail (YUN_IS_APP_ICON (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  g_set_object (&self->texture, texture);
  self->maskable = maskable;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * yun_app_icon_get_texture:
 * @self: the icon
 *
 * Returns: (transfer none) (nullable): the image shown, if any
 */
GdkTexture *
yun_app_icon_get_texture (YunAppIcon *self)
{
  g_return_val_if_fail (YUN_IS_APP_ICON (self), NULL);
  return self->texture;
}

/**
 * yun_app_icon_get_size:
 * @self: the icon
 *
 * Returns: the side of the square, in CSS pixels
 */
int
yun_app_icon_get_size (YunAppIcon *self)
{
  g_return_val_if_fail (YUN_IS_APP_ICON (self), 0);
  return self->size;
}
