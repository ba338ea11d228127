/* yun-geoclue-location.c: the system's location, from GeoClue 2 over D-Bus.
 *
 * The conversation, all asynchronous on the thread-default main context:
 * Manager.GetClient → set the client's DesktopId and
 * RequestedAccuracyLevel → Client.Start → for each LocationUpdated, read
 * the new Location object's properties.  Stopping calls Client.Stop and
 * Manager.DeleteClient without waiting for replies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-geoclue-location.h"

#include <math.h>

#define GEOCLUE_NAME "org.freedesktop.GeoClue2"
#define MANAGER_PATH "/org/freedesktop/GeoClue2/Manager"
#define MANAGER_INTERFACE "org.freedesktop.GeoClue2.Manager"
#define CLIENT_INTERFACE "org.freedesktop.GeoClue2.Client"
#define LOCATION_INTERFACE "org.freedesktop.GeoClue2.Location"
#define PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"
/* GClueAccuracyLevel's GCLUE_ACCURACY_LEVEL_EXACT. */
#define ACCURACY_LEVEL_EXACT 8u

/* The calls made on a new client, in order. */
typedef enum {
  STEP_DESKTOP_ID,
  STEP_ACCURACY,
  STEP_START,
  STEP_STARTED,
} Step;

struct _YunGeoclueLocation
{
  GObject parent_instance;

  GDBusConnection *connection;  /* given, or the system bus once had */
  char *desktop_id;

  /* While started: cancels whatever is in flight. */
  GCancellable *cancellable;
  GDBusProxy *manager;
  GDBusProxy *client;
  Step step;
};

static void yun_geoclue_location_location_init (YunLocationInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunGeoclueLocation, yun_geoclue_location, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_LOCATION,
                                                      yun_geoclue_location_location_init))

static void client_next_step (YunGeoclueLocation *self);

/* Drops the client and cancels what is in flight; GeoClue is told to stop
 * when it was started. */
static void
release (YunGeoclueLocation *self)
{
  if (self->client != NULL) {
    g_signal_handlers_disconnect_by_data (self->client, self);
    g_dbus_proxy_call (self->client, "Stop", NULL, G_DBUS_CALL_FLAGS_NONE,
                       -1, NULL, NULL, NULL);
    g_dbus_proxy_call (self->manager, "DeleteClient",
                       g_variant_new ("(o)", g_dbus_proxy_get_object_path (self->client)),
                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->manager);
}

static void
fail (YunGeoclueLocation *self,
      const GError       *error)
{
  g_autofree char *remote = g_dbus_error_get_remote_error (error);
  g_autoptr(GError) reported = NULL;
  g_autoptr(GError) stripped = g_error_copy (error);
  YunLocationError code = YUN_LOCATION_ERROR_UNAVAILABLE;

  g_dbus_error_strip_remote_error (stripped);
  if (g_strcmp0 (remote, "org.freedesktop.DBus.Error.AccessDenied") == 0)
    code = YUN_LOCATION_ERROR_DENIED;
  reported = g_error_new (YUN_LOCATION_ERROR, code,
                          code == YUN_LOCATION_ERROR_DENIED ?
                          "GeoClue refused to locate %s: %s" :
                          "GeoClue is not available to %s: %s",
                          self->desktop_id, stripped->message);
  g_object_ref (self);
  release (self);
  yun_location_emit_failed (YUN_LOCATION (self), reported);
  g_object_unref (self);
}

/* Whether an asynchronous step gave @result; when it did not, GeoClue
 * is reported failed, unless this object cancelled the step itself (then
 * it may be gone, and is not touched). */
static gboolean
step_done (YunGeoclueLocation *self,
           gpointer            result,
           GError             *error)
{
  if (result != NULL)
    return TRUE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fail (self, error);
  return FALSE;
}

/* GeoClue's "unknown" values are out of range; the W3C's are null. */
static double
known_or_nan (GVariant   *properties,
              const char *name,
              double      lowest)
{
  double value;

  if (!g_variant_lookup (properties, name, "d", &value) || !isfinite (value) || value < lowest)
    return NAN;
  return value;
}

static void
on_location_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  YunGeoclueLocation *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             result, &error);
  g_autoptr(GVariant) properties = NULL;
  YunPosition position;
  guint64 seconds = 0, microseconds = 0;

  if (!step_done (self, reply, error))
    return;
  properties = g_variant_get_child_value (reply, 0);
  position = (YunPosition) {
    .latitude = known_or_nan (properties, "Latitude", -90),
    .longitude = known_or_nan (properties, "Longitude", -180),
    .accuracy = known_or_nan (properties, "Accuracy", 0),
    /* GeoClue says -G_MAXDOUBLE for an unknown altitude. */
    .altitude = known_or_nan (properties, "Altitude", -1e7),
    .altitude_accuracy = NAN,
    .heading = known_or_nan (properties, "Heading", 0),
    .speed = known_or_nan (properties, "Speed", 0),
  };
  if (isnan (position.latitude) || isnan (position.longitude) ||
      position.latitude > 90 || position.longitude > 180)
    return;
  if (isnan (position.accuracy))
    position.accuracy = 0;
  if (position.speed == 0 || position.heading >= 360)
    position.heading = NAN;
  if (g_variant_lookup (properties, "Timestamp", "(tt)", &seconds, &microseconds) && seconds > 0)
    position.timestamp_ms = (gint64) MIN (seconds, G_MAXINT64 / 2000) * 1000 + microseconds / 1000;
  else
    position.timestamp_ms = g_get_real_time () / 1000;
  yun_location_emit_position (YUN_LOCATION (self), &position);
}

