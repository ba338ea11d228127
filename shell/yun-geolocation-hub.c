/* yun-geolocation-hub.c: one location source behind every app's
 * navigator.geolocation.
 *
 * WebKit asks each app's web context for positions through its
 * WebKitGeolocationManager once a page watches (after the permission
 * gate allowed it).  The hub starts the one location source — GeoClue, or
 * the simulated one given with --location — while any app watches, feeds
 * every watching manager, and stops it when the last one stops.  Its
 * "active" property drives the status bar's location indicator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-geolocation-hub.h"

#include <math.h>

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _YunGeolocationHub
{
  GObject parent_instance;

  char *spec;
  YunLocation *location;
  /* The managers that watch now (weak pointers: a context may go). */
  GPtrArray *watching;
  YunPosition *last;
};

G_DEFINE_FINAL_TYPE (YunGeolocationHub, yun_geolocation_hub, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WebKitGeolocationPosition, webkit_geolocation_position_free)

static void on_manager_gone (gpointer data, GObject *where_the_object_was);

static void
yun_geolocation_hub_dispose (GObject *object)
{
  YunGeolocationHub *self = YUN_GEOLOCATION_HUB (object);

  for (guint i = 0; self->watching != NULL && i < self->watching->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->watching, i), on_manager_gone, self);
  g_clear_pointer (&self->watching, g_ptr_array_unref);
  if (self->location != NULL) {
    g_signal_handlers_disconnect_by_data (self->location, self);
    yun_location_stop (self->location);
  }
  g_clear_object (&self->location);
  g_clear_pointer (&self->last, yun_position_free);

  G_OBJECT_CLASS (yun_geolocation_hub_parent_class)->dispose (object);
}

static void
yun_geolocation_hub_finalize (GObject *object)
{
  YunGeolocationHub *self = YUN_GEOLOCATION_HUB (object);

  g_free (self->spec);

  G_OBJECT_CLASS (yun_geolocation_hub_parent_class)->finalize (object);
}

