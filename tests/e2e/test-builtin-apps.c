/* test-builtin-apps.c: the built-in Contacts, Notes and Gallery apps
 * (webapps/), installed on a new profile and used through their pages in
 * the real shell, on the real personal store.
 *
 * The pages are driven as a user would: values typed into fields (with
 * the input events typing fires) and buttons clicked, then the tests read
 * what the page shows.  Screenshots of the three apps are saved beside
 * the test (contacts.png, notes.png, gallery.png) for docs/.  The camera is
 * GStreamer's test source behind the shell's real viewfinder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "yun-doc-store.h"
#include "yun-e2e.h"
#include "yun-personal-index.h"
#include "yun-photos.h"

#define WAIT_SECONDS 60

static YunE2e *e2e;
/* The note the notes tests write, and the photos the gallery tests add
 * (newest first). */
static char *note_id;
static GPtrArray *photo_ids;

/* Polls @script in @app_id's page until its value is not null, answering
 * "always" to any permission question meanwhile.  Scripts sent while the
 * page is being replaced may fail; they are asked again. */
static JsonNode *
wait_answering (const char *app_id,
                const char *script)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    g_autoptr(JsonNode) value = NULL;
    g_autoptr(GError) error = NULL;
    gboolean open = FALSE;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open)
      g_variant_unref (yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "always")));
    value = yun_e2e_eval (e2e, app_id, script, &error);
    if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
      return g_steal_pointer (&value);
    if (g_get_monotonic_time () > deadline) {
      g_autoptr(JsonNode) page = yun_e2e_eval (e2e, app_id,
                                               "return location.href + '\\n' +"
                                               "  document.body.innerText.slice (0, 500);", NULL);

      g_error ("waited %d s in %s for: %s (last error: %s; the page: %s)", WAIT_SECONDS, app_id,
               script, error != NULL ? error->message : "none",
               page != NULL ? json_node_get_string (page) : "?");
    }
    g_usleep (100 * 1000);
  }
}

/* Like wait_answering(), for a script that says only when it is ready. */
static void
wait_until (const char *app_id,
            const char *script)
{
  json_node_unref (wait_answering (app_id, script));
}

/* Runs @script once in @app_id's page and fails the test if it throws. */
static void
run (const char *app_id,
     const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = yun_e2e_eval (e2e, app_id, script, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
}

static void
launch (const char *app_id)
{
  g_variant_unref (yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", app_id)));
}

static char **
installed (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "ListInstalled", NULL);
  char **ids = NULL;

  g_variant_get (reply, "(^as)", &ids);
  return ids;
}

/* Saves what the shell shows as @name beside the test, once @app_id's
 * page has settled, and checks it is a picture of the phone's screen. */
static void
screenshot (const char *app_id,
            const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GVariant) shot = NULL;
  g_autoptr(GdkPixbuf) picture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) settled = NULL;

  /* Two animation frames: what the page changed last is on the screen. */
  settled = wait_answering (app_id,
                            "await new Promise ((r) => requestAnimationFrame (() => "
                            "  requestAnimationFrame (r)));"
                            "return true;");
  g_usleep (300 * 1000);
  shot = yun_e2e_call (e2e, "Screenshot", g_variant_new ("(s)", path));
  picture = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (picture), ==, 360);
  g_assert_cmpint (gdk_pixbuf_get_height (picture), ==, 760);
  g_test_message ("%s saved to %s", app_id, path);
}

/* Whether the home screen shows @app_id's installed tile with the icon
 * from its manifest. */
static gboolean
home_shows_icon (const char *app_id)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetHomeTiles", NULL);
  g_autoptr(GVariant) tiles = g_variant_get_child_value (reply, 0);

  for (gsize i = 0; i < g_variant_n_children (tiles); i++) {
    g_autoptr(GVariant) tile = g_variant_get_child_value (tiles, i);
    const char *id = NULL, *src = NULL;
    gboolean installed = FALSE, loaded = FALSE;

    if (!g_variant_lookup (tile, "app_id", "&s", &id) || g_strcmp0 (id, app_id) != 0)
      continue;
    g_variant_lookup (tile, "installed", "b", &installed);
    g_variant_lookup (tile, "icon_loaded", "b", &loaded);
    g_variant_lookup (tile, "icon_src", "&s", &src);
    if (installed && loaded && src != NULL && g_str_has_suffix (src, "/icon.svg"))
      return TRUE;
  }
  return FALSE;
}

