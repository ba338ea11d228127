/* test-doc-store-io-errors.c: the document store when the disk fails.
 *
 * A SQLite VFS registered as the default passes every call to the real
 * one, except that the Nth xWrite (or xSync) fails with SQLITE_IOERR.  A
 * workload of puts, a bulk write, an attachment and a deletion (and, on
 * the contacts service, a vCard import) runs for N = 1, 2, ... until it
 * runs through without the fault being met.  After each failure: the
 * error was reported, the store reopened on the real VFS passes its
 * integrity check, every write that was acknowledged is there, and the
 * write that failed is there entirely or not at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include <string.h>

#include "yun-contacts.h"
#include "yun-test-files.h"
#include "yun-test-personal.h"

/* More than any workload here writes; a run this long means the fault is
 * never met, which the test reports. */
#define MAX_RUNS 3000
#define BULK 10
#define CARDS 40

typedef enum {
  FAIL_WRITE,
  FAIL_SYNC,
} FailKind;

/* The faulty VFS. */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs faulty_vfs;
static FailKind fail_kind;
static guint fail_at;   /* 0: armed never */
static guint calls;
static gboolean fired;

typedef struct {
  sqlite3_file base;
  sqlite3_file *real;
} FaultyFile;

#define REAL(file) (((FaultyFile *) (file))->real)

static gboolean
should_fail (FailKind kind)
{
  if (fail_at == 0 || kind != fail_kind)
    return FALSE;
  if (++calls != fail_at)
    return FALSE;
  fired = TRUE;
  return TRUE;
}

static int
faulty_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
faulty_read (sqlite3_file *file,
             void         *buffer,
             int           amount,
             sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

static int
faulty_write (sqlite3_file *file,
              const void   *buffer,
              int           amount,
              sqlite3_int64 offset)
{
  if (should_fail (FAIL_WRITE))
    return SQLITE_IOERR_WRITE;
  return REAL (file)->pMethods->xWrite (REAL (file), buffer, amount, offset);
}

static int
faulty_truncate (sqlite3_file  *file,
                 sqlite3_int64  size)
{
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
faulty_sync (sqlite3_file *file,
             int           flags)
{
  if (should_fail (FAIL_SYNC))
    return SQLITE_IOERR_FSYNC;
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
faulty_file_size (sqlite3_file  *file,
                  sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
faulty_lock (sqlite3_file *file,
             int           lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
faulty_unlock (sqlite3_file *file,
               int           lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
faulty_check_reserved_lock (sqlite3_file *file,
                            int          *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
faulty_file_control (sqlite3_file *file,
                     int           op,
                     void         *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
faulty_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
faulty_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
faulty_shm_map (sqlite3_file  *file,
                int            page,
                int            size,
                int            extend,
                void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), page, size, extend, out);
}

static int
faulty_shm_lock (sqlite3_file *file,
                 int           offset,
                 int           n,
                 int           flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
faulty_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
faulty_shm_unmap (sqlite3_file *file,
                  int           delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
faulty_fetch (sqlite3_file  *file,
              sqlite3_int64  offset,
              int            amount,
              void         **out)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, out);
}

static int
faulty_unfetch (sqlite3_file  *file,
                sqlite3_int64  offset,
                void          *page)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, page);
}

static const sqlite3_io_methods faulty_methods = {
  3,
  faulty_close, faulty_read, faulty_write, faulty_truncate, faulty_sync, faulty_file_size,
  faulty_lock, faulty_unlock, faulty_check_reserved_lock, faulty_file_control,
  faulty_sector_size, faulty_device_characteristics, faulty_shm_map, faulty_shm_lock,
  faulty_shm_barrier, faulty_shm_unmap, faulty_fetch, faulty_unfetch,
};

static int
faulty_open (sqlite3_vfs      *vfs,
             sqlite3_filename  name,
             sqlite3_file     *file,
             int               flags,
             int              *out_flags)
{
  FaultyFile *faulty = (FaultyFile *) file;
  int rc;

  faulty->real = (sqlite3_file *) (faulty + 1);
  rc = real_vfs->xOpen (real_vfs, name, faulty->real, flags, out_flags);
  faulty->base.pMethods = rc == SQLITE_OK && faulty->real->pMethods != NULL ? &faulty_methods
                                                                           : NULL;
  return rc;
}

/* Everything but opening files is the real VFS's own. */
static void
use_faulty_vfs (FailKind kind,
                guint    at)
{
  if (real_vfs == NULL) {
    real_vfs = sqlite3_vfs_find (NULL);
    faulty_vfs = *real_vfs;
    faulty_vfs.pNext = NULL;
    faulty_vfs.zName = "yun-faulty";
    faulty_vfs.szOsFile = sizeof (FaultyFile) + real_vfs->szOsFile;
    faulty_vfs.xOpen = faulty_open;
  }
  fail_kind = kind;
  fail_at = at;
  calls = 0;
  fired = FALSE;
  g_assert_cmpint (sqlite3_vfs_register (&faulty_vfs, 1), ==, SQLITE_OK);
}

static void
use_real_vfs (void)
{
  fail_at = 0;
  g_assert_cmpint (sqlite3_vfs_unregister (&faulty_vfs), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_vfs_register (real_vfs, 1), ==, SQLITE_OK);
}

/* The document store workload. */

typedef enum {
  OP_OPEN,
  OP_CREATE_DB,
  OP_PUT,
  OP_BULK,
  OP_ATTACHMENT,
  OP_DELETE,
  OP_DONE,
} Op;

typedef struct {
  Op failed_op;            /* OP_DONE when everything was acknowledged */
  GPtrArray *put_revs;     /* revisions of p0, p1, p2 acknowledged */
  gboolean bulk_done;
  char *attachment_rev;
  gboolean deleted;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->put_revs, g_ptr_array_unref);
  g_free (outcome->attachment_rev);
}

static void
assert_io_error (const GError *error)
{
  g_assert_nonnull (error);
  if (!g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO))
    g_error ("expected an I/O error, got %s %d: %s", g_quark_to_string (error->domain),
             error->code, error->message);
}

static JsonObject *
note (const char *id,
      guint       n)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autofree char *body = g_strdup_printf ("note %s number %u", id != NULL ? id : "(fresh)", n);

  /* Without an id, the store makes one, and writes the document without
   * a savepoint of its own. */
  if (id != NULL)
    json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "body", body);
  return g_steal_pointer (&doc);
}

