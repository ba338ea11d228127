/* yun-bench-data.c: yun-bench data, the personal-data benchmark.
 *
 * As-you-type contact search over 100,000 generated contacts: queries are
 * typed one character at a time (names, two-word names, e-mail addresses,
 * the end of a number), and each prefix is a yun_contacts_find() of 20,
 * ranked by name or by recency, catch-up of the index included.  Beside
 * it, in the same run, the baseline the design names: an FTS5 table of the
 * same rows, top 20 by bm25 for the same queries.  Then a vCard import of
 * 10,000 cards into an empty address book and the same cards into the
 * book of 100,000, and notes written one at a time, each durable before
 * the next.
 *
 * The contacts are generated from a fixed seed, so every run searches the
 * same data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-data.h"

#include "yun-bench-common.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>

#include "yun-contacts.h"
#include "yun-doc-store.h"
#include "yun-personal-index.h"

#define SEED 20110728
#define LIMIT 20
#define BATCH 5000

static const char * const given_names[] = {
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
  "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
  "Charles", "Karen", "Wei", "Fang", "Jing", "Min", "Lei", "Yan", "Hui", "Xiaoming", "Li Na",
  "Hiroshi", "Yuki", "Sakura", "Kenji", "Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Layla",
  "José", "María", "Juan", "Lucía", "Andrés", "Sofía", "Zoë", "Chloé", "François", "Amélie",
  "Jürgen", "Björn", "Søren", "Ingrid", "Olga", "Dmitri", "Anastasia", "Priya", "Arjun",
  "Ananya", "Rahul", "Chidi", "Ngozi", "Kwame", "Amara", "Siobhán", "Eoin", "Niamh", "Kai",
  "Leilani", "Mateus", "Beatriz", "Thiago", "Ana", "Paulo", "Nguyen", "Minh", "Ji-woo",
  "Seo-yeon", "Min-jun", "Emma", "Liam", "Olivia", "Noah", "Ava", "Elijah", "Mia", "Lucas",
};
static const char * const family_names[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
  "Jackson", "Martin", "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu",
  "Zhou", "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Kim", "Lee", "Park", "Choi",
  "Nguyen", "Tran", "Pham", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois",
  "Lefèvre", "Moreau", "Rossi", "Russo", "Ferrari", "Esposito", "Silva", "Santos", "Oliveira",
  "Pereira", "Costa", "Ivanov", "Smirnov", "Kuznetsov", "Popova", "Kowalski", "Nowak",
  "Novák", "Horváth", "Nagy", "Andersson", "Johansson", "Nielsen", "Hansen", "Jensen",
  "O'Brien", "Murphy", "Kelly", "Okafor", "Mensah", "Haddad", "Khan", "Patel", "Sharma",
  "Singh", "Gupta", "Cohen", "Levi", "Yilmaz", "Kaya", "Demir", "Van der Berg", "De Vries",
};
static const char * const domains[] = {
  "example.com", "mail.example.org", "example.net", "corp.example", "example.cn", "example.jp",
};

typedef struct {
  char *given;
  char *family;
  char *formatted;
  char *tel;
  char *email;
  gint64 updated;
} Person;

static void
person_clear (Person *person)
{
  g_free (person->given);
  g_free (person->family);
  g_free (person->formatted);
  g_free (person->tel);
  g_free (person->email);
}

/* Lowercase ASCII for an e-mail address: "Zoë O'Brien" gives "zoe.obrien". */
static char *
mailbox (const char *given,
         const char *family)
{
  g_autofree char *ascii = g_str_to_ascii (given, "C");
  g_autofree char *ascii_family = g_str_to_ascii (family, "C");
  GString *box = g_string_new (NULL);
  const char *parts[] = { ascii, ascii_family };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (i > 0)
      g_string_append_c (box, '.');
    for (const char *p = parts[i]; *p != '\0'; p++) {
      if (g_ascii_isalnum (*p))
        g_string_append_c (box, g_ascii_tolower (*p));
    }
  }
  return g_string_free (box, FALSE);
}