static void
test_new_profile_has_the_builtin_apps (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  /* The shell installs them in the background once its registry opens. */
  for (;;) {
    g_auto(GStrv) ids = installed ();

    if (g_strv_contains ((const char * const *) ids, "contacts") &&
        g_strv_contains ((const char * const *) ids, "notes") &&
        g_strv_contains ((const char * const *) ids, "gallery")) {
      g_assert_cmpuint (g_strv_length (ids), ==, 3);
      break;
    }
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100 * 1000);
  }

  /* On the home screen, each with its own icon. */
  while (!home_shows_icon ("contacts") || !home_shows_icon ("notes") ||
         !home_shows_icon ("gallery")) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100 * 1000);
  }
}

/* Contacts ------------------------------------------------------------ */

/* The list's names, once it shows the answer for @query. */
static JsonArray *
contact_names (const char *query)
{
  g_autofree char *script = g_strdup_printf (
    "const list = document.querySelector ('#contact-list');"
    "if (document.body.dataset.screen !== 'list' || list.dataset.query !== '%s' ||"
    "    list.hasAttribute ('aria-busy')) return null;"
    "return [...list.querySelectorAll ('strong')].map ((e) => e.textContent);", query);
  g_autoptr(JsonNode) names = wait_answering ("contacts", script);

  return json_array_ref (json_node_get_array (names));
}

static void
search (const char *query)
{
  g_autofree char *script = g_strdup_printf (
    "document.querySelector ('#contact-list').removeAttribute ('data-query');"
    "const field = document.querySelector ('#search');"
    "field.value = '%s';"
    "field.dispatchEvent (new Event ('input', { bubbles: true }));"
    "return true;", query);

  run ("contacts", script);
}

static gboolean
names_contain (JsonArray  *names,
               const char *name)
{
  for (guint i = 0; i < json_array_get_length (names); i++) {
    if (g_strcmp0 (json_array_get_string_element (names, i), name) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
test_contacts_add_through_the_form (void)
{
  g_autoptr(JsonNode) detail = NULL;
  g_autoptr(JsonArray) names = NULL;
  g_autoptr(JsonNode) form = NULL;
  JsonObject *shown;

  launch ("contacts");
  /* The empty list first: the app asked for access and got it. */
  g_clear_pointer (&names, json_array_unref);
  names = contact_names ("");
  g_assert_cmpuint (json_array_get_length (names), ==, 0);

  run ("contacts", "document.querySelector ('#nav-add').click (); return true;");
  form = wait_answering ("contacts",
                         "return document.body.dataset.screen === 'edit' ?"
                         "  document.querySelector ('#form-heading').textContent : null;");
  g_assert_cmpstr (json_node_get_string (form), ==, "New contact");
  run ("contacts",
       "const type = (selector, value) => {"
       "  const field = document.querySelector (selector);"
       "  field.focus (); field.value = value;"
       "  field.dispatchEvent (new Event ('input', { bubbles: true }));"
       "};"
       "type ('#f-name', 'Zhang Wei');"
       "type ('#f-tel .entry input', '+86 571 8502 2088');"
       "type ('#f-email .entry input', 'zhang.wei@example.cn');"
       "type ('#f-street', '18 Wensan Road');"
       "type ('#f-locality', 'Hangzhou');"
       "type ('#f-org', 'West Lake Tea Co.');"
       "type ('#f-note', 'Met at the cloud expo');"
       "document.querySelector ('#save').click ();"
       "return true;");

  /* Saved, it opens on its own page. */
  detail = wait_answering ("contacts",
                           "if (document.body.dataset.screen !== 'detail' ||"
                           "    document.querySelector ('#detail-name').textContent !== 'Zhang Wei')"
                           "  return null;"
                           "return { hash: location.hash,"
                           "  org: document.querySelector ('#detail-org').textContent,"
                           "  fields: document.querySelector ('#detail-fields').innerText };");
  shown = json_node_get_object (detail);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (shown, "hash"), "#/contact/"));
  g_assert_cmpstr (json_object_get_string_member (shown, "org"), ==, "West Lake Tea Co.");
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "fields"), "+86 571 8502 2088"));
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "fields"), "Hangzhou"));

  /* And in the list. */
  run ("contacts", "document.querySelector ('#back').click (); return true;");
  g_clear_pointer (&names, json_array_unref);
  names = contact_names ("");
  g_assert_cmpuint (json_array_get_length (names), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (names, 0), ==, "Zhang Wei");
}