static void
run_workload (const char *path,
              Outcome    *outcome)
{
  g_autoptr(YunDocStore) store = NULL;
  g_autoptr(JsonArray) bulk = json_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GBytes) data = g_bytes_new_static ("attached bytes", 14);
  g_autoptr(GError) error = NULL;
  g_autofree char *tombstone = NULL;

  outcome->put_revs = g_ptr_array_new_with_free_func (g_free);
  outcome->failed_op = OP_OPEN;
  store = yun_doc_store_open (path, &error);
  if (store == NULL)
    goto failed;

  outcome->failed_op = OP_CREATE_DB;
  if (!yun_doc_store_create_db (store, "notes", &error))
    goto failed;

  outcome->failed_op = OP_PUT;
  for (guint i = 0; i < 3; i++) {
    g_autofree char *id = g_strdup_printf ("p%u", i);
    g_autoptr(JsonObject) doc = note (id, i);
    char *rev = yun_doc_store_put (store, "notes", doc, NULL, &error);

    if (rev == NULL)
      goto failed;
    g_ptr_array_add (outcome->put_revs, rev);
  }

  outcome->failed_op = OP_BULK;
  for (guint i = 0; i < BULK; i++) {
    g_autofree char *id = g_strdup_printf ("b%u", i);

    json_array_add_object_element (bulk, note (id, i));
    json_array_add_object_element (bulk, note (NULL, i));
  }
  rows = yun_doc_store_bulk_docs (store, "notes", bulk, TRUE, &error);
  if (rows == NULL)
    goto failed;
  for (guint i = 0; i < 2 * BULK; i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (rows, i), "error"));
  outcome->bulk_done = TRUE;

  outcome->failed_op = OP_ATTACHMENT;
  outcome->attachment_rev = yun_doc_store_put_attachment (store, "notes", "p0",
                                                          g_ptr_array_index (outcome->put_revs, 0),
                                                          "file.txt", "text/plain", data, &error);
  if (outcome->attachment_rev == NULL)
    goto failed;

  outcome->failed_op = OP_DELETE;
  tombstone = yun_doc_store_delete (store, "notes", "p1", g_ptr_array_index (outcome->put_revs, 1),
                                    &error);
  if (tombstone == NULL)
    goto failed;
  outcome->deleted = TRUE;
  outcome->failed_op = OP_DONE;
  return;

