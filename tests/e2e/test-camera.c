/* test-camera.c: the shell's camera in the real shell, with GStreamer's
 * test source: navigator.yun.camera.takePicture() and image file inputs
 * through the viewfinder, its status-bar indicator, and the camera
 * released whichever way the viewfinder closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "yun-e2e.h"

/* The test source's frames (services/yun-camera-source.c). */
#define SOURCE_WIDTH 1280
#define SOURCE_HEIGHT 720
#define WAIT_SECONDS 30
/* The least brightness variance of a screen showing the colour bars; a
 * flat colour has 0, the bars several thousand. */
#define PICTURE_VARIANCE 500.0

static YunE2e *e2e;
/* The photo the first test took, for the ones after it. */
static char *photo_id;
static char *photo_url;

static JsonNode *
eval (const char *app_id,
      const char *script)
{
  g_autoptr(GError) error = NULL;
  JsonNode *value = yun_e2e_eval (e2e, app_id, script, &error);

  g_assert_no_error (error);
  return value;
}

/* Calls the shell, for what the call does rather than its answer. */
static void
call (const char *method,
      GVariant   *parameters)
{
  g_variant_unref (yun_e2e_call (e2e, method, parameters));
}

/* Runs a script in an app's page, for what it does. */
static void
run (const char *app_id,
     const char *script)
{
  json_node_unref (eval (app_id, script));
}

static void
answer_prompt_if_open (void)
{
  g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
  gboolean open = FALSE;

  g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
  if (open)
    call ("AnswerPrompt", g_variant_new ("(s)", "always"));
}

/* Starts `attempt (async () => BODY)` in the people app as window.pending;
 * it becomes {value} or {error, message}. */
static void
start (const char *body)
{
  g_autofree char *script = g_strdup_printf ("window.pending = attempt (async () => { %s });\n"
                                             "return true;", body);

  json_node_unref (yun_e2e_wait_for (e2e, "people", "return window.attempt ? true : null;"));
  run ("people", script);
}

/* The outcome of window.pending once it settles, or NULL if it has not
 * settled yet. */
static JsonObject *
poll_outcome (void)
{
  g_autoptr(JsonNode) done = eval ("people",
                                   "return await Promise.race ([window.pending, new Promise ("
                                   "  (resolve) => setTimeout (() => resolve (null), 50))]);");

  return JSON_NODE_HOLDS_NULL (done) ? NULL : json_object_ref (json_node_get_object (done));
}

static JsonObject *
wait_outcome (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    JsonObject *outcome;

    answer_prompt_if_open ();
    outcome = poll_outcome ();
    if (outcome != NULL)
      return outcome;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
  }
}

static JsonObject *
attempt (const char *body)
{
  start (body);
  return wait_outcome ();
}

static JsonNode *
value_of (JsonObject *outcome)
{
  if (json_object_has_member (outcome, "error"))
    g_error ("the call failed: %s: %s", json_object_get_string_member (outcome, "error"),
             json_object_get_string_member (outcome, "message"));
  return json_object_get_member (outcome, "value");
}

static void
assert_error (JsonObject *outcome,
              const char *name,
              const char *message_part)
{
  if (!json_object_has_member (outcome, "error"))
    g_error ("expected %s, got a value", name);
  g_assert_cmpstr (json_object_get_string_member (outcome, "error"), ==, name);
  if (message_part != NULL &&
      strstr (json_object_get_string_member (outcome, "message"), message_part) == NULL)
    g_error ("“%s” does not say “%s”", json_object_get_string_member (outcome, "message"),
             message_part);
}

static gboolean
camera_open (char **app_name,
             char **source)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetCamera", NULL);
  gboolean open = FALSE;

  g_variant_get (reply, "(bss)", &open, app_name, source);
  return open;
}

/* Waits for the viewfinder to open, answering the permission question
 * on the way. */
static void
wait_camera_open (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!camera_open (NULL, NULL)) {
    answer_prompt_if_open ();
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (20 * 1000);
  }
}