static void
test_contacts_form_shows_the_api_error (void)
{
  g_autoptr(JsonNode) error = NULL;
  JsonObject *shown;

  run ("contacts", "location.hash = '#/new'; return true;");
  wait_until ("contacts", "return document.body.dataset.screen === 'edit' ? true : null;");
  /* An e-mail address longer than the API takes. */
  run ("contacts",
       "const type = (selector, value) => {"
       "  const field = document.querySelector (selector);"
       "  field.value = value;"
       "  field.dispatchEvent (new Event ('input', { bubbles: true }));"
       "};"
       "type ('#f-name', 'Too Long');"
       "type ('#f-email .entry input', 'x'.repeat (400) + '@example.org');"
       "document.querySelector ('#save').click ();"
       "return true;");
  error = wait_answering ("contacts",
                          "const next = document.querySelector ('#f-email .entry .field-error');"
                          "if (!next.textContent) return null;"
                          "return { next: next.textContent,"
                          "  invalid: document.querySelector ('#f-email .entry input')"
                          "    .getAttribute ('aria-invalid'),"
                          "  summary: document.querySelector ('#form-error').textContent,"
                          "  view: document.body.dataset.screen };");
  shown = json_node_get_object (error);
  /* Next to the field, saying which one and what the API said of it. */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (shown, "next"),
                                   "E-mail address 1: "));
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "next"), "320"));
  g_assert_cmpstr (json_object_get_string_member (shown, "invalid"), ==, "true");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (shown, "summary"), "Not saved: "));
  /* Nothing was saved: the form stays. */
  g_assert_cmpstr (json_object_get_string_member (shown, "view"), ==, "edit");

  run ("contacts", "location.hash = '#/'; return true;");
}

static void
test_contacts_search_finds_by_number_suffix (void)
{
  g_autoptr(JsonArray) everyone = NULL;
  g_autoptr(JsonArray) by_suffix = NULL;
  g_autoptr(JsonArray) other_suffix = NULL;
  g_autoptr(JsonNode) saved = NULL;

  /* Someone else to tell apart, added as another app would. */
  saved = wait_answering ("contacts",
                          "await navigator.yun.contacts.save ({ contact: {"
                          "  name: { formatted: 'Li Na' }, tel: [{ value: '+86 10 6552 9999' }] } });"
                          "return true;");
  search ("");
  everyone = contact_names ("");
  g_assert_cmpuint (json_array_get_length (everyone), ==, 2);

  search ("2088");
  by_suffix = contact_names ("2088");
  g_assert_cmpuint (json_array_get_length (by_suffix), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (by_suffix, 0), ==, "Zhang Wei");

  search ("9999");
  other_suffix = contact_names ("9999");
  g_assert_cmpuint (json_array_get_length (other_suffix), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (other_suffix, 0), ==, "Li Na");

  search ("");
}

static void
test_contacts_import_pasted_vcard_shows_the_report (void)
{
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonArray) names = NULL;
  JsonObject *shown;
  const char *skipped;
  int line;

  run ("contacts", "document.querySelector ('#nav-import').click (); return true;");
  wait_until ("contacts", "return document.body.dataset.screen === 'import' ? true : null;");
  /* Three cards; the second, from line 6, has a line that is no property. */
  run ("contacts",
       "const text = document.querySelector ('#vcf-text');"
       "text.value = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Carla Diaz', 'TEL:+1 555 0100', 'END:VCARD',"
       "  'BEGIN:VCARD', 'VERSION:3.0', 'this line is not a property', 'END:VCARD',"
       "  'BEGIN:VCARD', 'VERSION:4.0', 'FN:Dong Wei', 'EMAIL:dong@example.cn', 'END:VCARD', '']"
       "  .join ('\\n');"
       "text.dispatchEvent (new Event ('input', { bubbles: true }));"
       "document.querySelector ('#import-text').click ();"
       "return true;");
  report = wait_answering ("contacts",
                           "const box = document.querySelector ('#import-report');"
                           "if (!box.textContent.startsWith ('Imported')) return null;"
                           "return { first: box.querySelector ('p').textContent,"
                           "  skipped: [...box.querySelectorAll ('li')].map ((e) => e.textContent) };");
  shown = json_node_get_object (report);
  g_assert_cmpstr (json_object_get_string_member (shown, "first"), ==, "Imported 2 contacts.");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shown, "skipped")), ==, 1);
  skipped = json_array_get_string_element (json_object_get_array_member (shown, "skipped"), 0);
  g_assert_true (g_str_has_prefix (skipped, "Line "));
  line = atoi (skipped + strlen ("Line "));
  /* The bad card's lines. */
  g_assert_cmpint (line, >=, 6);
  g_assert_cmpint (line, <=, 9);

  run ("contacts", "document.querySelector ('#back').click (); return true;");
  names = contact_names ("");
  g_assert_true (names_contain (names, "Carla Diaz"));
  g_assert_true (names_contain (names, "Dong Wei"));
  g_assert_cmpuint (json_array_get_length (names), ==, 4);
}