static GArray *
generate_people (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  GArray *people = g_array_sized_new (FALSE, TRUE, sizeof (Person), n);
  gint64 now = G_GINT64_CONSTANT (1700000000000);

  g_array_set_clear_func (people, (GDestroyNotify) person_clear);
  for (guint i = 0; i < n; i++) {
    Person person;
    const char *given = given_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names))];
    const char *family = family_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (family_names))];
    g_autofree char *box = mailbox (given, family);
    guint format = g_rand_int_range (rand, 0, 4);
    guint area = g_rand_int_range (rand, 200, 999);
    guint exchange = g_rand_int_range (rand, 200, 999);
    guint line = g_rand_int_range (rand, 0, 10000);

    person.given = g_strdup (given);
    person.family = g_strdup (family);
    person.formatted = g_strdup_printf ("%s %s", given, family);
    person.tel = format == 0 ? g_strdup_printf ("+1 (%03u) %03u-%04u", area, exchange, line)
               : format == 1 ? g_strdup_printf ("+86 1%02u %04u %04u", area % 100, exchange * 10,
                                                line)
               : format == 2 ? g_strdup_printf ("0%03u %03u %04u", area, exchange, line)
               : g_strdup_printf ("+44 20 %04u %04u", exchange * 10 + area % 10, line);
    person.email = g_strdup_printf ("%s%u@%s", box, g_rand_int_range (rand, 0, 100),
                                    domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (domains))]);
    person.updated = now - g_rand_int_range (rand, 0, 1000000000);
    g_array_append_val (people, person);
  }
  return people;
}

static JsonObject *
person_doc (const Person *person)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "formatted");
  json_builder_add_string_value (builder, person->formatted);
  json_builder_set_member_name (builder, "given");
  json_builder_add_string_value (builder, person->given);
  json_builder_set_member_name (builder, "family");
  json_builder_add_string_value (builder, person->family);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "tel");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, person->tel);
  json_builder_set_member_name (builder, "types");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "cell");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, person->email);
  json_builder_set_member_name (builder, "types");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, person->updated);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_object_ref (json_node_get_object (root));
}

static char *
person_card (const Person *person)
{
  return g_strdup_printf ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:%s;%s;;;\r\nFN:%s\r\n"
                          "TEL;TYPE=CELL:%s\r\nEMAIL;TYPE=INTERNET:%s\r\nEND:VCARD\r\n",
                          person->family, person->given, person->formatted, person->tel,
                          person->email);
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
percentile (GArray *sorted,
            guint   p)
{
  if (sorted->len == 0)
    return 0;
  return g_array_index (sorted, double, MIN (sorted->len - 1, (sorted->len * p) / 100));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The queries a person types, one per character. */
static GPtrArray *
typed_queries (GArray *people,
               guint   targets)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 1);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < targets; i++) {
    const Person *person = &g_array_index (people, Person, g_rand_int_range (rand, 0, people->len));
    g_autofree char *text = NULL;
    g_autoptr(GString) digits = g_string_new (NULL);
    guint typed;

    switch (i % 5) {
    case 0:
      text = g_strdup (person->family);
      break;
    case 1:
      text = g_strdup (person->given);
      break;
    case 2:
      text = g_strdup_printf ("%s %s", person->given, person->family);
      break;
    case 3:
      for (const char *p = person->tel; *p != '\0'; p++) {
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      }
      text = g_strdup (digits->str + MAX (0, (int) digits->len - 7));
      break;
    default:
      text = g_strndup (person->email, 10);
      break;
    }

    typed = g_utf8_strlen (text, -1);
    for (guint n = 1; n <= typed; n++)
      g_ptr_array_add (queries, g_utf8_substring (text, 0, n));
  }
  return queries;
}

/* The baseline: FTS5 over the same rows, top 20 by bm25. */
static sqlite3 *
build_baseline (GArray     *people,
                const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                    "CREATE VIRTUAL TABLE contacts USING fts5 (name, tel, email,"
                    " tokenize = 'unicode61 remove_diacritics 2');"
                    "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO contacts (name, tel, email) VALUES (?, ?, ?)", -1, &insert,
                      NULL);
  for (guint i = 0; i < people->len; i++) {
    const Person *person = &g_array_index (people, Person, i);

    sqlite3_bind_text (insert, 1, person->formatted, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert, 2, person->tel, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert, 3, person->email, -1, SQLITE_STATIC);
    sqlite3_step (insert);
    sqlite3_reset (insert);
  }
  sqlite3_finalize (insert);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  return db;
}

static char *
fts_query (const char *query)
{
  GString *match = g_string_new (NULL);
  g_auto(GStrv) words = g_strsplit_set (query, " @.-+()", -1);

  for (guint i = 0; words[i] != NULL; i++) {
    if (*words[i] == '\0')
      continue;
    g_string_append_printf (match, "%s\"%s\"*", match->len > 0 ? " " : "", words[i]);
  }
  return g_string_free (match, FALSE);
}