static gboolean
indicator_shown (const char *name)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetIndicators", NULL);
  g_autofree const char **names = NULL;

  g_variant_get (reply, "(^a&s)", &names);
  return g_strv_contains (names, name);
}

/* The shell's GStreamer streaming threads: while a pipeline runs, its
 * source and queues each have one, named after their pad. */
static guint
count_streaming_threads (void)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%s/task",
                                               g_subprocess_get_identifier (e2e->shell));
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *task;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((task = g_dir_read_name (dir)) != NULL) {
    g_autofree char *comm_path = g_build_filename (dir_path, task, "comm", NULL);
    g_autofree char *comm = NULL;

    if (g_file_get_contents (comm_path, &comm, NULL, NULL) &&
        (g_str_has_prefix (comm, "videotestsrc") || g_str_has_prefix (comm, "queue")))
      count++;
  }
  return count;
}

/* The camera is closed and let go: no viewfinder, no indicator, no
 * streaming thread left. */
static void
assert_camera_released (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  g_assert_false (camera_open (NULL, NULL));
  g_assert_false (indicator_shown ("camera"));
  g_assert_true (yun_e2e_has_camera_mark (e2e, "closed"));
  /* Threads end as the pipeline reaches NULL; give them a moment. */
  while (count_streaming_threads () > 0) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

/* The variance of the brightness of the middle half of a screenshot: the
 * page's area, away from the status and navigation bars. */
static double
middle_variance (GdkPixbuf *shot)
{
  int width = gdk_pixbuf_get_width (shot);
  int height = gdk_pixbuf_get_height (shot);
  int channels = gdk_pixbuf_get_n_channels (shot);
  int stride = gdk_pixbuf_get_rowstride (shot);
  const guint8 *pixels = gdk_pixbuf_read_pixels (shot);
  double sum = 0, squares = 0;
  guint n = 0;

  for (int y = height / 4; y < height * 3 / 4; y++) {
    for (int x = width / 4; x < width * 3 / 4; x++) {
      const guint8 *p = pixels + y * stride + x * channels;
      double luma = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];

      sum += luma;
      squares += luma * luma;
      n++;
    }
  }
  g_assert_cmpuint (n, >, 0);
  return squares / n - (sum / n) * (sum / n);
}

/* Shoots the screen until its middle varies as much as a picture of the
 * colour bars does (a blank or white screen never does), or time is up;
 * returns the last variance. */
static double
wait_for_picture_on_screen (void)
{
  g_autofree char *path = g_build_filename (e2e->tmp_dir, "screen.png", NULL);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  double variance;

  /* What the web process and the camera paint reaches the window on
   * their own time. */
  for (;;) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkPixbuf) screenshot = NULL;

    call ("Screenshot", g_variant_new ("(s)", path));
    screenshot = gdk_pixbuf_new_from_file (path, &error);
    g_assert_no_error (error);
    variance = middle_variance (screenshot);
    if (variance > PICTURE_VARIANCE || g_get_monotonic_time () > deadline)
      return variance;
    g_usleep (100 * 1000);
  }
}

static void
test_take_picture_fits_the_asked_size (void)
{
  g_autoptr(JsonObject) outcome = NULL;
  g_autofree char *app_name = NULL;
  g_autofree char *source = NULL;
  JsonObject *photo;
  gint64 width, height;

  start ("return await navigator.yun.camera.takePicture ({ maxWidth: 320, maxHeight: 240 });");
  wait_camera_open ();
  g_assert_true (camera_open (&app_name, &source));
  g_assert_cmpstr (app_name, ==, "People");
  g_assert_cmpstr (source, ==, "test");
  g_assert_true (indicator_shown ("camera"));
  g_assert_null (poll_outcome ());
  /* The viewfinder shows the camera's frames over the app's white page. */
  g_assert_cmpfloat (wait_for_picture_on_screen (), >, PICTURE_VARIANCE);
  g_assert_true (yun_e2e_has_camera_mark (e2e, "first-frame"));

  call ("Shutter", NULL);
  outcome = wait_outcome ();
  photo = json_node_get_object (value_of (outcome));
  width = json_object_get_int_member (photo, "width");
  height = json_object_get_int_member (photo, "height");
  g_assert_cmpint (width, <=, 320);
  g_assert_cmpint (height, <=, 240);
  /* As large as fits, with the source's aspect ratio. */
  g_assert_true (width == 320 || height == 240);
  g_assert_cmpfloat (fabs ((double) width / height - (double) SOURCE_WIDTH / SOURCE_HEIGHT), <,
                     0.02);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (photo, "url"), "yun-blob:"));
  photo_id = g_strdup (json_object_get_string_member (photo, "id"));
  photo_url = g_strdup (json_object_get_string_member (photo, "url"));
  assert_camera_released ();
}