failed:
  assert_io_error (error);
}

static gboolean
has_doc (YunDocStore *store,
         const char  *id,
         guint        n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = yun_doc_store_get (store, "notes", id, NULL, YUN_DOC_STORE_GET_NONE,
                                                 &error);
  g_autofree char *body = g_strdup_printf ("note %s number %u", id, n);

  if (doc == NULL) {
    g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
    return FALSE;
  }
  g_assert_cmpstr (json_object_get_string_member (doc, "body"), ==, body);
  return TRUE;
}

static guint
count_fresh (YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) listing = yun_doc_store_all_docs (store, "notes", NULL, NULL, 0, TRUE,
                                                          &error);
  JsonArray *rows;
  guint fresh = 0;

  g_assert_no_error (error);
  rows = json_object_get_array_member (listing, "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonObject *doc = json_object_get_object_member (json_array_get_object_element (rows, i),
                                                     "doc");

    fresh += g_str_has_prefix (json_object_get_string_member (doc, "body"), "note (fresh)");
  }
  return fresh;
}

static void
check_store (const char    *path,
             const Outcome *outcome)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = yun_doc_store_open (path, &error);
  g_autoptr(JsonObject) p0 = NULL;
  guint bulk_present = 0;

  g_assert_no_error (error);
  g_assert_true (yun_doc_store_check_integrity (store, &error));
  g_assert_no_error (error);
  if (outcome->failed_op <= OP_CREATE_DB)
    return;

  for (guint i = 0; i < 3; i++) {
    g_autofree char *id = g_strdup_printf ("p%u", i);
    gboolean present = has_doc (store, id, i);

    if (i < outcome->put_revs->len && !(i == 1 && outcome->deleted))
      g_assert_true (present);
    else if (i > outcome->put_revs->len || (i == 1 && outcome->deleted))
      g_assert_false (present);
  }

  for (guint i = 0; i < BULK; i++) {
    g_autofree char *id = g_strdup_printf ("b%u", i);

    bulk_present += has_doc (store, id, i);
  }
  if (outcome->bulk_done)
    g_assert_cmpuint (bulk_present, ==, BULK);
  else
    g_assert_true (bulk_present == 0 || (outcome->failed_op == OP_BULK && bulk_present == BULK));
  /* The documents with ids made by the store are in the same transaction. */
  g_assert_cmpuint (count_fresh (store), ==, bulk_present);

  /* The attachment: there with its revision, or p0 as it was. */
  if (outcome->put_revs->len > 0 && outcome->failed_op != OP_PUT) {
    p0 = yun_doc_store_get (store, "notes", "p0", NULL, YUN_DOC_STORE_GET_NONE, &error);
    g_assert_no_error (error);
    if (outcome->attachment_rev != NULL)
      g_assert_cmpstr (json_object_get_string_member (p0, "_rev"), ==, outcome->attachment_rev);
    if (json_object_has_member (p0, "_attachments")) {
      g_autoptr(GBytes) bytes = yun_doc_store_get_attachment (store, "notes", "p0", NULL,
                                                              "file.txt", NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "attached bytes",
                       14);
    } else {
      g_assert_true (outcome->failed_op == OP_ATTACHMENT || outcome->failed_op < OP_ATTACHMENT);
      g_assert_cmpstr (json_object_get_string_member (p0, "_rev"), ==,
                       g_ptr_array_index (outcome->put_revs, 0));
    }
  }
}

static void
test_doc_store (gconstpointer data)
{
  FailKind kind = GPOINTER_TO_INT (data);
  guint failures = 0;
  guint n;

  for (n = 1; n <= MAX_RUNS; n++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("yun-io-errors-XXXXXX", &error);
    g_autofree char *path = g_build_filename (dir, "store.db", NULL);
    Outcome outcome = { 0 };
    gboolean was_fired;

    use_faulty_vfs (kind, n);
    run_workload (path, &outcome);
    use_real_vfs ();
    was_fired = fired;
    /* Met only while closing (a checkpoint), the fault leaves all done. */
    if (outcome.failed_op != OP_DONE)
      failures++;
    check_store (path, &outcome);
    outcome_clear (&outcome);
    yun_test_remove_tree (dir);
    if (!was_fired)
      break;
  }
  g_test_message ("%s: the workload failed in %u of %u runs", kind == FAIL_WRITE ? "xWrite" : "xSync",
                  failures, n);
  g_assert_cmpuint (n, <=, MAX_RUNS);
  /* The fault was met by writes the workload was waiting for. */
  g_assert_cmpuint (failures, >, 3);
}