static void
test_contacts_screenshot (void)
{
  g_autoptr(JsonArray) names = contact_names ("");

  g_assert_cmpuint (json_array_get_length (names), >, 0);
  screenshot ("contacts", "contacts.png");
}

/* Notes --------------------------------------------------------------- */

static void
type_note (const char *title,
           const char *body,
           const char *tags)
{
  g_autofree char *script = g_strdup_printf (
    "const type = (selector, value) => {"
    "  const field = document.querySelector (selector);"
    "  field.focus (); field.value = value;"
    "  field.dispatchEvent (new Event ('input', { bubbles: true }));"
    "};"
    "type ('#title', '%s'); type ('#body', '%s'); type ('#tags', '%s');"
    "return true;", title, body, tags);

  run ("notes", script);
}

static void
test_notes_written_in_the_editor_survive_a_reload (void)
{
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) reloaded = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonObject *note;

  launch ("notes");
  listed = wait_answering ("notes",
                           "return document.body.dataset.screen === 'list' &&"
                           "  document.querySelector ('#list-status').textContent.startsWith ('No notes')"
                           "  ? true : null;");
  run ("notes", "document.querySelector ('#nav-new').click (); return true;");
  wait_until ("notes", "return document.body.dataset.screen === 'editor' ? true : null;");
  type_note ("Shopping", "Green tea\\nRice\\nPeaches", "home, market");

  /* Saved as typed, without pressing anything. */
  saved = wait_answering ("notes",
                          "return document.querySelector ('#save-state').dataset.state === 'saved' &&"
                          "  location.hash.startsWith ('#/note/') ?"
                          "  decodeURIComponent (location.hash.slice ('#/note/'.length)) : null;");
  note_id = g_strdup (json_node_get_string (saved));

  run ("notes", "window.beforeReload = true; setTimeout (() => location.reload (), 0); return true;");
  reloaded = wait_answering ("notes",
                             "if (window.beforeReload || document.body.dataset.screen !== 'editor' ||"
                             "    document.querySelector ('#save-state').dataset.state !== 'saved')"
                             "  return null;"
                             "return { title: document.querySelector ('#title').value,"
                             "  body: document.querySelector ('#body').value,"
                             "  tags: document.querySelector ('#tags').value };");
  note = json_node_get_object (reloaded);
  g_assert_cmpstr (json_object_get_string_member (note, "title"), ==, "Shopping");
  g_assert_cmpstr (json_object_get_string_member (note, "body"), ==, "Green tea\nRice\nPeaches");
  g_assert_cmpstr (json_object_get_string_member (note, "tags"), ==, "home, market");

  /* And the list has it. */
  run ("notes", "document.querySelector ('#back').click (); return true;");
  list = wait_answering ("notes",
                         "const items = document.querySelectorAll ('#note-list strong');"
                         "return document.body.dataset.screen === 'list' && items.length > 0 ?"
                         "  [...items].map ((e) => e.textContent) : null;");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (list), 0), ==, "Shopping");
}