/* Shows the photo over the whole page once it has decoded and painted;
 * returns its natural size.  (A canvas cannot read it: a yun-blob: image
 * is cross-origin to the page and taints the canvas.) */
static const char show_image_script[] =
  "const image = new Image ();\n"
  "image.id = 'shown-photo';\n"
  "image.style = 'position: fixed; inset: 0; width: 100vw; height: 100vh; z-index: 9999;"
  " object-fit: fill;';\n"
  "image.src = %s;\n"
  "await image.decode ();\n"
  "document.body.append (image);\n"
  "await new Promise ((r) => requestAnimationFrame (() => requestAnimationFrame (r)));\n"
  "return { width: image.naturalWidth, height: image.naturalHeight };";

static void
test_photo_loads_and_is_not_blank (void)
{
  g_autoptr(JsonNode) url = json_node_init_string (json_node_alloc (), photo_url);
  g_autofree char *url_literal = json_to_string (url, FALSE);
  g_autofree char *body = g_strdup_printf (show_image_script, url_literal);
  g_autoptr(JsonObject) outcome = NULL;
  JsonObject *shown;

  g_assert_nonnull (photo_url);
  outcome = attempt (body);
  shown = json_node_get_object (value_of (outcome));
  g_assert_cmpint (json_object_get_int_member (shown, "width"), >, 0);
  g_assert_cmpint (json_object_get_int_member (shown, "width"), <=, 320);
  g_assert_cmpint (json_object_get_int_member (shown, "height"), <=, 240);

  /* Colour bars: far from one flat colour. */
  g_assert_cmpfloat (wait_for_picture_on_screen (), >, PICTURE_VARIANCE);

  run ("people", "document.getElementById ('shown-photo').remove (); return true;");
}

/* Before the app may know the position, its photos carry none; after the
 * user allows it, they carry the phone's (fixed in this test). */
static void
test_photo_has_the_position_only_when_allowed (void)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) located = NULL;
  g_autoptr(JsonObject) after = NULL;
  JsonObject *photo;
  JsonObject *location;
  g_autofree char *get = g_strdup_printf ("return await navigator.yun.photos.get ({ id: '%s' });",
                                          photo_id);

  before = attempt (get);
  g_assert_false (json_object_has_member (json_node_get_object (value_of (before)), "location"));

  /* The user allows location (the prompt is answered "always"). */
  located = attempt ("return await new Promise ((resolve, reject) =>"
                     "  navigator.geolocation.getCurrentPosition ("
                     "    (p) => resolve ([p.coords.latitude, p.coords.longitude]),"
                     "    (e) => reject (new Error ('geolocation ' + e.code))));");
  (void) value_of (located);

  start ("return await navigator.yun.camera.takePicture ({ maxWidth: 160, maxHeight: 120 });");
  wait_camera_open ();
  call ("Shutter", NULL);
  after = wait_outcome ();
  photo = json_node_get_object (value_of (after));
  g_assert_true (json_object_has_member (photo, "location"));
  location = json_object_get_object_member (photo, "location");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "latitude"), 30.259, 1e-6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "longitude"), 120.13, 1e-6);
  assert_camera_released ();
}

