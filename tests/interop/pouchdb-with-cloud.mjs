// pouchdb-with-cloud.mjs: PouchDB (npm, in Node, memory adapter) replicates
// with a real yun-cloud in both directions, with attachments, deletions, a
// conflict and a live (longpoll) replication, and checks that both sides
// end up holding exactly the same documents.
//
// Usage: node pouchdb-with-cloud.mjs BASE_URL   (BASE_URL ends with a slash)
// Exits 0 when every check passed, 1 on the first mismatch.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';

PouchDB.plugin(memoryAdapter);

const base = process.argv[2];
if (!base || !base.endsWith('/')) {
  console.error('usage: node pouchdb-with-cloud.mjs BASE_URL/');
  process.exit(2);
}

const user = 'pouch-' + process.pid;
const password = 'interop password ' + process.pid;
const basic = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
let checks = 0;

function check (condition, what) {
  assert.ok(condition, what);
  checks++;
}

async function postJson (path, body, headers = {}) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

// Every document of a database, as comparable plain data: winner, body,
// conflicts and attachment contents.
async function snapshot (db) {
  const all = await db.allDocs({ include_docs: true, conflicts: true, attachments: true });
  const docs = {};
  for (const row of all.rows) {
    const doc = { ...row.doc };
    if (doc._conflicts)
      doc._conflicts = [...doc._conflicts].sort();
    if (doc._attachments) {
      const attachments = {};
      for (const [name, att] of Object.entries(doc._attachments))
        attachments[name] = { content_type: att.content_type, data: att.data, digest: att.digest };
      doc._attachments = attachments;
    }
    docs[row.id] = doc;
  }
  return docs;
}