static void
test_notes_edit_conflict_is_reported (void)
{
  g_autofree char *open = g_strdup_printf ("location.hash = '#/note/' + encodeURIComponent ('%s');"
                                           "return true;", note_id);
  g_autofree char *elsewhere = g_strdup_printf (
    "const note = await navigator.yun.notes.get ({ id: '%s' });"
    "await navigator.yun.notes.save ({ id: note.id, rev: note.rev,"
    "  title: 'Shopping (from the laptop)', body: note.body + '\\nSoy sauce', tags: note.tags });"
    "return true;", note_id);
  g_autoptr(JsonNode) opened = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) conflict = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *get = NULL;
  JsonObject *shown;

  run ("notes", open);
  opened = wait_answering ("notes",
                           "return document.body.dataset.screen === 'editor' &&"
                           "  document.querySelector ('#title').value === 'Shopping' ? true : null;");
  /* The note changes elsewhere (another device, synced) while it is open. */
  changed = wait_answering ("notes", elsewhere);
  /* The user goes on typing on the revision they opened. */
  run ("notes",
       "const body = document.querySelector ('#body');"
       "body.value += '\\nJasmine tea';"
       "body.dispatchEvent (new Event ('input', { bubbles: true }));"
       "return true;");

  conflict = wait_answering ("notes",
                             "const box = document.querySelector ('#conflict');"
                             "if (box.hidden) return null;"
                             "return { text: box.querySelector ('#conflict-text').textContent,"
                             "  mine: box.querySelector ('#conflict-draft').textContent,"
                             "  title: document.querySelector ('#title').value,"
                             "  state: document.querySelector ('#save-state').dataset.state };");
  shown = json_node_get_object (conflict);
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "text"), "changed somewhere else"));
  /* The page now shows the other version, and keeps the user's text. */
  g_assert_cmpstr (json_object_get_string_member (shown, "title"), ==, "Shopping (from the laptop)");
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "mine"), "Jasmine tea"));
  g_assert_cmpstr (json_object_get_string_member (shown, "state"), ==, "conflict");

  /* Nothing of the stale edit was written. */
  get = g_strdup_printf ("return (await navigator.yun.notes.get ({ id: '%s' })).body;", note_id);
  stored = wait_answering ("notes", get);
  g_assert_null (strstr (json_node_get_string (stored), "Jasmine"));
  g_assert_nonnull (strstr (json_node_get_string (stored), "Soy sauce"));
}

static void
test_notes_screenshot (void)
{
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) listed = NULL;

  /* A few more notes, as a phone has. */
  saved = wait_answering ("notes",
                          "await navigator.yun.notes.save ({ title: 'Trip to Hangzhou',"
                          "  body: 'Train G7311 at 9:05. Lingyin Temple in the morning, Longjing tea "
                          "fields after lunch.', tags: ['travel'] });"
                          "await navigator.yun.notes.save ({ title: 'Book club',"
                          "  body: 'Thursday 19:30 at Mei\\'s. Bring the second volume.', tags: [] });"
                          "return true;");
  run ("notes", "location.hash = '#/'; return true;");
  listed = wait_answering ("notes",
                           "return document.body.dataset.screen === 'list' &&"
                           "  document.querySelectorAll ('#note-list li').length === 3 ? true : null;");
  screenshot ("notes", "notes.png");
}

/* Gallery ------------------------------------------------------------- */

/* A small landscape to stand for a photo: sky, sun and hills in the
 * colours of @hue, as JPEG. */
static GBytes *
draw_picture (int    width,
              int    height,
              double hue)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  char *data = NULL;
  gsize length = 0;

  for (int y = 0; y < height; y++) {
    for (int x = 0; x < width; x++) {
      double fx = (double) x / width, fy = (double) y / height;
      double hill = 0.62 + 0.08 * sin (fx * 6.0 + hue * 10.0) + 0.05 * sin (fx * 13.0);
      double sun = hypot (x - 0.72 * width, y - 0.25 * height) / MIN (width, height);
      guchar *p = pixels + y * stride + x * 3;
      double r, g, b;

      if (fy > hill) {
        r = 40 + 60 * hue; g = 110 + 50 * (1 - fy); b = 60;
      } else if (sun < 0.08) {
        r = 255; g = 220; b = 120;
      } else {
        r = 90 + 120 * hue * fy; g = 150 + 60 * fy; b = 230 - 40 * hue;
      }
      p[0] = (guchar) CLAMP (r, 0, 255);
      p[1] = (guchar) CLAMP (g, 0, 255);
      p[2] = (guchar) CLAMP (b, 0, 255);
    }
  }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &length, "jpeg", &error,
                                            "quality", "85", NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

/* Puts photos taken at known times and places into the profile's photo
 * library, through the photo service on the same store the shell has
 * open, as a sync from the cloud would: pictures from the camera are all
 * taken now, nowhere. */