static void
test_photos_list_has_it (void)
{
  g_autoptr(JsonObject) outcome = attempt ("return await navigator.yun.photos.list ({});");
  JsonArray *photos = json_node_get_array (value_of (outcome));
  gboolean found = FALSE;

  for (guint i = 0; i < json_array_get_length (photos); i++) {
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (photos, i), "id"),
                   photo_id) == 0)
      found = TRUE;
  }
  g_assert_true (found);
}

static void
test_other_app_cannot_load_the_photo (void)
{
  g_autoptr(JsonNode) url = json_node_init_string (json_node_alloc (), photo_url);
  g_autofree char *url_literal = json_to_string (url, FALSE);
  g_autofree char *script = g_strdup_printf (
    "if (document.readyState !== 'complete') return null;\n"
    "const image = new Image ();\n"
    "image.src = %s;\n"
    "try { await image.decode (); return 'loaded'; } catch (e) { return 'refused'; }",
    url_literal);
  g_autoptr(JsonNode) loaded = NULL;

  call ("Launch", g_variant_new ("(s)", "jotter"));
  loaded = yun_e2e_wait_for (e2e, "jotter", script);
  g_assert_cmpstr (json_node_get_string (loaded), ==, "refused");
  call ("Launch", g_variant_new ("(s)", "people"));
}

static void
test_cancel_gives_abort_error_and_releases_the_camera (void)
{
  g_autoptr(JsonObject) outcome = NULL;

  start ("return await navigator.yun.camera.takePicture ({});");
  wait_camera_open ();
  g_assert_true (indicator_shown ("camera"));
  g_assert_cmpuint (count_streaming_threads (), >, 0);

  call ("CancelCamera", NULL);
  outcome = wait_outcome ();
  assert_error (outcome, "AbortError", "cancel");
  assert_camera_released ();
}

static void
test_second_request_while_open_is_refused (void)
{
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonNode) started = NULL;

  start ("return await navigator.yun.camera.takePicture ({});");
  wait_camera_open ();
  run ("people", "window.second = attempt (() => navigator.yun.camera.takePicture ({}));"
                 "return true;");
  started = yun_e2e_wait_for (e2e, "people",
                              "return await Promise.race ([window.second, new Promise ("
                              "  (resolve) => setTimeout (() => resolve (null), 50))]);");
  second = json_object_ref (json_node_get_object (started));
  assert_error (second, "InvalidStateError", "already open");
  /* The first is still open and still works. */
  g_assert_true (camera_open (NULL, NULL));
  g_assert_null (poll_outcome ());

  call ("CancelCamera", NULL);
  first = wait_outcome ();
  assert_error (first, "AbortError", NULL);
  assert_camera_released ();
}

static void
test_bad_options_give_data_error_without_the_viewfinder (void)
{
  static const struct {
    const char *options;
    const char *names;
  } cases[] = {
    { "{ maxWidth: -1 }", "maxWidth" },
    { "{ maxHeight: 0 }", "maxHeight" },
    { "{ maxWidth: 20000 }", "maxWidth" },
    { "{ maxWidth: 'big' }", "maxWidth" },
    { "{ quality: 2 }", "quality" },
    { "{ quality: -0.5 }", "quality" },
    { "{ zoom: 2 }", "zoom" },
  };
  g_autoptr(GVariant) marks_before = yun_e2e_call (e2e, "GetCameraMarks", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *body = g_strdup_printf ("return await navigator.yun.camera.takePicture (%s);",
                                             cases[i].options);
    g_autoptr(JsonObject) outcome = attempt (body);

    assert_error (outcome, "DataError", cases[i].names);
    g_assert_false (camera_open (NULL, NULL));
  }
  {
    g_autoptr(GVariant) marks_after = yun_e2e_call (e2e, "GetCameraMarks", NULL);

    /* No session began: the last one's marks are untouched. */
    g_assert_true (g_variant_equal (marks_before, marks_after));
  }
}