static void
on_client_signal (GDBusProxy *client,
                  const char *sender,
                  const char *name,
                  GVariant   *parameters,
                  gpointer    user_data)
{
  YunGeoclueLocation *self = user_data;
  const char *path = NULL;

  if (g_strcmp0 (name, "LocationUpdated") != 0 ||
      !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(oo)")))
    return;
  g_variant_get (parameters, "(o&o)", NULL, &path);
  g_dbus_connection_call (self->connection, GEOCLUE_NAME, path,
                          PROPERTIES_INTERFACE, "GetAll",
                          g_variant_new ("(s)", LOCATION_INTERFACE),
                          G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, on_location_ready, self);
}

static void
on_client_owner_changed (GObject    *client,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  YunGeoclueLocation *self = user_data;
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (client));
  g_autoptr(GError) error = NULL;

  if (owner != NULL)
    return;
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "the service went away");
  fail (self, error);
}

static void
on_client_call_ready (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  YunGeoclueLocation *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             result, &error);

  if (step_done (self, reply, error))
    client_next_step (self);
}

static void
client_next_step (YunGeoclueLocation *self)
{
  const char *path = g_dbus_proxy_get_object_path (self->client);
  const char *interface = PROPERTIES_INTERFACE;
  const char *method = "Set";
  GVariant *parameters;

  switch (self->step++) {
  case STEP_DESKTOP_ID:
    parameters = g_variant_new ("(ssv)", CLIENT_INTERFACE, "DesktopId",
                                g_variant_new_string (self->desktop_id));
    break;
  case STEP_ACCURACY:
    parameters = g_variant_new ("(ssv)", CLIENT_INTERFACE, "RequestedAccuracyLevel",
                                g_variant_new_uint32 (ACCURACY_LEVEL_EXACT));
    break;
  case STEP_START:
    interface = CLIENT_INTERFACE;
    method = "Start";
    parameters = NULL;
    break;
  case STEP_STARTED:
  default:
    return;
  }
  g_dbus_connection_call (self->connection, GEOCLUE_NAME, path, interface, method,
                          parameters, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, on_client_call_ready, self);
}