static void
add_photos (void)
{
  static const struct {
    int width, height;
    double hue;
    gint64 taken;
    double latitude, longitude;
  } pictures[] = {
    { 640, 480, 0.1, G_GINT64_CONSTANT (1714550400000), 30.2460, 120.1490 },
    { 480, 640, 0.5, G_GINT64_CONSTANT (1717228800000), 31.2304, 121.4737 },
    { 640, 480, 0.8, G_GINT64_CONSTANT (1719820800000), 0, 0 },
    { 640, 360, 0.3, G_GINT64_CONSTANT (1722499200000), 39.9042, 116.4074 },
  };
  g_autofree char *store_path = g_build_filename (e2e->tmp_dir, "profile", "personal.sqlite", NULL);
  g_autofree char *index_path = g_build_filename (e2e->tmp_dir, "seed-index.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = yun_doc_store_open (store_path, &error);
  g_autoptr(YunPersonalIndex) index = NULL;
  g_autoptr(YunPhotos) photos = NULL;

  g_assert_no_error (error);
  index = yun_personal_index_open (store, index_path, &error);
  g_assert_no_error (error);
  photos = yun_photos_new (index, &error);
  g_assert_no_error (error);

  photo_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++) {
    g_autoptr(GBytes) image = draw_picture (pictures[i].width, pictures[i].height, pictures[i].hue);
    g_autoptr(JsonObject) metadata = json_object_new ();
    g_autoptr(JsonObject) photo = NULL;

    json_object_set_int_member (metadata, "taken", pictures[i].taken);
    if (pictures[i].latitude != 0) {
      JsonObject *location = json_object_new ();

      json_object_set_double_member (location, "latitude", pictures[i].latitude);
      json_object_set_double_member (location, "longitude", pictures[i].longitude);
      json_object_set_object_member (metadata, "location", location);
    }
    photo = yun_photos_add (photos, image, "image/jpeg", metadata, &error);
    g_assert_no_error (error);
    /* Newest first, as the gallery shows them. */
    g_ptr_array_insert (photo_ids, 0, g_strdup (json_object_get_string_member (photo, "id")));
  }
}

static void
test_gallery_shows_photos_newest_first (void)
{
  g_autoptr(JsonNode) grid = NULL;
  JsonArray *ids;

  add_photos ();
  launch ("gallery");
  /* Every picture loaded from its yun-blob: URL. */
  grid = wait_answering ("gallery",
                         "const images = [...document.querySelectorAll ('#grid img')];"
                         "if (document.body.dataset.screen !== 'grid' || images.length === 0 ||"
                         "    !images.every ((i) => i.complete && i.naturalWidth > 0)) return null;"
                         "return images.map ((i) => i.parentElement.dataset.id);");
  ids = json_node_get_array (grid);
  g_assert_cmpuint (json_array_get_length (ids), ==, photo_ids->len);
  for (guint i = 0; i < photo_ids->len; i++)
    g_assert_cmpstr (json_array_get_string_element (ids, i), ==, g_ptr_array_index (photo_ids, i));
}

static void
test_gallery_photo_view_shows_size_date_and_place (void)
{
  g_autofree char *open = g_strdup_printf ("document.querySelector ('#grid a[data-id=\"%s\"]').click ();"
                                           "return true;", (char *) g_ptr_array_index (photo_ids, 0));
  g_autoptr(JsonNode) view = NULL;
  JsonObject *shown;

  run ("gallery", open);
  view = wait_answering ("gallery",
                         "const image = document.querySelector ('#photo-image');"
                         "if (document.body.dataset.screen !== 'photo' || !image.complete ||"
                         "    image.naturalWidth === 0) return null;"
                         "return { width: image.naturalWidth,"
                         "  facts: document.querySelector ('#photo-facts').innerText };");
  shown = json_node_get_object (view);
  g_assert_cmpint (json_object_get_int_member (shown, "width"), ==, 640);
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "facts"), "640 × 360 pixels"));
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "facts"), "2024"));
  g_assert_nonnull (strstr (json_object_get_string_member (shown, "facts"), "39.90420° N, 116.40740° E"));
  run ("gallery", "document.querySelector ('#back').click (); return true;");
}

/* A photo's yun-blob: URL reads with fetch() too, not only in an <img>:
 * the app's own origin may read it; a URL not granted is a network
 * error, not an empty answer. */