static double
baseline_query (sqlite3    *db,
                const char *query)
{
  g_autofree char *match = fts_query (query);
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();

  if (*match == '\0')
    return 0;
  sqlite3_prepare_v2 (db, "SELECT rowid FROM contacts WHERE contacts MATCH ? "
                          "ORDER BY bm25(contacts) LIMIT 20", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_finalize (stmt);
  return elapsed_ms (start);
}

typedef struct {
  YunDocStore *store;
  YunPersonalIndex *index;
  YunContacts *contacts;
} Book;

static void
book_clear (Book *book)
{
  g_clear_object (&book->contacts);
  g_clear_object (&book->index);
  g_clear_object (&book->store);
}

static gboolean
book_open (Book        *book,
           const char  *dir,
           const char  *name,
           GError     **error)
{
  g_autofree char *store_path = g_strdup_printf ("%s/%s.db", dir, name);
  g_autofree char *index_path = g_strdup_printf ("%s/%s-index.db", dir, name);

  book->store = yun_doc_store_open (store_path, error);
  if (book->store == NULL)
    return FALSE;
  book->index = yun_personal_index_open (book->store, index_path, error);
  if (book->index == NULL)
    return FALSE;
  book->contacts = yun_contacts_new (book->index, error);
  return book->contacts != NULL;
}

int
yun_bench_data_run (int    argc,
                    char **argv)
{
  int n_contacts = 100000;
  int n_cards = 10000;
  int n_notes = 300;
  int n_targets = 200;
  GOptionEntry entries[] = {
    { "contacts", 0, 0, G_OPTION_ARG_INT, &n_contacts, "contacts to search (100000)", "N" },
    { "cards", 0, 0, G_OPTION_ARG_INT, &n_cards, "vCards to import (10000)", "N" },
    { "notes", 0, 0, G_OPTION_ARG_INT, &n_notes, "notes to write one by one (300)", "N" },
    { "targets", 0, 0, G_OPTION_ARG_INT, &n_targets, "people whose names are typed (200)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- personal data");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) people = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) cards = g_string_new (NULL);
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *baseline_path = NULL;
  Book book = { 0 };
  Book import = { 0 };
  sqlite3 *baseline;
  gint64 start;
  double load_ms, index_ms, import_ms, import_full_ms, notes_s;
  gint64 imported, imported_full;
  guint empty = 0;
  double slowest_ms = 0;
  const char *slowest = "";

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_contacts <= 0 ||
      n_cards <= 0 || n_notes <= 0 || n_targets <= 0) {
    g_printerr ("yun-bench data: %s\n", error != NULL ? error->message : "counts must be positive");
    return 2;
  }

  dir = g_dir_make_tmp ("yun-bench-data-XXXXXX", &error);
  if (dir == NULL || !book_open (&book, dir, "personal", &error))
    goto failed;

  /* 100,000 contacts, written as a sync would, in big transactions. */
  people = generate_people (n_contacts);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < people->len; i += BATCH) {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;

    for (guint j = i; j < MIN (people->len, i + BATCH); j++)
      json_array_add_object_element (docs, person_doc (&g_array_index (people, Person, j)));
    rows = yun_doc_store_bulk_docs (book.store, "contacts", docs, TRUE, &error);
    if (rows == NULL)
      goto failed;
  }
  load_ms = elapsed_ms (start);
  start = g_get_monotonic_time ();
  if (!yun_personal_index_catch_up (book.index, NULL, &error))
    goto failed;
  index_ms = elapsed_ms (start);

  baseline_path = g_build_filename (dir, "baseline.db", NULL);
  baseline = build_baseline (people, baseline_path);

  /* Typing. */
  queries = typed_queries (people, n_targets);
  for (guint i = 0; i < queries->len; i++) {
    const char *query = g_ptr_array_index (queries, i);
    g_autoptr(JsonArray) found = NULL;
    double ms, base_ms;

    start = g_get_monotonic_time ();
    found = yun_contacts_find (book.contacts, query,
                               i % 2 == 0 ? YUN_PERSONAL_INDEX_ORDER_NAME
                                          : YUN_PERSONAL_INDEX_ORDER_RECENT,
                               LIMIT, &error);
    ms = elapsed_ms (start);
    if (found == NULL)
      goto failed;
    empty += json_array_get_length (found) == 0;
    g_array_append_val (times, ms);
    if (ms > slowest_ms) {
      slowest_ms = ms;
      slowest = query;
    }
    base_ms = baseline_query (baseline, query);
    g_array_append_val (base_times, base_ms);
  }
  sqlite3_close (baseline);
  g_array_sort (times, compare_doubles);
  g_array_sort (base_times, compare_doubles);

  /* A vCard import into an empty address book. */
  for (guint i = 0; i < (guint) n_cards; i++) {
    g_autofree char *card = person_card (&g_array_index (people, Person, i % people->len));

    g_string_append (cards, card);
  }
  if (!book_open (&import, dir, "import", &error))
    goto failed;
  start = g_get_monotonic_time ();
  report = yun_contacts_import_vcard (import.contacts, cards->str, cards->len, &error);
  import_ms = elapsed_ms (start);
  if (report == NULL)
    goto failed;
  imported = json_object_get_int_member (report, "imported");

  /* The same cards into the address book of 100,000. */
  g_clear_pointer (&report, json_object_unref);
  start = g_get_monotonic_time ();
  report = yun_contacts_import_vcard (book.contacts, cards->str, cards->len, &error);
  import_full_ms = elapsed_ms (start);
  if (report == NULL)
    goto failed;
  imported_full = json_object_get_int_member (report, "imported");

  /* Notes, each one durable before the next, as the notes API writes. */
  if (!yun_doc_store_create_db (import.store, "notes", &error))
    goto failed;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < (guint) n_notes; i++) {
    g_autoptr(JsonObject) note = json_object_new ();
    g_autoptr(JsonArray) tags = json_array_new ();
    g_autofree char *title = g_strdup_printf ("Note %u", i);
    g_autofree char *rev = NULL;

    json_array_add_string_element (tags, "bench");
    json_object_set_string_member (note, "type", "note");
    json_object_set_string_member (note, "title", title);
    json_object_set_string_member (note, "body", "Buy milk, call the plumber, water the plants.");
    json_object_set_array_member (note, "tags", g_steal_pointer (&tags));
    json_object_set_int_member (note, "updated", g_get_real_time () / 1000);
    rev = yun_doc_store_put (import.store, "notes", note, NULL, &error);
    if (rev == NULL)
      goto failed;
  }
  notes_s = elapsed_ms (start) / 1000.0;

  g_print ("Personal data: %d contacts, %u typed queries (%d people, one query per character, "
           "top %d), SQLite %s\n\n", n_contacts, queries->len, n_targets, LIMIT,
           sqlite3_libversion ());
  g_print ("%-52s %10s %10s %10s\n", "search", "p50 ms", "p95 ms", "max ms");
  g_print ("%-52s %10.2f %10.2f %10.2f\n", "yun_contacts_find (prefix index, name/recent)",
           percentile (times, 50), percentile (times, 95), percentile (times, 100));
  g_print ("%-52s %10.2f %10.2f %10.2f\n", "FTS5 top 20 by bm25, same rows (baseline)",
           percentile (base_times, 50), percentile (base_times, 95), percentile (base_times, 100));
  g_print ("\nratio of p95 (Yun / baseline): %.2f; queries with no result: %u; "
           "slowest: \"%s\" %.1f ms\n\n",
           percentile (times, 95) / MAX (percentile (base_times, 95), 0.001), empty, slowest,
           slowest_ms);
  g_print ("%-52s %10.0f ms\n", "load 100k contacts (bulk_docs of 5,000)", load_ms);
  g_print ("%-52s %10.0f ms\n", "index them from the changes feed", index_ms);
  g_print ("%-52s %10.0f ms (%" G_GINT64_FORMAT " imported)\n",
           "vCard import into an empty book, one transaction", import_ms, imported);
  g_print ("%-52s %10.0f ms (%" G_GINT64_FORMAT " imported)\n",
           "the same cards into the book of 100k", import_full_ms, imported_full);
  g_print ("%-52s %10.0f /s\n\n", "notes written one at a time (synchronous=FULL)",
           n_notes / notes_s);

  g_print ("data: search_p50_ms=%.2f search_p95_ms=%.2f vcard_import_ms=%.0f "
           "note_inserts_per_s=%.0f vcard_import_full_ms=%.0f baseline_p50_ms=%.2f "
           "baseline_p95_ms=%.2f search_p95_ratio=%.2f contacts=%d cards=%d\n",
           percentile (times, 50), percentile (times, 95), import_ms, n_notes / notes_s,
           import_full_ms,
           percentile (base_times, 50), percentile (base_times, 95),
           percentile (times, 95) / MAX (percentile (base_times, 95), 0.001), n_contacts,
           n_cards);

  book_clear (&book);
  book_clear (&import);
  yun_bench_remove_tree (dir);
  return 0;

failed:
  g_printerr ("yun-bench data: %s\n", error != NULL ? error->message : "failed");
  book_clear (&book);
  book_clear (&import);
  if (dir != NULL)
    yun_bench_remove_tree (dir);
  return 1;
}