static void
on_client_proxy_ready (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  YunGeoclueLocation *self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusProxy *client = g_dbus_proxy_new_finish (result, &error);

  if (!step_done (self, client, error))
    return;
  self->client = client;
  g_signal_connect (client, "g-signal", G_CALLBACK (on_client_signal), self);
  g_signal_connect (client, "notify::g-name-owner", G_CALLBACK (on_client_owner_changed), self);
  self->step = STEP_DESKTOP_ID;
  client_next_step (self);
}

static void
on_get_client_ready (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  YunGeoclueLocation *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  const char *path = NULL;

  if (reply != NULL && !g_variant_is_of_type (reply, G_VARIANT_TYPE ("(o)"))) {
    g_clear_pointer (&reply, g_variant_unref);
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 "GetClient did not return an object path");
  }
  if (!step_done (self, reply, error))
    return;
  g_variant_get (reply, "(&o)", &path);
  g_dbus_proxy_new (self->connection, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, NULL,
                    GEOCLUE_NAME, path, CLIENT_INTERFACE, self->cancellable,
                    on_client_proxy_ready, self);
}

static void
on_manager_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  YunGeoclueLocation *self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusProxy *manager = g_dbus_proxy_new_finish (result, &error);

  if (!step_done (self, manager, error))
    return;
  self->manager = manager;
  g_dbus_proxy_call (manager, "GetClient", NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                     self->cancellable, on_get_client_ready, self);
}

static void
create_manager (YunGeoclueLocation *self)
{
  g_dbus_proxy_new (self->connection,
                    G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                    G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                    NULL, GEOCLUE_NAME, MANAGER_PATH, MANAGER_INTERFACE,
                    self->cancellable, on_manager_ready, self);
}

static void
on_bus_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  YunGeoclueLocation *self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection = g_bus_get_finish (result, &error);

  if (connection == NULL && error != NULL)
    g_prefix_error (&error, "no system bus: ");
  if (!step_done (self, connection, error))
    return;
  self->connection = connection;
  create_manager (self);
}

static void
yun_geoclue_location_start (YunLocation *location)
{
  YunGeoclueLocation *self = YUN_GEOCLUE_LOCATION (location);

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  if (self->connection == NULL)
    g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_bus_ready, self);
  else
    create_manager (self);
}

static void
yun_geoclue_location_stop (YunLocation *location)
{
  release (YUN_GEOCLUE_LOCATION (location));
}

static void
yun_geoclue_location_location_init (YunLocationInterface *iface)
{
  iface->start = yun_geoclue_location_start;
  iface->stop = yun_geoclue_location_stop;
}

static void
yun_geoclue_location_dispose (GObject *object)
{
  YunGeoclueLocation *self = YUN_GEOCLUE_LOCATION (object);

  release (self);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (yun_geoclue_location_parent_class)->dispose (object);
}

static void
yun_geoclue_location_finalize (GObject *object)
{
  YunGeoclueLocation *self = YUN_GEOCLUE_LOCATION (object);

  g_free (self->desktop_id);

  G_OBJECT_CLASS (yun_geoclue_location_parent_class)->finalize (object);
}

static void
yun_geoclue_location_class_init (YunGeoclueLocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_geoclue_location_dispose;
  object_class->finalize = yun_geoclue_location_finalize;
}

static void
yun_geoclue_location_init (YunGeoclueLocation *self)
{
}

/**
 * yun_geoclue_location_new:
 * @connection: (nullable): the bus GeoClue is on; %NULL for the system bus
 * @desktop_id: the program's desktop file name without ".desktop"
 *
 * Nothing is sent until yun_location_start().
 *
 * Returns: (transfer full): a source of the system's positions
 */
YunGeoclueLocation *
yun_geoclue_location_new (GDBusConnection *connection,
                          const char      *desktop_id)
{
  YunGeoclueLocation *self;

  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (desktop_id != NULL && desktop_id[0] != '\0', NULL);

  self = g_object_new (YUN_TYPE_GEOCLUE_LOCATION, NULL);
  self->connection = connection != NULL ? g_object_ref (connection) : NULL;
  self->desktop_id = g_strdup (desktop_id);
  return self;
}