/* The contacts workload: one vCard import in one transaction. */

static char *
cards (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < CARDS; i++)
    g_string_append_printf (text, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %u\r\n"
                                  "TEL:+1 555 000 %04u\r\nEND:VCARD\r\n", i, i);
  return g_string_free (text, FALSE);
}

static void
test_contacts_import (gconstpointer data)
{
  FailKind kind = GPOINTER_TO_INT (data);
  g_autofree char *text = cards ();
  guint failures = 0;
  guint n;

  for (n = 1; n <= MAX_RUNS; n++) {
    YunTestPersonal personal = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) report = NULL;
    g_autoptr(JsonArray) found = NULL;
    YunContacts *contacts;
    gboolean was_fired;
    guint stored;

    /* The store and the index are made before the fault is armed. */
    yun_test_personal_set_up (&personal);
    contacts = yun_contacts_new (personal.index, &error);
    g_assert_no_error (error);
    g_assert_finalize_object (contacts);
    g_assert_finalize_object (personal.index);
    g_assert_finalize_object (personal.store);

    use_faulty_vfs (kind, n);
    personal.store = yun_doc_store_open (personal.store_path, &error);
    g_assert_no_error (error);
    personal.index = yun_personal_index_open (personal.store, personal.index_path, &error);
    g_assert_no_error (error);
    contacts = yun_contacts_new (personal.index, &error);
    g_assert_no_error (error);
    report = yun_contacts_import_vcard (contacts, text, strlen (text), &error);
    if (report == NULL) {
      g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_IO);
      g_clear_error (&error);
      failures++;
    } else {
      g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, CARDS);
    }
    g_assert_finalize_object (contacts);
    g_assert_finalize_object (personal.index);
    g_assert_finalize_object (personal.store);
    use_real_vfs ();
    was_fired = fired;

    personal.store = yun_doc_store_open (personal.store_path, &error);
    g_assert_no_error (error);
    g_assert_true (yun_doc_store_check_integrity (personal.store, &error));
    g_assert_no_error (error);
    stored = yun_test_count_docs (personal.store, "contacts");
    if (report != NULL)
      g_assert_cmpuint (stored, ==, CARDS);
    else
      g_assert_true (stored == 0 || stored == CARDS);

    /* The index agrees with the store once it has caught up. */
    personal.index = yun_personal_index_open (personal.store, personal.index_path, &error);
    g_assert_no_error (error);
    contacts = yun_contacts_new (personal.index, &error);
    found = yun_contacts_find (contacts, "person", YUN_PERSONAL_INDEX_ORDER_NAME, 1000, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (found), ==, stored);
    g_assert_finalize_object (contacts);
    yun_test_personal_tear_down (&personal);
    if (!was_fired)
      break;
  }
  g_test_message ("%s: the import failed in %u of %u runs", kind == FAIL_WRITE ? "xWrite" : "xSync",
                  failures, n);
  g_assert_cmpuint (n, <=, MAX_RUNS);
  g_assert_cmpuint (failures, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/yun/services/doc-store-io-errors/doc-store/nth-write",
                        GINT_TO_POINTER (FAIL_WRITE), test_doc_store);
  g_test_add_data_func ("/yun/services/doc-store-io-errors/doc-store/nth-sync",
                        GINT_TO_POINTER (FAIL_SYNC), test_doc_store);
  g_test_add_data_func ("/yun/services/doc-store-io-errors/contacts-import/nth-write",
                        GINT_TO_POINTER (FAIL_WRITE), test_contacts_import);
  g_test_add_data_func ("/yun/services/doc-store-io-errors/contacts-import/nth-sync",
                        GINT_TO_POINTER (FAIL_SYNC), test_contacts_import);

  return g_test_run ();
}