static void
test_home_closes_the_camera (void)
{
  g_autoptr(JsonObject) outcome = NULL;

  start ("return await navigator.yun.camera.takePicture ({});");
  wait_camera_open ();
  yun_e2e_activate_action (e2e, "home", NULL);
  outcome = wait_outcome ();
  assert_error (outcome, "AbortError", NULL);
  assert_camera_released ();
  call ("Launch", g_variant_new ("(s)", "people"));
}

/* A file input for images, clicked by the page; its change event gives
 * the chosen file's type, size and decoded size. */
static const char file_input_script[] =
  "const input = document.createElement ('input');\n"
  "input.type = 'file';\n"
  "input.accept = %s;\n"
  "input.setAttribute ('capture', 'environment');\n"
  "document.body.append (input);\n"
  "window.chosen = new Promise ((resolve) => {\n"
  "  input.addEventListener ('change', async () => {\n"
  "    const file = input.files[0];\n"
  "    const bitmap = await createImageBitmap (file);\n"
  "    resolve ({ type: file.type, size: file.size, name: file.name,\n"
  "               width: bitmap.width, height: bitmap.height });\n"
  "  });\n"
  "  input.addEventListener ('cancel', () => resolve ({ cancelled: true }));\n"
  "});\n"
  "input.click ();\n"
  "return true;";

static JsonObject *
wait_chosen (void)
{
  g_autoptr(JsonNode) chosen = yun_e2e_wait_for (e2e, "people",
                                                 "return await Promise.race ([window.chosen, "
                                                 "  new Promise ((resolve) => setTimeout ("
                                                 "    () => resolve (null), 50))]);");

  return json_object_ref (json_node_get_object (chosen));
}

static void
test_file_input_gets_a_jpeg_from_the_camera (void)
{
  g_autofree char *script = g_strdup_printf (file_input_script, "'image/*'");
  g_autoptr(JsonObject) chosen = NULL;

  run ("people", script);
  wait_camera_open ();
  call ("Shutter", NULL);
  chosen = wait_chosen ();
  g_assert_false (json_object_has_member (chosen, "cancelled"));
  g_assert_cmpstr (json_object_get_string_member (chosen, "type"), ==, "image/jpeg");
  g_assert_cmpint (json_object_get_int_member (chosen, "size"), >, 1000);
  g_assert_cmpint (json_object_get_int_member (chosen, "width"), ==, SOURCE_WIDTH);
  g_assert_cmpint (json_object_get_int_member (chosen, "height"), ==, SOURCE_HEIGHT);
  assert_camera_released ();
}

static void
test_file_input_cancelled_in_the_viewfinder (void)
{
  g_autofree char *script = g_strdup_printf (file_input_script, "'image/png,image/jpeg'");
  g_autoptr(JsonObject) chosen = NULL;

  run ("people", script);
  wait_camera_open ();
  call ("CancelCamera", NULL);
  chosen = wait_chosen ();
  g_assert_true (json_object_get_boolean_member (chosen, "cancelled"));
  assert_camera_released ();
}

static void
test_file_input_not_for_images_opens_nothing (void)
{
  g_autofree char *script = g_strdup_printf (file_input_script, "'text/plain'");
  g_autoptr(JsonObject) chosen = NULL;

  run ("people", script);
  chosen = wait_chosen ();

  g_assert_true (json_object_get_boolean_member (chosen, "cancelled"));
  g_assert_false (camera_open (NULL, NULL));
}

static void
test_undeclared_app_gets_no_camera (void)
{
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) chosen = NULL;
  g_autofree char *script = g_strdup_printf (file_input_script, "'image/*'");

  call ("Launch", g_variant_new ("(s)", "jotter"));
  refused = yun_e2e_wait_for (e2e, "jotter",
                              "if (!navigator.yun || !window.createImageBitmap) return null;\n"
                              "try { await navigator.yun.camera.takePicture ({}); return 'taken'; }"
                              "catch (e) { return e.name; }");
  g_assert_cmpstr (json_node_get_string (refused), ==, "NotAllowedError");

  /* The file input is refused by the same gate, without a viewfinder. */
  run ("jotter", script);
  chosen = yun_e2e_wait_for (e2e, "jotter",
                             "return await Promise.race ([window.chosen, new Promise ("
                             "  (resolve) => setTimeout (() => resolve (null), 50))]);");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (chosen), "cancelled"));
  g_assert_false (camera_open (NULL, NULL));
  call ("Launch", g_variant_new ("(s)", "people"));
}

