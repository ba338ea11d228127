/* yun-device.c: what the runtime and the hardware are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-device.h"

#include <string.h>

/* Phones describe themselves in the device tree; PCs (and the developer's
 * desktop) in DMI.  The first readable, non-empty one wins. */
static const char * const default_model_files[] = {
  "/sys/firmware/devicetree/base/model",
  "/sys/class/dmi/id/product_name",
  NULL
};

#define MAX_MODEL_LENGTH 128

enum {
  PROP_0,
  PROP_MODEL_FILES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _YunDevice
{
  GObject parent_instance;

  char **model_files;
  char *model;
};

G_DEFINE_FINAL_TYPE (YunDevice, yun_device, G_TYPE_OBJECT)

/* Model strings come from firmware: keep printable text only, so that what
 * reaches a web page is a plain, bounded string. */
static char *
read_model (const char * const *files)
{
  for (guint i = 0; files != NULL && files[i] != NULL; i++) {
    g_autofree char *contents = NULL;
    g_autoptr(GString) clean = g_string_new (NULL);
    gsize length = 0;

    if (!g_file_get_contents (files[i], &contents, &length, NULL))
      continue;

    for (gsize j = 0; j < length && contents[j] != '\0' && clean->len < MAX_MODEL_LENGTH; j++) {
      if (g_ascii_isprint (contents[j]))
        g_string_append_c (clean, contents[j]);
    }
    g_strstrip (clean->str);
    clean->len = strlen (clean->str);

    if (clean->len > 0)
      return g_string_free (g_steal_pointer (&clean), FALSE);
  }

  return g_strdup ("Unknown device");
}

static void
yun_device_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  YunDevice *self = YUN_DEVICE (object);

  switch (prop_id) {
  case PROP_MODEL_FILES:
    self->model_files = g_value_dup_boxed (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_device_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  YunDevice *self = YUN_DEVICE (object);

  switch (prop_id) {
  case PROP_MODEL_FILES:
    g_value_set_boxed (value, self->model_files);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_device_constructed (GObject *object)
{
  YunDevice *self = YUN_DEVICE (object);

  G_OBJECT_CLASS (yun_device_parent_class)->constructed (object);

  /* sysfs attributes are served from memory, so this read never waits on a
   * disk; doing it once here keeps every later call free of I/O. */
  self->model = read_model (self->model_files != NULL ?
                            (const char * const *) self->model_files : default_model_files);
}

static void
yun_device_finalize (GObject *object)
{
  YunDevice *self = YUN_DEVICE (object);

  g_strfreev (self->model_files);
  g_free (self->model);

  G_OBJECT_CLASS (yun_device_parent_class)->finalize (object);
}

static void
yun_device_class_init (YunDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = yun_device_set_property;
  object_class->get_property = yun_device_get_property;
  object_class->constructed = yun_device_constructed;
  object_class->finalize = yun_device_finalize;

  /**
   * YunDevice:model-files:
   *
   * Files to read the device model from, first readable one first; %NULL
   * for the device tree and DMI.
   */
  properties[PROP_MODEL_FILES] =
    g_param_spec_boxed ("model-files", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
yun_device_init (YunDevice *self)
{
}

/**
 * yun_device_new:
 *
 * Returns: (transfer full): the device, its model read from firmware
 */
YunDevice *
yun_device_new (void)
{
  return g_object_new (YUN_TYPE_DEVICE, NULL);
}

/**
 * yun_device_new_for_sources:
 * @model_files: (array zero-terminated=1): files that may name the model
 *
 * Returns: (transfer full): the device, its model read from @model_files
 */
YunDevice *
yun_device_new_for_sources (const char * const *model_files)
{
  return g_object_new (YUN_TYPE_DEVICE, "model-files", model_files, NULL);
}

/**
 * yun_device_get_runtime:
 * @self: the device
 *
 * Returns: (transfer none): the runtime's name, "Yun"
 */
const char *
yun_device_get_runtime (YunDevice *self)
{
  g_return_val_if_fail (YUN_IS_DEVICE (self), NULL);
  return YUN_RUNTIME_NAME;
}

/**
 * yun_device_get_version:
 * @self: the device
 *
 * Returns: (transfer none): the runtime's version
 */
const char *
yun_device_get_version (YunDevice *self)
{
  g_return_val_if_fail (YUN_IS_DEVICE (self), NULL);
  return YUN_VERSION;
}

/**
 * yun_device_get_model:
 * @self: the device
 *
 * Returns: (transfer none): the hardware model, or "Unknown device"
 */
const char *
yun_device_get_model (YunDevice *self)
{
  g_return_val_if_fail (YUN_IS_DEVICE (self), NULL);
  return self->model;
}