static void
yun_geolocation_hub_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  YunGeolocationHub *self = YUN_GEOLOCATION_HUB (object);

  switch (prop_id) {
  case PROP_ACTIVE:
    g_value_set_boolean (value, yun_geolocation_hub_get_active (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_geolocation_hub_class_init (YunGeolocationHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_geolocation_hub_dispose;
  object_class->finalize = yun_geolocation_hub_finalize;
  object_class->get_property = yun_geolocation_hub_get_property;

  /**
   * YunGeolocationHub:active:
   *
   * Whether some app watches the position now.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
yun_geolocation_hub_init (YunGeolocationHub *self)
{
  self->watching = g_ptr_array_new ();
}

/**
 * yun_geolocation_hub_new:
 * @spec: (nullable): the location source, as yun_location_new_for_spec()
 *   reads it: %NULL for GeoClue, "fixed:LAT,LON[,ACCURACY]" or
 *   "gpx:PATH[@SPEED]" for a simulated one
 *
 * Returns: (transfer full): a hub; the source starts when an app watches
 */
YunGeolocationHub *
yun_geolocation_hub_new (const char *spec)
{
  YunGeolocationHub *self = g_object_new (YUN_TYPE_GEOLOCATION_HUB, NULL);

  self->spec = g_strdup (spec);
  return self;
}

static WebKitGeolocationPosition *
to_webkit (const YunPosition *position)
{
  WebKitGeolocationPosition *web = webkit_geolocation_position_new (position->latitude,
                                                                     position->longitude,
                                                                     position->accuracy);

  /* WebKit takes whole seconds; 0 would mean "now". */
  webkit_geolocation_position_set_timestamp (web, MAX (1, position->timestamp_ms / 1000));
  if (!isnan (position->altitude))
    webkit_geolocation_position_set_altitude (web, position->altitude);
  if (!isnan (position->altitude_accuracy))
    webkit_geolocation_position_set_altitude_accuracy (web, position->altitude_accuracy);
  if (!isnan (position->heading))
    webkit_geolocation_position_set_heading (web, position->heading);
  if (!isnan (position->speed))
    webkit_geolocation_position_set_speed (web, position->speed);
  return web;
}

static void
on_position_changed (YunLocation       *location,
                     const YunPosition *position,
                     YunGeolocationHub *self)
{
  g_clear_pointer (&self->last, yun_position_free);
  self->last = yun_position_copy (position);
  for (guint i = 0; i < self->watching->len; i++) {
    g_autoptr(WebKitGeolocationPosition) web = to_webkit (position);

    webkit_geolocation_manager_update_position (g_ptr_array_index (self->watching, i), web);
  }
}

static void
on_failed (YunLocation       *location,
           const GError      *error,
           YunGeolocationHub *self)
{
  for (guint i = 0; i < self->watching->len; i++)
    webkit_geolocation_manager_failed (g_ptr_array_index (self->watching, i), error->message);
}

/* Starts the source for the first watcher; %FALSE when there is none. */
static gboolean
ensure_source (YunGeolocationHub         *self,
               WebKitGeolocationManager *manager)
{
  g_autoptr(GError) error = NULL;

  if (self->location != NULL)
    return TRUE;
  self->location = yun_location_new_for_spec (self->spec, "org.yun.Shell", &error);
  if (self->location == NULL) {
    g_printerr ("yun-shell: no location source: %s\n", error->message);
    webkit_geolocation_manager_failed (manager, error->message);
    return FALSE;
  }
  g_signal_connect (self->location, "position-changed", G_CALLBACK (on_position_changed), self);
  g_signal_connect (self->location, "failed", G_CALLBACK (on_failed), self);
  return TRUE;
}

static void
stop_watching (YunGeolocationHub        *self,
               WebKitGeolocationManager *manager)
{
  if (!g_ptr_array_remove (self->watching, manager))
    return;
  if (self->watching->len == 0 && self->location != NULL) {
    yun_location_stop (self->location);
    g_signal_handlers_disconnect_by_data (self->location, self);
    g_clear_object (&self->location);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
on_manager_gone (gpointer  data,
                 GObject  *where_the_object_was)
{
  stop_watching (data, (WebKitGeolocationManager *) where_the_object_was);
}

static gboolean
on_start (WebKitGeolocationManager *manager,
          YunGeolocationHub        *self)
{
  gboolean first = self->watching->len == 0;

  if (!ensure_source (self, manager))
    return TRUE;
  if (!g_ptr_array_find (self->watching, manager, NULL)) {
    g_ptr_array_add (self->watching, manager);
    g_object_weak_ref (G_OBJECT (manager), on_manager_gone, self);
  }
  if (first)
    yun_location_start (self->location);
  else if (self->last != NULL) {
    g_autoptr(WebKitGeolocationPosition) web = to_webkit (self->last);

    webkit_geolocation_manager_update_position (manager, web);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  return TRUE;
}

static void
on_stop (WebKitGeolocationManager *manager,
         YunGeolocationHub        *self)
{
  if (g_ptr_array_find (self->watching, manager, NULL))
    g_object_weak_unref (G_OBJECT (manager), on_manager_gone, self);
  stop_watching (self, manager);
}

/**
 * yun_geolocation_hub_attach:
 * @self: the hub
 * @context: an app's web context
 *
 * Answers the context's geolocation requests from the hub's source.
 */
void
yun_geolocation_hub_attach (YunGeolocationHub *self,
                            WebKitWebContext  *context)
{
  WebKitGeolocationManager *manager;

  g_return_if_fail (YUN_IS_GEOLOCATION_HUB (self));

  manager = webkit_web_context_get_geolocation_manager (context);
  g_signal_connect_object (manager, "start", G_CALLBACK (on_start), self, 0);
  g_signal_connect_object (manager, "stop", G_CALLBACK (on_stop), self, 0);
}

/**
 * yun_geolocation_hub_set_spec:
 * @self: the hub
 * @spec: (nullable): the new location source, as yun_geolocation_hub_new()
 *   takes it
 *
 * Changes where positions come from (the developer session's emulation).
 * Apps that watch now continue with the new source at once.
 */
void
yun_geolocation_hub_set_spec (YunGeolocationHub *self,
                              const char        *spec)
{
  g_return_if_fail (YUN_IS_GEOLOCATION_HUB (self));

  g_free (self->spec);
  self->spec = g_strdup (spec);
  if (self->location == NULL)
    return;
  yun_location_stop (self->location);
  g_signal_handlers_disconnect_by_data (self->location, self);
  g_clear_object (&self->location);
  g_clear_pointer (&self->last, yun_position_free);
  if (self->watching->len > 0 && ensure_source (self, g_ptr_array_index (self->watching, 0)))
    yun_location_start (self->location);
}

/**
 * yun_geolocation_hub_get_last_position:
 * @self: the hub
 *
 * Returns: (transfer none) (nullable): the last position the source gave,
 *   while this source is the one in use
 */
const YunPosition *
yun_geolocation_hub_get_last_position (YunGeolocationHub *self)
{
  g_return_val_if_fail (YUN_IS_GEOLOCATION_HUB (self), NULL);
  return self->last;
}

/**
 * yun_geolocation_hub_get_active:
 * @self: the hub
 *
 * Returns: whether some app watches the position now
 */
gboolean
yun_geolocation_hub_get_active (YunGeolocationHub *self)
{
  g_return_val_if_fail (YUN_IS_GEOLOCATION_HUB (self), FALSE);
  return self->watching->len > 0;
}
