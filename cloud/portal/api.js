// api.js: the portal's calls to yun-cloud, on the same origin: the
// accounts API to sign in and out, the sync API to read the user's data.
//
// SPDX-License-Identifier: GPL-3.0-or-later

const TOKEN_KEY = 'yun-portal-token';
const NAME_KEY = 'yun-portal-name';

/** A failed call, with the server's reason when it gave one. */
export class CloudError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'CloudError';
    this.status = status;
  }
}

async function failure(response, what) {
  let reason = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && typeof body.reason === 'string') reason = body.reason;
  } catch {
    // Not JSON: the status says enough.
  }
  return new CloudError(`${what}: ${reason}`, response.status);
}

// Credentials are only ever the bearer token in the header.  Omitting the
// others also keeps the browser from answering a 401's Basic challenge
// with a password prompt of its own (the Fetch standard prompts only when
// credentials are included).
async function send(url, options, what) {
  try {
    return await fetch(url, { ...options, credentials: 'omit' });
  } catch (error) {
    throw new CloudError(`${what}: the cloud cannot be reached (${error.message})`, 0);
  }
}

export class Cloud {
  constructor() {
    this.token = sessionStorage.getItem(TOKEN_KEY);
    this.name = sessionStorage.getItem(NAME_KEY);
  }

  get signedIn() {
    return Boolean(this.token);
  }

  async signIn(name, password) {
    const response = await send('/accounts/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, password }),
    }, 'Could not sign in');
    if (!response.ok) throw await failure(response, 'Could not sign in');
    const session = await response.json();
    this.token = session.token;
    this.name = session.name;
    sessionStorage.setItem(TOKEN_KEY, this.token);
    sessionStorage.setItem(NAME_KEY, this.name);
  }

  /** Revokes the token on the cloud; forgets it here whatever happens. */
  async signOut() {
    const token = this.token;
    this.forget();
    if (!token) return;
    const response = await send('/accounts/session', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    }, 'Could not sign out');
    if (!response.ok && response.status !== 401) throw await failure(response, 'Could not sign out');
  }

  forget() {
    this.token = null;
    this.name = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(NAME_KEY);
  }

  async get(path, what) {
    const response = await send(path, { headers: { Authorization: `Bearer ${this.token}` } }, what);
    if (!response.ok) throw await failure(response, what);
    return response;
  }

  /** Every live document of one of the user's databases; none if it does not exist yet. */
  async allDocs(db) {
    const what = `Could not read your ${db}`;
    const response = await send(`/sync/${encodeURIComponent(db)}/_all_docs?include_docs=true`,
                                { headers: { Authorization: `Bearer ${this.token}` } }, what);
    if (response.status === 404) return [];
    if (!response.ok) throw await failure(response, what);
    const body = await response.json();
    return body.rows
      .filter((row) => row.doc && !row.id.startsWith('_design/'))
      .map((row) => row.doc);
  }

  /** An attachment as a blob URL, to show with the bearer token it needs. */
  async attachmentUrl(db, id, name) {
    const response = await this.get(
      `/sync/${encodeURIComponent(db)}/${encodeURIComponent(id)}/${encodeURIComponent(name)}`,
      `Could not load a picture`);
    return URL.createObjectURL(await response.blob());
  }
}
