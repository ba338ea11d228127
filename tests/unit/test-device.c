/* test-device.c: the device service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "yun-device.h"

static char *
write_temp (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static void
test_model_from_device_tree (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-device-XXXXXX", NULL);
  /* Device-tree strings end in NUL; the model is what precedes it. */
  g_autofree char *model = write_temp (dir, "model", "PINE64 PinePhone (1.2)\0", 23);
  const char *files[] = { "/nonexistent/model", model, NULL };
  g_autoptr(YunDevice) device = yun_device_new_for_sources (files);

  g_assert_cmpstr (yun_device_get_model (device), ==, "PINE64 PinePhone (1.2)");
  g_assert_cmpstr (yun_device_get_runtime (device), ==, "Yun");
  g_assert_cmpstr (yun_device_get_version (device), ==, YUN_VERSION);

  g_unlink (model);
  g_rmdir (dir);
}

static void
test_model_is_plain_bounded_text (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-device-XXXXXX", NULL);
  g_autofree char *empty = write_temp (dir, "empty", "  \n", -1);
  g_autofree char *long_name = g_strnfill (4096, 'a');
  g_autofree char *hostile = NULL;
  g_autofree char *messy = NULL;
  const char *files[] = { empty, NULL, NULL };
  g_autoptr(YunDevice) device = NULL;
  g_autoptr(YunDevice) long_device = NULL;

  hostile = write_temp (dir, "hostile", "  Model\t<b>\x01\xff X \n", -1);
  files[1] = hostile;
  device = yun_device_new_for_sources (files);
  g_assert_cmpstr (yun_device_get_model (device), ==, "Model<b> X");

  messy = write_temp (dir, "long", long_name, -1);
  files[0] = messy;
  files[1] = NULL;
  long_device = yun_device_new_for_sources (files);
  g_assert_cmpuint (strlen (yun_device_get_model (long_device)), ==, 128);

  g_unlink (empty);
  g_unlink (hostile);
  g_unlink (messy);
  g_rmdir (dir);
}

static void
test_unknown_model (void)
{
  const char *files[] = { "/nonexistent/a", "/nonexistent/b", NULL };
  YunDevice *device = yun_device_new_for_sources (files);

  g_assert_cmpstr (yun_device_get_model (device), ==, "Unknown device");
  g_assert_finalize_object (device);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/services/device/model-from-device-tree", test_model_from_device_tree);
  g_test_add_func ("/yun/services/device/model-is-plain-bounded-text", test_model_is_plain_bounded_text);
  g_test_add_func ("/yun/services/device/unknown-model", test_unknown_model);

  return g_test_run ();
}