static void
test_gallery_fetches_photo_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) fetched = yun_e2e_eval (e2e, "gallery",
                                              "const image = document.querySelector ('#grid img');"
                                              "const response = await fetch (image.src);"
                                              "const blob = await response.blob ();"
                                              "const bytes = new Uint8Array (await blob.arrayBuffer ());"
                                              "let refused = 'no';"
                                              "try { await fetch ('yun-blob://not-granted'); }"
                                              "catch (e) { refused = e.name; }"
                                              "return { status: response.status, type: blob.type,"
                                              "  size: blob.size, jpeg: bytes[0] === 0xff && bytes[1] === 0xd8,"
                                              "  refused };",
                                              &error);
  JsonObject *answer;

  g_assert_no_error (error);
  answer = json_node_get_object (fetched);
  g_assert_cmpint (json_object_get_int_member (answer, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (answer, "type"), ==, "image/jpeg");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), >, 1000);
  g_assert_true (json_object_get_boolean_member (answer, "jpeg"));
  g_assert_cmpstr (json_object_get_string_member (answer, "refused"), ==, "TypeError");
}

/* Polls the shell until the viewfinder is open and shows the camera,
 * answering permission questions meanwhile: a shutter pressed before
 * the camera is ready takes nothing. */
static void
wait_for_viewfinder (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) prompt = yun_e2e_call (e2e, "GetPrompt", NULL);
    g_autoptr(GVariant) camera = NULL;
    gboolean open = FALSE;

    g_variant_get (prompt, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
    if (open)
      g_variant_unref (yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "always")));
    camera = yun_e2e_call (e2e, "GetCamera", NULL);
    g_variant_get (camera, "(b&s&s)", &open, NULL, NULL);
    if (open && yun_e2e_has_camera_mark (e2e, "first-frame") &&
        !yun_e2e_has_camera_mark (e2e, "closed"))
      return;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100 * 1000);
  }
}

static guint
grid_size (void)
{
  g_autoptr(JsonNode) size = wait_answering ("gallery",
                                             "return document.body.dataset.screen === 'grid' &&"
                                             "  !document.querySelector ('#grid').hasAttribute ('aria-busy') ?"
                                             "  document.querySelectorAll ('#grid img').length : null;");

  return (guint) json_node_get_int (size);
}

static void
test_gallery_take_a_picture_adds_it (void)
{
  guint before = grid_size ();
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(GVariant) pressed = NULL;
  const char *id;

  run ("gallery", "document.querySelector ('#take').click (); return true;");
  wait_for_viewfinder ();
  pressed = yun_e2e_call (e2e, "Shutter", NULL);

  /* The new picture opens on its own page, loaded from the library. */
  shown = wait_answering ("gallery",
                          "const image = document.querySelector ('#photo-image');"
                          "if (document.body.dataset.screen !== 'photo' || !image.complete ||"
                          "    image.naturalWidth === 0) return null;"
                          "return decodeURIComponent (location.hash.slice ('#/photo/'.length));");
  id = json_node_get_string (shown);
  for (guint i = 0; i < photo_ids->len; i++)
    g_assert_cmpstr (id, !=, g_ptr_array_index (photo_ids, i));

  /* And first in the grid, the newest. */
  run ("gallery", "document.querySelector ('#back').click (); return true;");
  g_assert_cmpuint (grid_size (), ==, before + 1);
  first = wait_answering ("gallery", "return document.querySelector ('#grid a').dataset.id;");
  g_assert_cmpstr (json_node_get_string (first), ==, id);
}

static void
test_gallery_cancelled_camera_adds_nothing (void)
{
  guint before = grid_size ();
  g_autoptr(GVariant) cancelled = NULL;
  g_autoptr(JsonNode) message = NULL;

  run ("gallery", "document.querySelector ('#take').click (); return true;");
  wait_for_viewfinder ();
  cancelled = yun_e2e_call (e2e, "CancelCamera", NULL);
  message = wait_answering ("gallery",
                            "const text = document.querySelector ('#message').textContent;"
                            "return text && !document.querySelector ('#take').disabled ? text : null;");
  g_assert_cmpstr (json_node_get_string (message), ==, "No picture was taken.");
  g_assert_cmpuint (grid_size (), ==, before);
}