/* Waits until the viewfinder has closed by itself. */
static void
wait_camera_closed (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (camera_open (NULL, NULL)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (20 * 1000);
  }
}

static void
test_leaving_the_page_closes_the_camera (void)
{
  g_autoptr(JsonNode) left = NULL;

  start ("return await navigator.yun.camera.takePicture ({});");
  wait_camera_open ();
  run ("people", "location.search = '?left'; return true;");
  left = yun_e2e_wait_for (e2e, "people",
                           "return location.search === '?left' && window.attempt ? true : null;");
  /* Nobody waits for the picture any more. */
  wait_camera_closed ();
  assert_camera_released ();
}

static void
test_closing_the_app_releases_the_camera (void)
{
  start ("return await navigator.yun.camera.takePicture ({});");
  wait_camera_open ();
  yun_e2e_activate_action (e2e, "close-app", g_variant_new_string ("people"));
  /* The page is gone with its promise; the camera must not stay on. */
  wait_camera_closed ();
  assert_camera_released ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  const char * const args[] = { "--camera", "test", "--location", "fixed:30.259,120.13", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: the first takes the photo the next three look at. */
  g_test_add_func ("/yun/e2e/camera/take-picture-fits-the-asked-size",
                   test_take_picture_fits_the_asked_size);
  g_test_add_func ("/yun/e2e/camera/photo-loads-and-is-not-blank",
                   test_photo_loads_and_is_not_blank);
  g_test_add_func ("/yun/e2e/camera/photos-list-has-it", test_photos_list_has_it);
  g_test_add_func ("/yun/e2e/camera/photo-has-the-position-only-when-allowed",
                   test_photo_has_the_position_only_when_allowed);
  g_test_add_func ("/yun/e2e/camera/other-app-cannot-load-the-photo",
                   test_other_app_cannot_load_the_photo);
  g_test_add_func ("/yun/e2e/camera/cancel-gives-abort-error-and-releases-the-camera",
                   test_cancel_gives_abort_error_and_releases_the_camera);
  g_test_add_func ("/yun/e2e/camera/second-request-while-open-is-refused",
                   test_second_request_while_open_is_refused);
  g_test_add_func ("/yun/e2e/camera/bad-options-give-data-error-without-the-viewfinder",
                   test_bad_options_give_data_error_without_the_viewfinder);
  g_test_add_func ("/yun/e2e/camera/home-closes-the-camera", test_home_closes_the_camera);
  g_test_add_func ("/yun/e2e/camera/file-input-gets-a-jpeg-from-the-camera",
                   test_file_input_gets_a_jpeg_from_the_camera);
  g_test_add_func ("/yun/e2e/camera/file-input-cancelled-in-the-viewfinder",
                   test_file_input_cancelled_in_the_viewfinder);
  g_test_add_func ("/yun/e2e/camera/file-input-not-for-images-opens-nothing",
                   test_file_input_not_for_images_opens_nothing);
  g_test_add_func ("/yun/e2e/camera/undeclared-app-gets-no-camera",
                   test_undeclared_app_gets_no_camera);
  g_test_add_func ("/yun/e2e/camera/leaving-the-page-closes-the-camera",
                   test_leaving_the_page_closes_the_camera);
  g_test_add_func ("/yun/e2e/camera/closing-the-app-releases-the-camera",
                   test_closing_the_app_releases_the_camera);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start_with_args (webapps, "people", args);
  status = g_test_run ();
  yun_e2e_stop (e2e);
  g_free (photo_id);
  g_free (photo_url);

  return status;
}