async function assertSame (local, remote, what) {
  const a = await snapshot(local);
  const b = await snapshot(remote);
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${what}: same ids`);
  for (const id of Object.keys(a))
    assert.deepEqual(a[id], b[id], `${what}: same document ${id}`);
  checks++;
  return Object.keys(a).length;
}

function pixel (seed, size) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++)
    bytes[i] = (seed * 31 + i * 7) & 0xff;
  return bytes;
}

async function main () {
  // An account, with a password for Basic and a token for Bearer.
  let reply = await postJson('accounts', { name: user, password });
  check(reply.status === 201, `register answers 201, got ${reply.status}`);
  reply = await postJson('accounts/session', { name: user, password });
  check(reply.status === 201 && typeof reply.body.token === 'string', 'sign-in gives a token');
  const token = reply.body.token;

  // notes over Basic (PouchDB's own auth option), photos over Bearer.
  const localNotes = new PouchDB('notes-' + process.pid, { adapter: 'memory' });
  const remoteNotes = new PouchDB(base + 'sync/notes', { auth: { username: user, password } });
  const localPhotos = new PouchDB('photos-' + process.pid, { adapter: 'memory' });
  const remotePhotos = new PouchDB(base + 'sync/photos', {
    fetch: (url, opts) => {
      opts.headers.set('Authorization', 'Bearer ' + token);
      return PouchDB.fetch(url, opts);
    },
  });

  // 1. Phone to cloud: 200 notes, a few with attachments, one with a slash
  // in its id.
  const notes = [];
  for (let i = 0; i < 200; i++)
    notes.push({ _id: `note-${String(i).padStart(4, '0')}`, text: `Note ${i}`, n: i, tags: ['a', i % 3] });
  notes.push({ _id: 'folder/with/slashes', text: 'slashes in the id' });
  await localNotes.bulkDocs(notes);
  for (let i = 0; i < 5; i++) {
    const doc = await localNotes.get(`note-000${i}`);
    await localNotes.putAttachment(doc._id, `scan-${i}.bin`, doc._rev, pixel(i, 1000 + i * 5000),
                                   'application/octet-stream');
  }
  let started = Date.now();
  let result = await localNotes.replicate.to(remoteNotes);
  const pushMs = Date.now() - started;
  check(result.ok && result.docs_written === 201, `push wrote 201 docs, wrote ${result.docs_written}`);
  await assertSame(localNotes, remoteNotes, 'after push');

  // The checkpoint holds: a second push has nothing to send.
  result = await localNotes.replicate.to(remoteNotes);
  check(result.ok && result.docs_written === 0, `second push wrote ${result.docs_written} docs`);

  // 2. Cloud to phone, over Bearer: photos written on the cloud side.
  await remotePhotos.info();
  for (let i = 0; i < 20; i++) {
    await remotePhotos.put({
      _id: `photo-${i}`,
      taken: 1700000000 + i,
      _attachments: {
        'image.jpg': { content_type: 'image/jpeg', data: pixel(100 + i, 2000 + i * 300) },
      },
    });
  }
  started = Date.now();
  result = await localPhotos.replicate.from(remotePhotos);
  const pullMs = Date.now() - started;
  check(result.ok && result.docs_written === 20, `pull wrote 20 docs, wrote ${result.docs_written}`);
  await assertSame(localPhotos, remotePhotos, 'after pull');
  const photo = await localPhotos.getAttachment('photo-7', 'image.jpg');
  check(Buffer.compare(photo, pixel(107, 2000 + 7 * 300)) === 0, 'attachment bytes survive the pull');

  // An attachment changed on one side only travels again.
  const changed = await remotePhotos.get('photo-3');
  await remotePhotos.putAttachment('photo-3', 'image.jpg', changed._rev, pixel(999, 777), 'image/jpeg');
  await localPhotos.replicate.from(remotePhotos);
  check(Buffer.compare(await localPhotos.getAttachment('photo-3', 'image.jpg'), pixel(999, 777)) === 0,
        'a replaced attachment replicates');

  // 3. Deletions travel both ways.
  const gone = await localNotes.get('note-0100');
  await localNotes.remove(gone);
  const goneRemote = await remoteNotes.get('note-0101');
  await remoteNotes.remove(goneRemote);
  await localNotes.replicate.to(remoteNotes);
  await localNotes.replicate.from(remoteNotes);
  await assertSame(localNotes, remoteNotes, 'after deletions');
  await assert.rejects(remoteNotes.get('note-0100'), (e) => e.status === 404);
  await assert.rejects(localNotes.get('note-0101'), (e) => e.status === 404);
  checks++;

  // 4. A conflict: the same note edited on both sides while apart.
  const mine = await localNotes.get('note-0042');
  const theirs = await remoteNotes.get('note-0042');
  await localNotes.put({ ...mine, text: 'edited on the phone' });
  await remoteNotes.put({ ...theirs, text: 'edited on the web', extra: true });
  await localNotes.replicate.to(remoteNotes);
  await localNotes.replicate.from(remoteNotes);
  const localWinner = await localNotes.get('note-0042', { conflicts: true });
  const remoteWinner = await remoteNotes.get('note-0042', { conflicts: true });
  check(localWinner._rev === remoteWinner._rev, `same winner: ${localWinner._rev} / ${remoteWinner._rev}`);
  check(localWinner._conflicts && localWinner._conflicts.length === 1, 'the phone keeps the conflict');
  assert.deepEqual(localWinner._conflicts, remoteWinner._conflicts, 'same _conflicts');
  assert.deepEqual(localWinner, remoteWinner, 'same winning body');
  checks += 2;
  await assertSame(localNotes, remoteNotes, 'after the conflict');

  // Resolving it on the phone replicates as a resolution.
  await localNotes.remove('note-0042', localWinner._conflicts[0]);
  await localNotes.replicate.to(remoteNotes);
  const resolved = await remoteNotes.get('note-0042', { conflicts: true });
  check(!resolved._conflicts, 'the resolution replicates');

  // 5. Live replication: a change on the cloud reaches the phone through
  // a longpoll _changes that the write wakes.
  const live = localNotes.replicate.from(remoteNotes, { live: true, retry: false });
  const arrived = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the live change did not arrive in 20 s')), 20000);
    live.on('change', (info) => {
      if (info.docs.some((doc) => doc._id === 'live-note')) {
        clearTimeout(timer);
        resolve();
      }
    });
    live.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  started = Date.now();
  await remoteNotes.put({ _id: 'live-note', text: 'written while the phone listens' });
  await arrived;
  const liveMs = Date.now() - started;
  live.cancel();
  checks++;

  // 6. Isolation: another user does not see these databases.
  const other = 'other-' + process.pid;
  await postJson('accounts', { name: other, password });
  const response = await fetch(base + 'sync/notes/note-0001', {
    headers: { Authorization: 'Basic ' + Buffer.from(`${other}:${password}`).toString('base64') },
  });
  check(response.status === 404, `another user gets 404 for the notes, got ${response.status}`);
  const mineResponse = await fetch(base + 'sync/notes/note-0001', { headers: { Authorization: basic } });
  check(mineResponse.status === 200, 'the owner still gets the note');

  const total = await assertSame(localNotes, remoteNotes, 'at the end');
  console.log(`# ${total} notes and 20 photos in sync; push of 201 notes ${pushMs} ms, ` +
              `pull of 20 photos ${pullMs} ms, live change ${liveMs} ms`);
  console.log(`pouchdb-with-cloud: ${checks} checks passed`);
}

main().then(() => process.exit(0), (error) => {
  console.error('pouchdb-with-cloud: FAILED:', error && error.stack ? error.stack : error);
  process.exit(1);
});