static void
test_gallery_screenshot (void)
{
  g_autoptr(JsonNode) grid = NULL;

  /* Opened afresh, without the last message. */
  run ("gallery", "window.beforeReload = true; setTimeout (() => location.reload (), 0); return true;");
  grid = wait_answering ("gallery",
                         "const images = [...document.querySelectorAll ('#grid img')];"
                         "return !window.beforeReload && document.body.dataset.screen === 'grid' &&"
                         "  images.length > 0 && images.every ((i) => i.complete && i.naturalWidth > 0) ?"
                         "  true : null;");
  screenshot ("gallery", "gallery.png");
}

/* Offline ------------------------------------------------------------- */

static void
test_contacts_opens_offline_with_its_contacts (void)
{
  g_autoptr(JsonArray) names = NULL;
  g_autoptr(JsonNode) offline = NULL;

  /* No cloud, and a shell started afresh: the app opens from the copy of
   * its page kept at install, and the address book is on the phone. */
  yun_e2e_stop_cloud (e2e);
  yun_e2e_restart_shell (e2e, "contacts");
  names = contact_names ("");
  g_assert_true (names_contain (names, "Zhang Wei"));
  g_assert_cmpuint (json_array_get_length (names), ==, 4);
  /* It really is the offline copy: the server is gone. */
  offline = wait_answering ("contacts",
                            "try { await fetch ('manifest.json', { cache: 'no-store' }); return 'online'; }"
                            "catch { return 'offline'; }");
  g_assert_cmpstr (json_node_get_string (offline), ==, "offline");
}

int
main (int   argc,
      char *argv[])
{
  /* GStreamer's test source stands in for the phone's camera. */
  const char * const shell_args[] = { "--camera", "test", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: each test starts where the one before left the profile. */
  g_test_add_func ("/yun/e2e/builtin-apps/new-profile-has-the-builtin-apps",
                   test_new_profile_has_the_builtin_apps);
  g_test_add_func ("/yun/e2e/builtin-apps/contacts/add-through-the-form",
                   test_contacts_add_through_the_form);
  g_test_add_func ("/yun/e2e/builtin-apps/contacts/form-shows-the-api-error",
                   test_contacts_form_shows_the_api_error);
  g_test_add_func ("/yun/e2e/builtin-apps/contacts/search-finds-by-number-suffix",
                   test_contacts_search_finds_by_number_suffix);
  g_test_add_func ("/yun/e2e/builtin-apps/contacts/import-pasted-vcard-shows-the-report",
                   test_contacts_import_pasted_vcard_shows_the_report);
  g_test_add_func ("/yun/e2e/builtin-apps/contacts/screenshot", test_contacts_screenshot);
  g_test_add_func ("/yun/e2e/builtin-apps/notes/written-in-the-editor-survive-a-reload",
                   test_notes_written_in_the_editor_survive_a_reload);
  g_test_add_func ("/yun/e2e/builtin-apps/notes/edit-conflict-is-reported",
                   test_notes_edit_conflict_is_reported);
  g_test_add_func ("/yun/e2e/builtin-apps/notes/screenshot", test_notes_screenshot);
  g_test_add_func ("/yun/e2e/builtin-apps/gallery/shows-photos-newest-first",
                   test_gallery_shows_photos_newest_first);
  g_test_add_func ("/yun/e2e/builtin-apps/gallery/photo-view-shows-size-date-and-place",
                   test_gallery_photo_view_shows_size_date_and_place);
  g_test_add_func ("/yun/e2e/builtin-apps/gallery/fetches-photo-bytes",
                   test_gallery_fetches_photo_bytes);
  g_test_add_func ("/yun/e2e/builtin-apps/gallery/take-a-picture-adds-it",
                   test_gallery_take_a_picture_adds_it);
  g_test_add_func ("/yun/e2e/builtin-apps/gallery/cancelled-camera-adds-nothing",
                   test_gallery_cancelled_camera_adds_nothing);
  g_test_add_func ("/yun/e2e/builtin-apps/gallery/screenshot", test_gallery_screenshot);
  g_test_add_func ("/yun/e2e/builtin-apps/offline/contacts-open-with-the-address-book",
                   test_contacts_opens_offline_with_its_contacts);

  e2e = yun_e2e_start_full (g_getenv ("YUN_WEBAPPS_DIR"), "contacts", shell_args, TRUE);
  status = g_test_run ();
  yun_e2e_stop (e2e);
  g_clear_pointer (&photo_ids, g_ptr_array_unref);
  g_free (note_id);

  return status;
}
